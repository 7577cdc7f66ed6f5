//! What a server-function call must be before anything reads its body: in the encoding the
//! function takes, within its size, arriving in time, and, for the picture upload, from someone
//! signed in. server_fn reads bodies itself (axum's `DefaultBodyLimit` does not reach it) and
//! its multipart codec streams into multer with no limit and panics on a missing boundary, so
//! every call is checked and its body read here, bounded, first. The post forms (new, edit,
//! preview) take a whole post, `WRITING_BODY_LIMIT`, from someone signed in; the picture
//! upload a picture; every other form `FORM_BODY_LIMIT`.
//!
//! Refusals answer in the caller's terms: the hydrated page gets an `AppError` as JSON with the
//! status; a plain HTML form gets the message as a flash and a redirect back to its page.

use super::accounts::{picture_too_large, UpdateAccount};
use super::posts::{CreatePost, PreviewPost, UpdatePost};
use super::respond::same_site_path;
use crate::error::AppError;
use crate::model::{login_url, FieldErrors, FieldName, FlashLevel};
use crate::web::body::BodyFailure;
use crate::web::middleware::ErrorPage;
use crate::web::request::RequestContext;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;
use std::time::Duration;

/// Whether the request's `Content-Type` is the encoding the function takes: multipart with a
/// boundary for the picture upload, URL-encoded for every other form.
fn has_encoding(headers: &HeaderMap, multipart: bool) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let value = value.to_ascii_lowercase();
    let mut parts = value.split(';').map(str::trim);
    let essence = parts.next().unwrap_or_default();
    if multipart {
        essence == "multipart/form-data"
            && parts.any(|p| p.strip_prefix("boundary=").is_some_and(|b| !b.is_empty()))
    } else {
        essence == "application/x-www-form-urlencoded"
    }
}

/// A refusal: JSON for the hydrated page, a flash and a redirect for a plain form.
fn refuse(
    ctx: &RequestContext,
    headers: &HeaderMap,
    status: StatusCode,
    error: AppError,
    back_to: String,
) -> Response {
    if crate::web::negotiate::accepts_html(headers) {
        let level = match error {
            AppError::LoginRequired => FlashLevel::Info,
            _ => FlashLevel::Danger,
        };
        let message = match &error {
            AppError::Invalid(errors) => errors.0.values().cloned().collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        };
        ctx.flash(level, message);
        return (StatusCode::SEE_OTHER, [(header::LOCATION, back_to)]).into_response();
    }
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn form_error(message: impl Into<String>) -> AppError {
    AppError::Invalid(FieldErrors::single(FieldName::Form, message))
}

fn too_slow() -> AppError {
    form_error("The form took too long to arrive. Please try again.")
}

/// Checks a server-function call and reads its body, bounded in size and time, before the
/// function runs.
pub async fn server_fn_guard(
    State(error_page): State<ErrorPage>,
    request: Request,
    next: Next,
) -> Response {
    let known = request.method() == Method::POST && crate::web::middleware::is_server_fn(&request);
    if !known {
        return next.run(request).await;
    }
    let Some(ctx) = request.extensions().get::<RequestContext>().cloned() else {
        return crate::web::middleware::html_error(
            error_page,
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
        );
    };
    let config = &ctx.state().config;
    let limits = &config.limits;
    let path = request.uri().path();
    let upload = path == <UpdateAccount as ServerFn>::PATH;
    let writing = [
        <CreatePost as ServerFn>::PATH,
        <UpdatePost as ServerFn>::PATH,
        <PreviewPost as ServerFn>::PATH,
    ]
    .contains(&path);
    let headers = request.headers().clone();
    let back_to = if upload {
        "/account".to_string()
    } else {
        same_site_path(&headers, &config.public_url).unwrap_or_else(|| "/".to_string())
    };
    if !has_encoding(&headers, upload) {
        let expected = if upload {
            "multipart/form-data with a boundary"
        } else {
            "application/x-www-form-urlencoded"
        };
        let error = form_error(format!("This form must be sent as {expected}."));
        return refuse(
            &ctx,
            &headers,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            error,
            back_to,
        );
    }
    // Nobody reads a picture or a post for a visitor who could not store either anyway.
    if (upload || writing) && ctx.session().is_none() {
        let login = login_url(&back_to);
        return refuse(
            &ctx,
            &headers,
            StatusCode::UNAUTHORIZED,
            AppError::LoginRequired,
            login,
        );
    }
    let limit = if upload {
        config.max_avatar_bytes + limits.form_body_bytes
    } else if writing {
        limits.writing_body_bytes
    } else {
        limits.form_body_bytes
    };
    let too_large = || {
        if upload {
            AppError::Invalid(FieldErrors::single(
                FieldName::Picture,
                picture_too_large(config.max_avatar_bytes),
            ))
        } else {
            form_error("That form is too large to be sent.")
        }
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return refuse(
            &ctx,
            &headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            too_large(),
            back_to,
        );
    }
    let (parts, body) = request.into_parts();
    let read = axum::body::to_bytes(body, limit);
    let timeout = Duration::from_secs(limits.request_timeout_seconds);
    let bytes = match tokio::time::timeout(timeout, read).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(err)) => {
            let (status, error) = match BodyFailure::of(&err) {
                BodyFailure::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, too_large()),
                BodyFailure::TooSlow => (StatusCode::REQUEST_TIMEOUT, too_slow()),
                BodyFailure::Broken => (
                    StatusCode::BAD_REQUEST,
                    form_error("The form arrived incomplete."),
                ),
            };
            return refuse(&ctx, &headers, status, error, back_to);
        }
        Err(_) => {
            return refuse(
                &ctx,
                &headers,
                StatusCode::REQUEST_TIMEOUT,
                too_slow(),
                back_to,
            )
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
