//! The `quill` command line, run as a process.

use std::process::{Command, Stdio};
use std::time::Duration;
fn quill(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quill"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("cli.db").display()),
        )
        .env("MAIL_DIR", dir.join("mail"))
        .env("RUST_LOG", "warn");
    cmd
}

/// The standard output of a command that must have succeeded (else its standard error).
fn succeeded(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("quill-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends `request` as it is to 127.0.0.1:`port`; answers the whole reply (empty if nobody
/// listens).
fn raw_http(port: u16, request: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = stream.write_all(request.as_bytes());
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
}

/// A GET of `path`, the connection closed after.
fn http_get(port: u16, path: &str) -> String {
    raw_http(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
}

/// Whether `path` answers 200 within ten seconds.
fn answers(port: u16, path: &str) -> bool {
    for _ in 0..100 {
        if http_get(port, path).starts_with("HTTP/1.1 200") {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn production_refuses_to_start_without_a_secret() {
    let dir = temp_dir();
    let out = quill(&dir)
        .env("QUILL_ENV", "production")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SECRET_KEY is not set"), "{stderr}");
    assert!(!dir.join("cli.db").exists(), "nothing was touched");
}

#[test]
fn production_over_plain_http_is_warned_about_loudly() {
    let dir = temp_dir();
    let run = |public_url: &str| {
        let out = quill(&dir)
            .env("QUILL_ENV", "production")
            .env("SECRET_KEY", crate::common::SECRET)
            .env("PUBLIC_URL", public_url)
            .arg("migrate")
            .output()
            .unwrap();
        assert!(out.status.success());
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let log = run("http://blog.example");
    assert!(
        log.contains("PUBLIC_URL is http://blog.example in production"),
        "{log}"
    );
    for quiet in [
        "https://blog.example",
        "http://127.0.0.1:3000",
        "http://localhost:8080",
    ] {
        let log = run(quiet);
        assert!(!log.contains("travel unencrypted"), "{quiet}: {log}");
    }
}

#[test]
fn development_keeps_a_generated_secret_next_to_the_database() {
    let dir = temp_dir();
    let out = quill(&dir).arg("migrate").output().unwrap();
    succeeded(&out);
    let secret = std::fs::read_to_string(dir.join(".quill-secret")).unwrap();
    assert_eq!(secret.len(), 64);
    quill(&dir).arg("migrate").output().unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join(".quill-secret")).unwrap(),
        secret,
        "kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_makes_an_account_that_can_log_in() {
    let dir = temp_dir();
    let out = quill(&dir)
        .env("SECRET_KEY", crate::common::SECRET)
        .args([
            "create-user",
            "--username",
            "root",
            "--email",
            "Root@Example.com",
            "--admin",
        ])
        .env("QUILL_PASSWORD", "correct-horse-1")
        .output()
        .unwrap();
    assert!(succeeded(&out).contains("created user 1 (root) as admin"));

    // The password may come on standard input too; bad input is refused with the reason.
    let mut child = quill(&dir)
        .env("SECRET_KEY", crate::common::SECRET)
        .args([
            "create-user",
            "--username",
            "x",
            "--email",
            "root@example.com",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("username: A username is 2 to 20")
            && stderr.contains("password: A password has at least 8"),
        "{stderr}"
    );

    let db = quill::domain::db::connect(&format!("sqlite://{}", dir.join("cli.db").display()))
        .await
        .unwrap();
    let user = quill::domain::db::UserRepository::by_email(&db, "root@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(user.is_admin);
    assert!(quill::domain::password::verify_blocking(
        "correct-horse-1",
        Some(&user.password_hash)
    ));
}

#[test]
fn serve_answers_health_checks_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir();
    let port = free_port();
    let mut child = quill(&dir)
        .env("SECRET_KEY", crate::common::SECRET)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(answers(port, "/healthz"), "the server came up");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the server did not stop on SIGTERM");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_fills_the_database_the_same_way_for_the_same_seed() {
    let mut titles = Vec::new();
    for _ in 0..2 {
        let dir = temp_dir();
        let out = quill(&dir)
            .env("SECRET_KEY", crate::common::SECRET)
            .args(["seed", "--users", "3", "--posts", "1234", "--seed", "42"])
            .output()
            .unwrap();
        assert!(succeeded(&out).contains("seeded 3 users and 1234 posts"));
        let db = quill::domain::db::connect(&format!("sqlite://{}", dir.join("cli.db").display()))
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(count, 1234);
        let authors: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT user_id) FROM posts")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(authors, 3);
        // Tagged (a third of them `rust`), counted, and rendered like any post.
        let rust: i64 = sqlx::query_scalar("SELECT post_count FROM tags WHERE name = 'rust'")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(rust, 1234 / 3);
        let shown: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts WHERE tags LIKE '%rust%' AND excerpt <> ''",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(shown, rust);
        let first: Vec<String> = sqlx::query_scalar("SELECT title FROM posts ORDER BY id LIMIT 20")
            .fetch_all(&db)
            .await
            .unwrap();
        titles.push(first);
        // Seeding the same names again is refused with a reason.
        let again = quill(&dir)
            .env("SECRET_KEY", crate::common::SECRET)
            .args(["seed", "--users", "3", "--posts", "5", "--seed", "42"])
            .output()
            .unwrap();
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already has a user named"));
        // A demo user can log in.
        let hash: String =
            sqlx::query_scalar("SELECT password_hash FROM users ORDER BY id LIMIT 1")
                .fetch_one(&db)
                .await
                .unwrap();
        assert!(quill::domain::password::verify_blocking(
            quill::domain::seed::DEMO_PASSWORD,
            Some(&hash)
        ));
    }
    assert_eq!(titles[0], titles[1], "deterministic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_writes_the_blog_corpus_when_asked_and_says_its_size() {
    let dir = temp_dir();
    let out = quill(&dir)
        .env("SECRET_KEY", crate::common::SECRET)
        .args(["seed", "--users", "4", "--posts", "60", "--corpus", "blog"])
        .output()
        .unwrap();
    let said = succeeded(&out);
    assert!(
        said.contains("blog corpus: 4 users, 60 posts of "),
        "{said}"
    );
    let longest: i64 = said
        .lines()
        .find_map(|l| l.strip_prefix("longest post: "))
        .and_then(|id| id.trim().parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    let db = quill::domain::db::connect(&format!("sqlite://{}", dir.join("cli.db").display()))
        .await
        .unwrap();
    let (format, length, max): (String, i64, i64) = sqlx::query_as(
        "SELECT format, LENGTH(content), (SELECT MAX(LENGTH(content)) FROM posts) \
         FROM posts WHERE id = $1",
    )
    .bind(longest)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((format.as_str(), length), ("markdown", max));
    let comments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(said.contains(&format!("{comments} comments")), "{said}");
    // An unknown corpus is refused by name.
    let out = quill(&dir)
        .args(["seed", "--corpus", "novel"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`novel` is no corpus"));
}

#[test]
fn help_describes_each_command_by_its_own_words() {
    let dir = temp_dir();
    let out = quill(&dir).arg("--help").output().unwrap();
    let help = succeeded(&out);
    let line = |command: &str| {
        help.lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("no {command} in {help}"))
            .to_string()
    };
    assert!(line("seed").contains("demo data"), "{help}");
    assert!(line("create-user").contains("Create an account"), "{help}");
    assert!(line("serve").contains("Serve the site"), "{help}");
    assert!(line("migrate").contains("migrations"), "{help}");
}

/// The binary alone, run from a folder that is not the source tree: no Cargo.toml, no
/// Leptos.toml, only variables.
fn installed(dir: &std::path::Path) -> Command {
    let mut cmd = quill(dir);
    cmd.current_dir(dir);
    cmd.env("SECRET_KEY", crate::common::SECRET);
    cmd
}

#[test]
fn the_binary_runs_from_any_folder_and_backs_up_sqlite() {
    let dir = temp_dir();
    succeeded(&installed(&dir).arg("migrate").output().unwrap());
    succeeded(
        &installed(&dir)
            .args(["seed", "--users", "2", "--posts", "7", "--seed", "3"])
            .output()
            .unwrap(),
    );
    let copy = dir.join("backup.db");
    let out = succeeded(&installed(&dir).arg("backup").arg(&copy).output().unwrap());
    assert!(out.contains("backed up to"), "{out}");
    let again = installed(&dir).arg("backup").arg(&copy).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let backup = sqlx::AnyPool::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&backup)
            .await
            .unwrap();
        assert_eq!(check, "ok");
        let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
            .fetch_one(&backup)
            .await
            .unwrap();
        assert_eq!(posts, 7);
    });

    // Serving from here, with the site folder named by a variable.
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("favicon.svg"), crate::common::FAVICON).unwrap();
    let port = free_port();
    let mut child = installed(&dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &site)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = answers(port, "/readyz");
    let favicon = http_get(port, "/favicon.svg");
    let home = http_get(port, "/");
    let _ = child.kill();
    let _ = child.wait();
    assert!(ready, "ready from another folder");
    assert!(favicon.starts_with("HTTP/1.1 200") && favicon.ends_with(crate::common::FAVICON));
    assert!(
        home.starts_with("HTTP/1.1 200") && home.contains("Quill"),
        "{home}"
    );
}

/// `quill serve` on a free port, logging JSON lines at info with `env` added; its port, and
/// whether it came up.
fn serve_logging_json(env: &[(&str, &str)]) -> (std::process::Child, u16, bool) {
    let dir = temp_dir();
    let port = free_port();
    let mut cmd = quill(&dir);
    cmd.env("SECRET_KEY", crate::common::SECRET)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sqlx=warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let up = answers(port, "/readyz");
    (child, port, up)
}

/// Stops the server with SIGTERM; what it logged.
fn stop_and_read_log(child: std::process::Child) -> String {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_request_is_one_json_log_line_without_secrets() {
    let (child, port, up) = serve_logging_json(&[]);
    // A reset link (its token must not reach the log), with a forged X-Forwarded-For (no proxy
    // is trusted, so the socket address is logged).
    raw_http(
        port,
        "GET /reset_password/7.9999999999.secret-token HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\
         X-Forwarded-For: 203.0.113.66\r\nConnection: close\r\n\r\n",
    );
    let log = stop_and_read_log(child);
    assert!(up);
    assert!(!log.contains("secret-token"), "{log}");
    let line = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["message"] == "answered" && v["span"]["path"] == "/reset_password/[redacted]")
        .unwrap_or_else(|| panic!("no JSON line for the request in {log}"));
    assert_eq!(line["span"]["client"], "127.0.0.1", "{line}");
    assert_eq!(line["span"]["method"], "GET");
    assert!(
        line["span"]["id"].as_str().is_some_and(|id| id.len() >= 32),
        "{line}"
    );
    assert!(
        line["status"].as_u64().is_some() && line["duration_ms"].as_f64().is_some(),
        "{line}"
    );
}

/// Load shed on purpose (a full hashing queue answers 503 with `Retry-After`) is logged as an
/// answer, not as an error: a flood of logins must not write an error line per attempt.
#[test]
fn a_busy_answer_is_not_an_error_line() {
    let (child, port, up) = serve_logging_json(&[
        ("HASHING_CONCURRENCY", "1"),
        ("HASHING_QUEUE", "1"),
        ("THROTTLE_LOGIN_PER_CLIENT", "1000"),
        ("THROTTLE_LOGIN_PER_ACCOUNT", "1000"),
    ]);
    let body = "email=nobody%40example.com&password=wrong-password";
    let request = format!(
        "POST /_fn/login HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let attempts: Vec<_> = (0..12)
        .map(|_| {
            let request = request.clone();
            std::thread::spawn(move || raw_http(port, &request))
        })
        .collect();
    let busy = attempts
        .into_iter()
        .map(|a| a.join().unwrap())
        .filter(|reply| reply.starts_with("HTTP/1.1 503"))
        .count();
    let log = stop_and_read_log(child);
    assert!(up);
    assert!(
        busy > 0,
        "one hashing, one waiting: the rest are busy\n{log}"
    );
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let answered_busy = lines
        .iter()
        .filter(|v| v["message"] == "answered" && v["status"] == 503)
        .count();
    assert_eq!(answered_busy, busy, "{log}");
    assert!(
        lines.iter().all(|v| v["level"] != "ERROR"),
        "no error lines: {log}"
    );
}
