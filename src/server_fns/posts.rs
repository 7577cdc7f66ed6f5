//! Reading and writing posts.

use crate::error::AppError;
use crate::model::{AuthorPage, PostPage, PostView, SearchPage, TagCount, TagPage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::respond::{redirect, Form},
    crate::domain::posts::{PostInput, TagsInput},
    crate::domain::{posts, users},
    crate::model::{FieldErrors, FieldName, FlashLevel, FormEcho, FormId},
    crate::web::request::RequestContext,
};

/// The signed-in reader, if any.
#[cfg(feature = "ssr")]
fn reader(ctx: &RequestContext) -> Option<&crate::domain::db::UserRecord> {
    ctx.session().map(|s| &s.user)
}

#[server(prefix = "/_fn", endpoint = "feed")]
pub async fn feed(page: u32) -> Result<PostPage, AppError> {
    let ctx = RequestContext::current()?;
    Ok(posts::feed(&ctx.state().db, reader(&ctx), page).await?)
}

/// A page of the posts of the authors the reader follows (signed in only).
#[server(prefix = "/_fn", endpoint = "following_feed")]
pub async fn following_feed(page: u32) -> Result<PostPage, AppError> {
    let ctx = RequestContext::current()?;
    let user = &ctx.require_user()?.user;
    Ok(posts::following(&ctx.state().db, user, page).await?)
}

/// A page of a user's posts or, with `liked`, of the posts they liked.
#[server(prefix = "/_fn", endpoint = "user_posts")]
pub async fn user_posts(username: String, liked: bool, page: u32) -> Result<AuthorPage, AppError> {
    let ctx = RequestContext::current()?;
    let which = if liked {
        posts::AuthorList::Liked
    } else {
        posts::AuthorList::Posts
    };
    Ok(posts::by_author(&ctx.state().db, reader(&ctx), &username, which, page).await?)
}

#[server(prefix = "/_fn", endpoint = "tag_posts")]
pub async fn tag_posts(tag: String, page: u32) -> Result<TagPage, AppError> {
    let ctx = RequestContext::current()?;
    Ok(posts::by_tag(&ctx.state().db, reader(&ctx), &tag, page).await?)
}

/// A page of the posts that have every word of `q`, best first, five a page.
#[server(prefix = "/_fn", endpoint = "search")]
pub async fn search_posts(q: String, page: u32) -> Result<SearchPage, AppError> {
    let ctx = RequestContext::current()?;
    let paging = crate::model::Paging {
        page,
        per_page: posts::PER_PAGE,
    };
    Ok(posts::search(ctx.state(), reader(&ctx), &q, None, paging).await?)
}

/// The most used tags (the home page's), most used first.
#[server(prefix = "/_fn", endpoint = "most_used_tags")]
pub async fn most_used_tags() -> Result<Vec<TagCount>, AppError> {
    let ctx = RequestContext::current()?;
    let state = ctx.state();
    Ok(state.tags.get(&state.db).await?.as_ref().clone())
}

/// A post, whether the reader may change it, and a page of its comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDetail {
    pub post: PostView,
    pub can_edit: bool,
    pub comments: crate::model::CommentPage,
}

/// The post page's data: the post and page `comments` of its comments (the comment count comes
/// with the post, so a post without comments costs one query).
#[server(prefix = "/_fn", endpoint = "post")]
pub async fn get_post(id: i64, comments: u32) -> Result<PostDetail, AppError> {
    use crate::domain::conversation;
    let ctx = RequestContext::current()?;
    let db = &ctx.state().db;
    let post = posts::to_show(db, reader(&ctx), id).await?;
    let can_edit = ctx
        .session()
        .is_some_and(|s| users::may_change(&s.user, post.author.id));
    let paging = crate::model::Paging {
        page: comments,
        per_page: conversation::COMMENTS_PER_PAGE,
    };
    let comments =
        conversation::comments_counted(db, reader(&ctx), id, post.comment_count, paging).await?;
    Ok(PostDetail {
        post,
        can_edit,
        comments,
    })
}

/// The post as its editor opens it: only for someone who may change it.
#[server(prefix = "/_fn", endpoint = "post_for_edit")]
pub async fn post_for_edit(id: i64) -> Result<PostView, AppError> {
    let ctx = RequestContext::current()?;
    let user = &ctx.require_user()?.user;
    let post = posts::editable(&ctx.state().db, user, id).await?;
    Ok(posts::post_view(post))
}

/// The editor's preview: what `content` looks like as a post in `format`, sanitized HTML.
/// Nothing is stored. The browser asks for it on the Preview tab; without JavaScript the
/// Preview button sends the form itself (see `create_post`).
#[server(prefix = "/_fn", endpoint = "preview_post")]
pub async fn preview_post(content: String, format: String) -> Result<String, AppError> {
    let ctx = RequestContext::current()?;
    let result = match ctx.require_user() {
        Ok(_) => posts::preview(ctx.state(), &content, &format).await,
        Err(err) => Err(err),
    };
    result.map_err(|err| Form::new(FormId::Post, "/post/new").refuse(&ctx, err))
}

/// A post form's values, kept to give back if it is refused (or previewed).
#[cfg(feature = "ssr")]
fn post_form(
    page: String,
    title: &str,
    summary: &Option<String>,
    content: &str,
    format: &Option<String>,
    tags: &Option<String>,
) -> Form {
    let mut form = Form::new(FormId::Post, page)
        .keep(FieldName::Title, title)
        .keep(FieldName::Content, content);
    if let Some(summary) = summary {
        form = form.keep(FieldName::Summary, summary);
    }
    if let Some(format) = format {
        form = form.keep(FieldName::Format, format);
    }
    if let Some(tags) = tags {
        form = form.keep(FieldName::Tags, tags);
    }
    form
}

#[cfg(feature = "ssr")]
fn post_input<'a>(
    title: &'a str,
    summary: &'a Option<String>,
    content: &'a str,
    format: &'a Option<String>,
    tags: &'a Option<String>,
) -> PostInput<'a> {
    PostInput {
        title,
        summary: summary.as_deref(),
        content,
        format: format.as_deref(),
        tags: tags.as_deref().map(TagsInput::Field),
    }
}

/// A post form sent with its Preview button and no JavaScript: back to the form, the text
/// kept, the preview shown above it. Nothing is stored.
#[cfg(feature = "ssr")]
fn show_preview(ctx: &RequestContext, form: Form) -> Result<(), AppError> {
    if let Err(err) = ctx.require_user() {
        return Err(form.refuse(ctx, err));
    }
    let page = form.page.clone();
    ctx.echo_form(FormEcho {
        form: form.id,
        values: form.values,
        errors: FieldErrors::new(),
    });
    redirect(&page);
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "create_post")]
pub async fn create_post(
    title: String,
    summary: Option<String>,
    content: String,
    format: Option<String>,
    tags: Option<String>,
    preview: Option<String>,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = post_form(
        "/post/new".into(),
        &title,
        &summary,
        &content,
        &format,
        &tags,
    );
    if preview.is_some() {
        return show_preview(&ctx, form.keep(FieldName::Preview, "1"));
    }
    let result = async {
        let user = &ctx.require_user()?.user;
        let input = post_input(&title, &summary, &content, &format, &tags);
        posts::create(ctx.state(), user, input).await
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
pub async fn update_post(
    id: i64,
    title: String,
    summary: Option<String>,
    content: String,
    format: Option<String>,
    tags: Option<String>,
    preview: Option<String>,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = post_form(
        format!("/post/{id}/update"),
        &title,
        &summary,
        &content,
        &format,
        &tags,
    );
    if preview.is_some() {
        return show_preview(&ctx, form.keep(FieldName::Preview, "1"));
    }
    let result = async {
        let user = &ctx.require_user()?.user;
        let input = post_input(&title, &summary, &content, &format, &tags);
        posts::update(ctx.state(), user, id, input).await
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
        posts::delete(ctx.state(), user, id).await
    }
    .await;
    Form::new(FormId::DeletePost, format!("/post/{id}")).finish(
        &ctx,
        result,
        Some((FlashLevel::Success, "Your post has been deleted!")),
        "/",
    )
}
