//! The JSON REST API under `/api/v1`, for programs: one file per resource (auth, users, posts,
//! conversation), the OpenAPI document (docs, schema), the error adapter and the extractors.

pub(crate) mod auth;
mod conversation;
mod docs;
pub(crate) mod error;
pub(crate) mod extract;
mod list;
mod posts;
mod schema;
mod users;

pub use docs::ApiDoc;
pub use error::ApiError;

use crate::domain::config::Config;
use crate::domain::Error;
use crate::web::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::Router;

/// The API's routes.
pub fn router(config: &Config) -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/status", get(auth::status))
        .route("/auth/logout", post(auth::logout))
        .route("/users", get(users::list_users).post(users::create_user))
        .route(
            "/users/{id}",
            get(users::get_user)
                .put(users::update_user)
                .delete(users::delete_user),
        )
        .route("/users/{id}/posts", get(posts::user_posts))
        .route("/users/{id}/liked", get(conversation::liked_posts))
        .route(
            "/users/{id}/follow",
            axum::routing::put(conversation::follow_user).delete(conversation::unfollow_user),
        )
        .route("/feed", get(conversation::feed))
        .route(
            "/posts/{id}/comments",
            get(conversation::list_comments).post(conversation::create_comment),
        )
        .route(
            "/posts/{id}/comments/{comment_id}",
            axum::routing::delete(conversation::delete_comment),
        )
        .route(
            "/posts/{id}/like",
            axum::routing::put(conversation::like_post).delete(conversation::unlike_post),
        )
        .route("/posts", get(posts::list_posts).post(posts::create_post))
        .route("/tags", get(posts::list_tags))
        .route(
            "/posts/{id}",
            get(posts::get_post)
                .put(posts::update_post)
                .delete(posts::delete_post),
        )
        .route("/openapi.json", get(docs::document))
        .route("/docs", get(docs::docs_redirect))
        .route("/docs/", get(docs::docs_file))
        .route("/docs/{*tail}", get(docs::docs_file))
        .fallback(|| async { ApiError::from(Error::NotFound) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(config.limits.api_body_bytes))
        .layer(super::cors(config))
}

/// A `201 Created` with the new resource's address in `Location`.
fn created<T>(state: &AppState, path: String, body: T) -> (StatusCode, HeaderMap, T) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("{}/api/v1{path}", state.config.public_url)) {
        headers.insert(header::LOCATION, value);
    }
    (StatusCode::CREATED, headers, body)
}
