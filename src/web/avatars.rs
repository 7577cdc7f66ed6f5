//! Pictures of people, served from the database so that every instance serves the same.

use super::conditional::none_match;
use super::error::PlainError;
use super::AppState;
use crate::domain::users;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A picture's address names its content: it may be kept for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `/media/avatars/{user_id}-{etag}.png`: the address names the content, so it is cached for
/// good; a new picture gets a new address.
pub async fn avatar(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let parsed = file
        .strip_suffix(".png")
        .and_then(|stem| stem.split_once('-'))
        .and_then(|(id, etag)| Some((id.parse::<i64>().ok()?, etag.to_string())));
    let Some((user_id, etag)) = parsed else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let quoted = format!("\"{etag}\"");
    match users::avatar(&state.db, user_id).await {
        Ok(Some(found)) if found.etag == etag && none_match(request.headers(), &quoted) => {
            Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .header(header::CACHE_CONTROL, IMMUTABLE)
                .header(header::ETAG, quoted)
                .body(Body::empty())
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Ok(Some(found)) if found.etag == etag => Response::builder()
            .header(header::CONTENT_TYPE, found.content_type)
            .header(header::CACHE_CONTROL, IMMUTABLE)
            .header(header::ETAG, quoted)
            .body(Body::from(found.bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => PlainError(err).into_response(),
    }
}
