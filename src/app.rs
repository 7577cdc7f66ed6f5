//! The HTML shell and the route table.

use crate::components::layout::Layout;
use crate::components::text::server_escaped;
use crate::pages::{
    about::AboutPage,
    account::AccountPage,
    errors::NotFound,
    home::{FollowingPage, HomePage},
    login::LoginPage,
    post::{DeleteCommentPage, DeletePostPage, EditPostPage, NewPostPage, PostPage},
    register::RegisterPage,
    reset::{ResetPasswordPage, ResetRequestPage},
    search::SearchPage,
    tag_posts::TagPostsPage,
    user_posts::{UserLikedPage, UserPostsPage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The document, rendered on the server only. The page context (who is signed in, the flash)
/// is known before rendering starts and provided to the app. Pages are not hydrated: only
/// their islands are, and each island carries what it needs from that context in its props.
#[cfg(feature = "ssr")]
pub fn shell(options: &LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    // Islands mode: nothing outside an `#[island]` writes hydration data or markers.
    if let Some(shared) = Owner::current_shared_context() {
        shared.set_is_hydrating(false);
    }
    provide_context(crate::server_fns::current_page_context());
    // The CSP names this page's nonce, which Leptos writes on every inline script.
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = crate::web::middleware::content_security_policy(Some(&nonce));
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    // The built files' (hashed) names, read once; the loader fetches the script and the
    // WASM only on a page with an island, once the document is parsed (no preload: it
    // competed with the stylesheet for the first paint, DESIGN.md).
    let assets = crate::web::assets::Assets::of(options);
    // cargo-leptos' live reload, under `cargo leptos watch` only (decided once: Leptos'
    // `AutoReload` reads the environment and clones the options on every render).
    let reload = live_reload().then(|| view! { <AutoReload options=options.clone()/> });
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" id="leptos" href=assets.stylesheet.as_str()/>
                {reload}
                <script type="module" nonce=nonce>{assets.loader()}</script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Whether cargo-leptos serves this process in watch mode (it sets `LEPTOS_WATCH`).
#[cfg(feature = "ssr")]
fn live_reload() -> bool {
    static WATCH: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WATCH.get_or_init(|| std::env::var_os("LEPTOS_WATCH").is_some())
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=|text: String| {
            let title = if text.is_empty() { "Quill".to_string() } else { format!("Quill - {text}") };
            server_escaped(&title)
        }/>
        <Router>
            <Layout>
                // Async: a page is rendered whole before the first byte, so it is complete
                // without JavaScript and can still set its status code or redirect.
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("home") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("following") view=FollowingPage ssr=SsrMode::Async/>
                    <Route path=path!("about") view=AboutPage ssr=SsrMode::Async/>
                    <Route path=path!("post/new") view=NewPostPage ssr=SsrMode::Async/>
                    <Route path=path!("post/:id") view=PostPage ssr=SsrMode::Async/>
                    <Route path=path!("post/:id/update") view=EditPostPage ssr=SsrMode::Async/>
                    <Route path=path!("post/:id/delete") view=DeletePostPage ssr=SsrMode::Async/>
                    <Route path=path!("post/:id/comment/:comment/delete") view=DeleteCommentPage ssr=SsrMode::Async/>
                    <Route path=path!("user/:username") view=UserPostsPage ssr=SsrMode::Async/>
                    <Route path=path!("user/:username/liked") view=UserLikedPage ssr=SsrMode::Async/>
                    <Route path=path!("tag/:name") view=TagPostsPage ssr=SsrMode::Async/>
                    <Route path=path!("search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("reset_password") view=ResetRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("reset_password/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
