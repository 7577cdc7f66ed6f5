//! The post rules, shared by the pages and the API: who may change a post (checked before
//! what the change is), how lists page, what a page past the end is.

use super::db::{Db, PostRecord, PostRepository, UserRecord, UserRepository};
use super::error::{Error, Result};
use super::users::may_change;
use crate::model::{
    avatar_url, AuthorPage, AuthorView, FieldErrors, FieldName, Pagination, Paging, PostBody,
    PostPage, PostTitle, PostView,
};

/// Posts on a page of the site's lists.
pub const PER_PAGE: u32 = 5;

pub fn post_view(post: PostRecord) -> PostView {
    PostView {
        author: AuthorView {
            id: post.user_id,
            avatar_url: avatar_url(post.user_id, post.author_avatar_etag.as_deref()),
            username: post.author_username,
        },
        id: post.id,
        title: post.title,
        content: post.content,
        date_posted: post.date_posted,
        updated_at: post.updated_at,
    }
}

/// A title and a content that pass every rule.
struct Draft {
    title: PostTitle,
    body: PostBody,
}

impl Draft {
    fn parse(title: &str, content: &str) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let title = errors.check(FieldName::Title, PostTitle::parse(title));
        let body = errors.check(FieldName::Content, PostBody::parse(content));
        match (title, body) {
            (Some(title), Some(body)) => Ok(Self { title, body }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// Publishes a post as `author`; answers its id.
pub async fn create(db: &Db, author: &UserRecord, title: &str, content: &str) -> Result<i64> {
    let draft = Draft::parse(title, content)?;
    Ok(PostRepository::insert(db, author.id, draft.title.as_str(), draft.body.as_str()).await?)
}

/// A post `user` may change: its author's or, for an administrator, anyone's.
pub async fn editable(db: &Db, user: &UserRecord, id: i64) -> Result<PostRecord> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if may_change(user, post.user_id) {
        Ok(post)
    } else {
        Err(Error::Forbidden)
    }
}

/// Whether `user` may change the post `id`: 404 if there is no such post, 403 if it is not
/// theirs to change.
async fn check_may_change(db: &Db, user: &UserRecord, id: i64) -> Result<()> {
    let author = PostRepository::author_of(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if may_change(user, author) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Changes a post's title and content. Who may change it is answered before what the change
/// is (404, 403, then 422), on the pages and in the API alike. The write is one statement, and
/// a post's author never changes, so the check cannot go stale; a post deleted in between is
/// not found.
pub async fn update(db: &Db, user: &UserRecord, id: i64, title: &str, content: &str) -> Result<()> {
    check_may_change(db, user, id).await?;
    let draft = Draft::parse(title, content)?;
    if PostRepository::update(db, id, draft.title.as_str(), draft.body.as_str()).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

pub async fn delete(db: &Db, user: &UserRecord, id: i64) -> Result<()> {
    check_may_change(db, user, id).await?;
    if PostRepository::delete(db, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

pub async fn get(db: &Db, id: i64) -> Result<PostView> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(post_view(post))
}

/// One page of posts, everyone's or one author's, newest first. Past the last page the list
/// is empty (the database is not asked).
pub async fn page(db: &Db, author: Option<i64>, paging: Paging) -> Result<PostPage> {
    let pagination = Pagination::new(paging, PostRepository::count(db, author).await?);
    let posts = if pagination.is_past_the_end() {
        Vec::new()
    } else {
        PostRepository::page(db, author, pagination.offset(), paging.per_page).await?
    };
    Ok(PostPage {
        posts: posts.into_iter().map(post_view).collect(),
        pagination,
    })
}

/// A page of a list on the site: a page past the last one does not exist.
async fn site_page(db: &Db, author: Option<i64>, number: u32) -> Result<PostPage> {
    let posts = page(
        db,
        author,
        Paging {
            page: number,
            per_page: PER_PAGE,
        },
    )
    .await?;
    if posts.pagination.is_past_the_end() {
        return Err(Error::NotFound);
    }
    Ok(posts)
}

/// A page of the home feed.
pub async fn feed(db: &Db, number: u32) -> Result<PostPage> {
    site_page(db, None, number).await
}

/// A page of one author's posts, found by username.
pub async fn by_author(db: &Db, username: &str, number: u32) -> Result<AuthorPage> {
    let user = UserRepository::by_username(db, username)
        .await?
        .ok_or(Error::NotFound)?;
    let posts = site_page(db, Some(user.id), number).await?;
    Ok(AuthorPage {
        author: AuthorView {
            id: user.id,
            avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
            username: user.username,
        },
        posts,
    })
}
