//! The domain error as plain HTTP, for what the web answers outside the pages and the APIs
//! (feeds, sitemaps, avatars): a status and a line of text. Internal causes are logged here,
//! once; the client learns only the status.

use crate::domain::Error;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A failure of a plain-HTTP handler.
#[derive(Debug)]
pub struct PlainError(pub Error);

impl From<Error> for PlainError {
    fn from(err: Error) -> Self {
        PlainError(err)
    }
}

impl IntoResponse for PlainError {
    fn into_response(self) -> Response {
        let (status, retry_after) = match &self.0 {
            Error::Invalid(_) | Error::Conflict(_) | Error::NotConfirmed(_) => {
                (StatusCode::BAD_REQUEST, None)
            }
            Error::NotFound => (StatusCode::NOT_FOUND, None),
            Error::Forbidden => (StatusCode::FORBIDDEN, None),
            Error::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, None),
            Error::TooManyRequests { retry_after } => {
                (StatusCode::TOO_MANY_REQUESTS, Some(*retry_after))
            }
            Error::Unavailable { retry_after } => {
                (StatusCode::SERVICE_UNAVAILABLE, Some(*retry_after))
            }
            Error::Internal(source) => {
                tracing::error!(error = %source, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or_default()
            ),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
