use super::flash::FlashMessages;
use crate::server_fns::accounts::Logout;
use leptos::prelude::*;

/// The frame every page shares: the nav bar, the flash messages, the page, the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let crate::model::PageContext { user, flash } = crate::components::page_context();
    let nav_right = match user {
        Some(user) => {
            // Only someone signed in has a Logout button to send.
            let logout = ServerAction::<Logout>::new();
            view! {
            <a href="/post/new">"New Post"</a>
            <a href="/account" class="nav-user">
                <img class="avatar avatar-sm" src=user.avatar_url alt="" width="24" height="24"/>
                {user.username}
            </a>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button">"Logout"</button>
            </ActionForm>
            }
            .into_any()
        }
        None => view! {
            <a href="/login">"Login"</a>
            <a href="/register">"Register"</a>
        }
        .into_any(),
    };
    view! {
        <header class="site-header">
            <nav class="nav container">
                <a class="brand" href="/">"Quill"</a>
                <div class="nav-left">
                    <a href="/">"Home"</a>
                    <a href="/about">"About"</a>
                </div>
                <form class="nav-search" action="/search" method="get" role="search">
                    <label for="nav-search-q" class="sr-only">"Search posts"</label>
                    <input id="nav-search-q" type="search" name="q" placeholder="Search" maxlength="200"/>
                </form>
                <div class="nav-right">{nav_right}</div>
            </nav>
        </header>
        <main class="container">
            <FlashMessages messages=flash.messages/>
            {children()}
        </main>
        <footer class="site-footer container">
            <p>"Quill — a self-hosted blog. " <a href="/about">"About"</a></p>
        </footer>
    }
}
