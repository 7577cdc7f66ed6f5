//! Tags: written with a post (a comma-separated field, or the API's list), shown as links,
//! each with its own paginated page, the most used on the home page, and in the API.

use super::post_id_of;
use crate::common::{error_json, on_each_database, redirect_target, TestApp};
use serde_json::{json, Value};

async fn create_tagged(app: &TestApp, title: &str, tags: &str) -> i64 {
    let res = app
        .call(
            "create_post",
            &[("title", title), ("content", "Some text"), ("tags", tags)],
        )
        .await;
    assert_eq!(res.status(), 200, "{title}: {tags}");
    post_id_of(&res)
}

/// The tags' names in the order a page shows them.
fn tag_links(html: &str) -> Vec<String> {
    html.split("rel=\"tag\" href=\"/tag/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    tags_link_posts_to_their_tag_pages,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let first = create_tagged(&app, "First", " Rust, web-dev,, rust ").await;
        create_tagged(&app, "Second", "rust").await;
        create_tagged(&app, "Third", "").await;
        let (_, post) = app.page_text(&format!("/post/{first}")).await;
        assert_eq!(
            tag_links(&post),
            ["rust", "web-dev"],
            "lower-cased, once each"
        );
        // The home page: the most used tags first, then each card's.
        let (_, home) = app.page_text("/").await;
        let cloud = home
            .split("tag-cloud")
            .nth(1)
            .unwrap()
            .split("</nav>")
            .next()
            .unwrap();
        assert_eq!(tag_links(cloud), ["rust", "web-dev"]);
        assert!(cloud.contains(">2</span>"), "rust has two posts: {cloud}");
        let (status, page) = app.page_text("/tag/rust").await;
        assert_eq!(status, 200);
        assert!(page.contains("Posts tagged #rust (2)"), "{page}");
        assert!(page.contains(">First</a>") && page.contains(">Second</a>"));
        assert!(!page.contains(">Third</a>"));
        for missing in ["/tag/nothing", "/tag/Rust", "/tag/c++", "/tag/rust?page=2"] {
            assert_eq!(app.page_text(missing).await.0, 404, "{missing}");
        }
        // Changing a post's tags moves it; a tag no post has any more is gone.
        let id = first.to_string();
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &id),
                    ("title", "First"),
                    ("content", "Some text"),
                    ("tags", "go"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.page_text("/tag/web-dev").await.0, 404);
        assert!(app.page_text("/tag/rust").await.1.contains("(1)"));
        assert!(app.page_text("/tag/go").await.1.contains(">First</a>"));
        // A change that does not send the field keeps them.
        let res = app
            .call(
                "update_post",
                &[("id", &id), ("title", "First!"), ("content", "More text")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            tag_links(&app.page_text(&format!("/post/{first}")).await.1),
            ["go"]
        );
        // Deleting the post takes it off its tags.
        let res = app.call("delete_post", &[("id", &id)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.page_text("/tag/go").await.0, 404);
        assert_eq!(
            app.count("SELECT CAST(COALESCE(SUM(post_count), 0) AS BIGINT) FROM tags")
                .await,
            app.count("SELECT COUNT(*) FROM post_tags").await,
            "the counters agree with the rows"
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    bad_tags_are_refused_with_what_was_typed,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        for (tags, message) in [
            ("rust, c++", "“c++” is not a tag"),
            ("a, b, c, d, e, f", "A post has at most 5 tags."),
            (&"x".repeat(31), "is not a tag"),
        ] {
            let res = app
                .call(
                    "create_post",
                    &[("title", "T"), ("content", "x"), ("tags", tags)],
                )
                .await;
            assert_eq!(res.status(), 422, "{tags}");
            let body = error_json(res).await;
            assert!(body.to_string().contains(message), "{tags}: {body}");
        }
        // Without JavaScript: back to the form, the tags as typed.
        let res = app
            .post_form(
                "create_post",
                "/post/new",
                &[("title", "T"), ("content", "x"), ("tags", "ok, not ok")],
            )
            .await;
        assert_eq!(redirect_target(&res).as_deref(), Some("/post/new"));
        let (_, page) = app.page_text("/post/new").await;
        assert!(page.contains(r#"value="ok, not ok""#), "kept");
        assert!(page.contains("“not ok” is not a tag"), "said");
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM tags").await, 0);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    a_tag_page_pages_like_the_feed,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        for i in 1..=7 {
            create_tagged(&app, &format!("P{i}"), "many").await;
        }
        let (_, first) = app.page_text("/tag/many").await;
        assert!(first.contains(">P7</a>") && !first.contains(">P2</a>"));
        assert!(first.contains(r#"href="/tag/many?page=2""#));
        let (status, second) = app.page_text("/tag/many?page=2").await;
        assert_eq!(status, 200);
        assert!(second.contains(">P2</a>") && second.contains(">P1</a>"));
        assert_eq!(app.page_text("/tag/many?page=3").await.0, 404);
        assert_eq!(app.page_text("/tag/many?page=0").await.0, 404);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_api_reads_and_writes_tags,
    |backend| async move {
        use crate::api::{call, register};
        use reqwest::Method;
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let mut ids = Vec::new();
        for (title, tags) in [
            ("A", json!(["rust", "web"])),
            ("B", json!(["rust", "rust"])),
            ("C", json!([])),
        ] {
            let (status, _, body) = call(
                &app,
                Method::POST,
                "/api/v1/posts",
                Some(&ann),
                Some(json!({"title": title, "content": "x", "tags": tags})),
            )
            .await;
            assert_eq!(status, 201, "{title}: {body}");
            ids.push(body["data"]["id"].as_i64().unwrap());
        }
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts/{}", ids[1]),
            None,
            None,
        )
        .await;
        assert_eq!(
            body["data"]["tags"],
            json!(["rust"]),
            "given twice, kept once"
        );
        let (status, headers, body) = call(&app, Method::GET, "/api/v1/tags", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(
            body["data"],
            json!([{"name": "rust", "posts": 2}, {"name": "web", "posts": 1}])
        );
        assert_eq!(headers["x-total-count"], "2");
        let (status, headers, body) = call(
            &app,
            Method::GET,
            "/api/v1/posts?tag=rust&per_page=1",
            None,
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 2);
        assert_eq!(body["data"][0]["title"], "B");
        assert!(headers["link"]
            .to_str()
            .unwrap()
            .contains("/api/v1/posts?tag=rust&page=2&per_page=1>; rel=\"next\""));
        let (status, _, body) =
            call(&app, Method::GET, "/api/v1/posts?tag=nothing", None, None).await;
        assert_eq!(
            (status, body["total"].clone()),
            (200, json!(0)),
            "no post has it"
        );
        let (status, _, _) = call(
            &app,
            Method::GET,
            "/api/v1/posts?tag=Not%20a%20tag",
            None,
            None,
        )
        .await;
        assert_eq!(status, 422);
        // A change without tags keeps them; `[]` removes them.
        let path = format!("/api/v1/posts/{}", ids[0]);
        let (_, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(json!({"title": "A", "content": "y"})),
        )
        .await;
        assert_eq!(body["data"]["tags"], json!(["rust", "web"]));
        let (_, _, body) = call(
            &app,
            Method::PUT,
            &path,
            Some(&ann),
            Some(json!({"title": "A", "content": "y", "tags": []})),
        )
        .await;
        assert_eq!(body["data"]["tags"], json!([]));
        for bad in [
            json!(["Rust"]),
            json!([""]),
            json!(["a", "b", "c", "d", "e", "f"]),
            json!("rust"),
        ] {
            let (status, _, body): (u16, _, Value) = call(
                &app,
                Method::PUT,
                &path,
                Some(&ann),
                Some(json!({"title": "A", "content": "y", "tags": bad})),
            )
            .await;
            assert_eq!(status, 422, "{bad}: {body}");
        }
        let (_, _, body) = call(&app, Method::GET, "/api/v1/tags", None, None).await;
        assert_eq!(
            body["data"],
            json!([{"name": "rust", "posts": 1}]),
            "web has no post any more"
        );
    }
);
