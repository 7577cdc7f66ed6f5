//! Security headers: a Content Security Policy that lets only the page's own scripts run.

use crate::common::{Backend, TestApp};
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
