//! What Quill's test binaries share (the integration tests of the root package and the domain's
//! service tests): a test written once that runs as two, one per database, and fresh
//! databases to run them on.

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
        // `it::posts::feed::paging` names the test `posts::feed::paging` (the binary's name first).
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
/// its database (`posts::feed::paging::postgres`). The body is a closure taking the
/// [`Backend`]; it sees the file's imports (`use super::*`). The `#[tokio::test]` attribute
/// comes first, then any other attributes and doc comments of the test:
///
/// ```ignore
/// on_each_database!(
///     #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
///     /// What the test shows.
///     paging,
///     |backend| async move {
///         let app = TestApp::spawn(backend).await;
///     }
/// );
/// ```
///
/// PostgreSQL tests need QUILL_TEST_POSTGRES: without it they are skipped, loudly, or fail
/// when `CI=true` (see [`run_on`]).
#[macro_export]
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
            async fn on_database(backend: $crate::Backend) {
                $crate::run_on(backend, module_path!(), $test).await
            }

            #[tokio::test $(($($runtime)*))?]
            $(#[$attr])*
            async fn sqlite() {
                on_database($crate::Backend::Sqlite).await
            }

            #[tokio::test $(($($runtime)*))?]
            $(#[$attr])*
            async fn postgres() {
                on_database($crate::Backend::Postgres).await
            }
        }
    };
}

/// `prefix` and a random 128-bit name: one no other test uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

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
