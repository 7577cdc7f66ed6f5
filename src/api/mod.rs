//! The JSON REST API under `/api/v1`, for programs. It authenticates with bearer tokens only
//! (the web session cookie means nothing here) and calls the same services as the pages.

mod auth;
mod error;
mod extract;

pub use error::ApiError;

use crate::backend::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/status", get(auth::status))
        .route("/auth/logout", post(auth::logout))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
