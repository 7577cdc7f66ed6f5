//! `/api/v1/auth/*`: register, log in, who am I, log out.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser};
use super::schema::errors::{BodyErrors, Busy, Throttled, Unauthorized};
use super::schema::{
    ErrorResponse, LoginRequest, MessageResponse, RegisterRequest, StatusResponse, Success,
    TokenOwner, TokenResponse,
};
use crate::domain::users::{self, Registration};
use crate::domain::{jwt, Error};
use crate::model::format_datetime;
use crate::model::FieldName;
use crate::web::request::ClientAddress;
use crate::web::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::HashMap;
use utoipa::IntoParams;

fn token_response(token: String, message: &str) -> Json<TokenResponse> {
    Json(TokenResponse {
        status: Success::Success,
        message: message.to_string(),
        auth_token: token,
    })
}

/// Create an account and get a token for it.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "The account exists; here is its token.", body = TokenResponse),
        (status = 409, description = "The e-mail address or username is taken.", body = ErrorResponse),
        BodyErrors, Busy, Throttled,
    ))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let registration =
        Registration::parse(&body.username, &body.email, &body.password, &body.password)?;
    let id = users::sign_up(&state, client.0, registration).await?;
    let token = jwt::issue_for(&state, &users::get(&state.db, id).await?)?;
    Ok((
        StatusCode::CREATED,
        token_response(token, "Successfully registered."),
    ))
}

/// Exchange an e-mail address and password for a token.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "A new token.", body = TokenResponse),
        (status = 401, description = "Wrong e-mail address or password (the same answer for both).",
            body = ErrorResponse),
        BodyErrors, Busy, Throttled,
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let user = users::authenticate(&state, client.0, &body.email, &body.password).await?;
    let token = jwt::issue_for(&state, &user)?;
    Ok(token_response(token, "Successfully logged in."))
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/auth/status", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The token's account.", body = StatusResponse), Unauthorized))]
pub async fn status(me: ApiUser) -> Json<StatusResponse> {
    Json(StatusResponse {
        status: Success::Success,
        data: TokenOwner {
            user_id: me.user.id,
            username: me.user.username,
            email: me.user.email,
            admin: me.user.is_admin,
            registered_on: format_datetime(me.user.created_at),
        },
    })
}

/// `?all=` of a logout.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only its description is used
pub struct LogoutParams {
    /// `true`: log out everywhere, ending every token and every web session of the account.
    #[param(nullable = false)]
    all: Option<bool>,
}

/// Revoke the token: every later request with it is refused. With `?all=true`, every token and
/// every web session of the account end too.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", params(LogoutParams),
    security(("bearer" = [])),
    responses((status = 200, description = "The token is revoked.", body = MessageResponse),
        (status = 422, description = "`all` is neither `true` nor `false`.", body = ErrorResponse),
        Unauthorized))]
pub async fn logout(
    State(state): State<AppState>,
    me: ApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<MessageResponse>, ApiError> {
    let everywhere = match query.get("all").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(Error::invalid(FieldName::All, "all is `true` or `false`.").into()),
    };
    jwt::revoke(&state, &me.claims).await?;
    if everywhere {
        users::log_out_everywhere(&state.db, me.user.id).await?;
        return Ok(Json(MessageResponse::new(
            "Logged out everywhere: every token and web session of the account has ended.",
        )));
    }
    Ok(Json(MessageResponse::new("Successfully logged out.")))
}
