use super::errors::{NotFound, ServerError};
use crate::components::conversation::Follow;
use crate::components::meta::{Canonical, Description, FeedLink};
use crate::components::posts::{PaginationBar, PostCard};
use crate::error::AppError;
use crate::model::{counted, login_url, parse_page, AuthorPage};
use crate::server_fns::posts::user_posts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/user/{username}`: one author's posts, newest first.
#[component]
pub fn UserPostsPage() -> impl IntoView {
    view! { <AuthorListPage liked=false/> }
}

/// `/user/{username}/liked`: the posts they liked, the latest like first.
#[component]
pub fn UserLikedPage() -> impl IntoView {
    view! { <AuthorListPage liked=true/> }
}

#[component]
fn AuthorListPage(liked: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let username = params.read_untracked().get("username").unwrap_or_default();
    let page = parse_page(query.read_untracked().get("page").as_deref());
    view! {
        <Suspense>
            {Suspend::new(async move {
                match super::on_page(page, |page| user_posts(username, liked, page)).await {
                    Ok(page) => view! { <AuthorList page liked/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuthorList(page: AuthorPage, liked: bool) -> impl IntoView {
    let name = page.author.username.clone();
    let profile = page.profile;
    let here = if liked {
        format!("/user/{name}/liked")
    } else {
        format!("/user/{name}")
    };
    let (title, description) = if liked {
        (
            format!("Liked by {name}"),
            format!("Posts {name} liked on Quill, the latest like first."),
        )
    } else {
        (
            name.clone(),
            format!("Posts by {name} on Quill, newest first."),
        )
    };
    let follow = if profile.is_self {
        None
    } else if crate::components::page_context().user.is_some() {
        Some(
            view! {
                <Follow user_id=page.author.id username=name.clone() followed=profile.followed followers=profile.followers/>
            }
            .into_any(),
        )
    } else {
        Some(
            view! {
                <p class="follow-form">
                    <a class="button" href=login_url(&format!("/user/{name}"))>"Follow"</a>
                    <span class="muted follower-count">{counted(profile.followers, "follower", "followers")}</span>
                </p>
            }
            .into_any(),
        )
    };
    let bio = (!profile.bio.is_empty()).then(|| view! { <p class="bio">{profile.bio.clone()}</p> });
    let empty = page.posts.posts.is_empty().then(|| {
        let text = if liked {
            format!("{name} has not liked any post yet.")
        } else {
            format!("{name} has not written any post yet.")
        };
        view! { <p class="card muted empty">{text}</p> }
    });
    view! {
        <Title text=title/>
        <Description text=description/>
        <Canonical path=here.clone() page=page.posts.pagination.page/>
        <FeedLink path=format!("/user/{name}/feed.atom") title=format!("Posts by {name} on Quill")/>
        <header class="card author-head">
            <img class="avatar avatar-lg" src=page.author.avatar_url.clone() alt="" width="96" height="96"/>
            <div class="author-info">
                <h1>{name.clone()}</h1>
                {bio}
                <p class="muted author-counts">
                    {counted(profile.posts, "post", "posts")} " · "
                    {counted(profile.following, "following", "following")}
                    {profile.is_self.then(|| format!(" · {}", counted(profile.followers, "follower", "followers")))}
                </p>
                {follow}
            </div>
        </header>
        <nav class="list-tabs" aria-label=format!("{name}'s lists")>
            <a href=format!("/user/{name}") aria-current=(!liked).then_some("page")>"Posts"</a>
            <a href=format!("/user/{name}/liked") aria-current=liked.then_some("page")>{format!("Liked ({})", profile.likes)}</a>
        </nav>
        {empty}
        {page.posts.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
        <PaginationBar pagination=page.posts.pagination base=here/>
    }
}
