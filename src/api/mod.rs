//! The JSON REST API under `/api/v1`, for programs. It authenticates with bearer tokens only
//! (the web session cookie means nothing here) and calls the same services as the pages.

mod auth;
mod error;
mod extract;
mod list;
mod resources;

pub use error::ApiError;

use crate::backend::AppState;
use axum::routing::{get, post};
use axum::Router;
use resources as r;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/status", get(auth::status))
        .route("/auth/logout", post(auth::logout))
        .route("/users", get(r::list_users).post(r::create_user))
        .route(
            "/users/{id}",
            get(r::get_user).put(r::update_user).delete(r::delete_user),
        )
        .route("/users/{id}/posts", get(r::user_posts))
        .route("/posts", get(r::list_posts).post(r::create_post))
        .route(
            "/posts/{id}",
            get(r::get_post).put(r::update_post).delete(r::delete_post),
        )
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
