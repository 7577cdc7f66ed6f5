//! `comments`: what readers say under a post, oldest first.

use super::{count, now, sql_offset};
use sqlx::any::AnyExecutor;
use sqlx::FromRow;

/// A comment with what its line shows of its author, and the post's author (who may delete
/// it too).
#[derive(Debug, Clone, FromRow)]
pub struct CommentRecord {
    pub id: i64,
    pub post_id: i64,
    pub user_id: i64,
    pub body: String,
    pub created_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
    pub post_author_id: i64,
}

macro_rules! comment_sql {
    ($where:literal) => {
        concat!(
            "SELECT c.id, c.post_id, c.user_id, c.body, c.created_at, \
             u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
             p.user_id AS post_author_id \
             FROM comments c JOIN users u ON u.id = c.user_id JOIN posts p ON p.id = c.post_id ",
            $where
        )
    };
}

pub struct CommentRepository;

impl CommentRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        post_id: i64,
        user_id: i64,
        body: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO comments (post_id, user_id, body, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(post_id)
        .bind(user_id)
        .bind(body)
        .bind(now())
        .fetch_one(db)
        .await
    }

    pub async fn by_id(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<CommentRecord>, sqlx::Error> {
        sqlx::query_as(comment_sql!("WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await
    }

    /// A page of a post's comments, oldest first, on the index `(post_id, id)`.
    pub async fn page(
        db: impl AnyExecutor<'_>,
        post_id: i64,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<CommentRecord>, sqlx::Error> {
        sqlx::query_as(comment_sql!(
            "WHERE c.post_id = $1 ORDER BY c.id LIMIT $2 OFFSET $3"
        ))
        .bind(post_id)
        .bind(i64::from(limit))
        .bind(sql_offset(offset))
        .fetch_all(db)
        .await
    }

    /// How many comments the post has (its counter), or None when there is no such post.
    pub async fn count(db: impl AnyExecutor<'_>, post_id: i64) -> Result<Option<u64>, sqlx::Error> {
        let n: Option<i64> = sqlx::query_scalar("SELECT comment_count FROM posts WHERE id = $1")
            .bind(post_id)
            .fetch_optional(db)
            .await?;
        Ok(n.map(count))
    }

    /// How many comments of the post come before comment `id`: where it is in the list.
    pub async fn position(
        db: impl AnyExecutor<'_>,
        post_id: i64,
        id: i64,
    ) -> Result<u64, sqlx::Error> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE post_id = $1 AND id < $2")
                .bind(post_id)
                .bind(id)
                .fetch_one(db)
                .await?;
        Ok(count(n))
    }

    pub async fn delete(db: impl AnyExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
        Ok(super::changed_rows(db, "DELETE FROM comments WHERE id = $1", id).await? > 0)
    }
}
