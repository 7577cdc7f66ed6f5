pub mod about;
pub mod account;
pub mod errors;
pub mod home;
pub mod login;
pub mod post;
pub mod register;
pub mod reset;
pub mod search;
pub mod tag_posts;
pub mod user_posts;

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Sends a signed-in user away from pages meant for visitors (login, register, reset).
pub fn home_if_signed_in() -> Option<AnyView> {
    let signed_in = crate::components::page_context().user.is_some();
    signed_in.then(|| view! { <Redirect path="/"/> }.into_any())
}

/// Sends a visitor to the login page with a note, coming back here afterwards.
pub fn login_required(here: &str) -> AnyView {
    let target = crate::model::login_url(here);
    #[cfg(feature = "ssr")]
    if let Ok(ctx) = crate::web::request::RequestContext::current() {
        ctx.flash(
            crate::model::FlashLevel::Info,
            "Please log in to access this page.",
        );
    }
    view! { <Redirect path=target/> }.into_any()
}

/// A list's page read with `fetch`, or a 404 for a page number that is not one (`parse_page`
/// gave `None`). Pages are not hydrated: each reads its data once, for its one render.
pub async fn on_page<T, F>(page: Option<u32>, fetch: impl FnOnce(u32) -> F) -> Result<T, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    match page {
        Some(page) => fetch(page).await,
        None => Err(AppError::NotFound),
    }
}
