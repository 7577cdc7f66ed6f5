//! What a page says about itself to search engines and link previews.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The page's `<meta name="description">`: one per page, set by the page.
#[component]
pub fn Description(#[prop(into)] text: String) -> impl IntoView {
    view! { <Meta name="description" content=text/> }
}

/// The page's canonical address: `PUBLIC_URL` and `path` (with the page number when it is not
/// the first), whatever address or query string the request came with.
#[component]
pub fn Canonical(#[prop(into)] path: String, #[prop(optional)] page: Option<u32>) -> impl IntoView {
    let path = match page {
        Some(n) if n > 1 => format!("{path}?page={n}"),
        _ => path,
    };
    #[cfg(feature = "ssr")]
    let href = crate::backend::request::RequestContext::current()
        .map(|ctx| {
            format!(
                "{}{path}",
                ctx.state().config.public_url.trim_end_matches('/')
            )
        })
        .unwrap_or(path);
    #[cfg(not(feature = "ssr"))]
    let href = path;
    view! { <Link rel="canonical" href=href/> }
}
