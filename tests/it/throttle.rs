//! Guessing is throttled: logins per client and per account, registrations and reset requests
//! per client, reset mails per address. Limits slow a key down; they never ban it.

use crate::common::{Backend, TestApp};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::json;

async fn api_login(
    app: &TestApp,
    email: &str,
    password: &str,
    forwarded: Option<&str>,
) -> (u16, Option<u64>) {
    let mut req = TestApp::new_client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}));
    if let Some(forwarded) = forwarded {
        req = req.header("x-forwarded-for", forwarded);
    }
    let res = req.send().await.unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (res.status().as_u16(), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_wrong_logins_to_one_account_are_slowed_down() {
    // The per-client limit out of the way: this is about the account's.
    let app = TestApp::spawn_with(Backend::Sqlite, &[("THROTTLE_LOGIN_PER_CLIENT", "1000")]).await;
    app.register("ann", "ann@example.com", "password123").await;
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let res = app.login("ann@example.com", "wrong-password").await;
        statuses.push(res.status().as_u16());
    }
    assert!(statuses[..10].iter().all(|s| *s == 422), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    // The right password waits like a wrong one, and the wait is short: 10 a minute.
    let res = app.login("ann@example.com", "password123").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=6).contains(&retry), "{retry}");
    // The API shares the account's limit.
    let (status, retry) = api_login(&app, "ann@example.com", "password123", None).await;
    assert_eq!(status, 429);
    assert!(retry.is_some_and(|r| r <= 6));
    // Other accounts are not held up by ann's.
    app.register("bob", "bob@example.com", "password123").await;
    assert_eq!(
        app.login("bob@example.com", "password123").await.status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessing_client_is_slowed_down_on_every_account() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("THROTTLE_LOGIN_PER_CLIENT", "5")]).await;
    app.register("ann", "ann@example.com", "password123").await;
    for n in 0..5 {
        let (status, _) = api_login(&app, &format!("u{n}@example.com"), "guess-guess", None).await;
        assert_eq!(status, 401);
    }
    let (status, retry) = api_login(&app, "ann@example.com", "password123", None).await;
    assert_eq!(
        status, 429,
        "a right password from a throttled client waits too"
    );
    assert!(retry.is_some_and(|r| (1..=12).contains(&r)), "{retry:?}");
    // Without JavaScript: back to the form, which says when to try again.
    let res = app
        .client
        .post(app.url("/_fn/login"))
        .header(ACCEPT, "text/html")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=ann%40example.com&password=password123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers().get("retry-after").is_some());
    let (_, html) = app.page_text("/login").await;
    assert!(
        html.contains("Too many attempts. Please try again in"),
        "{html}"
    );
    assert!(html.contains("<title>Quill - Login</title>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_and_reset_requests_are_throttled() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("THROTTLE_REGISTER_PER_CLIENT", "3"),
            ("THROTTLE_RESET_PER_ADDRESS", "2"),
        ],
    )
    .await;
    for name in ["ann", "bob", "cat"] {
        let res = app
            .register(name, &format!("{name}@example.com"), "password123")
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app.register("dan", "dan@example.com", "password123").await;
    assert_eq!(res.status(), 429);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3);
    let (status, body) = crate::api::post_json(
        &app,
        "/api/v1/auth/register",
        json!({"email": "eve@example.com", "password": "password123", "username": "eve"}),
        None,
    )
    .await;
    assert_eq!(status, 429, "{body}");

    for _ in 0..2 {
        let res = app
            .call("request_reset", &[("email", "ann@example.com")])
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .call("request_reset", &[("email", "ann@example.com")])
        .await;
    assert_eq!(res.status(), 429, "no third mail to one address");
    // Unknown addresses count the same, so the answer says nothing about who exists.
    for expected in [200, 200, 429] {
        let res = app
            .call("request_reset", &[("email", "ghost@example.com")])
            .await;
        assert_eq!(res.status(), expected);
    }
    assert_eq!(app.wait_for_links(2).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let behind_proxy = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("TRUSTED_PROXIES", "127.0.0.1, ::1"),
            ("THROTTLE_LOGIN_PER_CLIENT", "2"),
        ],
    )
    .await;
    for _ in 0..2 {
        let (status, _) = api_login(
            &behind_proxy,
            "a@example.com",
            "guess-guess",
            Some("198.51.100.1"),
        )
        .await;
        assert_eq!(status, 401);
    }
    let (status, _) = api_login(
        &behind_proxy,
        "b@example.com",
        "guess-guess",
        Some("198.51.100.1"),
    )
    .await;
    assert_eq!(status, 429, "the forwarded client is throttled");
    let (status, _) = api_login(
        &behind_proxy,
        "c@example.com",
        "guess-guess",
        Some("198.51.100.2"),
    )
    .await;
    assert_eq!(status, 401, "another forwarded client is not");

    // Straight at Quill, a forged header changes nothing: the socket address counts.
    let direct = TestApp::spawn_with(Backend::Sqlite, &[("THROTTLE_LOGIN_PER_CLIENT", "2")]).await;
    for forged in ["198.51.100.1", "198.51.100.2"] {
        let (status, _) = api_login(&direct, "a@example.com", "guess-guess", Some(forged)).await;
        assert_eq!(status, 401);
    }
    let (status, _) = api_login(
        &direct,
        "b@example.com",
        "guess-guess",
        Some("198.51.100.3"),
    )
    .await;
    assert_eq!(status, 429);
}
