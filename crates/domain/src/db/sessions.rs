//! `sessions`: web sign-ins, keyed by the SHA-256 of the cookie token.

use super::users::{user_columns, UserRecord};
use super::{changed_rows, now};
use sqlx::any::AnyExecutor;

/// The signed-in user as the session loader finds it.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: UserRecord,
    pub session_id: String,
}

/// The user behind a live session, in one query (run on every request that has a cookie).
const SESSION_USER_SQL: &str = concat!(
    "SELECT ",
    user_columns!("u."),
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2"
);

pub struct SessionRepository;

impl SessionRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        id: &str,
        user_id: i64,
        expires_at: i64,
        remember: bool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, remember) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user_id)
        .bind(now())
        .bind(expires_at)
        .bind(i64::from(remember))
        .execute(db)
        .await?;
        Ok(())
    }

    pub async fn user(
        db: impl AnyExecutor<'_>,
        id: &str,
    ) -> Result<Option<SessionUser>, sqlx::Error> {
        let user: Option<UserRecord> = sqlx::query_as(SESSION_USER_SQL)
            .bind(id)
            .bind(now())
            .fetch_optional(db)
            .await?;
        Ok(user.map(|user| SessionUser {
            user,
            session_id: id.to_string(),
        }))
    }

    pub async fn delete(db: impl AnyExecutor<'_>, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete_for_user(
        db: impl AnyExecutor<'_>,
        user_id: i64,
    ) -> Result<u64, sqlx::Error> {
        changed_rows(db, "DELETE FROM sessions WHERE user_id = $1", user_id).await
    }

    pub async fn prune(db: impl AnyExecutor<'_>) -> Result<u64, sqlx::Error> {
        changed_rows(db, "DELETE FROM sessions WHERE expires_at <= $1", now()).await
    }
}
