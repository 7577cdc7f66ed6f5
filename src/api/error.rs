use super::schema::{ErrorResponse, Fail};
use crate::backend::jwt::TokenError;
use crate::backend::services::ServiceError;
use crate::model::FieldErrors;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Every API failure, each a JSON body `{status: "fail", message}` with its status code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Some fields are invalid.")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("Invalid e-mail or password.")]
    BadCredentials,
    #[error("{0}")]
    Token(#[from] TokenError),
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Method not allowed.")]
    MethodNotAllowed,
    #[error("Request bodies must be JSON (Content-Type: application/json).")]
    UnsupportedMediaType,
    #[error("Malformed JSON: {0}")]
    MalformedJson(String),
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::BadCredentials | ApiError::Token(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorResponse {
            status: Fail::Fail,
            message: self.to_string(),
            errors: match &self {
                ApiError::Invalid(errors) => Some(errors.0.clone()),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, ApiError::Token(_) | ApiError::BadCredentials) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(errors) => ApiError::Invalid(errors),
            ServiceError::Taken(errors) => {
                ApiError::Conflict(errors.0.values().cloned().collect::<Vec<_>>().join(" "))
            }
            ServiceError::BadCredentials => ApiError::BadCredentials,
            other => {
                tracing::error!(error = %other, "API request failed");
                ApiError::Internal
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        ServiceError::from(err).into()
    }
}
