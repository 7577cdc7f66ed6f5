use crate::model::Flash;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The messages left by the request before this page. They belong to the page that was loaded:
/// after a client-side move to another page they are gone, as after a reload.
#[component]
pub fn FlashMessages(messages: Vec<Flash>) -> impl IntoView {
    let location = use_location();
    let first_path = location.pathname.get_untracked();
    let messages = StoredValue::new(messages);
    move || {
        (location.pathname.get() == first_path).then(|| {
            messages
                .get_value()
                .into_iter()
                .map(|flash| {
                    view! {
                        <div class=format!("alert alert-{}", flash.level.as_str()) role="alert">
                            {flash.message}
                        </div>
                    }
                })
                .collect_view()
        })
    }
}
