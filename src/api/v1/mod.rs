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
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The API's routes: its operations (which make the OpenAPI document as they are listed),
/// the document and the Swagger UI.
pub fn router(config: &Config) -> Router<AppState> {
    let (operations, document) = operations().split_for_parts();
    let document = docs::Document::write(&document);
    operations
        .route(
            "/openapi.json",
            get(move || docs::document(document.clone())),
        )
        .route("/docs", get(docs::docs_redirect))
        .route("/docs/", get(docs::docs_file))
        .route("/docs/{*tail}", get(docs::docs_file))
        .fallback(|| async { ApiError::from(Error::NotFound) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(config.limits.api_body_bytes))
        .layer(super::cors(config))
}

/// The OpenAPI document of the API (`/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    operations().into_openapi()
}

/// Every operation of the API, once: each handler's `#[utoipa::path]` gives its method and
/// path to the router and its description to the document, so the two cannot disagree.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::status))
        .routes(routes!(auth::logout))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(
            users::get_user,
            users::update_user,
            users::delete_user
        ))
        .routes(routes!(posts::user_posts))
        .routes(routes!(users::export_user))
        .routes(routes!(posts::list_posts, posts::create_post))
        .routes(routes!(
            posts::get_post,
            posts::update_post,
            posts::delete_post
        ))
        .routes(routes!(posts::list_tags))
        .routes(routes!(
            conversation::list_comments,
            conversation::create_comment
        ))
        .routes(routes!(conversation::delete_comment))
        .routes(routes!(conversation::like_post, conversation::unlike_post))
        .routes(routes!(
            conversation::follow_user,
            conversation::unfollow_user
        ))
        .routes(routes!(conversation::feed))
        .routes(routes!(conversation::liked_posts))
}

/// A `201 Created` with the new resource's address in `Location`.
fn created<T>(state: &AppState, path: String, body: T) -> (StatusCode, HeaderMap, T) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("{}/api/v1{path}", state.config.public_url)) {
        headers.insert(header::LOCATION, value);
    }
    (StatusCode::CREATED, headers, body)
}
