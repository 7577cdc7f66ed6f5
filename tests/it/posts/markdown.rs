//! Markdown posts: rendered and sanitized on the server, plain-text posts unchanged, the
//! editor's format and preview (with and without JavaScript), the API's fields.

use super::{post_id_of, render, user_id};
use crate::common::{on_each_database, redirect_target, TestApp};
use serde_json::Value;

const HOSTILE: &str = "# Heading\n\nSome **bold** and ~~old~~ text, see https://example.org.\n\n\
    <script>alert('x')</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(2)>\n\n\
    | a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done";

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    markdown_is_rendered_and_nothing_in_it_runs,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let res = crate::posts::create(&app, "Marked up", HOSTILE).await;
        assert_eq!(res.status(), 200, "{backend:?}");
        let id = post_id_of(&res);
        let (status, html) = app.page_text(&format!("/post/{id}")).await;
        assert_eq!(status, 200);
        let body = html
            .split("post-content markdown")
            .nth(1)
            .expect("a Markdown post")
            .split("</article>")
            .next()
            .unwrap();
        for part in [
            "<h2>Heading</h2>",
            "<strong>bold</strong>",
            "<del>old</del>",
            r#"<a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a>"#,
            "<table>",
            r#"<input type="checkbox" checked="" disabled="">"#,
            "<pre><code>&lt;script&gt;alert('x')&lt;/script&gt;",
            "&lt;img src=x onerror=alert(2)&gt;",
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
        for bad in ["<script", "javascript:", "<img"] {
            assert!(!body.contains(bad), "{bad} in {body}");
        }
        assert!(html.contains("1 min read"), "reading time");
        // The card: the start of the text, no markup.
        let (_, home) = app.page_text("/").await;
        let card = home.split("post-content excerpt\">").nth(1).unwrap();
        let card = &card[..card.find("</p>").unwrap()];
        assert!(
            card.starts_with("Heading Some bold and old text, see https://example.org."),
            "{card}"
        );
        assert!(!card.contains('<'), "{card}");
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    plain_text_posts_look_as_they_always_did,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let ann = user_id(&app, "ann").await;
        // A post from before Markdown: no format written, rendered at the next start.
        let old = "Dear *reader*,\n<b>not bold</b>\n\n# not a heading";
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO posts (user_id, title, content, date_posted, updated_at) \
             VALUES ($1, 'Old', $2, 1700000000, 1700000000) RETURNING id",
        )
        .bind(ann)
        .bind(old)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        render(&app).await;
        let (_, html) = app.page_text(&format!("/post/{id}")).await;
        assert!(
            html.contains(
                "<p class=\"post-content\">Dear *reader*,\n&lt;b&gt;not bold&lt;/b&gt;\n\n# not a heading</p>"
            ),
            "the text as it was, escaped, line breaks kept"
        );
        // The editor says which format the post is in, and a change keeps it.
        let (_, editor) = app.page_text(&format!("/post/{id}/update")).await;
        assert!(
            editor.contains(r#"<option value="text" selected"#),
            "the editor shows the format"
        );
        let id_text = id.to_string();
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &id_text),
                    ("title", "Old"),
                    ("content", "Still *plain*"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let format: String = sqlx::query_scalar("SELECT format FROM posts WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(format, "text", "no format sent: the post's own");
        let (_, html) = app.page_text(&format!("/post/{id}")).await;
        assert!(html.contains("<p class=\"post-content\">Still *plain*</p>"));
        // The author may turn it into Markdown.
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &id_text),
                    ("title", "Old"),
                    ("content", "Now *marked*"),
                    ("format", "markdown"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let (_, html) = app.page_text(&format!("/post/{id}")).await;
        assert!(html.contains("<p>Now <em>marked</em></p>"), "{html}");
        // A format that does not exist is refused in words, and nothing changes.
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &id_text),
                    ("title", "Old"),
                    ("content", "x"),
                    ("format", "html"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert!(
            body.to_string().contains("The format is markdown or text."),
            "{body}"
        );
        let (_, html) = app.page_text(&format!("/post/{id}")).await;
        assert!(html.contains("<p>Now <em>marked</em></p>"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_preview_is_rendered_by_the_server_and_stores_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // Only for writers.
        let res = app
            .call(
                "preview_post",
                &[("content", "*x*"), ("format", "markdown")],
            )
            .await;
        assert_eq!(res.status(), 401);
        app.signed_in("ann").await;
        // With JavaScript: the Preview tab asks for the HTML alone.
        let res = app
            .call(
                "preview_post",
                &[
                    ("title", "T"),
                    ("content", "*hi* <script>x</script>"),
                    ("format", "markdown"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let html: String = res.json().await.unwrap();
        assert_eq!(html, "<p><em>hi</em> &lt;script&gt;x&lt;/script&gt;</p>\n");
        let res = app
            .call("preview_post", &[("content", "*hi*"), ("format", "text")])
            .await;
        let html: String = res.json().await.unwrap();
        assert_eq!(html, "<p>*hi*</p>\n");
        // Without JavaScript: the Preview button sends the form, which comes back with the
        // text kept and the preview above it.
        let typed = "A **draft** & more\n\nsecond paragraph";
        let res = app
            .post_form(
                "create_post",
                "/post/new",
                &[
                    ("title", "Draft <title>"),
                    ("content", typed),
                    ("format", "markdown"),
                    ("preview", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/post/new"));
        let (status, page) = app.page_text("/post/new").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("<p>A <strong>draft</strong> &amp; more</p>"),
            "the preview: {page}"
        );
        assert!(
            page.contains("A **draft** &amp; more\n\nsecond paragraph</textarea>"),
            "the text kept"
        );
        assert!(
            page.contains(r#"value="Draft &lt;title&gt;""#),
            "the title kept"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts").await,
            0,
            "nothing stored"
        );
        // The preview shows once; the next load is an empty form.
        let (_, page) = app.page_text("/post/new").await;
        assert!(!page.contains("<strong>draft</strong>"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_api_takes_a_format_and_returns_the_rendering,
    |backend| async move {
        use crate::api::{call, register};
        use reqwest::Method;
        use serde_json::json;
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let (status, _, body) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            Some(&ann),
            Some(json!({"title": "T", "content": "Hello *world*"})),
        )
        .await;
        assert_eq!(status, 201);
        let post = &body["data"];
        assert_eq!(post["format"], "markdown", "the default for a new post");
        assert_eq!(post["content"], "Hello *world*", "the source");
        assert_eq!(post["content_html"], "<p>Hello <em>world</em></p>\n");
        assert_eq!(post["excerpt"], "Hello world");
        assert_eq!(post["reading_minutes"], 1);
        let id = post["id"].as_i64().unwrap();
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/posts/{id}"),
            Some(&ann),
            Some(json!({"title": "T", "content": "Hello *world*", "format": "text"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["format"], "text");
        assert_eq!(body["data"]["content_html"], "<p>Hello *world*</p>\n");
        let (status, _, _) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/posts/{id}"),
            Some(&ann),
            Some(json!({"title": "T", "content": "x", "format": "html"})),
        )
        .await;
        assert_eq!(status, 422);
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts/{id}"),
            None,
            None,
        )
        .await;
        assert_eq!(body["data"]["content"], "Hello *world*", "nothing changed");
    }
);
