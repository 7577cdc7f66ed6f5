//! One pool for SQLite or PostgreSQL, chosen at run time by the database URL, and one
//! repository per table (a file each). SQL is plain, portable and bound with `$1` placeholders.
//! Repositories take any executor, so a service can run several of them in one transaction.

mod avatars;
mod comments;
mod export;
mod flashes;
mod follows;
mod likes;
mod pages;
mod posts;
mod revoked_tokens;
mod search;
mod sessions;
mod sitemap;
mod tags;
mod users;

pub use avatars::{Avatar, AvatarRepository};
pub use comments::{CommentRecord, CommentRepository};
pub use export::{ExportComment, ExportLike, ExportPost, ExportRepository};
pub use flashes::FlashRepository;
pub use follows::FollowRepository;
pub use likes::LikeRepository;
pub use pages::PostList;
pub use posts::{CardRecord, Columns, PostRecord, PostRepository, PostText, Shape};
pub use revoked_tokens::RevokedTokenRepository;
pub use search::{SearchHit, SearchRepository, MARK_END, MARK_START, RANKED};
pub use sessions::{SessionRepository, SessionUser};
pub use sitemap::SitemapRepository;
pub use tags::{TagRecord, TagRepository};
pub use users::{NewUser, UserRecord, UserRepository, WriteError};

use sqlx::any::{Any, AnyExecutor, AnyPoolOptions, AnyTypeInfo, AnyValueRef};
use sqlx::{AnyPool, Decode, Executor, Type};
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

    /// The backend a pool connects to.
    pub fn of_pool(db: &Db) -> Self {
        Self::of(db.connect_options().database_url.as_str())
    }
}

/// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
/// waiting for it up to the busy timeout; a deferred one whose first statement reads before
/// it writes (an insert into `posts` makes FTS5 read its own tables first) fails at once with
/// "database is locked" when another write commits in between (8 writers, 200 posts each:
/// 7 failures deferred, none immediate).
pub async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, Any>, sqlx::Error> {
    match Backend::of_pool(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => db.begin().await,
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// SQLite connections in the pool: two a core, at least four (the pruner and a request need
/// one each, and a writer must not wait behind readers), at most sixteen. Each is a thread of
/// its own with its page cache and its prepared statements; on two cores eight were no faster
/// than four and held 2-3 MB more (DESIGN.md, Performance).
pub fn sqlite_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    u32::try_from(cores * 2).unwrap_or(u32::MAX).clamp(4, 16)
}

/// PostgreSQL connections in the pool.
pub const POSTGRES_CONNECTIONS: u32 = 16;

/// Whether a PostgreSQL connection is tested (a round trip) before each use: a connection the
/// server closed (a restart, an idle timeout) is then replaced before a request uses it.
pub const POSTGRES_PING: bool = true;

/// What every PostgreSQL connection sets first. Generic plans: a statement is planned once
/// for any parameters and the plan kept. Left to choose, PostgreSQL planned a page of the feed
/// anew on every execution (its plan for offset 0 looked cheaper than the generic one, which
/// is the same plan): 0.5 ms of planning for 0.1 ms of work. Quill's statements are written
/// for their generic plans (a page's limit is in the statement; nothing else depends on a
/// parameter's value).
pub const POSTGRES_SESSION: &str = "SET plan_cache_mode = force_generic_plan";

/// Connects; SQLite gets WAL, foreign keys and a busy timeout on every connection.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
    match Backend::of(url) {
        Backend::Sqlite => {
            options
                .max_connections(sqlite_connections())
                // A file cannot hang up: no ping before each use (on SQLite a ping is a
                // round trip to the connection's thread, as long as the query after it).
                .test_before_acquire(false)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        // The busy timeout first: switching to WAL needs a lock another
                        // process (a second instance starting) may hold for a moment.
                        conn.execute(
                            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await
        }
        Backend::Postgres => {
            options
                .max_connections(POSTGRES_CONNECTIONS)
                .test_before_acquire(POSTGRES_PING)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(POSTGRES_SESSION).await?;
                        Ok(())
                    })
                })
                .connect(url)
                .await
        }
    }
}

/// Applies the migrations this binary carries. Several instances may start at once:
/// PostgreSQL's migrator holds an advisory lock, so one migrates and the others wait. SQLite's
/// has no lock: two processes can both see a migration missing, and the second to write fails
/// ("table … already exists") after the first committed it. Each migration is one
/// transaction, so the loser changed nothing, and trying again finds it applied.
pub async fn migrate(db: &Db, url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    match Backend::of(url) {
        Backend::Postgres => POSTGRES_MIGRATIONS.run(db).await,
        Backend::Sqlite => {
            let mut attempt = 1;
            loop {
                match SQLITE_MIGRATIONS.run(db).await {
                    Err(err) if attempt < 5 => {
                        tracing::info!(error = %err, attempt, "migration raced another process; again");
                        tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                        attempt += 1;
                    }
                    done => return done,
                }
            }
        }
    }
}

/// Whether every migration this binary carries has been applied (the readiness check).
pub async fn migrations_applied(db: &Db, url: &str) -> Result<bool, sqlx::Error> {
    let migrator = match Backend::of(url) {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    let Some(latest) = migrator.iter().map(|m| m.version).max() else {
        return Ok(true);
    };
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db)
            .await?;
    Ok(applied.is_some_and(|v| v >= latest))
}

/// A consistent copy of a SQLite database, taken while it is in use (`VACUUM INTO`). For
/// PostgreSQL the tool is `pg_dump`.
pub async fn backup(db: &Db, url: &str, path: &std::path::Path) -> Result<(), BackupError> {
    if Backend::of(url) != Backend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if path.exists() {
        return Err(BackupError::Exists(path.to_path_buf()));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(path.display().to_string())
        .execute(db)
        .await
        .map_err(BackupError::Failed)?;
    Ok(())
}

/// Why `quill backup` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("quill backup copies SQLite databases; for PostgreSQL use pg_dump")]
    NotSqlite,
    #[error("{} exists already: name a new file", .0.display())]
    Exists(std::path::PathBuf),
    #[error("backup failed: {0}")]
    Failed(#[source] sqlx::Error),
}

/// Seconds since the epoch, UTC.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A boolean column. Both schemas store booleans as integers, because sqlx's `Any` driver has
/// no portable boolean (sqlx #2778); `#[sqlx(try_from = "IntBool")]` reads one into a `bool`.
pub struct IntBool(i64);

impl Type<Any> for IntBool {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for IntBool {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <i64 as Decode<'r, Any>>::decode(value).map(IntBool)
    }
}

impl From<IntBool> for bool {
    fn from(value: IntBool) -> bool {
        value.0 != 0
    }
}

/// The unique indexes a write can collide with, by name (the names in `migrations/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    Username,
    Email,
    Slug,
}

impl UniqueKey {
    fn of_index(name: &str) -> Option<Self> {
        match name {
            "users_username_key" => Some(UniqueKey::Username),
            "users_email_key" => Some(UniqueKey::Email),
            "posts_slug_key" => Some(UniqueKey::Slug),
            _ => None,
        }
    }

    /// The unique index a failed write violated, if that is why it failed. PostgreSQL names
    /// the constraint. SQLite does not expose one: its message names an index on expressions
    /// (`index 'users_username_key'`) but an index on plain columns by its columns
    /// (`users.email`), which are mapped back to the index of those columns here.
    pub fn violated(err: &sqlx::Error) -> Option<Self> {
        let db = err.as_database_error()?;
        if !(db.is_unique_violation() || db.code().as_deref() == Some("23505")) {
            return None;
        }
        if let Some(name) = db.constraint() {
            return Self::of_index(name);
        }
        let message = db.message();
        let detail = message.strip_prefix("UNIQUE constraint failed: ")?;
        let name = match detail.strip_prefix("index '") {
            Some(rest) => rest.trim_end_matches('\''),
            None => match detail {
                "users.email" => "users_email_key",
                "posts.slug" => "posts_slug_key",
                other => other,
            },
        };
        Self::of_index(name)
    }
}

/// Runs a statement that binds one whole number (an id, a time); answers how many rows it
/// changed.
async fn changed_rows(
    db: impl AnyExecutor<'_>,
    sql: &'static str,
    value: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(value)
        .execute(db)
        .await?
        .rows_affected())
}

/// An OFFSET as the databases take it.
fn sql_offset(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

/// A `COUNT(*)` or a kept counter as a `u64`.
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

/// Whether a text could be in the database at all. PostgreSQL refuses NUL in a text parameter
/// (an error, not "no rows"), so a lookup of untrusted text containing one is answered here.
fn storable(text: &str) -> bool {
    !text.contains('\0')
}

/// `$first, $first+1, …`: `n` placeholders for an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first column of the rows of `head` followed by an `IN (…)` list of `values`: `head`
/// ends with `IN` and may use `$1` for `owner` (one user's likes or follows); nothing is
/// asked when there are no values.
async fn among<V, O>(
    db: impl AnyExecutor<'_>,
    head: &str,
    owner: Option<i64>,
    values: &[V],
) -> Result<Vec<O>, sqlx::Error>
where
    V: for<'q> sqlx::Encode<'q, Any> + Type<Any> + Clone + Send + Sync,
    O: for<'r> Decode<'r, Any> + Type<Any> + Send + Unpin,
    (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let first = 1 + usize::from(owner.is_some());
    let sql = format!("{head} ({})", placeholders(first, values.len()));
    let mut query = sqlx::query_scalar(&sql);
    if let Some(owner) = owner {
        query = query.bind(owner);
    }
    for value in values {
        query = query.bind(value.clone());
    }
    query.fetch_all(db).await
}
