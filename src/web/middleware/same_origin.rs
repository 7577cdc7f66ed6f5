//! The same-origin check for state-changing requests (the CSRF defence).

use super::{accepts_html, html_error, ErrorPage};
use crate::web::request::RequestContext;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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

fn is_cross_site(request: &Request) -> bool {
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

#[cfg(test)]
mod tests {
    use super::origin_of;

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
