//! The JSON REST API under `/api/v1`, for programs. It authenticates with bearer tokens only
//! (the web session cookie means nothing here) and calls the same services as the pages.

mod auth;
mod docs;
mod error;
mod extract;
mod list;
mod resources;
mod schema;

pub use docs::ApiDoc;
pub use error::ApiError;

use crate::backend::config::Config;
use crate::backend::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use resources as r;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The largest body the API reads. The largest valid one, a 100-character title and a
/// 10,000-character post with every character sent as a JSON `\uXXXX\uXXXX` pair (12 bytes), is
/// about 121 KB; a valid request is never refused for its size.
pub const BODY_LIMIT: usize = 256 * 1024;

/// The API's routes. CORS answers only the origins in `CORS_ORIGINS` (none by default), for
/// browsers on other sites that call the API with a token.
pub fn router(config: &Config) -> Router<AppState> {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([
            header::LINK,
            header::LOCATION,
            HeaderName::from_static("x-total-count"),
        ])
        .max_age(Duration::from_secs(3600));
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
        .route("/openapi.json", get(docs::document))
        .route("/docs", get(docs::docs_redirect))
        .route("/docs/", get(docs::docs_file))
        .route("/docs/{*tail}", get(docs::docs_file))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(cors)
}
