//! Quill: a multi-user blog. This crate is both the server (feature `ssr`) and the WASM bundle
//! that hydrates its pages (feature `hydrate`).
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod error;
pub mod pages;
pub mod server_fns;

/// The shared model (crates/model): plain data and validated newtypes, browser and server.
pub use quill_model as model;

#[cfg(feature = "ssr")]
pub mod alloc;
#[cfg(feature = "ssr")]
pub mod api;
/// The domain (crates/domain): rules, services and repositories, compiled without the web.
#[cfg(feature = "ssr")]
pub use quill_domain as domain;
#[cfg(feature = "ssr")]
pub mod web;

/// Called by the page's loader (`web/assets.rs`) before it hydrates each `<leptos-island>`
/// (the forms and the delete dialog): everything else on a page is server-rendered HTML that
/// needs no code in the browser. The islands follow a successful form's redirect themselves
/// (`components/submit.rs`), so no server-function redirect hook is set.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
