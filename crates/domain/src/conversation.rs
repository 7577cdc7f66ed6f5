//! The conversation rules, shared by the pages and both APIs: comments (who may write and
//! delete one), likes and follows (each idempotent: liking twice is one like), profiles.

use super::db::{
    CommentRecord, CommentRepository, Db, FollowRepository, LikeRepository, PostRepository,
    UserRecord,
};
use super::error::{Error, Result};
use super::users::may_change;
use crate::model::{
    avatar_url, AuthorView, CommentBody, CommentPage, CommentView, FieldErrors, FieldName,
    Pagination, Paging, ProfileView, Toggled,
};

/// Comments on a page of a post.
pub const COMMENTS_PER_PAGE: u32 = 50;

/// Whether `user` may delete the comment: its author, the post's author, or an admin.
pub fn may_delete(user: &UserRecord, comment: &CommentRecord) -> bool {
    may_change(user, comment.user_id) || user.id == comment.post_author_id
}

pub fn comment_view(comment: CommentRecord, reader: Option<&UserRecord>) -> CommentView {
    CommentView {
        can_delete: reader.is_some_and(|r| may_delete(r, &comment)),
        id: comment.id,
        post_id: comment.post_id,
        created_at: comment.created_at,
        author: AuthorView {
            id: comment.user_id,
            avatar_url: avatar_url(comment.user_id, comment.author_avatar_etag.as_deref()),
            username: comment.author_username,
        },
        body: comment.body,
    }
}

/// A page of a post's comments, oldest first; 404 when there is no such post. Past the last
/// page the list is empty (the site's pages answer that with their 404 themselves).
pub async fn comments(
    db: &Db,
    reader: Option<&UserRecord>,
    post_id: i64,
    paging: Paging,
) -> Result<CommentPage> {
    let total = CommentRepository::count(db, post_id)
        .await?
        .ok_or(Error::NotFound)?;
    comments_counted(db, reader, post_id, total, paging).await
}

/// The same for a post whose comment count is known (read with the post): no query at all
/// when the page is empty.
pub async fn comments_counted(
    db: &Db,
    reader: Option<&UserRecord>,
    post_id: i64,
    total: u64,
    paging: Paging,
) -> Result<CommentPage> {
    let pagination = Pagination::new(paging, total);
    let comments = if pagination.offset() < total {
        CommentRepository::page(db, post_id, paging.offset(), paging.per_page).await?
    } else {
        Vec::new()
    };
    Ok(CommentPage {
        comments: comments
            .into_iter()
            .map(|c| comment_view(c, reader))
            .collect(),
        pagination,
    })
}

/// Comments on post `post_id` as `author`; answers the new comment. 404 for no such post,
/// then 422 for a text that breaks a rule.
pub async fn add_comment(
    db: &Db,
    author: &UserRecord,
    post_id: i64,
    body: &str,
) -> Result<CommentView> {
    if PostRepository::author_of(db, post_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let body = CommentBody::parse(body)
        .map_err(|m| Error::Invalid(FieldErrors::single(FieldName::Content, m)))?;
    // A post deleted in between takes the insert's foreign key with it: not found.
    let id = CommentRepository::insert(db, post_id, author.id, body.as_str())
        .await
        .map_err(|err| match err.as_database_error() {
            Some(e) if e.is_foreign_key_violation() => Error::NotFound,
            _ => Error::internal(err),
        })?;
    let comment = CommentRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(comment_view(comment, Some(author)))
}

/// The page of its post's comments that comment `id` is on.
pub async fn comment_page_of(db: &Db, post_id: i64, id: i64) -> Result<u32> {
    let before = CommentRepository::position(db, post_id, id).await?;
    let page = before / u64::from(COMMENTS_PER_PAGE) + 1;
    Ok(u32::try_from(page).unwrap_or(u32::MAX))
}

/// Comment `id` of post `post_id`, if `user` may delete it (404 if it is not that post's
/// comment, 403 if they may not).
async fn comment_to_delete(
    db: &Db,
    user: &UserRecord,
    post_id: i64,
    id: i64,
) -> Result<CommentRecord> {
    let comment = CommentRepository::by_id(db, id)
        .await?
        .filter(|c| c.post_id == post_id)
        .ok_or(Error::NotFound)?;
    if may_delete(user, &comment) {
        Ok(comment)
    } else {
        Err(Error::Forbidden)
    }
}

/// The comment as its confirmation page shows it.
pub async fn deletable_comment(
    db: &Db,
    user: &UserRecord,
    post_id: i64,
    id: i64,
) -> Result<CommentView> {
    let comment = comment_to_delete(db, user, post_id, id).await?;
    Ok(comment_view(comment, Some(user)))
}

/// Deletes comment `id` of post `post_id` (404 if it is not that post's comment, 403 if
/// `user` may not).
pub async fn delete_comment(db: &Db, user: &UserRecord, post_id: i64, id: i64) -> Result<()> {
    comment_to_delete(db, user, post_id, id).await?;
    if CommentRepository::delete(db, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Likes (or, with `like` false, stops liking) a post; either twice is the same as once.
/// Answers whether the user likes it now, and how many do.
pub async fn set_like(db: &Db, user: &UserRecord, post_id: i64, like: bool) -> Result<Toggled> {
    if like {
        LikeRepository::like(db, user.id, post_id).await?;
    } else {
        LikeRepository::unlike(db, user.id, post_id).await?;
    }
    let (on, count) = LikeRepository::state(db, user.id, post_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Toggled { on, count })
}

/// Follows (or stops following) user `id`; either twice is the same as once. Nobody follows
/// themselves (a conflict). Answers whether the user follows them now, and how many do.
pub async fn set_follow(db: &Db, user: &UserRecord, id: i64, follow: bool) -> Result<Toggled> {
    // A well-formed request that the state of things refuses: a conflict (409 in /api/v1).
    if follow && id == user.id {
        return Err(Error::Conflict(FieldErrors::single(
            FieldName::Username,
            "You cannot follow yourself.",
        )));
    }
    if follow {
        FollowRepository::follow(db, user.id, id).await?;
    } else {
        FollowRepository::unfollow(db, user.id, id).await?;
    }
    // No such user: nothing was added, and there is no state to read.
    let (on, count) = FollowRepository::state(db, user.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Toggled { on, count })
}

/// A user's profile as `reader` sees it.
pub async fn profile(
    db: &Db,
    reader: Option<&UserRecord>,
    user: &UserRecord,
) -> Result<ProfileView> {
    let followed = match reader {
        Some(r) if r.id != user.id => FollowRepository::follows(db, r.id, user.id).await?,
        _ => false,
    };
    let n = super::db::count;
    Ok(ProfileView {
        bio: user.bio.clone(),
        posts: n(user.post_count),
        followers: n(user.follower_count),
        following: n(user.following_count),
        likes: n(user.like_count),
        followed,
        is_self: reader.is_some_and(|r| r.id == user.id),
    })
}

/// Which of `ids` the reader follows (none for a visitor).
pub async fn followed_among(db: &Db, reader: Option<&UserRecord>, ids: &[i64]) -> Result<Vec<i64>> {
    match reader {
        Some(reader) => Ok(FollowRepository::followed_among(db, reader.id, ids).await?),
        None => Ok(Vec::new()),
    }
}
