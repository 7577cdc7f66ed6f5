//! Quill's pages are rendered on the server and stay plain HTML in the browser; only the
//! `#[island]` components (the forms with their live checks, the delete dialog) are hydrated,
//! and only their code is in the WASM bundle. An island gets everything it needs in its props
//! (serialized into the page): in the browser there is no page context around it. Islands are
//! never nested.

use leptos::prelude::*;

/// Asks the browser, from the head of a page with islands, for the script and the WASM that
/// hydrate them: at low priority, so they never delay what the first paint needs. Pages
/// without islands (the feed, a post read by a visitor) load neither.
#[component]
pub fn PreloadBundle() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use leptos_meta::Link;
        crate::backend::assets::Assets::current().map(|assets| {
            view! {
                <Link rel="modulepreload" href=assets.script.as_str() fetchpriority="low"/>
                <Link rel="preload" href=assets.wasm.as_str() as_="fetch" type_="application/wasm"
                    crossorigin="" fetchpriority="low"/>
            }
        })
    }
}
