//! A fresh database, SQLite or PostgreSQL, behind the domain's `Services` as `quill serve`
//! starts them, and the conventions of the root package's `tests/it/common.rs`: one test, one
//! module, one `sqlite` and one `postgres` test.

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests may use, from QUILL_TEST_POSTGRES (the test script sets it).
pub fn postgres_server() -> Option<String> {
    std::env::var("QUILL_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
}

/// Whether this is a CI run (`CI=true`, or `1`), where every test must run on every database.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Runs `test` on `backend` for the test named by `module` (the `module_path!()` of the test's
/// module). Without a PostgreSQL server, a PostgreSQL test says on stderr that it was skipped
/// and passes; on CI it fails instead.
pub async fn run_on<F, Fut>(backend: Backend, module: &str, test: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use std::io::Write;
    if backend == Backend::Postgres && postgres_server().is_none() {
        // `services::posts::who_may_change` names the test `posts::who_may_change`.
        let name = module.split_once("::").map_or(module, |(_, name)| name);
        assert!(
            !on_ci(),
            "{name} on PostgreSQL: QUILL_TEST_POSTGRES is not set, and on CI (CI=true) every \
             test must run on PostgreSQL as well as on SQLite"
        );
        // Straight to stderr, past the test harness's capture of `eprintln!`, so that the skip
        // shows in every run, not only with `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {name} on PostgreSQL: QUILL_TEST_POSTGRES is not set"
        );
        return;
    }
    test(backend).await;
}

/// Makes one test into a module of that name holding two tests, `sqlite` and `postgres`,
/// which run the same body on a fresh SQLite or PostgreSQL database, so that a failure names
/// its database (`posts::who_may_change::postgres`). The body is a closure taking the
/// [`Backend`]; it sees the file's imports (`use super::*`). The `#[tokio::test]` attribute
/// comes first, then any other attributes and doc comments of the test:
///
/// ```ignore
/// on_each_database!(
///     #[tokio::test]
///     /// What the test shows.
///     who_may_change,
///     |backend| async move {
///         let domain = TestDomain::start(backend).await;
///     }
/// );
/// ```
///
/// PostgreSQL tests need QUILL_TEST_POSTGRES: without it they are skipped, loudly, or fail
/// when `CI=true` (see [`run_on`]).
macro_rules! on_each_database {
    (
        #[tokio::test $(($($runtime:tt)*))?]
        $(#[$attr:meta])*
        $name:ident,
        $test:expr $(,)?
    ) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            /// The body, compiled once for both databases.
            async fn on_database(backend: $crate::common::Backend) {
                $crate::common::run_on(backend, module_path!(), $test).await
            }

            #[tokio::test $(($($runtime)*))?]
            $(#[$attr])*
            async fn sqlite() {
                on_database($crate::common::Backend::Sqlite).await
            }

            #[tokio::test $(($($runtime)*))?]
            $(#[$attr])*
            async fn postgres() {
                on_database($crate::common::Backend::Postgres).await
            }
        }
    };
}
pub(crate) use on_each_database;

/// `prefix` and 128 random bits in hex: a name no other test uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{:032x}", rand::random::<u128>())
}

/// A fresh database: a SQLite file in `dir`, or a new database `quill_t_…` on the
/// PostgreSQL server named by QUILL_TEST_POSTGRES.
pub async fn database_url(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
        Backend::Postgres => {
            let server = postgres_server().expect("QUILL_TEST_POSTGRES names a PostgreSQL server");
            let server = server.trim_end_matches('/');
            let (base, _) = server.rsplit_once('/').unwrap_or((server, ""));
            let name = unique("quill_t_");
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(server)
                .await
                .expect("connect to the PostgreSQL test server");
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create the test database");
            format!("{base}/{name}")
        }
    }
}

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
