use super::errors::{NotFound, ServerError};
use crate::components::meta::{Canonical, Description, FeedLink};
use crate::components::posts::{MostUsedTags, PaginationBar, PostCard};
use crate::error::AppError;
use crate::model::parse_page;
use crate::server_fns::posts::{feed, following_feed, most_used_tags};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The feed: everyone's posts, newest first, five a page.
#[component]
pub fn HomePage() -> impl IntoView {
    let page = parse_page(use_query_map().read_untracked().get("page").as_deref());
    let signed_in = crate::components::page_context().user.is_some();
    view! {
        <Title text="Home"/>
        <Description text="The latest posts from everyone writing on Quill, newest first."/>
        <FeedLink path="/feed.atom" title="Quill"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {Suspend::new(async move {
                // Without its tags the feed is still the feed.
                let tags = most_used_tags().await.unwrap_or_default();
                match super::on_page(page, feed).await {
                    Ok(list) if list.posts.is_empty() => view! {
                        <section class="card prose empty">
                            <h1>"No posts yet"</h1>
                            {if signed_in {
                                view! { <p><a href="/post/new">"Write the first one."</a></p> }.into_any()
                            } else {
                                view! { <p><a href="/register">"Create an account"</a> " or " <a href="/login">"log in"</a> " to write the first one."</p> }.into_any()
                            }}
                        </section>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <Canonical path="/" page=list.pagination.page/>
                        <h1 class="sr-only">"Latest posts"</h1>
                        {signed_in.then(|| view! { <FeedTabs following=false/> })}
                        <MostUsedTags tags/>
                        {list.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
                        <PaginationBar pagination=list.pagination base="/".to_string()/>
                    }
                    .into_any(),
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Everyone's posts or those of the people one follows (for someone signed in).
#[component]
fn FeedTabs(following: bool) -> impl IntoView {
    view! {
        <nav class="list-tabs" aria-label="Feeds">
            <a href="/" aria-current=(!following).then_some("page")>"Everyone"</a>
            <a href="/following" aria-current=following.then_some("page")>"Following"</a>
        </nav>
    }
}

/// `/following`: the posts of the authors the reader follows, newest first.
#[component]
pub fn FollowingPage() -> impl IntoView {
    if crate::components::page_context().user.is_none() {
        return super::login_required("/following");
    }
    let page = parse_page(use_query_map().read_untracked().get("page").as_deref());
    view! {
        <Title text="Following"/>
        <Description text="The latest posts of the people you follow on Quill."/>
        <Suspense>
            {Suspend::new(async move {
                match super::on_page(page, following_feed).await {
                    Ok(list) => {
                        let empty = list.posts.is_empty().then(|| view! {
                            <section class="card prose empty">
                                <p>"Posts of the people you follow show up here. Follow someone from their page: "
                                "open an author's name on " <a href="/">"the home page"</a> "."</p>
                            </section>
                        });
                        view! {
                            <h1 class="sr-only">"Posts of the people you follow"</h1>
                            <FeedTabs following=true/>
                            {empty}
                            {list.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
                            <PaginationBar pagination=list.pagination base="/following".to_string()/>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
