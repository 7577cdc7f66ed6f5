//! The OpenAPI document, Swagger UI, and what fuzzing found.

use super::{call, post_json, register};
use crate::common::{on_each_database, Backend, TestApp};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};

/// How many operations the API has. The router and the document are made from one list
/// (`api::v1::operations`), so they cannot disagree; this says how long that list is.
const OPERATIONS: usize = 26;

/// Operations that need a token.
const SECURED: [(&str, &str); 16] = [
    ("get", "/auth/status"),
    ("post", "/auth/logout"),
    ("post", "/users"),
    ("put", "/users/{id}"),
    ("delete", "/users/{id}"),
    ("post", "/posts"),
    ("put", "/posts/{id}"),
    ("delete", "/posts/{id}"),
    ("post", "/posts/{id}/comments"),
    ("delete", "/posts/{id}/comments/{comment_id}"),
    ("put", "/posts/{id}/like"),
    ("delete", "/posts/{id}/like"),
    ("put", "/users/{id}/follow"),
    ("delete", "/users/{id}/follow"),
    ("get", "/feed"),
    ("get", "/users/{id}/export"),
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

    let operations: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            let methods: Vec<String> = item.as_object().unwrap().keys().cloned().collect();
            methods
                .into_iter()
                .map(move |method| (method, path.clone()))
        })
        .collect();
    assert_eq!(operations.len(), OPERATIONS, "{operations:?}");
    for (method, path) in SECURED {
        assert!(
            operations.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is documented"
        );
    }
    for (method, path) in &operations {
        let (method, path) = (method.as_str(), path.as_str());
        let op = &doc["paths"][path][method];
        let responses = op["responses"].as_object().unwrap();
        let security = op["security"].as_array();
        let secured = SECURED.contains(&(method, path));
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
        // Every answer has a JSON body whose schema is in the document, but the export's zip.
        for (code, response) in responses {
            if (method, path, code.as_str()) == ("get", "/users/{id}/export", "200") {
                assert!(
                    response["content"]["application/zip"].is_object(),
                    "{response}"
                );
                continue;
            }
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

    // Every documented operation is routed: called at real addresses without a token or a
    // body, it is refused (401, 4xx for the missing body) or answered, never "no such
    // route" (404) or "wrong method" (405).
    let ann = register(&app, "ann").await;
    let (status, _, created) = call(
        &app,
        reqwest::Method::POST,
        "/api/v1/posts",
        Some(&ann),
        Some(json!({"title": "Routed", "content": "Every operation is routed."})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let post_id = created["data"]["id"].as_i64().unwrap();
    let user_id = created["data"]["author"]["id"].as_i64().unwrap();
    let (status, _, comment) = call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/posts/{post_id}/comments"),
        Some(&ann),
        Some(json!({"content": "A comment."})),
    )
    .await;
    assert_eq!(status, 201, "{comment}");
    let comment_id = comment["data"]["id"].as_i64().unwrap();
    for (method, path) in &operations {
        let id = if path.starts_with("/users/") {
            user_id
        } else {
            post_id
        };
        let address = path
            .replace("{id}", &id.to_string())
            .replace("{comment_id}", &comment_id.to_string());
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, _, body) = call(
            &app,
            method.clone(),
            &format!("/api/v1{address}"),
            None,
            None,
        )
        .await;
        assert!(
            status != 404 && status != 405,
            "{method} {address} is routed: {status} {body}"
        );
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

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    nul_and_control_characters_are_refused_not_crashed_on,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_largest_valid_post_fits_the_body_limit,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = register(&app, "big").await;
        // 100 + 100,000 characters outside the BMP, each written as a \u escape pair.
        let letter = r"\ud835\udd4b";
        let body = format!(
            r#"{{"title": "{}", "content": "{}"}}"#,
            letter.repeat(100),
            letter.repeat(100_000)
        );
        assert!(body.len() > 1_200_000);
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
            100_000
        );
        assert_eq!(post["data"]["title"], "\u{1d54b}".repeat(100));
    }
);
