//! Error responses as the document lists them. Only their descriptions are used: the bodies
//! are made by `ApiError`.
#![allow(dead_code)]

use super::ErrorResponse;
use utoipa::IntoResponses;

/// What can be wrong with a request's JSON body.
#[derive(IntoResponses)]
pub enum BodyErrors {
    #[response(status = 400, description = "The body is not well-formed JSON.")]
    Malformed(ErrorResponse),
    #[response(
        status = 413,
        description = "The body is larger than the server accepts."
    )]
    TooLarge(ErrorResponse),
    #[response(status = 415, description = "The body is not `application/json`.")]
    NotJson(ErrorResponse),
    #[response(
        status = 422,
        description = "A field is missing, has the wrong type or breaks a rule; `errors` says which."
    )]
    Invalid(ErrorResponse),
}

/// A refused bearer token.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "The token is missing, malformed, expired, tampered with or revoked; the message says which.",
    headers(("WWW-Authenticate" = String, description = "`Bearer`"))
)]
pub struct Unauthorized(pub ErrorResponse);

#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "The token's user may not do this (or, changing their own e-mail address or password, did not give the right `current_password`)."
)]
pub struct Forbidden(pub ErrorResponse);

#[derive(IntoResponses)]
#[response(status = 404, description = "There is nothing with this id.")]
pub struct NotFound(pub ErrorResponse);

#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "`page` or `per_page` is not a whole number from 1 to 2147483647."
)]
pub struct BadPaging(pub ErrorResponse);

/// Logins and registrations are throttled per client (and logins per account).
#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "Too many attempts from this client or on this account; try again after `Retry-After` seconds.",
    headers(("Retry-After" = u64, description = "Seconds to wait."))
)]
pub struct Throttled(pub ErrorResponse);

/// Operations that hash a password wait for a turn at a bounded queue.
#[derive(IntoResponses)]
#[response(
    status = 503,
    description = "Too many passwords are being checked right now; try again after `Retry-After` seconds.",
    headers(("Retry-After" = u64, description = "Seconds to wait."))
)]
pub struct Busy(pub ErrorResponse);
