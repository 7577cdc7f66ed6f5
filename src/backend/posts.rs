//! The post rules, shared by the pages and the API: who may change a post, how lists page.

use super::db::{Db, PostRecord, PostRepository, UserRecord, UserRepository};
use super::services::{self, ServiceError};
use crate::error::AppError;
use crate::model::{
    avatar_url, AuthorPage, AuthorView, FieldErrors, Pagination, PostBody, PostPage, PostTitle,
    PostView,
};

pub const PER_PAGE: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("no such post")]
    NotFound,
    #[error("not the author")]
    Forbidden,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sqlx::Error> for PostError {
    fn from(err: sqlx::Error) -> Self {
        PostError::Service(err.into())
    }
}

impl From<PostError> for AppError {
    fn from(err: PostError) -> Self {
        match err {
            PostError::NotFound => AppError::NotFound,
            PostError::Forbidden => AppError::Forbidden,
            PostError::Service(err) => err.into(),
        }
    }
}

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

pub struct Draft {
    pub title: PostTitle,
    pub body: PostBody,
}

impl Draft {
    pub fn parse(title: &str, content: &str) -> Result<Self, ServiceError> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", PostTitle::parse(title));
        let body = errors.check("content", PostBody::parse(content));
        match (title, body) {
            (Some(title), Some(body)) => Ok(Self { title, body }),
            _ => Err(ServiceError::Invalid(errors)),
        }
    }
}

pub async fn create(db: &Db, author: &UserRecord, draft: Draft) -> Result<i64, PostError> {
    Ok(PostRepository::insert(db, author.id, draft.title.as_str(), draft.body.as_str()).await?)
}

/// A post its author (or an admin) may change; someone else gets `Forbidden`.
pub async fn editable(db: &Db, user: &UserRecord, id: i64) -> Result<PostRecord, PostError> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(PostError::NotFound)?;
    if services::may_change(user, post.user_id) {
        Ok(post)
    } else {
        Err(PostError::Forbidden)
    }
}

pub async fn update(db: &Db, user: &UserRecord, id: i64, draft: Draft) -> Result<(), PostError> {
    editable(db, user, id).await?;
    PostRepository::update(db, id, draft.title.as_str(), draft.body.as_str()).await?;
    Ok(())
}

pub async fn delete(db: &Db, user: &UserRecord, id: i64) -> Result<(), PostError> {
    editable(db, user, id).await?;
    PostRepository::delete(db, id).await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<PostView, PostError> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(PostError::NotFound)?;
    Ok(post_view(post))
}

/// A page past the last one does not exist (the first page always does).
fn check_page(pagination: &Pagination) -> Result<(), PostError> {
    if pagination.page > pagination.pages() {
        Err(PostError::NotFound)
    } else {
        Ok(())
    }
}

/// One page of posts, everyone's or one author's, newest first, `per_page` to a page. Past the
/// last page the list is empty (the database is not asked).
pub async fn page(
    db: &Db,
    author: Option<i64>,
    page: u32,
    per_page: u32,
) -> Result<PostPage, PostError> {
    let total = PostRepository::count(db, author).await?;
    let pagination = Pagination {
        page,
        per_page,
        total,
    };
    let posts = if page > pagination.pages() {
        Vec::new()
    } else {
        PostRepository::page(db, author, pagination.offset(), per_page).await?
    };
    Ok(PostPage {
        posts: posts.into_iter().map(post_view).collect(),
        pagination,
    })
}

/// A page of the home feed.
pub async fn feed(db: &Db, number: u32) -> Result<PostPage, PostError> {
    let posts = page(db, None, number, PER_PAGE).await?;
    check_page(&posts.pagination)?;
    Ok(posts)
}

/// A page of one author's posts, found by username.
pub async fn by_author(db: &Db, username: &str, number: u32) -> Result<AuthorPage, PostError> {
    let user = UserRepository::by_username(db, username)
        .await?
        .ok_or(PostError::NotFound)?;
    let posts = page(db, Some(user.id), number, PER_PAGE).await?;
    check_page(&posts.pagination)?;
    Ok(AuthorPage {
        author: AuthorView {
            id: user.id,
            avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
            username: user.username,
        },
        posts,
    })
}
