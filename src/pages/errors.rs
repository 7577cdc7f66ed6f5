use crate::components::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;

/// An error page in the layout, with the status code set on the server's response.
#[component]
pub fn ErrorPage(status: u16, title: &'static str, message: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
    view! {
        <Title text=title/>
        <Description text=message/>
        <section class="card error-page">
            <p class="error-code">{status}</p>
            <h1>{title}</h1>
            <p>{message}</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage status=404 title="Page not found" message="That page does not exist (404). It may have been moved or deleted."/> }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    view! { <ErrorPage status=403 title="Forbidden" message="You do not have permission to do that (403). Check your account and try again."/> }
}

#[component]
pub fn ServerError() -> impl IntoView {
    view! { <ErrorPage status=500 title="Something went wrong" message="We're experiencing some trouble on our end (500). Please try again in a moment."/> }
}

/// A whole error document in the layout, for answers made outside the Leptos routes (a refused
/// cross-site post, a panic). It is static: it loads no WASM, so nothing has to hydrate.
///
/// It renders under a root owner of its own. Under `Owner::new()` it would inherit whatever
/// owner the worker thread last ran, and `ErrorPage` would find that request's response
/// options and set another request's status.
#[cfg(feature = "ssr")]
pub fn error_document(status: u16, user: Option<crate::model::UserView>) -> String {
    use crate::components::layout::Layout;
    use crate::model::PageContext;
    use leptos_router::{components::Router, location::RequestUrl};
    let owner = Owner::new_root(None);
    owner.with(|| {
        provide_context(RequestUrl::new("/"));
        provide_context(PageContext {
            user,
            ..Default::default()
        });
        leptos_meta::provide_meta_context();
        let (title, page) = match status {
            403 => ("Forbidden", view! { <Forbidden/> }.into_any()),
            404 => ("Page not found", view! { <NotFound/> }.into_any()),
            _ => ("Something went wrong", view! { <ServerError/> }.into_any()),
        };
        let document = view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <title>{format!("Quill - {title}")}</title>
                    <link rel="stylesheet" href=crate::web::assets::Assets::stylesheet()/>
                    <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                </head>
                <body>
                    <Router>
                        <Layout>{page}</Layout>
                    </Router>
                </body>
            </html>
        };
        document.to_html()
    })
}
