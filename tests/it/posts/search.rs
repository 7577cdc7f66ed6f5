//! Full-text search: FTS5 on SQLite, tsvector on PostgreSQL; ranked, paged, highlighted, kept
//! in step with every write, and never an error for what someone types.

use super::post_id_of;
use crate::common::{on_each_database, TestApp};
use serde_json::json;

async fn post(app: &TestApp, title: &str, content: &str, tags: &str) -> i64 {
    let res = app
        .call(
            "create_post",
            &[("title", title), ("content", content), ("tags", tags)],
        )
        .await;
    assert_eq!(res.status(), 200, "{title}");
    post_id_of(&res)
}

async fn search(app: &TestApp, query: &str) -> (u16, String) {
    let url = format!(
        "/search?q={}",
        query
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    app.page_text(&url).await
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    search_finds_ranks_and_highlights,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let rust = post(
            &app,
            "Ownership in Rust",
            "Borrowing and lifetimes explained. <script>alert(1)</script>",
            "rust",
        )
        .await;
        let garden = post(
            &app,
            "My garden",
            "The tomatoes grow fast; lifetimes of plants.",
            "",
        )
        .await;
        let (status, html) = search(&app, "lifetimes").await;
        assert_eq!(status, 200);
        assert!(html.contains("2 posts found for “lifetimes”"), "{html}");
        assert!(html.contains("<mark>lifetimes</mark>"), "{html}");
        assert!(!html.contains("<script>alert"), "the snippet is escaped");
        // Stems, any case; every word must be there.
        let (_, html) = search(&app, "GROWING Tomato").await;
        assert!(html.contains("1 post found"), "{html}");
        assert!(html.contains(&format!("href=\"/post/{garden}\"")));
        let (_, html) = search(&app, "tomatoes rust").await;
        assert!(
            html.contains("No posts found for “tomatoes rust”"),
            "{html}"
        );
        let (_, html) = search(&app, "rust").await;
        assert!(html.contains(&format!("href=\"/post/{rust}\"")));
        // What people type is never a syntax error.
        for hostile in [
            "\"unbalanced",
            "AND",
            "*",
            "a\0b",
            "NEAR(",
            "-",
            "title:x",
            "')) OR 1=1 --",
            "lifetimes*",
            "ünïcödé",
        ] {
            assert_eq!(search(&app, hostile).await.0, 200, "{hostile:?}");
        }
        let (status, html) = search(&app, &"x".repeat(201)).await;
        assert_eq!(status, 200);
        assert!(html.contains("A search is at most 200 characters."));
        let (status, html) = app.page_text("/search").await;
        assert_eq!(status, 200);
        assert!(html.contains("Type the words a post should have."));
        // Writes reach the index: a change, a deletion.
        let id = garden.to_string();
        app.call(
            "update_post",
            &[
                ("id", &id),
                ("title", "My garden"),
                ("content", "Cucumbers now."),
            ],
        )
        .await;
        assert!(search(&app, "tomatoes").await.1.contains("No posts found"));
        assert!(search(&app, "cucumbers").await.1.contains("1 post found"));
        app.call("delete_post", &[("id", &id)]).await;
        assert!(search(&app, "cucumbers").await.1.contains("No posts found"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    search_results_page_and_reach_the_api,
    |backend| async move {
        use crate::api::{call, register};
        use reqwest::Method;
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        for i in 1..=7 {
            let tags = if i % 2 == 0 {
                json!(["even"])
            } else {
                json!([])
            };
            let (status, _, _) = call(
                &app,
                Method::POST,
                "/api/v1/posts",
                Some(&ann),
                Some(json!({"title": format!("Many {i}"), "content": "plenty", "tags": tags})),
            )
            .await;
            assert_eq!(status, 201);
        }
        let (_, first) = search(&app, "plenty").await;
        assert!(first.contains("7 posts found"));
        assert!(
            first.contains("href=\"/search?q=plenty&amp;page=2\""),
            "{first}"
        );
        assert_eq!(app.page_text("/search?q=plenty&page=2").await.0, 200);
        assert_eq!(app.page_text("/search?q=plenty&page=3").await.0, 404);
        let (status, headers, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?q=plenty&per_page=5",
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 7);
        assert_eq!(body["data"].as_array().unwrap().len(), 5);
        assert!(headers["link"]
            .to_str()
            .unwrap()
            .contains("/api/v1/posts?q=plenty&page=2&per_page=5>; rel=\"next\""));
        let (_, _, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?q=plenty&tag=even",
            None,
            None,
        )
        .await;
        assert_eq!(body["total"], 3, "within a tag");
        let (_, _, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?q=plenty&tag=none",
            None,
            None,
        )
        .await;
        assert_eq!(body["total"], 0);
        let (_, _, body) = call(&app, Method::GET, "/api/v1/posts?q=%22%2A%00", None, None).await;
        assert_eq!(body["total"], 0, "no words, no posts, no error");
        let long = "x".repeat(201);
        let (status, _, _) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts?q={long}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, 422);
        let (status, _, _) = call(&app, Method::GET, "/api/v1/posts?q=a&tag=Bad", None, None).await;
        assert_eq!(status, 422);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// A word in more posts than are ranked: the newest 1,000 are, the count says "more than".
    a_common_word_ranks_the_newest_thousand,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("bob", "bob@example.com", "password123").await;
        let bob = crate::posts::user_id(&app, "bob").await;
        crate::posts::insert_posts(&app, bob, 1_001).await;
        let (status, html) = search(&app, "body").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("More than 1,000 posts found for “body”"),
            "{html}"
        );
        assert!(html.contains("The newest 1,000 are ranked"));
        assert_eq!(app.page_text("/search?q=body&page=200").await.0, 200);
        assert_eq!(app.page_text("/search?q=body&page=201").await.0, 404);
        let (_, html) = search(&app, "body 1001").await;
        assert!(html.contains("1 post found"), "{html}");
    }
);
