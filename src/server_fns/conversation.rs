//! Comments, likes and follows. Each works as a plain form (a redirect back to the page it
//! was sent from) and from an island, which gets the outcome as data and shows it in place.

use crate::error::AppError;
use crate::model::{CommentView, Toggled};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::respond::{is_plain_form_post, redirect, referring_page, Form},
    crate::domain::conversation,
    crate::model::{FieldName, FlashLevel, FormId},
    crate::web::request::RequestContext,
};

/// The address of a comment: its post's page of comments, at the comment.
pub fn comment_href(post_id: i64, page: u32, comment_id: i64) -> String {
    if page <= 1 {
        format!("/post/{post_id}#comment-{comment_id}")
    } else {
        format!("/post/{post_id}?comments={page}#comment-{comment_id}")
    }
}

/// Comments on a post as the signed-in user. The island gets the new comment; a plain form
/// is sent to it on its post's page.
#[server(prefix = "/_fn", endpoint = "add_comment")]
pub async fn add_comment(post_id: i64, content: String) -> Result<CommentView, AppError> {
    let ctx = RequestContext::current()?;
    let here = format!("/post/{post_id}#comment-form");
    let form = Form::new(FormId::Comment, here).keep(FieldName::Content, &content);
    let result = async {
        let user = &ctx.require_user()?.user;
        conversation::add_comment(&ctx.state().db, user, post_id, &content).await
    }
    .await;
    match result {
        Ok(comment) => {
            if is_plain_form_post() {
                let page = conversation::comment_page_of(&ctx.state().db, post_id, comment.id)
                    .await
                    .unwrap_or(1);
                ctx.flash(FlashLevel::Success, "Your comment has been added.");
                redirect(&comment_href(post_id, page, comment.id));
            }
            Ok(comment)
        }
        Err(err) => Err(form.refuse(&ctx, err)),
    }
}

/// A comment its reader may delete (the confirmation page's): 404, or 403 for anyone else.
#[server(prefix = "/_fn", endpoint = "comment_for_delete")]
pub async fn comment_for_delete(post_id: i64, id: i64) -> Result<CommentView, AppError> {
    let ctx = RequestContext::current()?;
    let user = &ctx.require_user()?.user;
    Ok(conversation::deletable_comment(&ctx.state().db, user, post_id, id).await?)
}

/// Deletes a comment (its author, the post's author or an admin).
#[server(prefix = "/_fn", endpoint = "delete_comment")]
pub async fn delete_comment(post_id: i64, id: i64) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let result = async {
        let user = &ctx.require_user()?.user;
        conversation::delete_comment(&ctx.state().db, user, post_id, id).await
    }
    .await;
    let back = format!("/post/{post_id}#comments");
    match result {
        Ok(()) => {
            if is_plain_form_post() {
                ctx.flash(FlashLevel::Success, "The comment has been deleted.");
                redirect(&back);
            }
            Ok(())
        }
        Err(err) => Err(Form::new(FormId::DeleteComment, back).refuse(&ctx, err)),
    }
}

/// Likes post `id` (`on` = "true") or stops liking it. Without JavaScript the browser goes
/// back to `back` or else the page the form was on (a path on this site), else the post.
#[server(prefix = "/_fn", endpoint = "like_post")]
pub async fn like_post(id: i64, on: bool, back: Option<String>) -> Result<Toggled, AppError> {
    let ctx = RequestContext::current()?;
    let back = crate::model::safe_next(back.as_deref())
        .or_else(|| referring_page(&ctx))
        .unwrap_or(format!("/post/{id}"));
    let result = async {
        let user = &ctx.require_user()?.user;
        conversation::set_like(&ctx.state().db, user, id, on).await
    }
    .await;
    finish(&ctx, result, &back)
}

/// Follows user `id` (`on` = "true") or stops following them; back as for a like.
#[server(prefix = "/_fn", endpoint = "follow_user")]
pub async fn follow_user(id: i64, on: bool, back: Option<String>) -> Result<Toggled, AppError> {
    let ctx = RequestContext::current()?;
    let back = crate::model::safe_next(back.as_deref())
        .or_else(|| referring_page(&ctx))
        .unwrap_or_else(|| "/".to_string());
    let result = async {
        let user = &ctx.require_user()?.user;
        conversation::set_follow(&ctx.state().db, user, id, on).await
    }
    .await;
    finish(&ctx, result, &back)
}

/// A toggle's answer: the state as data for the island, back to the page for a plain form.
#[cfg(feature = "ssr")]
fn finish<T>(
    ctx: &RequestContext,
    result: crate::domain::Result<T>,
    back: &str,
) -> Result<T, AppError> {
    match result {
        Ok(state) => {
            if is_plain_form_post() {
                redirect(back);
            }
            Ok(state)
        }
        Err(err) => Err(Form::new(FormId::Toggle, back)
            .buttons_only()
            .refuse(ctx, err)),
    }
}
