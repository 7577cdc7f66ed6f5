pub mod conversation;
pub mod editor;
pub mod field;
pub mod flash;
pub mod layout;
pub mod meta;
pub mod posts;
pub mod submit;
pub mod text;

/// The context this page was rendered with (who is signed in, the flash); empty outside a
/// request (route listing).
pub fn page_context() -> crate::model::PageContext {
    leptos::prelude::use_context::<crate::model::PageContext>().unwrap_or_default()
}
