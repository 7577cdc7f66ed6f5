//! `follows`: who follows whom.

use super::{count, now};
use sqlx::any::AnyExecutor;

pub struct FollowRepository;

impl FollowRepository {
    /// Follows the user; following again changes nothing. False when there is no such user
    /// (or it is the follower: nobody follows themselves).
    pub async fn follow(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        followee_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO follows (follower_id, followee_id, created_at) \
             SELECT $1, id, $3 FROM users WHERE id = $2 AND id <> $1 ON CONFLICT DO NOTHING",
        )
        .bind(follower_id)
        .bind(followee_id)
        .bind(now())
        .execute(db)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn unfollow(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        followee_id: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2")
            .bind(follower_id)
            .bind(followee_id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn follows(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        followee_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2")
                .bind(follower_id)
                .bind(followee_id)
                .fetch_optional(db)
                .await?;
        Ok(found.is_some())
    }

    /// Whether the follower follows user `id`, and how many do; None when there is no such
    /// user.
    pub async fn state(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        id: i64,
    ) -> Result<Option<(bool, u64)>, sqlx::Error> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM follows \
             WHERE follower_id = $1 AND followee_id = $2) THEN 1 ELSE 0 END, follower_count \
             FROM users WHERE id = $2",
        )
        .bind(follower_id)
        .bind(id)
        .fetch_optional(db)
        .await?;
        Ok(row.map(|(on, n)| (on != 0, count(n))))
    }

    /// Which of `user_ids` the follower follows.
    pub async fn followed_among(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        user_ids: &[i64],
    ) -> Result<Vec<i64>, sqlx::Error> {
        super::among(
            db,
            "SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id IN",
            Some(follower_id),
            user_ids,
        )
        .await
    }
}
