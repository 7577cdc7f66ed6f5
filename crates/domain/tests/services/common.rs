//! A fresh database, SQLite or PostgreSQL, behind the domain's `Services` as `quill serve`
//! starts them. A test per database and the fresh databases are `quill-testkit`'s, shared with
//! the root package's integration tests.

use quill_domain::config::Config;
use quill_domain::db::{Db, UserRecord};
use quill_domain::model::{FieldErrors, FieldName};
use quill_domain::posts::{self, PostInput};
use quill_domain::users::{self, Registration};
use quill_domain::{Error, Services};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

pub const SECRET: &str = "test-secret-0123456789abcdef0123456789";

/// Every test user's password.
pub const PASSWORD: &str = "password123";

pub use quill_testkit::{database_url, on_each_database, unique, Backend};

/// The domain's services on a fresh database and mail folder, started as `quill serve` starts
/// them (connected, migrated, work pools running).
pub struct TestDomain {
    pub services: Services,
    dir: PathBuf,
}

impl TestDomain {
    pub async fn start(backend: Backend) -> Self {
        let dir = std::env::temp_dir().join(unique("quill-domain-test-"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("DATABASE_URL", database_url(backend, &dir).await);
        vars.insert("SECRET_KEY", SECRET.into());
        vars.insert("MAIL_DIR", dir.join("mail").display().to_string());
        let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
        let services = Services::start(config).await.unwrap();
        Self { services, dir }
    }

    pub fn db(&self) -> &Db {
        &self.services.db
    }

    /// Registers `name` (e-mail `name@example.com`, password [`PASSWORD`]) and answers the
    /// account as stored.
    pub async fn user(&self, name: &str) -> UserRecord {
        self.register(name, false).await
    }

    /// The same, an administrator.
    pub async fn admin(&self, name: &str) -> UserRecord {
        self.register(name, true).await
    }

    async fn register(&self, name: &str, is_admin: bool) -> UserRecord {
        let email = format!("{name}@example.com");
        let registration = Registration::parse(name, &email, PASSWORD, PASSWORD).unwrap();
        let id = users::register(&self.services, registration, is_admin)
            .await
            .unwrap();
        users::get(self.db(), id).await.unwrap()
    }

    /// Publishes a post titled `title` as `author`; answers its id.
    pub async fn post(&self, author: &UserRecord, title: &str) -> i64 {
        posts::create(&self.services, author, input(title))
            .await
            .unwrap()
    }

    /// The one number a query such as `SELECT COUNT(*) FROM posts` answers.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(self.db())
            .await
            .unwrap()
    }
}

impl Drop for TestDomain {
    fn drop(&mut self) {
        // The SQLite file and the mail folder; a PostgreSQL database stays, as in `tests/it`.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A post's input as a form gives it: a title and a few words, the rest left as it is.
pub fn input(title: &str) -> PostInput<'_> {
    PostInput {
        title,
        summary: None,
        content: "A few words.",
        format: None,
        tags: None,
    }
}

/// The client address logins are throttled by.
pub fn client() -> IpAddr {
    IpAddr::V4(Ipv4Addr::LOCALHOST)
}

/// The fields a set of messages names, in order.
pub fn fields(errors: &FieldErrors) -> Vec<FieldName> {
    errors.0.keys().copied().collect()
}

/// The fields an `Error::Invalid` names; any other answer fails the test.
pub fn invalid_fields<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<FieldName> {
    match result {
        Err(Error::Invalid(errors)) => fields(&errors),
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

/// The fields an `Error::Conflict` names; any other answer fails the test.
pub fn conflict_fields<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<FieldName> {
    match result {
        Err(Error::Conflict(errors)) => fields(&errors),
        other => panic!("expected Error::Conflict, got {other:?}"),
    }
}

/// The fields an `Error::NotConfirmed` names; any other answer fails the test.
pub fn not_confirmed_fields<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<FieldName> {
    match result {
        Err(Error::NotConfirmed(errors)) => fields(&errors),
        other => panic!("expected Error::NotConfirmed, got {other:?}"),
    }
}

/// Fails unless `result` is `Error::Forbidden`.
#[track_caller]
pub fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::Forbidden)),
        "expected Error::Forbidden, got {result:?}"
    );
}

/// Fails unless `result` is `Error::NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::NotFound)),
        "expected Error::NotFound, got {result:?}"
    );
}
