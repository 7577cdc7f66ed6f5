//! The JSON API under /api/v1.

mod accounts;
mod auth;
mod docs;
mod resources;
mod sessions;

use crate::common::TestApp;
use reqwest::header::AUTHORIZATION;
use serde_json::{json, Value};

pub async fn post_json(
    app: &TestApp,
    path: &str,
    body: Value,
    token: Option<&str>,
) -> (u16, Value) {
    let mut req = TestApp::new_client().post(app.url(path)).json(&body);
    if let Some(token) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn status_with(app: &TestApp, header: Option<&str>) -> (u16, Value) {
    let mut req = TestApp::new_client().get(app.url("/api/v1/auth/status"));
    if let Some(header) = header {
        req = req.header(AUTHORIZATION, header);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn register(app: &TestApp, name: &str) -> String {
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

pub async fn call(
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

pub async fn make_admin(app: &TestApp, name: &str) -> String {
    let token = register(app, name).await;
    sqlx::query("UPDATE users SET is_admin = 1 WHERE username = $1")
        .bind(name)
        .execute(&app.state.db)
        .await
        .unwrap();
    token
}
