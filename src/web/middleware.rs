//! The middleware every request passes through. It knows nothing of the pages: the error
//! page it answers with is a function the router hands in ([`ErrorPage`]).

use super::request::{
    cookie_value, removal_cookie, site_cookie, ClientAddress, RequestContext, SiteCookie,
};
use super::AppState;
use crate::domain::db::{FlashRepository, SessionRepository};
use crate::domain::tokens::{random_token, token_hash};
use crate::model::{FlashBag, UserView};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How long a flash waits for the page that shows it.
const FLASH_SECONDS: i64 = 300;

/// Renders the site's error page for a status, in the layout, for the signed-in user (or
/// nobody): a whole HTML document.
pub type ErrorPage = fn(StatusCode, Option<UserView>) -> String;

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
    // The API authenticates with bearer tokens only, and health checks must stay cheap and
    // answer without the database: no session, no flash.
    let path = request.uri().path();
    if is_api(&request) || matches!(path, "/healthz" | "/readyz" | "/metrics") {
        return next.run(request).await;
    }
    let headers = request.headers();
    let session_token = cookie_value(headers, SiteCookie::Session.name(&state.config));
    let session = match session_token {
        Some(token) => match SessionRepository::user(&state.db, &token_hash(token)).await {
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
        match FlashRepository::take(&state.db, &token_hash(token)).await {
            Ok(Some(payload)) => incoming = serde_json::from_str(&payload).unwrap_or_default(),
            Ok(None) => {}
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
        let token = random_token();
        let payload = serde_json::to_string(&outgoing.flash).unwrap_or_default();
        let expires = crate::domain::db::now() + FLASH_SECONDS;
        match FlashRepository::insert(&state.db, &token_hash(&token), &payload, expires).await {
            Ok(()) => {
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

/// The layer of the Leptos routes (the pages, and the server functions, which share them).
/// A page waits for a turn at rendering (`RENDER_CONCURRENCY`): with two cores, 64 pages
/// rendered interleaved come out no sooner than eight at a time, and each one in flight holds
/// its views, data and buffers. Its render time is recorded by route. A server function takes
/// no turn: a login waiting for its hash must not hold a reader's.
///
/// Either is sent as one body with its length. Pages are rendered whole before their first
/// byte (`SsrMode::Async`), but leptos_axum answers with a stream of chunks: hyper then frames
/// them as chunked encoding and writes them one by one. Collected, a page is one write with a
/// `Content-Length`, at no cost in latency.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let page = request
        .extensions()
        .get::<MatchedPath>()
        .filter(|path| !path.as_str().starts_with("/_fn/"))
        .map(|path| path.as_str().to_string());
    let Some(route) = page else {
        return whole(next.run(request)).await;
    };
    let (response, took) = render_in_turn(&state, whole(next.run(request))).await;
    super::metrics::rendered(route, took);
    response
}

/// `render` in a turn at rendering, and the time it took once its turn came.
pub async fn render_in_turn(
    state: &AppState,
    render: impl std::future::Future<Output = Response>,
) -> (Response, std::time::Duration) {
    // The semaphore is never closed: without a turn there is nothing to wait for.
    let _turn = state.renders.acquire().await.ok();
    let started = std::time::Instant::now();
    let response = render.await;
    (response, started.elapsed())
}

/// The response with its body collected into one, and its length.
pub async fn whole(response: impl std::future::Future<Output = Response>) -> Response {
    use http_body_util::BodyExt;
    let (mut parts, body) = response.await.into_parts();
    match body.collect().await {
        Ok(collected) => {
            let bytes = collected.to_bytes();
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(err) => {
            tracing::error!(error = %err, "rendering the page's body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Rejects a state-changing request sent by another site: SameSite=Lax covers most browsers,
/// this covers the rest and the server functions, which have no CSRF protection of their own.
pub async fn same_origin(
    State(error_page): State<ErrorPage>,
    request: Request,
    next: Next,
) -> Response {
    if is_cross_site(&request) {
        tracing::warn!(path = %request.uri().path(), "cross-site request rejected");
        if accepts_html(&request) {
            let user = request
                .extensions()
                .get::<RequestContext>()
                .and_then(RequestContext::user_view);
            return html_error(error_page, StatusCode::FORBIDDEN, user);
        }
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "403 Forbidden: this request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(request).await
}

fn accepts_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// An error page in the site's layout, outside the Leptos routes.
pub fn html_error(error_page: ErrorPage, status: StatusCode, user: Option<UserView>) -> Response {
    let html = error_page(status, user);
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn is_api(request: &Request) -> bool {
    request.uri().path().starts_with("/api/")
}

fn is_cross_site(request: &Request) -> bool {
    // Bearer tokens are not sent by browsers on their own: the API has nothing to forge.
    if is_api(request) {
        return false;
    }
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return true;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // No Origin: not sent by a browser's cross-site form or fetch.
        return false;
    };
    // The site's own origin is the one people reach it at, `PUBLIC_URL`, scheme included: the
    // Host header may be rewritten by a proxy in front.
    let public_url = request
        .extensions()
        .get::<RequestContext>()
        .map(|ctx| ctx.state().config.public_url.as_str());
    match public_url.and_then(origin_of) {
        Some(own) => origin_of(origin).is_none_or(|theirs| theirs != own),
        None => true,
    }
}

/// `scheme://host[:port]` of a URL, lower case, without a default port.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || !(scheme == "http" || scheme == "https") {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

/// A path as logs may keep it: a reset link's token is a password for half an hour, so it is
/// replaced. (Bearer tokens travel in a header, and headers are not logged.)
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/reset_password/") {
        Some(token) if !token.is_empty() => "/reset_password/[redacted]".into(),
        _ => path.into(),
    }
}

/// Records who the client is (`net::client_address`) for everything after: throttling, logs.
pub async fn client_address(
    State(trusted): State<std::sync::Arc<[crate::domain::net::IpNet]>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = super::client::client_address(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// Why a request body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFailure {
    /// Past the size limit (413).
    TooLarge,
    /// A piece did not come within `BODY_TIMEOUT_SECONDS` (408).
    TooSlow,
    /// The client broke off or sent something that is not a body (400).
    Broken,
}

impl BodyFailure {
    pub fn of(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(err) = cause {
            if err.is::<http_body_util::LengthLimitError>() {
                return BodyFailure::TooLarge;
            }
            if err.is::<tower_http::timeout::TimeoutError>() {
                return BodyFailure::TooSlow;
            }
            cause = err.source();
        }
        BodyFailure::Broken
    }
}

/// A page that sends the visitor elsewhere (login required, already signed in) answers with a
/// redirect whatever its `Accept` header says. leptos_axum sets the 302 only for requests that
/// accept `text/html`; curl, crawlers and link checkers got a 200 with an empty page and a stray
/// `Location`. Server functions keep leptos's protocol (a `Location` on a 200 tells the hydrated
/// page to navigate), and the API sets its own statuses.
pub async fn redirects_are_redirects(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_page = !(path.starts_with("/_fn/") || path.starts_with("/api/"));
    let mut response = next.run(request).await;
    if is_page
        && response.status() == StatusCode::OK
        && response.headers().contains_key(header::LOCATION)
    {
        *response.status_mut() = StatusCode::FOUND;
    }
    response
}

/// While a stopping server drains, every HTTP/1 answer closes its connection.
pub async fn close_when_draining(
    State(draining): State<Arc<AtomicBool>>,
    request: Request,
    next: Next,
) -> Response {
    let http1 = request.version() <= axum::http::Version::HTTP_11;
    let mut response = next.run(request).await;
    if http1 && draining.load(Ordering::Relaxed) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Headers that keep the pages out of frames and stop type sniffing; behind https, HSTS.
pub async fn security_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        // The same for every answer that is not a page: made once.
        static DEFAULT: std::sync::OnceLock<Option<HeaderValue>> = std::sync::OnceLock::new();
        let default =
            DEFAULT.get_or_init(|| HeaderValue::from_str(&content_security_policy(None)).ok());
        if let Some(value) = default {
            headers.insert(header::CONTENT_SECURITY_POLICY, value.clone());
        }
    }
    response
}

/// The Content Security Policy. Scripts come from the site itself or carry the nonce of the
/// page (Leptos puts the page's nonce on each inline script it writes; a page render sets this
/// header with it, see `app::shell`); no inline script without it runs. `ws:` is for the live
/// reload of `cargo leptos watch` and only in debug builds. Pictures may come from anywhere on
/// http(s): a Markdown post may show one (its HTML is sanitized, see `backend/markdown.rs`).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let connect = if cfg!(debug_assertions) {
        "'self' ws: wss:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; img-src 'self' data: http: https:; style-src 'self' 'unsafe-inline'; \
         script-src 'self'{nonce} 'wasm-unsafe-eval'; connect-src {connect}; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn reset_tokens_stay_out_of_logs() {
        assert_eq!(
            super::loggable_path("/reset_password/7.1766.ab.cd"),
            "/reset_password/[redacted]"
        );
        assert_eq!(super::loggable_path("/reset_password"), "/reset_password");
        assert_eq!(super::loggable_path("/post/3"), "/post/3");
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://Blog.Example/path?q").as_deref(),
            Some("https://blog.example")
        );
        assert_eq!(
            origin_of("https://blog.example:443").as_deref(),
            Some("https://blog.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_ne!(
            origin_of("http://blog.example"),
            origin_of("https://blog.example")
        );
        for bad in ["null", "blog.example", "ftp://x", "https://"] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }
}
