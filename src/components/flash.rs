use crate::model::Flash;
use leptos::prelude::*;

/// The messages left by the request before this page. The layout is rendered on the server
/// only (islands mode: no client-side navigation re-renders it), so they are plain HTML.
#[component]
pub fn FlashMessages(messages: Vec<Flash>) -> impl IntoView {
    messages
        .into_iter()
        .map(|flash| {
            view! {
                <div class=format!("alert alert-{}", flash.level.as_str()) role="alert">
                    {flash.message}
                </div>
            }
        })
        .collect_view()
}
