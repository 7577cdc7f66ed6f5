//! The server functions behind every form, grouped by domain. They are thin: read the request
//! context, call a service in the domain, map the outcome. Their bodies exist only on the server;
//! the browser gets a client that calls them.

pub mod accounts;
pub mod conversation;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod posts;
#[cfg(feature = "ssr")]
pub mod respond;

/// The page context of the request being rendered.
#[cfg(feature = "ssr")]
pub fn current_page_context() -> crate::model::PageContext {
    match crate::web::request::RequestContext::current() {
        Ok(ctx) => crate::model::PageContext {
            user: ctx.user_view(),
            flash: ctx.incoming().clone(),
        },
        Err(_) => crate::model::PageContext::default(),
    }
}
