//! The per-request context: who is signed in, the flash carried in from the last request, and
//! what this request sends on (a new flash, cookies). The middleware in `middleware.rs` fills it
//! before the handler and writes its outgoing part to the response after.

use super::db::SessionUser;
use super::AppState;
use crate::error::AppError;
use crate::model::{Flash, FlashBag, FlashLevel, FormEcho, UserView};
use std::sync::{Arc, Mutex, MutexGuard};

pub const SESSION_COOKIE: &str = "quill_session";
pub const FLASH_COOKIE: &str = "quill_flash";

#[derive(Default)]
pub struct Outgoing {
    pub flash: FlashBag,
    pub cookies: Vec<cookie::Cookie<'static>>,
    /// Set when the flash carried in was shown, so its cookie can go.
    pub flash_consumed: bool,
}

struct Inner {
    state: AppState,
    session: Option<SessionUser>,
    incoming: FlashBag,
    outgoing: Mutex<Outgoing>,
}

#[derive(Clone)]
pub struct RequestContext(Arc<Inner>);

impl RequestContext {
    pub fn new(state: AppState, session: Option<SessionUser>, incoming: FlashBag) -> Self {
        Self(Arc::new(Inner {
            state,
            session,
            incoming,
            outgoing: Mutex::new(Outgoing::default()),
        }))
    }

    /// The context of the request a server function or page render runs in.
    pub fn current() -> Result<Self, AppError> {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
            .ok_or(AppError::Internal)
    }

    pub fn state(&self) -> &AppState {
        &self.0.state
    }

    pub fn session(&self) -> Option<&SessionUser> {
        self.0.session.as_ref()
    }

    pub fn user_view(&self) -> Option<UserView> {
        self.session().map(|s| super::services::user_view(&s.user))
    }

    /// The signed-in user, or the error that sends a visitor to the login page.
    pub fn require_user(&self) -> Result<&SessionUser, AppError> {
        self.session().ok_or(AppError::LoginRequired)
    }

    pub fn incoming(&self) -> &FlashBag {
        &self.0.incoming
    }

    pub fn outgoing(&self) -> MutexGuard<'_, Outgoing> {
        // A poisoned lock only means another holder panicked; the data is still usable.
        self.0.outgoing.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn flash(&self, level: FlashLevel, message: impl Into<String>) {
        self.outgoing().flash.messages.push(Flash {
            level,
            message: message.into(),
        });
    }

    pub fn echo_form(&self, echo: FormEcho) {
        self.outgoing().flash.echo = Some(echo);
    }

    pub fn set_cookie(&self, cookie: cookie::Cookie<'static>) {
        self.outgoing().cookies.push(cookie);
    }
}
