//! `flashes`: messages and refused forms carried to the next page, keyed by the SHA-256 of a
//! cookie token.

use super::{changed_rows, now};
use sqlx::any::AnyExecutor;

pub struct FlashRepository;

impl FlashRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        id: &str,
        payload: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO flashes (id, payload, expires_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(payload)
            .bind(expires_at)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Reads and removes a flash in one step, so that it shows once.
    pub async fn take(db: impl AnyExecutor<'_>, id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(
            "DELETE FROM flashes WHERE id = $1 AND expires_at > $2 RETURNING payload",
        )
        .bind(id)
        .bind(now())
        .fetch_optional(db)
        .await
    }

    pub async fn prune(db: impl AnyExecutor<'_>) -> Result<u64, sqlx::Error> {
        changed_rows(db, "DELETE FROM flashes WHERE expires_at <= $1", now()).await
    }
}
