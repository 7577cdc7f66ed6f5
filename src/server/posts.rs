//! Reading and writing posts.

use crate::error::AppError;
use crate::model::{AuthorPage, PostPage, PostView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::respond::{redirect, Form},
    crate::backend::posts::{self, Draft},
    crate::backend::request::RequestContext,
    crate::backend::services,
    crate::model::FlashLevel,
};

#[server(prefix = "/_fn", endpoint = "feed")]
pub async fn feed(page: u32) -> Result<PostPage, AppError> {
    let ctx = RequestContext::current()?;
    Ok(posts::feed(&ctx.state().db, page).await?)
}

#[server(prefix = "/_fn", endpoint = "user_posts")]
pub async fn user_posts(username: String, page: u32) -> Result<AuthorPage, AppError> {
    let ctx = RequestContext::current()?;
    Ok(posts::by_author(&ctx.state().db, &username, page).await?)
}

/// A post and whether the reader may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDetail {
    pub post: PostView,
    pub can_edit: bool,
}

#[server(prefix = "/_fn", endpoint = "post")]
pub async fn get_post(id: i64) -> Result<PostDetail, AppError> {
    let ctx = RequestContext::current()?;
    let db = &ctx.state().db;
    let post = posts::get(db, id).await?;
    let can_edit = ctx
        .session()
        .is_some_and(|s| services::may_change(&s.user, post.author.id));
    Ok(PostDetail { post, can_edit })
}

/// The post as its editor opens it: only for someone who may change it.
#[server(prefix = "/_fn", endpoint = "post_for_edit")]
pub async fn post_for_edit(id: i64) -> Result<PostView, AppError> {
    let ctx = RequestContext::current()?;
    let user = &ctx.require_user()?.user;
    let post = posts::editable(&ctx.state().db, user, id).await?;
    Ok(posts::post_view(post))
}

#[server(prefix = "/_fn", endpoint = "create_post")]
pub async fn create_post(title: String, content: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new("post", "/post/new")
        .keep("title", &title)
        .keep("content", &content);
    let result = async {
        let user = &ctx.require_user()?.user;
        let draft = Draft::parse(&title, &content)?;
        Ok::<_, AppError>(posts::create(&ctx.state().db, user, draft).await?)
    }
    .await;
    match result {
        Ok(id) => {
            ctx.flash(FlashLevel::Success, "Your post has been created!");
            redirect(&format!("/post/{id}"));
            Ok(())
        }
        Err(err) => Err(form.refuse(&ctx, err)),
    }
}

#[server(prefix = "/_fn", endpoint = "update_post")]
pub async fn update_post(id: i64, title: String, content: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new("post", format!("/post/{id}/update"))
        .keep("title", &title)
        .keep("content", &content);
    let result = async {
        let user = &ctx.require_user()?.user;
        let draft = Draft::parse(&title, &content)?;
        Ok::<_, AppError>(posts::update(&ctx.state().db, user, id, draft).await?)
    }
    .await;
    form.finish(
        &ctx,
        result,
        Some((FlashLevel::Success, "Your post has been updated!")),
        &format!("/post/{id}"),
    )
}

#[server(prefix = "/_fn", endpoint = "delete_post")]
pub async fn delete_post(id: i64) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let result = async {
        let user = &ctx.require_user()?.user;
        Ok::<_, AppError>(posts::delete(&ctx.state().db, user, id).await?)
    }
    .await;
    Form::new("delete", format!("/post/{id}")).finish(
        &ctx,
        result,
        Some((FlashLevel::Success, "Your post has been deleted!")),
        "/",
    )
}
