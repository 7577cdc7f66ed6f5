//! Writes under load and under a crash: what was acknowledged is there, nothing else breaks.

use crate::common::{database_url, on_each_database, unique, Backend, TestApp, SECRET};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

async fn api_token(base: &str, name: &str) -> String {
    let res = TestApp::new_client()
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": format!("{name}@example.com"), "password": "password123", "username": name}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["auth_token"].as_str().unwrap().to_string()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    a_thousand_posts_over_64_connections_are_a_thousand_rows,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = api_token(&app.base, "ann").await;
        let mut writers = Vec::new();
        for writer in 0..64 {
            let client = TestApp::new_client();
            let (url, token) = (app.url("/api/v1/posts"), token.clone());
            writers.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for n in (writer..1000).step_by(64) {
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"title": format!("Post {n}"), "content": "Under load."}))
                        .send()
                        .await
                        .unwrap();
                    statuses.push(res.status().as_u16());
                }
                statuses
            }));
        }
        let mut statuses = Vec::new();
        for writer in writers {
            statuses.extend(writer.await.unwrap());
        }
        assert_eq!(statuses.len(), 1000);
        assert!(statuses.iter().all(|s| *s == 201), "{backend:?}: {:?}", {
            let mut odd: Vec<_> = statuses.iter().filter(|s| **s != 201).collect();
            odd.dedup();
            odd
        });
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1000);
        assert_eq!(
            app.count("SELECT COUNT(DISTINCT title) FROM posts").await,
            1000
        );
    }
);

/// A `quill serve` process, stopped when dropped, so a failing test leaves none behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `quill serve` as a process on `database`, run from `dir` (not the source tree), not yet
/// waited for.
fn spawn_server(database: &str, dir: &std::path::Path) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_quill"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database)
        .env("SECRET_KEY", SECRET)
        .env("PUBLIC_URL", &base)
        .env("MAIL_DIR", dir.join("mail"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "error")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (Server(child), base)
}

/// Waits up to 30 s for `/readyz`.
async fn wait_ready(base: &str) {
    let client = TestApp::new_client();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(res) = client.get(format!("{base}/readyz")).send().await {
            if res.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("quill serve at {base} did not get ready");
}

async fn start(database: &str, dir: &std::path::Path) -> (Server, String) {
    let (server, base) = spawn_server(database, dir);
    wait_ready(&base).await;
    (server, base)
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    two_instances_started_at_once_share_one_database,
    |backend| async move {
        let dir = std::env::temp_dir().join(unique("quill-two-"));
        std::fs::create_dir_all(&dir).unwrap();
        let database = database_url(backend, &dir).await;
        // Both migrate the fresh database at the same moment.
        let (_one, base_one) = spawn_server(&database, &dir);
        let (_two, base_two) = spawn_server(&database, &dir);
        wait_ready(&base_one).await;
        wait_ready(&base_two).await;
        // A token made by one works on the other, and so does a web session.
        let token = api_token(&base_one, "ann").await;
        let res = TestApp::new_client()
            .get(format!("{base_two}/api/v1/auth/status"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let browser = TestApp::new_client();
        let res = browser
            .post(format!("{base_one}/_fn/login"))
            .header("accept", "application/json")
            .form(&[("email", "ann@example.com"), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_string();
        let page = browser
            .get(format!("{base_two}/account"))
            .header("accept", "text/html")
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("ann@example.com"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    kill_9_in_a_write_storm_loses_no_acknowledged_post,
    |backend| async move {
        let dir = std::env::temp_dir().join(unique("quill-crash-"));
        std::fs::create_dir_all(&dir).unwrap();
        let database = database_url(backend, &dir).await;
        let (server, base) = start(&database, &dir).await;
        let token = api_token(&base, "ann").await;
        let mut writers = Vec::new();
        for writer in 0..32 {
            let client = TestApp::new_client();
            let (url, token) = (format!("{base}/api/v1/posts"), token.clone());
            writers.push(tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut sent = 0;
                // Until the server is gone (at most 20 s).
                let deadline = Instant::now() + Duration::from_secs(20);
                while Instant::now() < deadline {
                    sent += 1;
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"title": format!("Storm {writer}-{sent}"), "content": "x"}))
                        .send()
                        .await;
                    let Ok(res) = res else { break };
                    if res.status() == 201 {
                        if let Ok(body) = res.json::<Value>().await {
                            acknowledged.push(body["data"]["id"].as_i64().unwrap());
                        }
                    } else {
                        assert!(
                            res.status().as_u16() < 500,
                            "a write answered {}",
                            res.status()
                        );
                    }
                }
                (sent, acknowledged)
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let killed = Command::new("kill")
            .args(["-KILL", &server.0.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        drop(server);
        let (mut sent, mut acknowledged) = (0, Vec::new());
        for writer in writers {
            let (s, a) = writer.await.unwrap();
            sent += s;
            acknowledged.extend(a);
        }
        assert!(
            acknowledged.len() > 10,
            "the storm wrote something: {}",
            acknowledged.len()
        );

        // Started again on the same database: whole, and everything acknowledged is there.
        let (_again, _) = start(&database, &dir).await;
        sqlx::any::install_default_drivers();
        let db = sqlx::AnyPool::connect(&database).await.unwrap();
        if backend == Backend::Sqlite {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&db)
                .await
                .unwrap();
            assert_eq!(check, "ok");
        }
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM posts")
            .fetch_all(&db)
            .await
            .unwrap();
        let found = acknowledged.iter().filter(|id| ids.contains(id)).count();
        println!(
            "{backend:?}: {sent} writes sent, {} acknowledged, {found} found after kill -9, {} rows",
            acknowledged.len(),
            ids.len()
        );
        assert_eq!(
            found,
            acknowledged.len(),
            "every acknowledged post survived"
        );
    }
);
