//! `users`: accounts.

use super::{changed_rows, count, now, sql_offset, storable, IntBool, UniqueKey};
use sqlx::any::AnyExecutor;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub avatar_etag: Option<String>,
    #[sqlx(try_from = "IntBool")]
    pub is_admin: bool,
    pub created_at: i64,
    /// The generation API tokens must carry (see `jwt::Claims::gen`).
    pub token_generation: i64,
    pub bio: String,
    /// Counters kept by triggers (migrations 0005 and 0009).
    pub post_count: i64,
    pub follower_count: i64,
    pub following_count: i64,
    pub like_count: i64,
}

/// The columns of a `UserRecord`, each after `$t` (a table alias such as `"u."`, or `""`). A
/// macro, so that every query is one `&'static str` made at compile time.
macro_rules! user_columns {
    ($t:literal) => {
        concat!(
            $t,
            "id, ",
            $t,
            "username, ",
            $t,
            "email, ",
            $t,
            "password_hash, ",
            $t,
            "avatar_etag, ",
            $t,
            "is_admin, ",
            $t,
            "created_at, ",
            $t,
            "token_generation, ",
            $t,
            "bio, ",
            $t,
            "post_count, ",
            $t,
            "follower_count, ",
            $t,
            "following_count, ",
            $t,
            "like_count"
        )
    };
}
pub(super) use user_columns;

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
}

/// Which of a username and an e-mail address are someone else's.
#[derive(Debug, FromRow)]
struct Collision {
    #[sqlx(try_from = "IntBool")]
    same_name: bool,
    #[sqlx(try_from = "IntBool")]
    same_email: bool,
}

/// A write that collided with a unique index (a race past the check), or failed otherwise.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0:?} is taken")]
    Taken(UniqueKey),
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for WriteError {
    fn from(err: sqlx::Error) -> Self {
        match UniqueKey::violated(&err) {
            Some(key) => WriteError::Taken(key),
            None => WriteError::Db(err),
        }
    }
}

pub struct UserRepository;

impl UserRepository {
    pub async fn by_id(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE id = $1");
        sqlx::query_as(sql).bind(id).fetch_optional(db).await
    }

    /// The users with these ids (in no particular order).
    pub async fn by_ids(
        db: impl AnyExecutor<'_>,
        ids: &[i64],
    ) -> Result<Vec<UserRecord>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM users WHERE id IN ({})",
            user_columns!(""),
            super::placeholders(1, ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        query.fetch_all(db).await
    }

    pub async fn by_email(
        db: impl AnyExecutor<'_>,
        email: &str,
    ) -> Result<Option<UserRecord>, sqlx::Error> {
        if !storable(email) {
            return Ok(None);
        }
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE email = $1");
        sqlx::query_as(sql).bind(email).fetch_optional(db).await
    }

    pub async fn by_username(
        db: impl AnyExecutor<'_>,
        username: &str,
    ) -> Result<Option<UserRecord>, sqlx::Error> {
        if !storable(username) {
            return Ok(None);
        }
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users WHERE lower(username) = lower($1)"
        );
        sqlx::query_as(sql).bind(username).fetch_optional(db).await
    }

    /// Which of a username and an e-mail already belong to someone other than `except`, so
    /// that a form can report both at once.
    pub async fn taken(
        db: impl AnyExecutor<'_>,
        username: &str,
        email: &str,
        except: Option<i64>,
    ) -> Result<Vec<UniqueKey>, sqlx::Error> {
        let rows: Vec<Collision> = sqlx::query_as(
            "SELECT CASE WHEN lower(username) = lower($1) THEN 1 ELSE 0 END AS same_name, \
                    CASE WHEN email = $2 THEN 1 ELSE 0 END AS same_email \
             FROM users WHERE (lower(username) = lower($1) OR email = $2) AND id <> $3",
        )
        .bind(username)
        .bind(email)
        .bind(except.unwrap_or(-1))
        .fetch_all(db)
        .await?;
        let mut taken = Vec::new();
        if rows.iter().any(|r| r.same_name) {
            taken.push(UniqueKey::Username);
        }
        if rows.iter().any(|r| r.same_email) {
            taken.push(UniqueKey::Email);
        }
        Ok(taken)
    }

    pub async fn insert(db: impl AnyExecutor<'_>, user: NewUser<'_>) -> Result<i64, WriteError> {
        let id = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.username)
        .bind(user.email)
        .bind(user.password_hash)
        .bind(i64::from(user.is_admin))
        .bind(now())
        .fetch_one(db)
        .await?;
        Ok(id)
    }

    pub async fn update_profile(
        db: impl AnyExecutor<'_>,
        id: i64,
        username: &str,
        email: &str,
    ) -> Result<(), WriteError> {
        sqlx::query("UPDATE users SET username = $1, email = $2 WHERE id = $3")
            .bind(username)
            .bind(email)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn set_bio(db: impl AnyExecutor<'_>, id: i64, bio: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET bio = $1 WHERE id = $2")
            .bind(bio)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn set_password_hash(
        db: impl AnyExecutor<'_>,
        id: i64,
        hash: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Deletes an account, unless it is the last administrator's (one statement, so the check
    /// and the delete see the same table).
    pub async fn delete(db: impl AnyExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
        let sql = "DELETE FROM users WHERE id = $1 \
                   AND (is_admin = 0 OR (SELECT COUNT(*) FROM users WHERE is_admin <> 0) > 1)";
        Ok(changed_rows(db, sql, id).await? > 0)
    }

    /// Starts a new generation of the user's API tokens: every token made before stops
    /// working, except the one named `kept` (the token that asked for the change).
    pub async fn new_token_generation(
        db: impl AnyExecutor<'_>,
        id: i64,
        kept: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE users SET token_generation = token_generation + 1, kept_token_jti = $2 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(kept)
        .execute(db)
        .await?;
        Ok(())
    }

    /// Users in sign-up order.
    pub async fn page(
        db: impl AnyExecutor<'_>,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<UserRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users ORDER BY id LIMIT $1 OFFSET $2"
        );
        sqlx::query_as(sql)
            .bind(i64::from(limit))
            .bind(sql_offset(offset))
            .fetch_all(db)
            .await
    }

    pub async fn count(db: impl AnyExecutor<'_>) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(db)
            .await?;
        Ok(count(n))
    }
}
