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

/// Called by the page's loader (`backend/assets.rs`) before it hydrates each `<leptos-island>`
/// (the forms and the delete dialog): everything else on a page is server-rendered HTML that
/// needs no code in the browser. The islands follow a successful form's redirect themselves
/// (`components/submit.rs`), so no server-function redirect hook is set.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
