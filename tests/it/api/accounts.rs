//! A change of account through the API is one rule set and one write, as on the pages.

use super::{call, post_json, register};
use crate::common::{on_each_database, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn api_login(app: &TestApp, password: &str) -> u16 {
    post_json(
        app,
        "/api/v1/auth/login",
        json!({"email": "ann@example.com", "password": password}),
        None,
    )
    .await
    .0
}

async fn username_of(app: &TestApp, id: i64) -> Value {
    let (_, _, body) = call(app, Method::GET, &format!("/api/v1/users/{id}"), None, None).await;
    body["data"]["username"].clone()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    profile_and_password_change_together_or_not_at_all,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        register(&app, "bob").await;
        let id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        // A web session of ann's, to see it end with the password.
        assert_eq!(
            app.login("ann@example.com", "password123").await.status(),
            200
        );
        let path = format!("/api/v1/users/{id}");

        let (status, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(
                json!({"username": "anna", "password": "short", "current_password": "password123"}),
            ),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["errors"]["password"].is_string(), "{body}");
        assert_eq!(
            username_of(&app, id).await,
            "ann",
            "the valid part was not written"
        );

        let (status, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(json!({"username": "bob", "password": "a-new-password", "current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(
            api_login(&app, "password123").await,
            200,
            "old password kept"
        );
        assert_eq!(api_login(&app, "a-new-password").await, 401);

        let (status, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(json!({"username": "anna", "password": "a-new-password", "current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["username"], "anna");
        assert_eq!(api_login(&app, "a-new-password").await, 200);
        assert_eq!(api_login(&app, "password123").await, 401);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM sessions WHERE user_id = {id}"
            ))
            .await,
            0,
            "a new password ends the web sessions"
        );
    }
);
