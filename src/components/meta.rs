//! What a page says about itself to search engines and link previews.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};

/// The page's `<meta name="description">`: one per page, set by the page.
#[component]
pub fn Description(#[prop(into)] text: String) -> impl IntoView {
    view! { <Meta name="description" content=text/> }
}

/// `path` on this site as people reach it: `PUBLIC_URL` and the path.
pub fn absolute(path: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::web::request::RequestContext::current()
            .map(|ctx| {
                format!(
                    "{}{path}",
                    ctx.state().config.public_url.trim_end_matches('/')
                )
            })
            .unwrap_or_else(|_| path.to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        path.to_string()
    }
}

/// The page's canonical address: `PUBLIC_URL` and `path` (with the page number when it is not
/// the first), whatever address or query string the request came with.
#[component]
pub fn Canonical(#[prop(into)] path: String, #[prop(optional)] page: Option<u32>) -> impl IntoView {
    let path = match page {
        Some(n) if n > 1 => format!("{path}?page={n}"),
        _ => path,
    };
    view! { <Link rel="canonical" href=absolute(&path)/> }
}

/// The Atom feed of the page's list, for feed readers to find.
#[component]
pub fn FeedLink(#[prop(into)] path: String, #[prop(into)] title: String) -> impl IntoView {
    view! { <Link rel="alternate" type_="application/atom+xml" title=title href=absolute(&path)/> }
}

/// What a link preview shows of a post (Open Graph, and Twitter's card, which falls back to
/// Open Graph for what it does not name itself): title, description, address, the author
/// and their picture, the dates.
#[component]
pub fn ArticlePreview(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
    #[prop(into)] author: String,
    /// The author's picture, a path on this site.
    #[prop(into)]
    image: String,
    published: String,
    modified: String,
    tags: Vec<String>,
) -> impl IntoView {
    let url = absolute(&path);
    let image = absolute(&image);
    let author_url = absolute(&format!("/user/{author}"));
    view! {
        <Meta property="og:type" content="article"/>
        <Meta property="og:site_name" content="Quill"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta property="og:image" content=image.clone()/>
        <Meta property="og:image:alt" content=format!("{author}'s picture")/>
        <Meta property="article:author" content=author_url/>
        <Meta property="article:published_time" content=published/>
        <Meta property="article:modified_time" content=modified/>
        {tags.into_iter().map(|tag| view! { <Meta property="article:tag" content=tag/> }).collect_view()}
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        <Meta name="twitter:image" content=image/>
    }
}
