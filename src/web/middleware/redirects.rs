//! Redirects answer as redirects, whatever the `Accept` header.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// A page that sends the visitor elsewhere (login required, already signed in) answers with a
/// redirect whatever its `Accept` header says. leptos_axum sets the 302 only for requests that
/// accept `text/html`; curl, crawlers and link checkers got a 200 with an empty page and a stray
/// `Location`. Server functions keep leptos's protocol (a `Location` on a 200 tells the hydrated
/// page to navigate), and the API sets its own statuses.
pub async fn redirects_are_redirects(request: Request, next: Next) -> Response {
    let is_page = !super::is_server_fn(&request);
    let mut response = next.run(request).await;
    if is_page
        && response.status() == StatusCode::OK
        && response.headers().contains_key(header::LOCATION)
    {
        *response.status_mut() = StatusCode::FOUND;
    }
    response
}
