//! `revoked_tokens`: API tokens ended at logout, kept until they would have expired anyway.

use super::users::{user_columns, UserRecord};
use super::{changed_rows, now};
use sqlx::any::AnyExecutor;

pub struct RevokedTokenRepository;

impl RevokedTokenRepository {
    pub async fn revoke(
        db: impl AnyExecutor<'_>,
        jti: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        // Revoking twice is fine: the second insert changes nothing.
        sqlx::query(
            "INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) \
             ON CONFLICT (jti) DO NOTHING",
        )
        .bind(jti)
        .bind(expires_at)
        .execute(db)
        .await?;
        Ok(())
    }

    /// The user a token names, unless the token is revoked, of an ended generation (a
    /// password change, "log out everywhere") or the user is gone: one query on every
    /// authenticated API request.
    pub async fn live_user(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        jti: &str,
        generation: i64,
    ) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users WHERE id = $1 \
             AND (token_generation = $3 OR kept_token_jti = $2) \
             AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2)"
        );
        sqlx::query_as(sql)
            .bind(user_id)
            .bind(jti)
            .bind(generation)
            .fetch_optional(db)
            .await
    }

    pub async fn prune(db: impl AnyExecutor<'_>) -> Result<u64, sqlx::Error> {
        changed_rows(
            db,
            "DELETE FROM revoked_tokens WHERE expires_at <= $1",
            now(),
        )
        .await
    }
}
