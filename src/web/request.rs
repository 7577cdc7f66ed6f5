//! The request layer: the per-request context (who is signed in, the flash carried in from the
//! last request, what this request sends on) and the cookies that carry them. The middleware in
//! `middleware.rs` fills the context before the handler and writes its outgoing part after.

use super::AppState;
use crate::domain::config::Config;
use crate::domain::db::SessionUser;
use crate::domain::error::{Error, Result, Unauthenticated};
use crate::model::{Flash, FlashBag, FlashLevel, FormEcho, UserView};
use axum::http::{header, HeaderMap};
use cookie::{Cookie, SameSite};
use std::sync::{Arc, Mutex, MutexGuard};

/// The client's address: the socket peer, or behind a trusted proxy the address it forwarded
/// (`net::client_address`). Set on every request by `middleware::client_address`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

impl ClientAddress {
    /// Where a request without a socket peer (an in-process call) counts as coming from.
    pub const UNKNOWN: Self = ClientAddress(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));

    pub fn of(extensions: &http::Extensions) -> Self {
        extensions.get::<Self>().copied().unwrap_or(Self::UNKNOWN)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

/// The site's cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteCookie {
    Session,
    Flash,
}

impl SiteCookie {
    /// Served over https, the names carry the `__Host-` prefix: a browser then accepts them only
    /// Secure, for the whole site, and never set by a neighbouring domain.
    pub fn name(self, config: &Config) -> &'static str {
        match (self, config.secure_cookies()) {
            (SiteCookie::Session, true) => "__Host-quill_session",
            (SiteCookie::Session, false) => "quill_session",
            (SiteCookie::Flash, true) => "__Host-quill_flash",
            (SiteCookie::Flash, false) => "quill_flash",
        }
    }
}

/// The value of a request's cookie, if it has a non-empty one.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// A cookie of the site: the whole site, HttpOnly, SameSite=Lax, Secure behind https.
pub fn site_cookie(config: &Config, kind: SiteCookie, value: String) -> Cookie<'static> {
    Cookie::build((kind.name(config), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies())
        .build()
}

/// The cookie that removes the site's cookie `kind`.
pub fn removal_cookie(config: &Config, kind: SiteCookie) -> Cookie<'static> {
    let mut cookie = site_cookie(config, kind, String::new());
    cookie.make_removal();
    cookie
}

#[derive(Default)]
pub struct Outgoing {
    pub flash: FlashBag,
    pub cookies: Vec<Cookie<'static>>,
    /// Set when the flash carried in was shown, so its cookie can go.
    pub flash_consumed: bool,
}

struct Inner {
    state: AppState,
    client: ClientAddress,
    session: Option<SessionUser>,
    incoming: FlashBag,
    outgoing: Mutex<Outgoing>,
}

#[derive(Clone)]
pub struct RequestContext(Arc<Inner>);

impl RequestContext {
    pub fn new(
        state: AppState,
        client: ClientAddress,
        session: Option<SessionUser>,
        incoming: FlashBag,
    ) -> Self {
        Self(Arc::new(Inner {
            state,
            client,
            session,
            incoming,
            outgoing: Mutex::new(Outgoing::default()),
        }))
    }

    /// The context of the request a server function or page render runs in.
    pub fn current() -> Result<Self> {
        // Borrowed where leptos_axum keeps it: `use_context` would clone the request's whole
        // head (headers and extensions) on every call.
        leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
            parts.extensions.get::<RequestContext>().cloned()
        })
        .flatten()
        .ok_or_else(|| Error::internal("no request context: outside the middleware"))
    }

    pub fn state(&self) -> &AppState {
        &self.0.state
    }

    /// The client's address (see [`ClientAddress`]).
    pub fn client(&self) -> std::net::IpAddr {
        self.0.client.0
    }

    pub fn session(&self) -> Option<&SessionUser> {
        self.0.session.as_ref()
    }

    pub fn user_view(&self) -> Option<UserView> {
        self.session()
            .map(|s| crate::domain::users::user_view(&s.user))
    }

    /// The signed-in user, or the error that sends a visitor to the login page.
    pub fn require_user(&self) -> Result<&SessionUser> {
        self.session()
            .ok_or(Error::Unauthenticated(Unauthenticated::LoginRequired))
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

    pub fn set_cookie(&self, cookie: Cookie<'static>) {
        self.outgoing().cookies.push(cookie);
    }

    /// A cookie of the site with this request's settings (see [`site_cookie`]).
    pub fn site_cookie(&self, kind: SiteCookie, value: String) -> Cookie<'static> {
        site_cookie(&self.state().config, kind, value)
    }

    pub fn remove_cookie(&self, kind: SiteCookie) {
        self.set_cookie(removal_cookie(&self.state().config, kind));
    }
}
