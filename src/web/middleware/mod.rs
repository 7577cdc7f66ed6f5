//! The middleware every request passes through, one concern a file. It knows nothing of the
//! pages: the error page it answers with is a function the router hands in ([`ErrorPage`]).

mod client_address;
mod drain;
mod redirects;
mod render;
mod same_origin;
mod security_headers;
mod session;
mod trace;

pub use client_address::client_address;
pub use drain::close_when_draining;
pub use redirects::redirects_are_redirects;
pub use render::{pages, render_in_turn, whole};
pub use same_origin::{origin_of, same_origin};
pub use security_headers::{content_security_policy, security_headers};
pub use session::request_context;
pub use trace::loggable_path;

use crate::model::UserView;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Renders the site's error page for a status, in the layout, for the signed-in user (or
/// nobody): a whole HTML document.
pub type ErrorPage = fn(StatusCode, Option<UserView>) -> String;

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

fn accepts_html(request: &Request) -> bool {
    super::negotiate::accepts_html(request.headers())
}

/// Marks a call to a server function (a form's endpoint under `/_fn/`) among the requests
/// the site's router also gives its pages. [`tell_server_fns`] decides it once per request,
/// from Leptos's registry; the layers inside it read the mark ([`is_server_fn`]).
#[derive(Clone, Copy, Debug)]
pub struct ServerFnCall;

/// The site's outermost layer: looks the request up in Leptos's registry of server functions
/// (which allocates its key and, on a hit, clones the function's service) once, and marks it.
pub async fn tell_server_fns(mut request: Request, next: axum::middleware::Next) -> Response {
    let registered = leptos::server_fn::axum::get_server_fn_service(
        request.uri().path(),
        request.method().clone(),
    )
    .is_some();
    if registered {
        request.extensions_mut().insert(ServerFnCall);
    }
    next.run(request).await
}

/// Whether [`tell_server_fns`] marked this request as a call to a server function.
pub fn is_server_fn(request: &Request) -> bool {
    request.extensions().get::<ServerFnCall>().is_some()
}
