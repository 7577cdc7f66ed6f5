//! `/api/v1/users`.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeApiUser, OptionalApiJson};
use super::list::{self, IdPath, PagingParams};
use super::schema::errors::{BadPaging, BodyErrors, Busy, Forbidden, NotFound, Unauthorized};
use super::schema::{
    ErrorResponse, MessageResponse, NewUserRequest, Success, User, UserDeleteRequest,
    UserListResponse, UserResponse, UserUpdateRequest,
};
use crate::domain::conversation;
use crate::domain::db::UserRecord;
use crate::domain::users::{self, AccountChange, Registration};
use crate::domain::Error;
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::collections::HashMap;

fn user_response(user: &UserRecord, viewer: Option<&UserRecord>) -> Json<UserResponse> {
    Json(UserResponse {
        status: Success::Success,
        data: User::new(user, viewer),
    })
}

/// The public profiles, oldest account first. With a token, the caller's own entry (every
/// entry, for an administrator) has `email` and `admin`.
#[utoipa::path(get, path = "/users", tag = "users", params(PagingParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of users.", body = UserListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many users there are."))),
        BadPaging, Unauthorized,
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<UserListResponse>), ApiError> {
    let (users, pagination) = users::page(&state.db, list::parse(&query)?).await?;
    let body = UserListResponse {
        status: Success::Success,
        data: users
            .iter()
            .map(|u| User::new(u, viewer.0.as_ref()))
            .collect(),
        page: pagination.page,
        per_page: pagination.per_page,
        total: pagination.total,
    };
    Ok((list::headers(&state, "/users", &pagination), Json(body)))
}

/// One user's profile.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(IdPath),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The user.", body = UserResponse), NotFound, Unauthorized))]
pub async fn get_user(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = users::get(&state.db, list::id(&id)?).await?;
    let mut body = user_response(&user, viewer.0.as_ref());
    if let Some(viewer) = &viewer.0 {
        let profile = conversation::profile(&state.db, Some(viewer), &user).await?;
        body.data.followed = Some(profile.followed);
    }
    Ok(body)
}

/// Create an account (administrators only).
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new account.", body = UserResponse,
            headers(("Location" = String, description = "The new user's address.")),
            links(
                ("GetUser" = (operation_id = "get_user", parameters(("id" = "$response.body#/data/id")))),
                ("UpdateUser" = (operation_id = "update_user", parameters(("id" = "$response.body#/data/id")))),
                ("DeleteUser" = (operation_id = "delete_user", parameters(("id" = "$response.body#/data/id")))),
            )),
        (status = 409, description = "The e-mail address or username is taken.", body = ErrorResponse),
        BodyErrors, Unauthorized, Forbidden, Busy,
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    me: ApiUser,
    ApiJson(body): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, HeaderMap, Json<UserResponse>), ApiError> {
    if !me.user.is_admin {
        return Err(Error::Forbidden.into());
    }
    let registration =
        Registration::parse(&body.username, &body.email, &body.password, &body.password)?;
    let id = users::register(&state, registration, body.admin).await?;
    let user = users::get(&state.db, id).await?;
    Ok(super::created(
        &state,
        format!("/users/{id}"),
        user_response(&user, Some(&me.user)),
    ))
}

/// Change a user's username, e-mail address or password (the user or an administrator).
#[utoipa::path(put, path = "/users/{id}", tag = "users", params(IdPath), request_body = UserUpdateRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed user.", body = UserResponse),
        (status = 409, description = "The e-mail address or username is taken.", body = ErrorResponse),
        BodyErrors, Unauthorized, Forbidden, NotFound, Busy,
    ))]
pub async fn update_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserUpdateRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let id = list::id(&id)?;
    let change = AccountChange {
        username: body.username.as_deref(),
        bio: body.bio.as_deref(),
        email: body.email.as_deref(),
        password: body.password.as_deref(),
        current_password: body.current_password.as_deref(),
        // The token that changes its own account's password stays valid.
        keep_token: (me.user.id == id).then_some(me.claims.jti.as_str()),
        ..AccountChange::default()
    };
    let user = users::update_account(&state, &me.user, id, change).await?;
    Ok(user_response(&user, Some(&me.user)))
}

/// Delete an account and everything of it: posts, comments, likes, follows, picture, sessions
/// and tokens. One's own account needs `current_password` (403 without the right one); an
/// administrator deleting someone else's sends no body.
#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(IdPath),
    request_body(content = Option<UserDeleteRequest>, description = "Only to delete one's own account."),
    security(("bearer" = [])),
    responses((status = 200, description = "The user is gone.", body = MessageResponse),
        (status = 409, description = "The account is the last administrator's.", body = ErrorResponse),
        BodyErrors, Unauthorized, Forbidden, NotFound, Busy))]
pub async fn delete_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    OptionalApiJson(body): OptionalApiJson<UserDeleteRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    let current = body.as_ref().and_then(|b| b.current_password.as_deref());
    users::delete(&state, &me.user, list::id(&id)?, current).await?;
    Ok(Json(MessageResponse::new(
        "The user and everything of theirs were deleted.",
    )))
}

/// Download everything of one's own account as one zip: each post as Markdown with YAML
/// front matter and all of them as JSON, one's comments, likes and follows, profile and
/// picture. Streamed as it is written; only the account's owner may.
#[utoipa::path(get, path = "/users/{id}/export", tag = "users", params(IdPath),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The export.", content_type = "application/zip", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "`attachment` and the file's name."))),
        (status = 429, description = "An export of this account is already being written; try again after `Retry-After` seconds.", body = ErrorResponse,
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 503, description = "Too many exports are being written; try again after `Retry-After` seconds.", body = ErrorResponse,
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        Unauthorized, Forbidden, NotFound))]
pub async fn export_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let user = users::get(&state.db, list::id(&id)?).await?;
    if user.id != me.user.id {
        return Err(Error::Forbidden.into());
    }
    Ok(crate::web::export::download(&state, user)?)
}
