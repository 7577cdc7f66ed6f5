//! `follows`: who follows whom.

use super::now;
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
        Ok(row.map(|(on, n)| (on != 0, u64::try_from(n).unwrap_or_default())))
    }

    /// Which of `user_ids` the follower follows.
    pub async fn followed_among(
        db: impl AnyExecutor<'_>,
        follower_id: i64,
        user_ids: &[i64],
    ) -> Result<Vec<i64>, sqlx::Error> {
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id IN ({})",
            super::placeholders(2, user_ids.len())
        );
        let mut query = sqlx::query_scalar(&sql).bind(follower_id);
        for id in user_ids {
            query = query.bind(*id);
        }
        query.fetch_all(db).await
    }
}
