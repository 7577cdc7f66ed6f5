//! The two APIs for programs: `/api/v1` (Quill's own, with its OpenAPI document) and the
//! RealWorld (Conduit) API under `/api`. Both authenticate with bearer tokens only (the web
//! session cookie means nothing here) and call the same domain services as the pages.

pub mod realworld;
pub mod v1;

pub use v1::ApiError;

use crate::domain::config::Config;
use crate::web::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::Router;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The RealWorld (Conduit) API's routes, under `/api` (see `realworld.rs`), with the same
/// body limit and CORS as `/api/v1`.
pub fn realworld_router(config: &Config) -> Router<AppState> {
    realworld::router()
        .fallback(realworld::not_found)
        .method_not_allowed_fallback(realworld::method_not_allowed)
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
