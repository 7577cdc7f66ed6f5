use super::conversation::Likes;
use crate::model::{self, counted, format_date, group_thousands, Pagination, TagCount};
use leptos::prelude::*;

/// A post's tags, each a link to its page.
#[component]
pub fn TagLinks(tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Tags">
                {tags
                    .into_iter()
                    .map(|tag| view! { <li><a class="tag" rel="tag" href=format!("/tag/{tag}")>{format!("#{tag}")}</a></li> })
                    .collect_view()}
            </ul>
        }
    })
}

/// The most used tags with how many posts each has (the home page's).
#[component]
pub fn MostUsedTags(tags: Vec<TagCount>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <nav class="tag-cloud" aria-label="Most used tags">
                <h2 class="sr-only">"Most used tags"</h2>
                <ul class="tags">
                    {tags
                        .into_iter()
                        .map(|tag| view! {
                            <li>
                                <a class="tag" rel="tag" href=format!("/tag/{}", tag.name)>{format!("#{}", tag.name)}</a>
                                <span class="muted tag-count">{group_thousands(tag.posts)}</span>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}

/// A post in a list: author picture and name, date, title, the start of its text (or, for a
/// search result, the text around its matches: `snippet_html`, escaped and marked by the
/// server), its tags.
#[component]
pub fn PostCard(
    post: model::PostCard,
    #[prop(optional)] snippet_html: Option<String>,
) -> impl IntoView {
    let author_href = format!("/user/{}", post.author.username);
    let text = match snippet_html {
        Some(html) => leptos::either::Either::Left(
            view! { <p class="post-content snippet" inner_html=html></p> },
        ),
        None => {
            let blurb = post.blurb().to_string();
            leptos::either::Either::Right(view! { <p class="post-content excerpt">{blurb}</p> })
        }
    };
    let comments = counted(post.comment_count, "comment", "comments");
    view! {
        <article class="card post">
            <img class="avatar avatar-md" src=post.author.avatar_url alt="" width="56" height="56" loading="lazy"/>
            <div class="post-main">
                <div class="post-meta">
                    <a class="post-author" href=author_href>{post.author.username}</a>
                    <time class="muted">{format_date(post.date_posted)}</time>
                </div>
                <h2 class="post-title"><a href=format!("/post/{}", post.id)>{post.title}</a></h2>
                {text}
                <TagLinks tags=post.tags/>
                <div class="card-bar">
                    <Likes post_id=post.id liked=post.liked likes=post.like_count/>
                    <a class="comment-count muted" href=format!("/post/{}#comments", post.id)>{comments}</a>
                </div>
            </div>
        </article>
    }
}

/// First and last page, one before and two after the current one, an ellipsis for each gap.
/// `param`: the query parameter that names the page (`page`); `anchor`: where on the page a
/// link goes (`#comments`).
#[component]
pub fn PaginationBar(
    pagination: Pagination,
    base: String,
    #[prop(default = "page")] param: &'static str,
    #[prop(optional)] anchor: &'static str,
) -> impl IntoView {
    if pagination.pages() <= 1 {
        return None;
    }
    let items = pagination
        .iter_pages(1, 1, 2, 1)
        .into_iter()
        .map(|item| match item {
            Some(n) if n == pagination.page => view! {
                <span class="page current" aria-current="page">{n}</span>
            }
            .into_any(),
            Some(n) => {
                let join = if base.contains('?') { '&' } else { '?' };
                let href = if n == 1 {
                    format!("{base}{anchor}")
                } else {
                    format!("{base}{join}{param}={n}{anchor}")
                };
                view! { <a class="page" href=href>{n}</a> }.into_any()
            }
            None => view! { <span class="page gap" aria-hidden="true">"…"</span> }.into_any(),
        })
        .collect_view();
    Some(view! {
        <nav class="pagination" aria-label="Pages">{items}</nav>
    })
}
