//! Security headers and the Content Security Policy.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

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
/// http(s): a Markdown post may show one (its HTML is sanitized, see `domain/markdown.rs`).
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
