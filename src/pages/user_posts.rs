use super::errors::{NotFound, ServerError};
use crate::components::meta::{Canonical, Description, FeedLink};
use crate::components::posts::{PaginationBar, PostCard};
use crate::error::AppError;
use crate::model::{group_thousands, parse_page};
use crate::server::posts::user_posts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/user/{username}`: one author's posts, newest first.
#[component]
pub fn UserPostsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.read().get("username").unwrap_or_default(),
            parse_page(query.read().get("page").as_deref()),
        )
    };
    let list = Resource::new(key, |(username, page)| async move {
        match page {
            Some(page) => user_posts(username, page).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => {
                        let name = page.author.username.clone();
                        let total = page.posts.pagination.total;
                        view! {
                            <Title text=name.clone()/>
                            <Description text=format!("Posts by {name} on Quill, newest first.")/>
                            <Canonical path=format!("/user/{name}") page=page.posts.pagination.page/>
                            <FeedLink path=format!("/user/{name}/feed.atom") title=format!("Posts by {name} on Quill")/>
                            <header class="author-head">
                                <img class="avatar avatar-md" src=page.author.avatar_url.clone() alt="" width="56" height="56"/>
                                <h1>{format!("Posts by {name} ({})", group_thousands(total))}</h1>
                            </header>
                            {page.posts.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
                            <PaginationBar pagination=page.posts.pagination base=format!("/user/{name}")/>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
