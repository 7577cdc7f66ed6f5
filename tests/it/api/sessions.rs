//! Tokens and sessions die with the password, "log out everywhere" ends them all, and the last
//! administrator stays.

use super::{call, make_admin, post_json, register};
use crate::common::{on_each_database, Backend, TestApp};
use reqwest::header::ACCEPT;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

async fn token(app: &TestApp, email: &str, password: &str) -> String {
    let (status, body) = post_json(
        app,
        "/api/v1/auth/login",
        json!({"email": email, "password": password}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["auth_token"].as_str().unwrap().to_string()
}

async fn works(app: &TestApp, token: &str) -> bool {
    let (status, _, _) = call(app, Method::GET, "/api/v1/auth/status", Some(token), None).await;
    status == 200
}

async fn sessions_of(app: &TestApp, name: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = '{name}'"
    ))
    .await
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    a_new_password_ends_every_other_token_and_session,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let first = register(&app, "ann").await;
        let second = token(&app, "ann@example.com", "password123").await;
        assert_eq!(
            app.login("ann@example.com", "password123").await.status(),
            200
        );
        let id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            Some(&first),
            Some(json!({"password": "a-new-password", "current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert!(works(&app, &first).await, "the token that changed it stays");
        assert!(!works(&app, &second).await, "every other token ends");
        assert_eq!(sessions_of(&app, "ann").await, 0, "and every web session");
        let fresh = token(&app, "ann@example.com", "a-new-password").await;
        assert!(works(&app, &fresh).await);

        // A reset by e-mail ends them all, the keeper too.
        let res = app
            .call("request_reset", &[("email", "ann@example.com")])
            .await;
        assert_eq!(res.status(), 200);
        let links = app.wait_for_links(1).await;
        let link = links.last().expect("a reset mail").clone();
        let token_part = link.rsplit('/').next().unwrap().to_string();
        let res = app
            .call(
                "reset_password",
                &[
                    ("token", &token_part),
                    ("password", "third-password"),
                    ("confirm_password", "third-password"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(!works(&app, &first).await && !works(&app, &fresh).await);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_account_form_changes_the_password_with_the_current_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.signed_in("ann").await;
    let api = token(&app, "ann@example.com", "password123").await;
    let send = |current: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("username", "ann")
            .text("email", "ann@example.com")
            .text("password", "a-new-password")
            .text("confirm_password", "a-new-password")
            .text("current_password", current);
        app.client
            .post(app.url("/_fn/update_account"))
            .header(ACCEPT, "application/json")
            .multipart(form)
            .send()
    };
    let res = send("not-it-at-all").await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(works(&app, &api).await, "a refused change ends nothing");
    let res = send("password123").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(!works(&app, &api).await, "API tokens end with the password");
    assert_eq!(sessions_of(&app, "ann").await, 0);
    token(&app, "ann@example.com", "a-new-password").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_change_needs_the_password_and_tells_the_old_address() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ann = register(&app, "ann").await;
    let id = app
        .count("SELECT id FROM users WHERE username = 'ann'")
        .await;
    let path = format!("/api/v1/users/{id}");
    let (status, _, body) = call(
        &app,
        Method::PUT,
        &path,
        Some(&ann),
        Some(json!({"email": "ann@example.net"})),
    )
    .await;
    assert_eq!(status, 403, "not without the current password");
    assert!(body["errors"]["current_password"].is_string(), "{body}");
    let (status, _, _) = call(
        &app,
        Method::PUT,
        &path,
        Some(&ann),
        Some(json!({"email": "ann@example.net", "current_password": "password123"})),
    )
    .await;
    assert_eq!(status, 200);
    let mut notice = None;
    for _ in 0..50 {
        notice = std::fs::read_dir(&app.mail_dir).ok().and_then(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .find(|text| text.contains("To: ann@example.com"))
        });
        if notice.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let notice = notice.expect("a notice to the old address");
    assert!(notice.contains("ann@example.net"), "{notice}");
    // An administrator changes someone else's address without their password.
    let admin = make_admin(&app, "root").await;
    let (status, _, body) = call(
        &app,
        Method::PUT,
        &path,
        Some(&admin),
        Some(json!({"email": "ann@example.org"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    log_out_everywhere_on_the_page_and_in_the_api,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let other_device = TestApp::new_client();
        other_device
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "application/json")
            .form(&[("email", "ann@example.com"), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(sessions_of(&app, "ann").await, 2);
        let api = token(&app, "ann@example.com", "password123").await;
        let (_, html) = app.page_text("/account").await;
        assert!(html.contains("Log out everywhere"));
        let res = app.call("logout_everywhere", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(sessions_of(&app, "ann").await, 0);
        assert!(!works(&app, &api).await);
        let (status, _) = app.page_text("/account").await;
        assert_eq!(status, 302, "signed out here too");

        // The API: ?all=true.
        let one = token(&app, "ann@example.com", "password123").await;
        let two = token(&app, "ann@example.com", "password123").await;
        assert_eq!(
            app.login("ann@example.com", "password123").await.status(),
            200
        );
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/auth/logout?all=maybe",
            Some(&one),
            None,
        )
        .await;
        assert_eq!(status, 422);
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/auth/logout?all=true",
            Some(&one),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert!(!works(&app, &one).await && !works(&app, &two).await);
        assert_eq!(sessions_of(&app, "ann").await, 0);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_last_administrator_cannot_be_deleted,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let root = make_admin(&app, "root").await;
        let id = app
            .count("SELECT id FROM users WHERE username = 'root'")
            .await;
        let (status, _, body) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Some(&root),
            Some(json!({"current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("last administrator"));
        make_admin(&app, "deputy").await;
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            Some(&root),
            Some(json!({"current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 200);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_cookies_are_host_only_and_secure_with_hsts() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("PUBLIC_URL", "https://blog.example")]).await;
    app.register("ann", "ann@example.com", "password123").await;
    let res = app.login("ann@example.com", "password123").await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.contains("quill_session"))
        .expect("a session cookie");
    assert!(cookie.starts_with("__Host-quill_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    let hsts = res.headers().get("strict-transport-security");
    assert_eq!(
        hsts.and_then(|v| v.to_str().ok()),
        Some("max-age=63072000; includeSubDomains")
    );
    // Over plain http there is no HSTS and the names are plain.
    let plain = TestApp::spawn(Backend::Sqlite).await;
    plain
        .register("bob", "bob@example.com", "password123")
        .await;
    let res = plain.login("bob@example.com", "password123").await;
    assert!(res.headers().get("strict-transport-security").is_none());
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("quill_session=") && !cookie.contains("Secure"),
        "{cookie}"
    );
}
