//! `posts`, each read with what its card shows of the author.

use super::{changed_rows, count, now, sql_offset, Db};
use crate::markdown::{Rendered, RENDERER_VERSION};
use crate::model::PostFormat;
use sqlx::any::AnyExecutor;
use sqlx::FromRow;

/// A post with what its card shows of the author.
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

/// The columns of a `PostRecord`: the post `p` joined with its author `u`.
macro_rules! post_columns {
    () => {
        "p.id, p.user_id, p.title, p.slug, p.summary, p.content, p.format, p.content_html, \
         p.excerpt, p.words, p.tags, p.date_posted, p.updated_at, \
         u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
         p.comment_count, p.like_count"
    };
}

pub(super) use post_columns;

/// A page of posts: the ids come from `$ids` (a subquery on the index alone, with its own
/// ORDER BY, LIMIT and OFFSET), then only those rows are read and joined. Ordering by the
/// subquery's columns keeps both planners driving from those few ids; with an OFFSET over
/// the join every skipped row would be built and thrown away (page 1000 was 20 times slower
/// than page 1). Each row carries the list's total (`$total`, a counter the triggers of
/// migration 0005 keep), so a page with its count is one query. A page past the end gets
/// LIMIT 0, which both databases answer without walking the index to the offset (a request
/// for page 2^31 would otherwise read every post's index entry).
macro_rules! paged_posts_sql {
    ($ids:literal, $total:literal) => {
        concat!(
            "SELECT ",
            post_columns!(),
            ", ",
            $total,
            " AS total FROM (",
            $ids,
            ") page JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
             ORDER BY page.page_date DESC, page.page_id DESC"
        )
    };
}

/// A row of a page: a post and how many the list has.
#[derive(FromRow)]
struct PagedPost {
    #[sqlx(flatten)]
    post: PostRecord,
    total: i64,
}

/// A list of posts: everyone's, one author's, or one tag's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostList {
    All,
    Author(i64),
    Tag(i64),
    /// The posts of the authors a user follows, newest first.
    Following(i64),
    /// The posts a user liked, the latest like first.
    Liked(i64),
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

    /// One page of a list of posts: newest first, ties broken by id. With them, how many
    /// the list has in all (past the end of the list, where no row can tell, the counter is
    /// read alone).
    pub async fn page(
        db: &Db,
        list: PostList,
        offset: u64,
        limit: u32,
    ) -> Result<(Vec<PostRecord>, u64), sqlx::Error> {
        let query = match list {
            PostList::All => sqlx::query_as(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts \
                 ORDER BY date_posted DESC, id DESC \
                 LIMIT CASE WHEN $2 < (SELECT posts FROM post_totals WHERE id = 1) \
                 THEN $1 ELSE 0 END OFFSET $2",
                "(SELECT posts FROM post_totals WHERE id = 1)"
            )),
            PostList::Author(user_id) => sqlx::query_as(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts WHERE user_id = $1 \
                 ORDER BY date_posted DESC, id DESC \
                 LIMIT CASE WHEN $3 < (SELECT post_count FROM users WHERE id = $1) \
                 THEN $2 ELSE 0 END OFFSET $3",
                "(SELECT post_count FROM users WHERE id = $1)"
            ))
            .bind(user_id),
            PostList::Tag(tag_id) => sqlx::query_as(paged_posts_sql!(
                "SELECT post_id AS page_id, date_posted AS page_date FROM post_tags \
                 WHERE tag_id = $1 ORDER BY date_posted DESC, post_id DESC \
                 LIMIT CASE WHEN $3 < (SELECT post_count FROM tags WHERE id = $1) \
                 THEN $2 ELSE 0 END OFFSET $3",
                "(SELECT post_count FROM tags WHERE id = $1)"
            ))
            .bind(tag_id),
            // Each followed author's posts come from their own index; the total is the sum of
            // their counters.
            PostList::Following(user_id) => sqlx::query_as(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts \
                 WHERE user_id IN (SELECT followee_id FROM follows WHERE follower_id = $1) \
                 ORDER BY date_posted DESC, id DESC \
                 LIMIT CASE WHEN $3 < (SELECT CAST(COALESCE(SUM(u.post_count), 0) AS BIGINT) FROM follows f \
                 JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1) \
                 THEN $2 ELSE 0 END OFFSET $3",
                "(SELECT CAST(COALESCE(SUM(u.post_count), 0) AS BIGINT) FROM follows f \
                 JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1)"
            ))
            .bind(user_id),
            PostList::Liked(user_id) => sqlx::query_as(paged_posts_sql!(
                "SELECT post_id AS page_id, created_at AS page_date FROM likes \
                 WHERE user_id = $1 ORDER BY created_at DESC, post_id DESC \
                 LIMIT CASE WHEN $3 < (SELECT like_count FROM users WHERE id = $1) \
                 THEN $2 ELSE 0 END OFFSET $3",
                "(SELECT like_count FROM users WHERE id = $1)"
            ))
            .bind(user_id),
        };
        let rows: Vec<PagedPost> = query
            .bind(i64::from(limit))
            .bind(sql_offset(offset))
            .fetch_all(db)
            .await?;
        let total = match rows.first() {
            Some(row) => count(row.total),
            None => Self::count(db, list).await?,
        };
        Ok((rows.into_iter().map(|row| row.post).collect(), total))
    }

    /// How many posts a list has (counters, not a count).
    pub async fn count(db: impl AnyExecutor<'_>, list: PostList) -> Result<u64, sqlx::Error> {
        let query = match list {
            PostList::All => sqlx::query_scalar("SELECT posts FROM post_totals WHERE id = 1"),
            PostList::Author(user_id) => {
                sqlx::query_scalar("SELECT post_count FROM users WHERE id = $1").bind(user_id)
            }
            PostList::Tag(tag_id) => {
                sqlx::query_scalar("SELECT post_count FROM tags WHERE id = $1").bind(tag_id)
            }
            PostList::Following(user_id) => sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(u.post_count), 0) AS BIGINT) FROM follows f \
                 JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1",
            )
            .bind(user_id),
            PostList::Liked(user_id) => {
                sqlx::query_scalar("SELECT like_count FROM users WHERE id = $1").bind(user_id)
            }
        };
        let n: Option<i64> = query.fetch_optional(db).await?;
        Ok(count(n.unwrap_or_default()))
    }
}
