//! The API's adapter for the domain's one error, plus the failures that belong to HTTP itself
//! (a body that is not JSON, too large, a method not allowed). Each is a JSON body
//! `{status: "fail", message}` with its status code.

use super::schema::{ErrorResponse, Fail};
use crate::domain::{Error, Unauthenticated};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// What the services answered.
    #[error(transparent)]
    Domain(#[from] Error),
    #[error("Method not allowed.")]
    MethodNotAllowed,
    #[error("Request bodies must be JSON (Content-Type: application/json).")]
    UnsupportedMediaType,
    #[error("Malformed JSON: {0}")]
    MalformedJson(String),
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("The request body took too long to arrive.")]
    BodyTimeout,
    /// The body broke off or could not be read for another reason than its size.
    #[error("The request body could not be read: {0}")]
    UnreadableBody(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        ApiError::Domain(err.into())
    }
}

impl ApiError {
    pub fn not_found() -> Self {
        ApiError::Domain(Error::NotFound)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(err) => match err {
                Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Error::Conflict(_) => StatusCode::CONFLICT,
                Error::NotFound => StatusCode::NOT_FOUND,
                Error::Forbidden | Error::NotConfirmed(_) => StatusCode::FORBIDDEN,
                Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
                Error::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
                Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MalformedJson(_) | ApiError::UnreadableBody(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// What the body says. Internal failures say nothing of their cause.
    fn message(&self) -> String {
        match self {
            ApiError::Domain(err) => match err {
                Error::Invalid(_) => "Some fields are invalid.".into(),
                Error::Conflict(errors) => errors.0.values().cloned().collect::<Vec<_>>().join(" "),
                Error::NotFound => "Not found.".into(),
                Error::Forbidden => "You do not have permission to do that.".into(),
                Error::NotConfirmed(_) => {
                    "Confirm this change with your current password (`current_password`).".into()
                }
                Error::Unauthenticated(Unauthenticated::LoginRequired) => {
                    "Provide a valid auth token.".into()
                }
                Error::Unauthenticated(reason) => reason.to_string(),
                Error::TooManyRequests { retry_after } => {
                    format!("Too many requests. Try again in {retry_after} seconds.")
                }
                Error::Unavailable { retry_after } => {
                    format!("The server is busy. Try again in {retry_after} seconds.")
                }
                Error::Internal(_) => "Something went wrong on our side. Please try again.".into(),
            },
            other => other.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Domain(Error::Internal(source)) = &self {
            tracing::error!(error = %source, "API request failed");
        }
        let body = ErrorResponse {
            status: Fail::Fail,
            message: self.message(),
            errors: match &self {
                ApiError::Domain(Error::Invalid(errors) | Error::NotConfirmed(errors)) => Some(
                    errors
                        .0
                        .iter()
                        .map(|(field, message)| (field.as_str().to_string(), message.clone()))
                        .collect(),
                ),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        match &self {
            ApiError::Domain(Error::Unauthenticated(_)) => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::Domain(
                Error::TooManyRequests { retry_after } | Error::Unavailable { retry_after },
            ) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            _ => {}
        }
        response
    }
}
