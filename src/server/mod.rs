//! The server functions behind every form, grouped by domain. They are thin: read the request
//! context, call a service in `backend`, map the outcome. Their bodies exist only on the server;
//! the browser gets a client that calls them.

pub mod accounts;
pub mod posts;
#[cfg(feature = "ssr")]
pub mod respond;

use crate::model::{FlashBag, UserView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What every page needs: who is signed in and what the last request left to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageContext {
    pub user: Option<UserView>,
    pub flash: FlashBag,
}

impl PageContext {
    /// The context this page was rendered with; empty outside a request (route listing).
    pub fn get() -> Self {
        use_context::<PageContext>().unwrap_or_default()
    }
}

/// The page context of the request being rendered.
#[cfg(feature = "ssr")]
pub fn current_page_context() -> PageContext {
    match crate::backend::request::RequestContext::current() {
        Ok(ctx) => PageContext {
            user: ctx.user_view(),
            flash: ctx.incoming().clone(),
        },
        Err(_) => PageContext::default(),
    }
}
