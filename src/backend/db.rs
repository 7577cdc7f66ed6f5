//! One pool for SQLite or PostgreSQL, chosen at run time by the database URL, and one
//! repository per table. SQL is plain, portable and bound with `$1` placeholders.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::time::Duration;

pub type Db = AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Connects; SQLite gets WAL, foreign keys and a busy timeout on every connection.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
    match Backend::of(url) {
        Backend::Sqlite => {
            options
                .max_connections(8)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await
        }
        Backend::Postgres => options.max_connections(16).connect(url).await,
    }
}

pub async fn migrate(db: &Db, url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    match Backend::of(url) {
        Backend::Sqlite => SQLITE_MIGRATIONS.run(db).await,
        Backend::Postgres => POSTGRES_MIGRATIONS.run(db).await,
    }
}

/// Seconds since the epoch, UTC.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.code().as_deref() == Some("23505")
                || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub avatar_etag: Option<String>,
    pub is_admin: bool,
    pub created_at: i64,
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
            "created_at"
        )
    };
}

impl UserRecord {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
            avatar_etag: row.try_get("avatar_etag")?,
            // Booleans are integers in both schemas (sqlx #2778).
            is_admin: row.try_get::<i64, _>("is_admin")? != 0,
            created_at: row.try_get("created_at")?,
        })
    }
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
}

/// Which unique field a write collided with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Username,
    Email,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0:?} is taken")]
    Taken(Taken),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct UserRepository;

impl UserRepository {
    pub async fn by_id(db: &Db, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE id = $1");
        let row = sqlx::query(sql).bind(id).fetch_optional(db).await?;
        row.as_ref().map(UserRecord::from_row).transpose()
    }

    pub async fn by_email(db: &Db, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        if !storable(email) {
            return Ok(None);
        }
        let sql = concat!("SELECT ", user_columns!(""), " FROM users WHERE email = $1");
        let row = sqlx::query(sql).bind(email).fetch_optional(db).await?;
        row.as_ref().map(UserRecord::from_row).transpose()
    }

    /// Which of a username and an e-mail already belong to someone other than `except`.
    pub async fn taken(
        db: &Db,
        username: &str,
        email: &str,
        except: Option<i64>,
    ) -> Result<Vec<Taken>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT lower(username) = lower($1) AS same_name, email = $2 AS same_email \
             FROM users WHERE (lower(username) = lower($1) OR email = $2) AND id <> $3",
        )
        .bind(username)
        .bind(email)
        .bind(except.unwrap_or(-1))
        .fetch_all(db)
        .await?;
        let mut taken = Vec::new();
        for row in rows {
            if truthy(&row, "same_name")? && !taken.contains(&Taken::Username) {
                taken.push(Taken::Username);
            }
            if truthy(&row, "same_email")? && !taken.contains(&Taken::Email) {
                taken.push(Taken::Email);
            }
        }
        Ok(taken)
    }

    pub async fn insert(db: &Db, user: NewUser<'_>) -> Result<i64, WriteError> {
        let row = sqlx::query(
            "INSERT INTO users (username, email, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.username)
        .bind(user.email)
        .bind(user.password_hash)
        .bind(i64::from(user.is_admin))
        .bind(now())
        .fetch_one(db)
        .await
        .map_err(Self::collision)?;
        Ok(row.try_get("id")?)
    }

    pub async fn update_profile(
        db: &Db,
        id: i64,
        username: &str,
        email: &str,
    ) -> Result<(), WriteError> {
        sqlx::query("UPDATE users SET username = $1, email = $2 WHERE id = $3")
            .bind(username)
            .bind(email)
            .bind(id)
            .execute(db)
            .await
            .map_err(Self::collision)?;
        Ok(())
    }

    pub async fn set_password_hash(db: &Db, id: i64, hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(db)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A race between the uniqueness check and the write still ends as a field error.
    fn collision(err: sqlx::Error) -> WriteError {
        if is_unique_violation(&err) {
            let message = err.to_string();
            if message.contains("email") {
                WriteError::Taken(Taken::Email)
            } else {
                WriteError::Taken(Taken::Username)
            }
        } else {
            WriteError::Db(err)
        }
    }

    pub async fn by_username(db: &Db, username: &str) -> Result<Option<UserRecord>, sqlx::Error> {
        if !storable(username) {
            return Ok(None);
        }
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users WHERE lower(username) = lower($1)"
        );
        let row = sqlx::query(sql).bind(username).fetch_optional(db).await?;
        row.as_ref().map(UserRecord::from_row).transpose()
    }

    /// Users in sign-up order.
    pub async fn page(db: &Db, offset: u64, limit: u32) -> Result<Vec<UserRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users ORDER BY id LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query(sql)
            .bind(i64::from(limit))
            .bind(sql_offset(offset))
            .fetch_all(db)
            .await?;
        rows.iter().map(UserRecord::from_row).collect()
    }

    pub async fn count(db: &Db) -> Result<u64, sqlx::Error> {
        count_of(
            &sqlx::query("SELECT COUNT(*) AS n FROM users")
                .fetch_one(db)
                .await?,
        )
    }
}

fn truthy(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    // SQLite answers a comparison with an integer, PostgreSQL with a boolean.
    match row.try_get::<bool, _>(column) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

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
        db: &Db,
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

    pub async fn user(db: &Db, id: &str) -> Result<Option<SessionUser>, sqlx::Error> {
        let row = sqlx::query(SESSION_USER_SQL)
            .bind(id)
            .bind(now())
            .fetch_optional(db)
            .await?;
        Ok(match row {
            Some(row) => Some(SessionUser {
                user: UserRecord::from_row(&row)?,
                session_id: id.to_string(),
            }),
            None => None,
        })
    }

    pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete_for_user(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }
}

pub struct FlashRepository;

impl FlashRepository {
    pub async fn insert(
        db: &Db,
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
    pub async fn take(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
        let row =
            sqlx::query("DELETE FROM flashes WHERE id = $1 AND expires_at > $2 RETURNING payload")
                .bind(id)
                .bind(now())
                .fetch_optional(db)
                .await?;
        row.map(|r| r.try_get("payload")).transpose()
    }

    pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM flashes WHERE expires_at <= $1")
            .bind(now())
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Avatar {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub etag: String,
}

pub struct AvatarRepository;

impl AvatarRepository {
    /// Stores the picture and points the user at it, in one transaction.
    pub async fn put(db: &Db, user_id: i64, avatar: &Avatar) -> Result<(), sqlx::Error> {
        let mut tx = db.begin().await?;
        sqlx::query("DELETE FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO avatars (user_id, bytes, content_type, etag) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(&avatar.bytes)
        .bind(&avatar.content_type)
        .bind(&avatar.etag)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET avatar_etag = $1 WHERE id = $2")
            .bind(&avatar.etag)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    pub async fn get(db: &Db, user_id: i64) -> Result<Option<Avatar>, sqlx::Error> {
        let row = sqlx::query("SELECT bytes, content_type, etag FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
        row.map(|r| {
            Ok(Avatar {
                bytes: r.try_get("bytes")?,
                content_type: r.try_get("content_type")?,
                etag: r.try_get("etag")?,
            })
        })
        .transpose()
    }
}

/// A post with what its card shows of the author.
#[derive(Debug, Clone)]
pub struct PostRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub content: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
}

/// The columns of a `PostRecord`: the post `p` joined with its author `u`.
macro_rules! post_columns {
    () => {
        "p.id, p.user_id, p.title, p.content, p.date_posted, p.updated_at, \
         u.username AS author_username, u.avatar_etag AS author_avatar_etag"
    };
}

/// A page of posts: the ids come from `$ids` (a subquery on the index alone, with its own
/// ORDER BY, LIMIT and OFFSET), then only those rows are read and joined. Ordering by the
/// subquery's columns keeps both planners driving from those few ids; with an OFFSET over
/// the join every skipped row would be built and thrown away (page 1000 was 20 times slower
/// than page 1).
macro_rules! paged_posts_sql {
    ($ids:literal) => {
        concat!(
            "SELECT ",
            post_columns!(),
            " FROM (",
            $ids,
            ") page JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
             ORDER BY page.page_date DESC, page.page_id DESC"
        )
    };
}

/// An OFFSET as the databases take it.
fn sql_offset(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

/// The `n` of a `SELECT COUNT(*) AS n`.
fn count_of(row: &AnyRow) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default())
}

impl PostRecord {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            title: row.try_get("title")?,
            content: row.try_get("content")?,
            date_posted: row.try_get("date_posted")?,
            updated_at: row.try_get("updated_at")?,
            author_username: row.try_get("author_username")?,
            author_avatar_etag: row.try_get("author_avatar_etag")?,
        })
    }
}

pub struct PostRepository;

impl PostRepository {
    pub async fn insert(
        db: &Db,
        user_id: i64,
        title: &str,
        content: &str,
    ) -> Result<i64, sqlx::Error> {
        let now = now();
        let row = sqlx::query(
            "INSERT INTO posts (user_id, title, content, date_posted, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(title)
        .bind(content)
        .bind(now)
        .fetch_one(db)
        .await?;
        row.try_get("id")
    }

    pub async fn by_id(db: &Db, id: i64) -> Result<Option<PostRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            post_columns!(),
            " FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1"
        );
        let row = sqlx::query(sql).bind(id).fetch_optional(db).await?;
        row.as_ref().map(PostRecord::from_row).transpose()
    }

    pub async fn update(db: &Db, id: i64, title: &str, content: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE posts SET title = $1, content = $2, updated_at = $3 WHERE id = $4")
            .bind(title)
            .bind(content)
            .bind(now())
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    pub async fn delete(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM posts WHERE id = $1")
            .bind(id)
            .execute(db)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// One page of posts, everyone's or one author's: newest first, ties broken by id.
    pub async fn page(
        db: &Db,
        author: Option<i64>,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<PostRecord>, sqlx::Error> {
        let query = match author {
            None => sqlx::query(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts \
                 ORDER BY date_posted DESC, id DESC LIMIT $1 OFFSET $2"
            )),
            Some(user_id) => sqlx::query(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts WHERE user_id = $1 \
                 ORDER BY date_posted DESC, id DESC LIMIT $2 OFFSET $3"
            ))
            .bind(user_id),
        };
        let rows = query
            .bind(i64::from(limit))
            .bind(sql_offset(offset))
            .fetch_all(db)
            .await?;
        rows.iter().map(PostRecord::from_row).collect()
    }

    /// How many posts there are, everyone's or one author's.
    pub async fn count(db: &Db, author: Option<i64>) -> Result<u64, sqlx::Error> {
        let query = match author {
            None => sqlx::query("SELECT COUNT(*) AS n FROM posts"),
            Some(user_id) => {
                sqlx::query("SELECT COUNT(*) AS n FROM posts WHERE user_id = $1").bind(user_id)
            }
        };
        count_of(&query.fetch_one(db).await?)
    }
}

/// Whether a text could be in the database at all. PostgreSQL refuses NUL in a text parameter
/// (an error, not "no rows"), so a lookup of untrusted text containing one is answered here.
fn storable(text: &str) -> bool {
    !text.contains('\0')
}

pub struct RevokedTokenRepository;

impl RevokedTokenRepository {
    pub async fn revoke(db: &Db, jti: &str, expires_at: i64) -> Result<(), sqlx::Error> {
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

    /// The user a token names, unless the token is revoked or the user is gone: one query on
    /// every authenticated API request.
    pub async fn live_user(
        db: &Db,
        user_id: i64,
        jti: &str,
    ) -> Result<Option<UserRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            user_columns!(""),
            " FROM users WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2)"
        );
        let row = sqlx::query(sql)
            .bind(user_id)
            .bind(jti)
            .fetch_optional(db)
            .await?;
        row.as_ref().map(UserRecord::from_row).transpose()
    }

    pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM revoked_tokens WHERE expires_at <= $1")
            .bind(now())
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    }
}
