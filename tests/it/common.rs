//! Spawns the real application on 127.0.0.1:0 with a fresh database, SQLite or PostgreSQL,
//! through the same `Application::build` as `quill serve`.

use quill::domain::config::Config;
use quill::web::server::Application;
use quill::web::AppState;
use reqwest::header::{ACCEPT, REFERER};
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::path::PathBuf;

/// The one file in a test's site folder, at `/favicon.svg`.
pub const FAVICON: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>"#;

pub const SECRET: &str = "test-secret-0123456789abcdef0123456789";

pub use quill_testkit::{database_url, on_each_database, unique, Backend};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub mail_dir: PathBuf,
}

/// A Quill on a free port of 127.0.0.1 with a fresh database and mail folder, not yet serving.
/// `PUBLIC_URL` names the port it was given.
pub async fn build(backend: Backend, extra: &[(&str, &str)]) -> Application {
    let dir = std::env::temp_dir().join(unique("quill-test-"));
    std::fs::create_dir_all(&dir).unwrap();
    // Bound first, so that the configuration can name the port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("DATABASE_URL".into(), database_url(backend, &dir).await);
    vars.insert("SECRET_KEY".into(), SECRET.into());
    vars.insert("PUBLIC_URL".into(), format!("http://{addr}"));
    vars.insert("MAIL_DIR".into(), dir.join("mail").display().to_string());
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
    // A site folder of its own, with a file to serve.
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("favicon.svg"), FAVICON).unwrap();
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("quill")
        .site_root(site.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    Application::build_on(listener, config, options)
        .await
        .unwrap()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        let app = build(backend, extra).await;
        let addr = app.address();
        let state = app.state().clone();
        let mail_dir = state.config.mail_dir.clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Self {
            base: format!("http://{addr}"),
            client: Self::new_client(),
            state,
            mail_dir,
        }
    }

    /// The same Quill seen from another browser: a client with cookies of its own.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: Self::new_client(),
            state: self.state.clone(),
            mail_dir: self.mail_dir.clone(),
        }
    }

    pub fn new_client() -> reqwest::Client {
        // A request that hangs fails its test instead of holding up the whole run.
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A page load as a browser makes it.
    pub async fn page(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap()
    }

    /// A plain GET (no `Accept`), with the given headers: what a crawler or a feed reader sends.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    pub async fn page_text(&self, path: &str) -> (u16, String) {
        let res = self.page(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// A server function called by the hydrated page (JavaScript on).
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/_fn/{name}")))
            .header(ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The same server function posted by a plain HTML form (JavaScript off).
    pub async fn post_form(
        &self,
        name: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/_fn/{name}")))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, self.url(from_page))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn register(&self, username: &str, email: &str, password: &str) -> reqwest::Response {
        self.call(
            "register",
            &[
                ("username", username),
                ("email", email),
                ("password", password),
                ("confirm_password", password),
            ],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.call("login", &[("email", email), ("password", password)])
            .await
    }

    /// Registers and logs in `name` with e-mail `name@example.com` and password `password123`.
    pub async fn signed_in(&self, name: &str) {
        let email = format!("{name}@example.com");
        assert_eq!(
            self.register(name, &email, "password123").await.status(),
            200
        );
        assert_eq!(self.login(&email, "password123").await.status(), 200);
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&self.state.db)
            .await
            .unwrap()
            .get::<i64, _>(0)
    }

    /// The reset links mailed, once there are at least `n` (mail is sent off the request path),
    /// and after a moment more for any that should not be there.
    pub async fn wait_for_links(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            if self.mailed_links().len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        self.mailed_links()
    }

    /// The reset links mailed so far, oldest first.
    pub fn mailed_links(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|text| {
                // Undo quoted-printable soft breaks before looking for the link.
                let text = text
                    .replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "=");
                text.split_whitespace()
                    .find(|w| w.contains("/reset_password/"))
                    .map(str::to_string)
            })
            .collect()
    }
}

pub fn redirect_target(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

pub async fn error_json(res: reqwest::Response) -> serde_json::Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// Sends `request` (head and as much body as given) on a new connection and keeps the
/// connection open, sending nothing more, until the server answers and closes or `wait`
/// passes. Answers everything the server sent. Write errors are ignored: a server may refuse
/// and close before it has read everything.
pub async fn raw_exchange(app: &TestApp, request: Vec<u8>, wait: std::time::Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        // Hold the write half open: the body is "still coming".
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        drop(writer);
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, reader.read_to_end(&mut answer)).await;
    writing.abort();
    String::from_utf8_lossy(&answer).into_owned()
}
