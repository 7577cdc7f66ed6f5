//! How a server function answers, with or without JavaScript in the browser, and the web
//! edge's mapping of the domain's error.
//!
//! With JavaScript the page gets the error as data and shows it in place. A plain form post
//! (no JavaScript) gets a redirect back to the form's page, with the typed values (never
//! passwords) and the messages carried there by the flash store.

use crate::domain::{Error, Unauthenticated};
use crate::error::AppError;
use crate::model::{login_url, FieldErrors, FieldName, FlashLevel, FormEcho, FormId};
use crate::web::request::RequestContext;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The login form's answer to wrong credentials (the API says it in its own words).
pub const BAD_CREDENTIALS: &str = "Login unsuccessful. Please check your e-mail and password.";

impl From<Error> for AppError {
    fn from(err: Error) -> Self {
        match err {
            Error::Invalid(errors) | Error::Conflict(errors) | Error::NotConfirmed(errors) => {
                AppError::Invalid(errors)
            }
            Error::NotFound => AppError::NotFound,
            Error::Forbidden => AppError::Forbidden,
            Error::Unauthenticated(Unauthenticated::BadCredentials) => {
                AppError::Invalid(FieldErrors::single(FieldName::Form, BAD_CREDENTIALS))
            }
            Error::Unauthenticated(reason @ Unauthenticated::ResetLink) => {
                AppError::Invalid(FieldErrors::single(FieldName::Form, reason.to_string()))
            }
            Error::Unauthenticated(Unauthenticated::LoginRequired | Unauthenticated::Token(_)) => {
                AppError::LoginRequired
            }
            Error::TooManyRequests { retry_after } => AppError::TooManyRequests { retry_after },
            Error::Unavailable { retry_after } => AppError::Busy { retry_after },
            Error::Internal(source) => {
                tracing::error!(error = %source, "request failed");
                AppError::Internal
            }
        }
    }
}

/// The path (and query) of the page a form was sent from, if the `Referer` is a page of this
/// site: where a refused plain form goes back to.
pub fn same_site_path(headers: &http::HeaderMap, public_url: &str) -> Option<String> {
    let referer = headers.get(http::header::REFERER)?.to_str().ok()?;
    let rest = referer.strip_prefix(public_url)?;
    (rest.starts_with('/') && !rest.starts_with("//")).then(|| rest.to_string())
}

/// The page of this site the request was sent from (its `Referer`), if any.
pub fn referring_page(ctx: &RequestContext) -> Option<String> {
    with_context::<http::request::Parts, _>(|parts| {
        same_site_path(&parts.headers, &ctx.state().config.public_url)
    })
    .flatten()
}

/// Whether the request is a plain HTML form post rather than a call from the hydrated page.
pub fn is_plain_form_post() -> bool {
    with_context::<http::request::Parts, _>(|parts| {
        crate::web::negotiate::accepts_html(&parts.headers)
    })
    .unwrap_or(false)
}

fn set_status(status: u16) {
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
}

/// The form a server function serves: which it is, the page it lives on, the values typed.
pub struct Form {
    pub id: FormId,
    pub page: String,
    pub values: BTreeMap<FieldName, String>,
    /// A button (a like, a follow) has no fields to show messages under.
    pub buttons_only: bool,
}

impl Form {
    pub fn new(id: FormId, page: impl Into<String>) -> Self {
        Self {
            id,
            page: page.into(),
            values: BTreeMap::new(),
            buttons_only: false,
        }
    }

    /// A form of buttons only: a refusal's messages are flashed on the page it goes back to.
    pub fn buttons_only(mut self) -> Self {
        self.buttons_only = true;
        self
    }

    /// Keeps a typed value to give back if the form is refused, up to the longest value the
    /// field takes ([`FormEcho::kept_chars`]).
    pub fn keep(mut self, field: FieldName, value: &str) -> Self {
        let kept = match value
            .char_indices()
            .nth(FormEcho::kept_chars(self.id, field))
        {
            Some((end, _)) => &value[..end],
            None => value,
        };
        self.values.insert(field, kept.to_string());
        self
    }

    /// Finishes the call: on success, a flash and a redirect; on failure, the error in the
    /// form that suits the caller.
    pub fn finish<T>(
        self,
        ctx: &RequestContext,
        result: Result<T, impl Into<AppError>>,
        success: Option<(FlashLevel, &str)>,
        redirect_to: &str,
    ) -> Result<T, AppError> {
        match result {
            Ok(value) => {
                if let Some((level, message)) = success {
                    ctx.flash(level, message);
                }
                redirect(redirect_to);
                Ok(value)
            }
            Err(err) => Err(self.refuse(ctx, err)),
        }
    }

    pub fn refuse(self, ctx: &RequestContext, err: impl Into<AppError>) -> AppError {
        let err = err.into();
        if let AppError::Busy { retry_after } | AppError::TooManyRequests { retry_after } = err {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.insert_header(http::header::RETRY_AFTER, retry_after.into());
            }
        }
        if is_plain_form_post() {
            match &err {
                AppError::Invalid(errors) if self.buttons_only => {
                    for message in errors.0.values() {
                        ctx.flash(FlashLevel::Danger, message.clone());
                    }
                }
                AppError::Invalid(errors) => ctx.echo_form(FormEcho {
                    form: self.id,
                    values: self.values,
                    errors: errors.clone(),
                }),
                AppError::LoginRequired => {
                    ctx.flash(FlashLevel::Info, err.to_string());
                    redirect(&login_url(&self.page));
                    return err;
                }
                other => ctx.flash(FlashLevel::Danger, other.to_string()),
            }
            redirect(&self.page);
        } else {
            set_status(err.status());
        }
        err
    }
}

/// Redirects after the call: a 303 See Other for a plain form post, the redirect header for
/// the hydrated page (which then loads the target in full, see `lib.rs`).
pub fn redirect(path: &str) {
    leptos_axum::redirect(path);
    if is_plain_form_post() {
        set_status(303);
    }
}
