//! The error every server function returns: the web edge's view of a failure, shared with the
//! browser so that pages can show it. The server makes it from the one domain error
//! (`server_fns::respond`); the JSON API has its own adapter (`api::v1::error`).

use crate::model::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The input broke a rule; the messages say which, field by field.
    #[error("Please correct the errors below.")]
    Invalid(FieldErrors),
    #[error("Please log in to access this page.")]
    LoginRequired,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("That page does not exist.")]
    NotFound,
    #[error("Too many attempts. Please try again in {retry_after} seconds.")]
    TooManyRequests { retry_after: u64 },
    #[error("The server is busy. Please try again in {retry_after} seconds.")]
    Busy { retry_after: u64 },
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// Transport and encoding failures reported by the server function machinery.
    #[error("The request failed: {0}")]
    ServerFn(ServerFnErrorErr),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::LoginRequired => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::TooManyRequests { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::Internal => 500,
            AppError::ServerFn(ServerFnErrorErr::Args(_))
            | AppError::ServerFn(ServerFnErrorErr::MissingArg(_))
            | AppError::ServerFn(ServerFnErrorErr::Deserialization(_)) => 400,
            AppError::ServerFn(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}
