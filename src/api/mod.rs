//! The JSON REST API under `/api/v1`, for programs. It authenticates with bearer tokens only
//! (the web session cookie means nothing here) and calls the same services as the pages.

pub(crate) mod auth;
mod conversation;
mod docs;
mod error;
pub(crate) mod extract;
mod list;
mod posts;
pub mod realworld;
mod schema;
mod users;

pub use docs::ApiDoc;
pub use error::ApiError;

use crate::domain::config::Config;
use crate::domain::Error;
use crate::web::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

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
        .layer(cors(config))
}

/// CORS for both APIs: only the origins in `CORS_ORIGINS` (none by default), for browsers on
/// other sites that call the API with a token.
fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        // RealWorld clients commonly send `X-Requested-With` (its own test suite does).
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-requested-with"),
        ])
        .expose_headers([
            header::LINK,
            header::LOCATION,
            HeaderName::from_static("x-total-count"),
        ])
        .max_age(Duration::from_secs(3600))
}

/// The RealWorld (Conduit) API's routes, under `/api` (see `realworld.rs`), with the same
/// body limit and CORS as `/api/v1`.
pub fn realworld_router(config: &Config) -> Router<AppState> {
    realworld::router()
        .fallback(realworld::not_found)
        .method_not_allowed_fallback(realworld::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.limits.api_body_bytes))
        .layer(cors(config))
}

/// A `201 Created` with the new resource's address in `Location`.
fn created<T>(state: &AppState, path: String, body: T) -> (StatusCode, HeaderMap, T) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("{}/api/v1{path}", state.config.public_url)) {
        headers.insert(header::LOCATION, value);
    }
    (StatusCode::CREATED, headers, body)
}
