//! Quill: a multi-user blog. This crate is both the server (feature `ssr`) and the WASM bundle
//! that hydrates its pages (feature `hydrate`).
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "ssr")]
pub mod startup;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A successful form redirects with a full page load, so the next page is rendered by the
    // server with the new session and its flash, exactly as without JavaScript. Set before the
    // router, which would otherwise install client-side navigation as the hook.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    let page = read_page_context();
    leptos::mount::hydrate_body(move || {
        leptos::prelude::provide_context(page);
        app::App()
    });
    // A marker for the browser tests: the page is live.
    let _ = leptos::web_sys::js_sys::Reflect::set(
        &leptos::prelude::window(),
        &"__quill_hydrated".into(),
        &true.into(),
    );
}

/// The page context the server wrote into `<meta name="quill-page">`.
#[cfg(feature = "hydrate")]
fn read_page_context() -> model::PageContext {
    leptos::prelude::document()
        .query_selector("meta[name=quill-page]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}
