//! What a page says about itself to search engines and link previews.

use leptos::prelude::*;
use leptos_meta::Meta;

/// The page's `<meta name="description">`: one per page, set by the page.
#[component]
pub fn Description(#[prop(into)] text: String) -> impl IntoView {
    view! { <Meta name="description" content=text/> }
}
