use super::errors::{NotFound, ServerError};
use crate::components::meta::{Canonical, Description, FeedLink};
use crate::components::posts::{PaginationBar, PostCard};
use crate::error::AppError;
use crate::model::{group_thousands, parse_page};
use crate::server_fns::posts::tag_posts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/tag/{name}`: the posts with a tag, newest first. A tag no post has is not found.
#[component]
pub fn TagPostsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = params.read_untracked().get("name").unwrap_or_default();
    let page = parse_page(query.read_untracked().get("page").as_deref());
    view! {
        <Suspense>
            {Suspend::new(async move {
                match super::on_page(page, |page| tag_posts(name, page)).await {
                    Ok(page) => {
                        let tag = page.tag.clone();
                        let total = page.posts.pagination.total;
                        let base = format!("/tag/{tag}");
                        view! {
                            <Title text=format!("#{tag}")/>
                            <Description text=format!("Posts tagged {tag} on Quill, newest first.")/>
                            <Canonical path=base.clone() page=page.posts.pagination.page/>
                            <FeedLink path=format!("{base}/feed.atom") title=format!("Posts tagged #{tag} on Quill")/>
                            <header class="author-head">
                                <h1>{format!("Posts tagged #{tag} ({})", group_thousands(total))}</h1>
                            </header>
                            {page.posts.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
                            <PaginationBar pagination=page.posts.pagination base/>
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
