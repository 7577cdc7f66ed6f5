//! The OpenAPI 3.1 document, generated from the handlers and body types, and the Swagger UI
//! that reads it. Both are served by Quill itself: the UI's files are compiled into the binary
//! (from the `utoipa-swagger-ui-vendored` crate), so the page works offline.

use super::error::ApiError;
use crate::domain::Error;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::Config;

pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Quill API",
        description = "The JSON API of a Quill blog. Get a token from `/auth/register` or \
            `/auth/login` and send it as `Authorization: Bearer <token>`. Every error is \
            `{\"status\": \"fail\", \"message\": ...}` with the status code that fits; lists \
            are paged with `page` and `per_page` and carry `Link` and `X-Total-Count` headers."
    ),
    servers((url = "/api/v1")),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Tokens: get one, check one, revoke one."),
        (name = "users", description = "Accounts and their public profiles."),
        (name = "posts", description = "Posts, newest first."),
        (name = "conversation", description = "Comments, likes, follows and the feed of followed users."),
    )
)]
/// What the document says besides its operations (`super::operations` adds those).
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An HS256 token from `/auth/register` or `/auth/login`; it lasts an \
                         hour unless the server is configured otherwise.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as JSON, written once when the router is made.
#[derive(Clone)]
pub struct Document(Option<axum::body::Bytes>);

impl Document {
    pub fn write(openapi: &utoipa::openapi::OpenApi) -> Self {
        Document(
            openapi
                .to_pretty_json()
                .map_err(|e| tracing::error!(error = %e, "could not write the OpenAPI document"))
                .ok()
                .map(axum::body::Bytes::from),
        )
    }
}

/// `GET /api/v1/openapi.json`
pub async fn document(document: Document) -> Result<Response, ApiError> {
    let json = document
        .0
        .ok_or_else(|| Error::internal("the OpenAPI document could not be written"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        Body::from(json),
    )
        .into_response())
}

static UI_CONFIG: LazyLock<Arc<Config<'static>>> = LazyLock::new(|| {
    Arc::new(
        Config::new([DOCUMENT_PATH])
            .try_it_out_enabled(true)
            .display_request_duration(true)
            .persist_authorization(false),
    )
});

/// `GET /api/v1/docs`: the UI lives under the slash so that its relative asset paths work.
pub async fn docs_redirect() -> Redirect {
    Redirect::permanent("/api/v1/docs/")
}

/// `GET /api/v1/docs/` and its assets.
pub async fn docs_file(tail: Option<Path<String>>) -> Result<Response, ApiError> {
    let tail = tail.as_ref().map_or("", |Path(tail)| tail.as_str());
    let file = utoipa_swagger_ui::serve(tail, UI_CONFIG.clone())
        .map_err(|e| Error::internal(e.to_string()))?
        .ok_or_else(ApiError::not_found)?;
    // The page itself is revalidated; its scripts and styles change only with Quill.
    let cache = if tail.is_empty() || tail == "swagger-initializer.js" {
        "no-cache"
    } else {
        "public, max-age=86400"
    };
    let content_type =
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("text/plain"));
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        // The embedded files are sent as they are, not copied per request.
        match file.bytes {
            Cow::Borrowed(bytes) => Body::from(bytes),
            Cow::Owned(bytes) => Body::from(bytes),
        },
    )
        .into_response();
    if file.gzpipped {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Ok(response)
}
