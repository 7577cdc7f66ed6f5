use crate::server::PageContext;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = PageContext::get();
    let greeting = match ctx.user {
        Some(user) => view! {
            <h1>{format!("Welcome back, {}", user.username)}</h1>
            <p>"Your account is ready. " <a href="/account">"Visit your account page"</a> " to change your name, e-mail or picture."</p>
        }
        .into_any(),
        None => view! {
            <h1>"Welcome to Quill"</h1>
            <p>"A blog for many writers. " <a href="/register">"Create an account"</a> " or " <a href="/login">"log in"</a> " to start writing."</p>
        }
        .into_any(),
    };
    view! {
        <Title text="Home"/>
        <section class="card prose">{greeting}</section>
    }
}
