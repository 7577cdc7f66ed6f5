//! The one error of the domain. Services answer with it; each surface has one thin adapter
//! that turns it into an answer (the root package's `server_fns::respond` for pages and server
//! functions, `api::v1::error` and `api::realworld::error` for the APIs). No adapter has a rule
//! of its own about what went wrong.

use super::jwt::TokenError;
use super::password::PasswordError;
use super::work::WorkError;
use crate::model::FieldErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input broke a rule; the messages say which, field by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// A value that must be unique (a username, an e-mail address) belongs to someone else.
    #[error("already taken: {0:?}")]
    Conflict(FieldErrors),
    #[error("not found")]
    NotFound,
    /// Signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// Allowed only with the current password, which was missing or wrong (changing one's own
    /// e-mail address or password); the messages say so under `current_password`.
    #[error("not confirmed with the current password")]
    NotConfirmed(FieldErrors),
    #[error(transparent)]
    Unauthenticated(#[from] Unauthenticated),
    #[error("too many requests: retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    /// The server is at its limit for this kind of work (hashing, pictures); try again soon.
    #[error("busy: retry after {retry_after} s")]
    Unavailable { retry_after: u64 },
    /// Something on our side failed; the caller learns nothing more, the log everything.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why nobody (or not the right body) is signed in.
#[derive(Debug, thiserror::Error)]
pub enum Unauthenticated {
    /// A page or form that needs a session, without one.
    #[error("Please log in to access this page.")]
    LoginRequired,
    /// The same answer for an unknown e-mail and a wrong password.
    #[error("Invalid e-mail or password.")]
    BadCredentials,
    /// A password-reset link that is forged, expired or already used.
    #[error("That reset link is invalid or has expired. Please ask for a new one.")]
    ResetLink,
    /// An API bearer token that is missing, malformed, expired, forged or revoked.
    #[error(transparent)]
    Token(#[from] TokenError),
}

impl Error {
    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Internal(err.into())
    }

    /// One field's message.
    pub fn invalid(field: crate::model::FieldName, message: impl Into<String>) -> Self {
        Error::Invalid(FieldErrors::single(field, message))
    }
}

impl From<TokenError> for Error {
    fn from(err: TokenError) -> Self {
        Error::Unauthenticated(Unauthenticated::Token(err))
    }
}

macro_rules! internal_from {
    ($($source:ty),* $(,)?) => {$(
        impl From<$source> for Error {
            fn from(err: $source) -> Self {
                Error::internal(err)
            }
        }
    )*};
}

internal_from!(sqlx::Error, super::mail::MailError, tokio::task::JoinError);

impl From<WorkError> for Error {
    fn from(err: WorkError) -> Self {
        match err {
            WorkError::Busy(_) => Error::Unavailable { retry_after: 1 },
            other => Error::internal(other),
        }
    }
}

impl From<PasswordError> for Error {
    fn from(err: PasswordError) -> Self {
        match err {
            PasswordError::Work(err) => err.into(),
            other => Error::internal(other),
        }
    }
}
