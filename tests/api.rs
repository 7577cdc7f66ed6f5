//! The REST API's authentication endpoints, on SQLite and PostgreSQL alike.

mod common;

use common::{each_backend, Backend, TestApp, SECRET};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};

async fn post_json(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let mut req = TestApp::new_client().post(app.url(path)).json(&body);
    if let Some(token) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn status_with(app: &TestApp, header: Option<&str>) -> (u16, Value) {
    let mut req = TestApp::new_client().get(app.url("/api/v1/auth/status"));
    if let Some(header) = header {
        req = req.header(AUTHORIZATION, header);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn register(app: &TestApp, name: &str) -> String {
    let (status, body) = post_json(
        app,
        "/api/v1/auth/register",
        json!({"email": format!("{name}@example.com"), "password": "password123", "username": name}),
        None,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["auth_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_login_status_logout() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let (status, body) = post_json(
            &app,
            "/api/v1/auth/register",
            json!({"email": "Ann@Example.com", "password": "password123", "username": "ann"}),
            None,
        )
        .await;
        assert_eq!(status, 201, "{backend:?} {body}");
        assert_eq!(body["status"], "success");
        assert_eq!(body["message"], "Successfully registered.");
        let token = body["auth_token"].as_str().unwrap().to_string();

        let (status, body) = status_with(&app, Some(&format!("Bearer {token}"))).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["username"], "ann");
        assert_eq!(body["data"]["email"], "ann@example.com");
        assert_eq!(body["data"]["admin"], false);
        assert!(body["data"]["registered_on"]
            .as_str()
            .unwrap()
            .ends_with('Z'));
        assert!(body["data"]["user_id"].is_i64());

        let (status, body) = post_json(
            &app,
            "/api/v1/auth/login",
            json!({"email": "ann@example.com", "password": "password123"}),
            None,
        )
        .await;
        assert_eq!(status, 200);
        let second = body["auth_token"].as_str().unwrap().to_string();
        assert_ne!(second, token);

        let (status, body) = post_json(&app, "/api/v1/auth/logout", json!({}), Some(&token)).await;
        assert_eq!(status, 200);
        assert_eq!(body["message"], "Successfully logged out.");
        let (status, body) = status_with(&app, Some(&format!("Bearer {token}"))).await;
        assert_eq!(status, 401);
        assert_eq!(body["message"], "Token revoked. Please log in again.");
        let (status, _) = post_json(&app, "/api/v1/auth/logout", json!({}), Some(&token)).await;
        assert_eq!(status, 401, "a revoked token cannot log out again");
        // The other token still works.
        assert_eq!(
            status_with(&app, Some(&format!("Bearer {second}"))).await.0,
            200
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM revoked_tokens").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_refuses_duplicates_and_bad_fields() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        register(&app, "ann").await;
        let (status, body) = post_json(
            &app,
            "/api/v1/auth/register",
            json!({"email": "ANN@example.com", "password": "password123", "username": "other"}),
            None,
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(body["status"], "fail");
        assert_eq!(
            body["message"],
            "That e-mail address is already registered."
        );
        let (status, _) = post_json(
            &app,
            "/api/v1/auth/register",
            json!({"email": "new@example.com", "password": "password123", "username": "Ann"}),
            None,
        )
        .await;
        assert_eq!(status, 409);
        let (status, body) = post_json(
            &app,
            "/api/v1/auth/register",
            json!({"email": "bad", "password": "short", "username": "x"}),
            None,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]["email"].is_string()
                && body["errors"]["password"].is_string()
                && body["errors"]["username"].is_string()
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_get_one_answer() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        register(&app, "ann").await;
        let wrong = post_json(
            &app,
            "/api/v1/auth/login",
            json!({"email": "ann@example.com", "password": "nope-nope"}),
            None,
        )
        .await;
        let unknown = post_json(
            &app,
            "/api/v1/auth/login",
            json!({"email": "who@example.com", "password": "password123"}),
            None,
        )
        .await;
        assert_eq!(wrong.0, 401);
        assert_eq!(wrong, unknown);
        assert_eq!(wrong.1["message"], "Invalid e-mail or password.");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_bad_token_is_refused_with_its_reason() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = register(&app, "ann").await;
        let id = app.count("SELECT id FROM users").await;
        let now = quill::backend::db::now();
        let (expired, _) = quill::backend::jwt::issue(SECRET, id, now - 7200, 3600).unwrap();
        let (foreign, _) =
            quill::backend::jwt::issue("some-other-secret-some-other-secret", id, now, 3600)
                .unwrap();
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = token.split('.').nth(1).unwrap();
        let none = format!(
            "{}.{payload}.",
            b64.encode(br#"{"alg":"none","typ":"JWT"}"#)
        );
        let mut claims: Value = serde_json::from_slice(&b64.decode(payload).unwrap()).unwrap();
        claims["sub"] = json!((id + 1).to_string());
        let forged = format!(
            "{}.{}.{}",
            token.split('.').next().unwrap(),
            b64.encode(claims.to_string()),
            token.split('.').nth(2).unwrap()
        );
        let cases: Vec<(Option<String>, &str)> = vec![
            (None, "Provide a valid auth token."),
            (Some("Bearer".into()), "Bearer token malformed."),
            (Some(format!("Token {token}")), "Bearer token malformed."),
            (Some("Bearer not-a-jwt".into()), "Bearer token malformed."),
            (
                Some(format!("Bearer {expired}")),
                "Signature expired. Please log in again.",
            ),
            (
                Some(format!("Bearer {foreign}")),
                "Invalid token: its signature or algorithm is not accepted.",
            ),
            (
                Some(format!("Bearer {forged}")),
                "Invalid token: its signature or algorithm is not accepted.",
            ),
        ];
        for (header, message) in cases {
            let (status, body) = status_with(&app, header.as_deref()).await;
            assert_eq!(status, 401, "{header:?}");
            assert_eq!(body["message"], message, "{header:?}");
            assert_eq!(body["status"], "fail");
            assert!(
                !body.to_string().contains("ann"),
                "says nothing about the user"
            );
        }
        let (status, _) = status_with(&app, Some(&format!("Bearer {none}"))).await;
        assert_eq!(status, 401, "alg none");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_after_their_configured_lifetime() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("API_TOKEN_SECONDS", "1")]).await;
    let token = register(&app, "ann").await;
    assert_eq!(
        status_with(&app, Some(&format!("Bearer {token}"))).await.0,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, body) = status_with(&app, Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, 401);
    assert_eq!(body["message"], "Signature expired. Please log in again.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_must_be_well_formed_json() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = TestApp::new_client();
        let send = |content_type: &'static str, body: Vec<u8>| {
            client
                .post(app.url("/api/v1/auth/login"))
                .header(CONTENT_TYPE, content_type)
                .body(body)
                .send()
        };
        let res = send("text/plain", b"{}".to_vec()).await.unwrap();
        assert_eq!(res.status(), 415);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "fail");
        let res = send("application/json", b"{\"email\": ".to_vec())
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        assert!(res.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .starts_with("Malformed JSON"));
        let res = send(
            "application/json",
            br#"{"email": 5, "password": []}"#.to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 422);
        let res = send(
            "application/json",
            br#"{"email": "a@example.com"}"#.to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), 422, "missing field");
        let big = format!(r#"{{"email": "{}", "password": "x"}}"#, "a".repeat(300_000));
        let res = send("application/json", big.into_bytes()).await.unwrap();
        assert_eq!(res.status(), 413);
        let res = client
            .get(app.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "fail");
        let res = client
            .get(app.url("/api/v1/auth/login"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_sessions_and_api_tokens_do_not_mix() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        // A signed-in browser (session cookie) is nobody to the API.
        app.signed_in("ann").await;
        let res = app
            .client
            .get(app.url("/api/v1/auth/status"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        // An API token does not sign anyone into the pages.
        let token = register(&app, "bob").await;
        let res = TestApp::new_client()
            .get(app.url("/account"))
            .header(ACCEPT, "text/html")
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "sent to the login page");
        // Cross-site checks do not apply to bearer-token calls.
        let res = TestApp::new_client()
            .post(app.url("/api/v1/auth/logout"))
            .header("origin", "https://app.example")
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    })
    .await;
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = TestApp::new_client().request(method, app.url(path));
    if let Some(token) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.json().await.unwrap_or(Value::Null))
}

async fn make_admin(app: &TestApp, name: &str) -> String {
    let token = register(app, name).await;
    sqlx::query("UPDATE users SET is_admin = 1 WHERE username = $1")
        .bind(name)
        .execute(&app.state.db)
        .await
        .unwrap();
    token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_resource_crud_and_permissions() {
    use reqwest::Method;
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let (status, _, body) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            Some(&ann),
            Some(json!({"title": "Hello", "content": "Line 1\nLine 2"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let id = body["data"]["id"].as_i64().unwrap();
        assert_eq!(body["data"]["author"]["username"], "ann");
        let (status, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts/{id}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["content"], "Line 1\nLine 2");
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            None,
            Some(json!({"title": "x", "content": "y"})),
        )
        .await;
        assert_eq!(status, 401);
        let (status, _, body) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            Some(&ann),
            Some(json!({"title": "", "content": "y"})),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"]["title"], "Please give your post a title.");
        let path = format!("/api/v1/posts/{id}");
        let (status, _, _) = call(
            &app,
            Method::PUT,
            &path,
            Some(&bob),
            Some(json!({"title": "Mine", "content": "x"})),
        )
        .await;
        assert_eq!(status, 403, "not the author");
        let (status, _, _) = call(&app, Method::DELETE, &path, Some(&bob), None).await;
        assert_eq!(status, 403);
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(json!({"title": "Hello again", "content": "Changed"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["title"], "Hello again");
        let admin = make_admin(&app, "root").await;
        let (status, _, _) = call(
            &app,
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"title": "Moderated", "content": "x"})),
        )
        .await;
        assert_eq!(status, 200, "an admin may edit");
        let (status, _, _) = call(&app, Method::DELETE, &path, Some(&ann), None).await;
        assert_eq!(status, 200);
        for (method, target) in [
            (Method::GET, path.clone()),
            (Method::DELETE, path.clone()),
            (Method::GET, "/api/v1/posts/abc".to_string()),
            (Method::GET, "/api/v1/users/999".to_string()),
        ] {
            let token = if method == Method::DELETE {
                Some(ann.as_str())
            } else {
                None
            };
            let (status, _, body) = call(&app, method, &target, token, None).await;
            assert_eq!(status, 404, "{target}");
            assert_eq!(body["status"], "fail");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_with_link_headers_and_totals() {
    use reqwest::Method;
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        for i in 1..=7 {
            let (status, _, _) = call(
                &app,
                Method::POST,
                "/api/v1/posts",
                Some(&ann),
                Some(json!({"title": format!("P{i}"), "content": "x"})),
            )
            .await;
            assert_eq!(status, 201);
        }
        let (status, headers, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?page=2&per_page=3",
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 7);
        assert_eq!(headers["x-total-count"], "7");
        let titles: Vec<&str> = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["P4", "P3", "P2"], "newest first");
        let link = headers["link"].to_str().unwrap().to_string();
        for (page, rel) in [(1, "first"), (1, "prev"), (3, "next"), (3, "last")] {
            assert!(
                link.contains(&format!(
                    "/api/v1/posts?page={page}&per_page=3>; rel=\"{rel}\""
                )),
                "{rel} in {link}"
            );
        }
        let (_, headers, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?page=3&per_page=3",
            None,
            None,
        )
        .await;
        assert_eq!(body["data"].as_array().unwrap().len(), 1);
        assert!(!headers["link"].to_str().unwrap().contains("rel=\"next\""));
        let (_, _, body) = call(&app, Method::GET, "/api/v1/posts?per_page=1000", None, None).await;
        assert_eq!(body["per_page"], 100, "capped");
        for bad in [
            "page=0",
            "page=abc",
            "per_page=0",
            "per_page=-5",
            "page=2147483648",
            "per_page=2147483648",
            "page=",
            "per_page=",
        ] {
            let (status, _, _) = call(
                &app,
                Method::GET,
                &format!("/api/v1/posts?{bad}"),
                None,
                None,
            )
            .await;
            assert_eq!(status, 422, "{bad}");
        }
        let id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        let (status, headers, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users/{id}/posts?per_page=5"),
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 7);
        assert!(headers["link"].to_str().unwrap().contains(&format!(
            "/api/v1/users/{id}/posts?page=2&per_page=5>; rel=\"next\""
        )));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_resource_hides_others_emails_and_checks_rights() {
    use reqwest::Method;
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let ann_id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        let bob_id = app
            .count("SELECT id FROM users WHERE username = 'bob'")
            .await;
        let (status, _, body) = call(&app, Method::GET, "/api/v1/users", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 2);
        assert!(
            !body.to_string().contains("@example.com"),
            "no e-mails for strangers"
        );
        assert!(
            !body.to_string().contains("argon2"),
            "never a password hash"
        );
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users/{ann_id}"),
            Some(&ann),
            None,
        )
        .await;
        assert_eq!(body["data"]["email"], "ann@example.com", "your own e-mail");
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users/{ann_id}"),
            Some(&bob),
            None,
        )
        .await;
        assert!(body["data"].get("email").is_none());

        let (status, _, _) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{ann_id}"),
            Some(&bob),
            Some(json!({"username": "stolen"})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{ann_id}"),
            Some(&bob),
            None,
        )
        .await;
        assert_eq!(status, 403, "non-admin delete");
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{ann_id}"),
            Some(&ann),
            Some(json!({"username": "anna"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["username"], "anna");
        let (status, _, _) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{ann_id}"),
            Some(&ann),
            Some(json!({"email": "bob@example.com"})),
        )
        .await;
        assert_eq!(status, 409);
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/users",
            Some(&ann),
            Some(json!({"username": "new1", "email": "n@example.com", "password": "password123"})),
        )
        .await;
        assert_eq!(status, 403, "only admins create accounts");

        let admin = make_admin(&app, "root").await;
        let (status, _, body) = call(
            &app,
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "new1", "email": "n@example.com", "password": "password123"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["data"]["email"], "n@example.com");
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            Some(&bob),
            Some(json!({"title": "t", "content": "c"})),
        )
        .await;
        assert_eq!(status, 201);
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{bob_id}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, 200, "admins may delete");
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 0, "cascade");
        let (status, _, body) =
            call(&app, Method::GET, "/api/v1/auth/status", Some(&bob), None).await;
        assert_eq!(status, 401, "a deleted user's token is dead: {body}");
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{ann_id}"),
            Some(&ann),
            None,
        )
        .await;
        assert_eq!(status, 200, "you may delete yourself");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_only_configured_origins() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[(
            "CORS_ORIGINS",
            "https://app.example, https://other.example/",
        )],
    )
    .await;
    let preflight = |origin: &'static str| {
        TestApp::new_client()
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/posts"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let res = preflight("https://app.example").await.unwrap();
    assert!(res.status().is_success());
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let methods = res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(methods.contains("POST") && methods.contains("DELETE"));
    let res = preflight("https://evil.example").await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = TestApp::new_client()
        .get(app.url("/api/v1/posts"))
        .header("origin", "https://other.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://other.example"
    );
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for name in ["link", "x-total-count", "location"] {
        assert!(exposed.contains(name), "{exposed}");
    }

    // None configured: no origin is allowed.
    let closed = TestApp::spawn(Backend::Sqlite).await;
    let res = TestApp::new_client()
        .get(closed.url("/api/v1/posts"))
        .header("origin", "https://app.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

/// The operations the router serves; the document must describe each one.
const OPERATIONS: [(&str, &str, bool); 15] = [
    ("post", "/auth/register", false),
    ("post", "/auth/login", false),
    ("get", "/auth/status", true),
    ("post", "/auth/logout", true),
    ("get", "/users", false),
    ("post", "/users", true),
    ("get", "/users/{id}", false),
    ("put", "/users/{id}", true),
    ("delete", "/users/{id}", true),
    ("get", "/users/{id}/posts", false),
    ("get", "/posts", false),
    ("post", "/posts", true),
    ("get", "/posts/{id}", false),
    ("put", "/posts/{id}", true),
    ("delete", "/posts/{id}", true),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_describes_every_operation() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = TestApp::new_client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(scheme["bearerFormat"], "JWT");

    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, OPERATIONS.len(), "no undocumented extras");
    for (method, path, secured) in OPERATIONS {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        let responses = op["responses"].as_object().unwrap();
        let security = op["security"].as_array();
        if secured {
            assert_eq!(security.unwrap(), &vec![json!({"bearer": []})], "{path}");
        }
        if secured || security.is_some() {
            assert!(responses.contains_key("401"), "{method} {path} lists 401");
        }
        if op.get("requestBody").is_some() {
            for code in ["400", "413", "415", "422"] {
                assert!(responses.contains_key(code), "{method} {path} lists {code}");
            }
        }
        if path.contains("{id}") {
            assert!(responses.contains_key("404"), "{method} {path} lists 404");
        }
        // Every answer has a JSON body whose schema is in the document.
        for (code, response) in responses {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            let name = schema
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .unwrap_or_else(|| panic!("{method} {path} {code} has a schema"));
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{name} is defined"
            );
        }
    }
    let post = &doc["components"]["schemas"]["Post"]["properties"];
    for field in [
        "id",
        "title",
        "content",
        "date_posted",
        "updated_at",
        "author",
    ] {
        assert!(post[field].is_object(), "Post.{field}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_is_served_by_quill() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let client = TestApp::new_client();
    let res = client.get(app.url("/api/v1/docs")).send().await.unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/api/v1/docs/");

    let res = client.get(app.url("/api/v1/docs/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = res.text().await.unwrap();
    let assets: Vec<&str> = page
        .split(['"', '\''])
        .filter(|s| s.starts_with("./") && (s.ends_with(".js") || s.ends_with(".css")))
        .collect();
    assert!(assets.len() >= 3, "scripts and styles: {assets:?}");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from elsewhere"
    );
    for asset in assets {
        let res = client
            .get(app.url(&format!("/api/v1/docs/{}", &asset[2..])))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert!(res.bytes().await.unwrap().len() > 100, "{asset}");
    }
    let init = client
        .get(app.url("/api/v1/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"url\": \"/api/v1/openapi.json\""), "{init}");
    let res = client
        .get(app.url("/api/v1/docs/no-such-file.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "fail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_and_control_characters_are_refused_not_crashed_on() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = register(&app, "nul").await;
        let (status, body) = post_json(
            &app,
            "/api/v1/auth/login",
            json!({"email": "nul\u{0}@example.com", "password": "password123"}),
            None,
        )
        .await;
        assert_eq!(status, 401, "{backend:?} {body}");
        for (title, content, field) in [
            ("a\u{0}b", "fine", "title"),
            ("fine", "a\u{0}b", "content"),
            ("\ttitle", "fine", "title"),
            ("fine", "bell\u{7}", "content"),
        ] {
            let (status, body) = post_json(
                &app,
                "/api/v1/posts",
                json!({"title": title, "content": content}),
                Some(&token),
            )
            .await;
            assert_eq!(status, 422, "{backend:?} {title:?} {content:?}");
            assert!(body["errors"][field].is_string(), "{body}");
        }
        let (status, body) = post_json(
            &app,
            "/api/v1/posts",
            json!({"title": "Tabs\u{a0}ok", "content": "a\tb\r\nc\rd"}),
            Some(&token),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["data"]["content"], "a\tb\nc\nd");
        let (_, _, list) = call(&app, reqwest::Method::GET, "/api/v1/posts", None, None).await;
        assert_eq!(list["total"], 1, "nothing else was stored");
        // The web page of a user, by name.
        let res = app.page("/user/a%00b").await;
        assert_eq!(res.status(), 404, "{backend:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_largest_valid_post_fits_the_body_limit() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = register(&app, "big").await;
        // 100 + 10,000 characters outside the BMP, each written as a \u escape pair.
        let letter = r"\ud835\udd4b";
        let body = format!(
            r#"{{"title": "{}", "content": "{}"}}"#,
            letter.repeat(100),
            letter.repeat(10_000)
        );
        assert!(body.len() > 120_000);
        let res = TestApp::new_client()
            .post(app.url("/api/v1/posts"))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{backend:?}");
        let post: Value = res.json().await.unwrap();
        assert_eq!(
            post["data"]["content"].as_str().unwrap().chars().count(),
            10_000
        );
        assert_eq!(post["data"]["title"], "\u{1d54b}".repeat(100));
    })
    .await;
}
