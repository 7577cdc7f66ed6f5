//! /api/v1/auth and the rules of tokens and bodies.

use super::{post_json, register, status_with};
use crate::common::{on_each_database, Backend, TestApp, SECRET};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    register_login_status_logout,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    register_refuses_duplicates_and_bad_fields,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    bad_credentials_get_one_answer,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    every_kind_of_bad_token_is_refused_with_its_reason,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = register(&app, "ann").await;
        let id = app.count("SELECT id FROM users").await;
        let now = quill::domain::db::now();
        let (expired, _) = quill::domain::jwt::issue(SECRET, id, 0, now - 7200, 3600).unwrap();
        let (foreign, _) =
            quill::domain::jwt::issue("some-other-secret-some-other-secret", id, 0, now, 3600)
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
    }
);

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

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    bodies_must_be_well_formed_json,
    |backend| async move {
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
        // A body that breaks off is a bad request, not a large one.
        let head = broken_off_body(&app, "/api/v1/auth/login").await;
        assert!(head.starts_with("HTTP/1.1 400"), "{head}");
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
    }
);

/// Posts a JSON body that promises 100 bytes, sends 12 and stops sending; answers the head of
/// the response.
async fn broken_off_body(app: &TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\nConnection: close\r\n\r\n{{\"email\": \"a"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("an answer")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    web_sessions_and_api_tokens_do_not_mix,
    |backend| async move {
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
    }
);
