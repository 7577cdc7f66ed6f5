//! `/api/v1/auth/*`: register, log in, who am I, log out.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser};
use crate::backend::db::{self, RevokedTokenRepository};
use crate::backend::services::{self, Registration};
use crate::backend::{jwt, AppState};
use crate::model::format_datetime;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct RegisterBody {
    pub email: String,
    pub password: String,
    pub username: String,
}

#[derive(Deserialize)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

fn token_for(state: &AppState, user_id: i64) -> Result<String, ApiError> {
    jwt::issue(
        &state.config.secret_key,
        user_id,
        db::now(),
        state.config.api_token_seconds,
    )
    .map(|(token, _)| token)
    .map_err(|e| {
        tracing::error!(error = %e, "could not sign a token");
        ApiError::Internal
    })
}

pub async fn register(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RegisterBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let registration =
        Registration::parse(&body.username, &body.email, &body.password, &body.password)?;
    let id = services::register(&state.db, registration, false).await?;
    let token = token_for(&state, id)?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "status": "success", "message": "Successfully registered.", "auth_token": token }),
        ),
    ))
}

pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<Value>, ApiError> {
    let user = services::authenticate(&state.db, &body.email, &body.password).await?;
    let token = token_for(&state, user.id)?;
    Ok(Json(
        json!({ "status": "success", "message": "Successfully logged in.", "auth_token": token }),
    ))
}

pub async fn status(me: ApiUser) -> Json<Value> {
    Json(json!({
        "status": "success",
        "data": {
            "user_id": me.user.id,
            "username": me.user.username,
            "email": me.user.email,
            "admin": me.user.is_admin,
            "registered_on": format_datetime(me.user.created_at),
        }
    }))
}

pub async fn logout(State(state): State<AppState>, me: ApiUser) -> Result<Json<Value>, ApiError> {
    RevokedTokenRepository::revoke(&state.db, &me.claims.jti, me.claims.exp).await?;
    Ok(Json(
        json!({ "status": "success", "message": "Successfully logged out." }),
    ))
}
