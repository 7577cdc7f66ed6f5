//! `posts`, each read with what its card shows of the author.

use super::{changed_rows, now};
use crate::markdown::{Rendered, RENDERER_VERSION};
use crate::model::PostFormat;
use sqlx::any::{AnyExecutor, AnyRow};
use sqlx::FromRow;

/// A whole post with what its card shows of the author: what its page, the feeds, the editor
/// and the v1 API read.
#[derive(Debug, Clone, FromRow)]
pub struct PostRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    /// None only for a post from before slugs, until the start that gives it one.
    pub slug: Option<String>,
    pub summary: String,
    pub content: String,
    #[sqlx(try_from = "String")]
    pub format: PostFormat,
    pub content_html: String,
    pub excerpt: String,
    pub words: i64,
    /// The post's tags as shown: `a, b`.
    pub tags: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
    pub comment_count: i64,
    pub like_count: i64,
}

/// A post as its card shows it, and no more: the lists read these. A card's text is the
/// excerpt (300 characters) the post was rendered with, so a list never reads a post's source
/// or HTML, which may be 100,000 characters each.
#[derive(Debug, Clone, FromRow)]
pub struct CardRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub slug: Option<String>,
    pub summary: String,
    pub excerpt: String,
    pub tags: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
    pub comment_count: i64,
    pub like_count: i64,
}

/// The columns of a `PostRecord`: the post `p` joined with its author `u`.
macro_rules! post_columns {
    () => {
        "p.id, p.user_id, p.title, p.slug, p.summary, p.content, p.format, p.content_html, \
         p.excerpt, p.words, p.tags, p.date_posted, p.updated_at, \
         u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
         p.comment_count, p.like_count"
    };
}

/// The columns of a `CardRecord`.
macro_rules! card_columns {
    () => {
        "p.id, p.user_id, p.title, p.slug, p.summary, p.excerpt, p.tags, p.date_posted, \
         p.updated_at, u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
         p.comment_count, p.like_count"
    };
}

/// What a list reads of each post: a row type and its columns.
pub trait Columns: for<'r> FromRow<'r, AnyRow> + Send + Unpin {
    const SHAPE: Shape;
}

/// The two ways a list reads its posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Card = 0,
    Whole = 1,
}

impl Shape {
    /// The columns of its row, from the post `p` joined with its author `u`.
    pub const fn columns(self) -> &'static str {
        match self {
            Shape::Card => card_columns!(),
            Shape::Whole => post_columns!(),
        }
    }
}

impl Columns for CardRecord {
    const SHAPE: Shape = Shape::Card;
}

impl Columns for PostRecord {
    const SHAPE: Shape = Shape::Whole;
}

/// What a post's author writes: its title, summary and content.
pub struct PostText<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub content: &'a str,
}

pub struct PostRepository;

impl PostRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        text: &PostText<'_>,
        format: PostFormat,
        rendered: &Rendered,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO posts (user_id, title, summary, content, format, content_html, excerpt, \
             words, rendered_by, date_posted, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(user_id)
        .bind(text.title)
        .bind(text.summary)
        .bind(text.content)
        .bind(format.as_str())
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(now())
        .fetch_one(db)
        .await
    }

    pub async fn by_id(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<PostRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            post_columns!(),
            " FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1"
        );
        sqlx::query_as(sql).bind(id).fetch_optional(db).await
    }

    /// A post as its page shows it: the source of a plain-text post, the HTML of a Markdown
    /// one, not both (each may be 100,000 characters and more; the page shows one).
    pub async fn to_show(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<PostRecord>, sqlx::Error> {
        let sql = "SELECT p.id, p.user_id, p.title, p.slug, p.summary, \
             CASE WHEN p.format = 'text' THEN p.content ELSE '' END AS content, p.format, \
             CASE WHEN p.format = 'text' THEN '' ELSE p.content_html END AS content_html, \
             p.excerpt, p.words, p.tags, p.date_posted, p.updated_at, \
             u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
             p.comment_count, p.like_count \
             FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1";
        sqlx::query_as(sql).bind(id).fetch_optional(db).await
    }

    /// The author of a post, if it exists: what a change of it is checked against.
    pub async fn author_of(db: impl AnyExecutor<'_>, id: i64) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT user_id FROM posts WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await
    }

    pub async fn update(
        db: impl AnyExecutor<'_>,
        id: i64,
        text: &PostText<'_>,
        format: PostFormat,
        rendered: &Rendered,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE posts SET title = $1, summary = $2, content = $3, format = $4, \
             content_html = $5, excerpt = $6, words = $7, rendered_by = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(text.title)
        .bind(text.summary)
        .bind(text.content)
        .bind(format.as_str())
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Up to `limit` posts after id `after` that an older renderer rendered (or none did):
    /// id, format, source.
    pub async fn stale(
        db: impl AnyExecutor<'_>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, format, content FROM posts WHERE rendered_by <> $1 AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(RENDERER_VERSION)
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await
    }

    /// Stores what a post renders to, unless its source or format changed since they were
    /// read (that write rendered it already).
    pub async fn set_rendered(
        db: impl AnyExecutor<'_>,
        id: i64,
        format: &str,
        content: &str,
        rendered: &Rendered,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE posts SET content_html = $1, excerpt = $2, words = $3, rendered_by = $4 \
             WHERE id = $5 AND format = $6 AND content = $7",
        )
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(id)
        .bind(format)
        .bind(content)
        .execute(db)
        .await?;
        Ok(())
    }

    /// The post whose slug is `slug`.
    pub async fn id_by_slug(
        db: impl AnyExecutor<'_>,
        slug: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM posts WHERE slug = $1")
            .bind(slug)
            .fetch_optional(db)
            .await
    }

    /// Names a post that has no slug yet (a new one, or one from before slugs); one that
    /// something named meanwhile keeps its name.
    pub async fn set_missing_slug(
        db: impl AnyExecutor<'_>,
        id: i64,
        slug: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE posts SET slug = $1 WHERE id = $2 AND slug IS NULL")
            .bind(slug)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Which of `slugs` posts have.
    pub async fn slugs_among(
        db: impl AnyExecutor<'_>,
        slugs: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        super::among(db, "SELECT slug FROM posts WHERE slug IN", None, slugs).await
    }

    /// Up to `limit` posts without a slug (from before slugs): id and title.
    pub async fn without_slug(
        db: impl AnyExecutor<'_>,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, sqlx::Error> {
        sqlx::query_as("SELECT id, title FROM posts WHERE slug IS NULL ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(db)
            .await
    }

    pub async fn delete(db: impl AnyExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
        Ok(changed_rows(db, "DELETE FROM posts WHERE id = $1", id).await? > 0)
    }
}
