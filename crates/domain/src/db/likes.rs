//! `likes`: one per user and post.

use super::{count, now};
use sqlx::any::AnyExecutor;

pub struct LikeRepository;

impl LikeRepository {
    /// Likes the post; liking it again changes nothing. False when nothing was added.
    pub async fn like(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        post_id: i64,
    ) -> Result<bool, sqlx::Error> {
        // One statement: the row is added only when the post exists; a like that is there
        // already (two requests at once too) is left as it is.
        let done = sqlx::query(
            "INSERT INTO likes (user_id, post_id, created_at) \
             SELECT $1, id, $3 FROM posts WHERE id = $2 ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(post_id)
        .bind(now())
        .execute(db)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn unlike(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        post_id: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM likes WHERE user_id = $1 AND post_id = $2")
            .bind(user_id)
            .bind(post_id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// The post's like count and whether `user_id` likes it; None when there is no such post.
    pub async fn state(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        post_id: i64,
    ) -> Result<Option<(bool, u64)>, sqlx::Error> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM likes WHERE user_id = $1 AND post_id = $2) \
             THEN 1 ELSE 0 END, like_count FROM posts WHERE id = $2",
        )
        .bind(user_id)
        .bind(post_id)
        .fetch_optional(db)
        .await?;
        Ok(row.map(|(liked, n)| (liked != 0, count(n))))
    }

    /// Which of `post_ids` the user likes.
    pub async fn liked_among(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        post_ids: &[i64],
    ) -> Result<Vec<i64>, sqlx::Error> {
        super::among(
            db,
            "SELECT post_id FROM likes WHERE user_id = $1 AND post_id IN",
            Some(user_id),
            post_ids,
        )
        .await
    }
}
