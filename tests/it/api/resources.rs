//! The users and posts resources.

use super::{call, make_admin, register};
use crate::common::{on_each_database, Backend, TestApp};
use serde_json::json;

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    posts_resource_crud_and_permissions,
    |backend| async move {
        use reqwest::Method;
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    lists_page_with_link_headers_and_totals,
    |backend| async move {
        use reqwest::Method;
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// The totals are counters kept by the database's triggers: they follow every way a post
    /// comes and goes, a deleted author's posts included.
    totals_follow_new_and_deleted_posts_and_authors,
    |backend| async move {
        use reqwest::Method;
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let mut ids = Vec::new();
        for (who, n) in [(&ann, 3), (&bob, 2)] {
            for i in 0..n {
                let (status, _, body) = call(
                    &app,
                    Method::POST,
                    "/api/v1/posts",
                    Some(who),
                    Some(json!({"title": format!("T{i}"), "content": "x"})),
                )
                .await;
                assert_eq!(status, 201);
                ids.push(body["data"]["id"].as_i64().unwrap());
            }
        }
        let ann_id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        let bob_id = app
            .count("SELECT id FROM users WHERE username = 'bob'")
            .await;
        let total = |path: String| {
            let app = &app;
            async move {
                let (status, headers, body) = call(app, Method::GET, &path, None, None).await;
                assert_eq!(status, 200, "{path}");
                assert_eq!(headers["x-total-count"], body["total"].to_string());
                body["total"].as_i64().unwrap()
            }
        };
        assert_eq!(total("/api/v1/posts".into()).await, 5);
        assert_eq!(total(format!("/api/v1/users/{ann_id}/posts")).await, 3);
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/posts/{}", ids[0]),
            Some(&ann),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(total("/api/v1/posts".into()).await, 4);
        assert_eq!(total(format!("/api/v1/users/{ann_id}/posts")).await, 2);
        assert_eq!(total(format!("/api/v1/users/{bob_id}/posts")).await, 2);
        // Far past the end (LIMIT 0, no walk to the offset): no posts and the right total.
        let (status, _, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?page=2147483647&per_page=100",
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["data"], json!([]));
        assert_eq!(body["total"], 4);
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("/api/v1/users/{bob_id}"),
            Some(&bob),
            Some(json!({"current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            total("/api/v1/posts".into()).await,
            2,
            "bob's posts went with him"
        );
        assert_eq!(
            app.count("SELECT posts FROM post_totals").await,
            app.count("SELECT COUNT(*) FROM posts").await
        );
        assert_eq!(
            app.count("SELECT post_count FROM users WHERE username = 'ann'")
                .await,
            2
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    users_resource_hides_others_emails_and_checks_rights,
    |backend| async move {
        use reqwest::Method;
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
            Some(json!({"email": "bob@example.com", "current_password": "password123"})),
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
            Some(json!({"current_password": "password123"})),
        )
        .await;
        assert_eq!(status, 200, "you may delete yourself");
    }
);

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
