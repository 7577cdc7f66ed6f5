//! The request context: the session's user and the incoming flash before the handler, the
//! outgoing flash, the cookies and what a shared cache may keep after it.

use super::accepts_html;
use crate::domain::flash::{self, FLASH_SECONDS};
use crate::domain::users;
use crate::model::FlashBag;
use crate::web::request::{
    cookie_value, removal_cookie, site_cookie, ClientAddress, RequestContext, SiteCookie,
};
use crate::web::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A page navigation, as opposed to a fetch of an asset or a server function.
fn is_page_load(request: &Request) -> bool {
    request.method() == Method::GET && accepts_html(request)
}

/// Loads the session user and the incoming flash, runs the handler, then stores the outgoing
/// flash and writes the cookies.
pub async fn request_context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let session_token = cookie_value(headers, SiteCookie::Session.name(&state.config));
    let session = match session_token {
        Some(token) => match users::session_user(&state.db, token).await {
            Ok(found) => found,
            Err(err) => {
                tracing::error!(error = %err, "session lookup failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        None => None,
    };
    let stale_session_cookie = session_token.is_some() && session.is_none();

    let flash_token =
        cookie_value(headers, SiteCookie::Flash.name(&state.config)).map(str::to_string);
    let mut incoming = FlashBag::default();
    let mut consumed = false;
    if let (Some(token), true) = (&flash_token, is_page_load(&request)) {
        consumed = true;
        match flash::take(&state.db, token).await {
            Ok(found) => incoming = found,
            Err(err) => tracing::warn!(error = %err, "flash lookup failed"),
        }
    }

    let client = ClientAddress::of(request.extensions());
    let page_load = is_page_load(&request);
    let personal = session_token.is_some() || flash_token.is_some();
    let ctx = RequestContext::new(state.clone(), client, session, incoming);
    request.extensions_mut().insert(ctx.clone());
    let mut response = next.run(request).await;

    let outgoing = std::mem::take(&mut *ctx.outgoing());
    let mut cookies = outgoing.cookies;
    if !outgoing.flash.is_empty() {
        match flash::keep(&state.db, &outgoing.flash).await {
            Ok(token) => {
                let mut cookie = site_cookie(&state.config, SiteCookie::Flash, token);
                cookie.set_max_age(cookie::time::Duration::seconds(FLASH_SECONDS));
                cookies.push(cookie);
            }
            Err(err) => tracing::warn!(error = %err, "could not store a flash"),
        }
    } else if consumed || outgoing.flash_consumed {
        cookies.push(removal_cookie(&state.config, SiteCookie::Flash));
    }
    let session_name = SiteCookie::Session.name(&state.config);
    if stale_session_cookie && !cookies.iter().any(|c| c.name() == session_name) {
        cookies.push(removal_cookie(&state.config, SiteCookie::Session));
    }
    // What a shared cache (the nginx micro-cache) may keep: a page for a visitor with no
    // cookie for a second; anything for someone signed in, or that sets a cookie, never.
    let sets_cookies = !cookies.is_empty();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie.encoded().to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if page_load && !response.headers().contains_key(header::CACHE_CONTROL) {
        let policy = if personal || sets_cookies {
            "private, no-store"
        } else {
            "public, max-age=0, s-maxage=1"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
