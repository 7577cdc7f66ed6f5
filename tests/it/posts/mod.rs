//! Posts: writing, reading, editing and deleting, on SQLite and PostgreSQL alike.

mod feed;
mod feeds;
mod markdown;
mod search;
mod tags;

use crate::common::{error_json, on_each_database, redirect_target, TestApp};

pub async fn user_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Inserts `n` plain-text posts by `author`, all posted at the same second (so order falls
/// to the id), as a database from before Markdown holds them; then renders them, as a start
/// of Quill does.
pub async fn insert_posts(app: &TestApp, author: i64, n: usize) {
    for i in 1..=n {
        sqlx::query("INSERT INTO posts (user_id, title, content, date_posted, updated_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(author)
            .bind(format!("Post number {i}"))
            .bind(format!("Body {i}"))
            .bind(1_700_000_000_i64)
            .execute(&app.state.db)
            .await
            .unwrap();
    }
    render(app).await;
}

/// What a start of Quill does to posts no renderer (or an older one) rendered.
pub async fn render(app: &TestApp) {
    quill::domain::posts::render_stale(&app.state.db)
        .await
        .unwrap();
}

pub async fn create(app: &TestApp, title: &str, content: &str) -> reqwest::Response {
    app.call("create_post", &[("title", title), ("content", content)])
        .await
}

pub fn post_id_of(res: &reqwest::Response) -> i64 {
    redirect_target(res)
        .and_then(|t| t.strip_prefix("/post/").map(str::to_string))
        .and_then(|id| id.parse().ok())
        .expect("redirect to the new post")
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    create_read_update_delete,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let res = create(&app, "Hello world", "First line\nSecond line").await;
        assert_eq!(res.status(), 200, "{backend:?}");
        let id = post_id_of(&res);
        let (status, html) = app.page_text(&format!("/post/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Your post has been created!"));
        assert!(html.contains("<title>Quill - Hello world</title>"));
        assert!(html.contains("First line\nSecond line"), "line breaks kept");
        assert!(
            html.contains(&format!(r#"href="/post/{id}/update""#)),
            "the author sees Update"
        );
        assert!(
            html.contains(&format!(r#"href="/post/{id}/delete""#)),
            "and Delete"
        );

        let (status, html) = app.page_text(&format!("/post/{id}/update")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"value="Hello world""#) && html.contains("First line"));
        let id_text = id.to_string();
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &id_text),
                    ("title", "Hello again"),
                    ("content", "Changed"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(redirect_target(&res), Some(format!("/post/{id}")));
        let (_, html) = app.page_text(&format!("/post/{id}")).await;
        assert!(
            html.contains("Your post has been updated!")
                && html.contains("Hello again")
                && html.contains("Changed")
        );

        let (status, html) = app.page_text(&format!("/post/{id}/delete")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Delete Post?"));
        let res = app.call("delete_post", &[("id", &id_text)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(redirect_target(&res).as_deref(), Some("/"));
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 0);
        let (status, html) = app.page_text(&format!("/post/{id}")).await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    invalid_posts_are_refused_and_nothing_is_stored,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let long_title = "t".repeat(101);
        let long_body = "b".repeat(100_001);
        let cases: [(&str, &str, &str, &str); 5] = [
            ("title", "", "content", "Please give your post a title."),
            ("title", "   ", "content", "Please give your post a title."),
            (
                "title",
                &long_title,
                "content",
                "A title has at most 100 characters.",
            ),
            (
                "content",
                "Title",
                "  \n ",
                "Please write something in your post.",
            ),
            (
                "content",
                "Title",
                &long_body,
                "A post has at most 100,000 characters.",
            ),
        ];
        for (field, title, content, message) in cases {
            let res = create(&app, title, content).await;
            assert_eq!(res.status(), 422, "{field}");
            assert_eq!(error_json(res).await["Invalid"][field], message);
        }
        assert!(create(&app, &"t".repeat(100), &"b".repeat(100_000))
            .await
            .status()
            .is_success());
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);

        // Without JavaScript the editor comes back with what was typed.
        let res = app
            .post_form(
                "create_post",
                "/post/new",
                &[("title", ""), ("content", "kept <b>text</b>")],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/post/new"));
        let (_, html) = app.page_text("/post/new").await;
        assert!(
            html.contains("kept &lt;b&gt;text&lt;/b&gt;</textarea>"),
            "content kept, escaped"
        );
        assert!(html.contains("Please give your post a title."));
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    visitors_are_sent_to_log_in,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app.page("/post/new").await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            redirect_target(&res).as_deref(),
            Some("/login?next=/post/new")
        );
        assert_eq!(create(&app, "Title", "Body").await.status(), 401);

        app.register("ann", "ann@example.com", "password123").await;
        insert_posts(&app, user_id(&app, "ann").await, 1).await;
        let id = app.count("SELECT id FROM posts").await;
        let res = app.page(&format!("/post/{id}/update")).await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            redirect_target(&res),
            Some(format!("/login?next=/post/{id}/update"))
        );
        let id_text = id.to_string();
        let res = app
            .call(
                "update_post",
                &[("id", &id_text), ("title", "x"), ("content", "y")],
            )
            .await;
        assert_eq!(res.status(), 401);
        let res = app.call("delete_post", &[("id", &id_text)]).await;
        assert_eq!(res.status(), 401);
        // Without JavaScript the refused post goes to the login page, coming back afterwards.
        let res = app
            .post_form(
                "create_post",
                "/post/new",
                &[("title", "t"), ("content", "c")],
            )
            .await;
        assert_eq!(
            redirect_target(&res).as_deref(),
            Some("/login?next=/post/new")
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    only_the_author_may_change_a_post,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        insert_posts(&app, user_id(&app, "ann").await, 1).await;
        let id = app.count("SELECT id FROM posts").await;
        let id_text = id.to_string();
        app.signed_in("bob").await;
        let (status, html) = app.page_text(&format!("/post/{id}")).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains(&format!("/post/{id}/update"))
                && !html.contains(&format!("/post/{id}/delete"))
        );
        for page in [format!("/post/{id}/update"), format!("/post/{id}/delete")] {
            let (status, html) = app.page_text(&page).await;
            assert_eq!(status, 403, "{page}");
            assert!(html.contains("Forbidden"));
        }
        let res = app
            .call(
                "update_post",
                &[("id", &id_text), ("title", "Mine now"), ("content", "x")],
            )
            .await;
        assert_eq!(res.status(), 403);
        // Who may change it comes before what the change is, as in the API: an invalid
        // change of someone else's post is refused for whose it is.
        let res = app
            .call(
                "update_post",
                &[("id", &id_text), ("title", ""), ("content", "")],
            )
            .await;
        assert_eq!(res.status(), 403);
        let res = app
            .call(
                "update_post",
                &[("id", "999999"), ("title", ""), ("content", "")],
            )
            .await;
        assert_eq!(res.status(), 404);
        let res = app.call("delete_post", &[("id", &id_text)]).await;
        assert_eq!(res.status(), 403);
        let title: String = sqlx::query_scalar("SELECT title FROM posts")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(title, "Post number 1", "nothing changed");
        // Deleting is a POST: a GET of the server function is refused.
        let res = app
            .client
            .get(app.url(&format!("/_fn/delete_post?id={id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405);
        let res = app
            .call(
                "update_post",
                &[("id", "999999"), ("title", "x"), ("content", "y")],
            )
            .await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    bad_post_addresses_are_404s,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        for path in [
            "/post/abc",
            "/post/0",
            "/post/-3",
            "/post/99999",
            "/post/1.5",
            "/post/abc/update",
            "/user/nobody",
        ] {
            let (status, html) = app.page_text(path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains("Page not found"), "{path}");
        }
    }
);
