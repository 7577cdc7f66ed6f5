//! Security headers: a Content Security Policy that lets only the page's own scripts run.

use crate::common::{on_each_database, Backend, TestApp};
use reqwest::header::{ACCEPT, ORIGIN};

fn script_src(csp: &str) -> String {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_scripts_run_only_with_the_pages_nonce() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut nonces = Vec::new();
    for path in ["/", "/login", "/about"] {
        let res = app.page(path).await;
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let html = res.text().await.unwrap();
        let scripts = script_src(&csp);
        assert!(!scripts.contains("unsafe-inline"), "{path}: {csp}");
        let nonce = scripts
            .split_whitespace()
            .find_map(|s| s.strip_prefix("'nonce-"))
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_string();
        let tags: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(!tags.is_empty(), "{path}: the page hydrates with a script");
        for tag in tags {
            let head = tag.split('>').next().unwrap_or_default();
            assert!(
                head.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{head}>"
            );
        }
        assert!(csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"));
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a new nonce for every page");

    // An answer made outside the pages allows no inline script at all.
    let res = app
        .client
        .post(app.url("/_fn/logout"))
        .header(ACCEPT, "text/html")
        .header(ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(script_src(csp), "script-src 'self' 'wasm-unsafe-eval'");
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    cross_site_posts_are_rejected,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let send = |origin: Option<&'static str>, site: Option<&'static str>| {
            let mut req = app
                .client
                .post(app.url("/_fn/register"))
                .header(ACCEPT, "application/json")
                .form(&[
                    ("username", "eve"),
                    ("email", "eve@example.com"),
                    ("password", "password123"),
                    ("confirm_password", "password123"),
                ]);
            if let Some(origin) = origin {
                req = req.header(ORIGIN, origin);
            }
            if let Some(site) = site {
                req = req.header("sec-fetch-site", site);
            }
            req.send()
        };
        let res = send(Some("https://evil.example"), None).await.unwrap();
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("another site"));
        assert_eq!(send(None, Some("cross-site")).await.unwrap().status(), 403);
        assert_eq!(send(Some("null"), None).await.unwrap().status(), 403);
        // The same host under another scheme is another origin.
        let other_scheme = app.base.replace("http://", "https://");
        let other_scheme: &'static str = Box::leak(other_scheme.into_boxed_str());
        assert_eq!(send(Some(other_scheme), None).await.unwrap().status(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
        // Behind a proxy the Host header may differ from PUBLIC_URL: the Origin is compared
        // with PUBLIC_URL, not with Host.
        let res = app
            .client
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "application/json")
            .header(ORIGIN, &app.base)
            .header("host", "quill-upstream:8080")
            .form(&[("email", "nobody@example.com"), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            422,
            "judged on its merits, not refused as cross-site"
        );
        let own = app.base.clone();
        let own: &'static str = Box::leak(own.into_boxed_str());
        assert_eq!(
            send(Some(own), Some("same-origin")).await.unwrap().status(),
            200
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_anonymous_pages_may_be_cached_and_only_for_a_second() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let cache = |res: &reqwest::Response| {
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let res = app.page("/").await;
    assert_eq!(cache(&res), "public, max-age=0, s-maxage=1");
    // A visitor whose request carries a flash (a page after a form) gets a private page.
    let res = app.call("logout", &[]).await;
    assert_eq!(res.status(), 200);
    app.register("ann", "ann@example.com", "password123").await;
    let res = app.page("/login").await;
    assert_eq!(
        cache(&res),
        "private, no-store",
        "the page that shows a flash"
    );
    app.login("ann@example.com", "password123").await;
    for path in ["/", "/about", "/account"] {
        let res = app.page(path).await;
        assert_eq!(cache(&res), "private, no-store", "{path}, signed in");
    }
    // Static files and pictures keep their own rules.
    let res = app
        .client
        .get(app.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert!(!cache(&res).contains("private"));
}

/// Pages are rendered whole before their first byte, and sent so: one body with its length,
/// never chunked — the home page with its posts, a 404 page, a server function's answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_sent_whole_with_their_length() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.signed_in("whole").await;
    for i in 0..7 {
        let title = format!("Post {i}");
        let res = app
            .call(
                "create_post",
                &[("title", &title), ("content", "Some text.")],
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    for path in ["/", "/?page=2", "/about", "/no/such/page", "/post/999999"] {
        let res = app.page(path).await;
        let headers = res.headers().clone();
        assert!(
            headers.get("transfer-encoding").is_none(),
            "{path}: {headers:?}"
        );
        let length: usize = headers["content-length"].to_str().unwrap().parse().unwrap();
        let body = res.bytes().await.unwrap();
        assert_eq!(length, body.len(), "{path}");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("</html>"), "{path}");
    }
    let res = app
        .call(
            "login",
            &[
                ("email", "nobody@example.com"),
                ("password", "wrong password"),
            ],
        )
        .await;
    let length: usize = res.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, res.bytes().await.unwrap().len());
}
