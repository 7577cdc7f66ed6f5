//! Posts over HTTP, on SQLite and PostgreSQL alike.

mod common;

use common::{each_backend, error_json, redirect_target, TestApp};
use reqwest::header::ACCEPT;

async fn user_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(name)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Inserts `n` posts by `author`, all posted at the same second (so order falls to the id).
async fn insert_posts(app: &TestApp, author: i64, n: usize) {
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
}

async fn create(app: &TestApp, title: &str, content: &str) -> reqwest::Response {
    app.call("create_post", &[("title", title), ("content", content)])
        .await
}

fn post_id_of(res: &reqwest::Response) -> i64 {
    redirect_target(res)
        .and_then(|t| t.strip_prefix("/post/").map(str::to_string))
        .and_then(|id| id.parse().ok())
        .expect("redirect to the new post")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_read_update_delete() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_posts_are_refused_and_nothing_is_stored() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let long_title = "t".repeat(101);
        let long_body = "b".repeat(10_001);
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
                "A post has at most 10,000 characters.",
            ),
        ];
        for (field, title, content, message) in cases {
            let res = create(&app, title, content).await;
            assert_eq!(res.status(), 422, "{field}");
            assert_eq!(error_json(res).await["Invalid"][field], message);
        }
        assert!(create(&app, &"t".repeat(100), &"b".repeat(10_000))
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_are_sent_to_log_in() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_author_may_change_a_post() {
    each_backend(|backend| async move {
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
        assert!(res.status().is_client_error(), "{}", res.status());
        let res = app
            .call(
                "update_post",
                &[("id", "999999"), ("title", "x"), ("content", "y")],
            )
            .await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_post_addresses_are_404s() {
    each_backend(|backend| async move {
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
    })
    .await;
}

/// The titles on a page of the feed, in order.
fn titles(html: &str) -> Vec<String> {
    html.split(r#"class="post-title"><a href="/post/"#)
        .skip(1)
        .filter_map(|rest| {
            rest.split_once('>')
                .map(|(_, t)| t.split('<').next().unwrap_or("").to_string())
        })
        .collect()
}

fn bar(html: &str) -> Vec<String> {
    let Some(start) = html.find(r#"class="pagination">"#) else {
        return Vec::new();
    };
    let nav = &html[start
        ..html[start..]
            .find("</nav>")
            .map(|e| start + e)
            .unwrap_or(html.len())];
    nav.split(r#"class="page"#)
        .skip(1)
        .map(|item| {
            let text = item
                .split_once('>')
                .map(|(_, t)| t.split('<').next().unwrap_or(""))
                .unwrap_or("");
            if item.starts_with(" current") {
                format!("[{text}]")
            } else {
                text.to_string()
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_pages_newest_first() {
    each_backend(|backend| async move {
        for (count, pages) in [(0usize, 1u32), (1, 1), (5, 1), (6, 2), (51, 11)] {
            let app = TestApp::spawn(backend).await;
            app.register("ann", "ann@example.com", "password123").await;
            insert_posts(&app, user_id(&app, "ann").await, count).await;
            let (status, html) = app.page_text("/").await;
            assert_eq!(status, 200, "{count} posts");
            let on_first = titles(&html);
            assert_eq!(on_first.len(), count.min(5), "{count} posts");
            if count == 0 {
                assert!(html.contains("No posts yet"));
            } else {
                // Same second for all: the newest id comes first.
                assert_eq!(on_first[0], format!("Post number {count}"));
            }
            let (status, _) = app.page_text(&format!("/?page={pages}")).await;
            assert_eq!(status, 200, "last page of {count}");
            let (status, _) = app.page_text(&format!("/?page={}", pages + 1)).await;
            assert_eq!(status, 404, "past the last page of {count}");
            if count == 51 {
                assert_eq!(bar(&html), ["[1]", "2", "3", "…", "11"]);
                let (_, html) = app.page_text("/?page=6").await;
                assert_eq!(bar(&html), ["1", "…", "5", "[6]", "7", "8", "…", "11"]);
                assert_eq!(
                    titles(&html).first().map(String::as_str),
                    Some("Post number 26")
                );
                let (_, html) = app.page_text("/?page=11").await;
                assert_eq!(titles(&html), ["Post number 1"]);
                assert_eq!(bar(&html), ["1", "…", "10", "[11]"]);
                let (_, html) = app.page_text("/home?page=2").await;
                assert_eq!(
                    titles(&html).first().map(String::as_str),
                    Some("Post number 46")
                );
            }
            if count == 6 {
                assert_eq!(bar(&html), ["[1]", "2"]);
            }
            if count <= 5 {
                assert!(bar(&html).is_empty(), "one page, no bar");
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_range_pages_are_404s() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        insert_posts(&app, user_id(&app, "ann").await, 6).await;
        for page in ["0", "-1", "abc", "3", "99999999999", "1e3"] {
            let (status, html) = app.page_text(&format!("/?page={page}")).await;
            assert_eq!(status, 404, "page={page}");
            assert!(html.contains("Page not found"));
            let (status, _) = app.page_text(&format!("/user/ann?page={page}")).await;
            assert_eq!(status, 404, "user page={page}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newer_posts_come_first_whatever_their_id() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let ann = user_id(&app, "ann").await;
        for (title, at) in [("old", 1_000_i64), ("new", 3_000), ("middle", 2_000)] {
            sqlx::query("INSERT INTO posts (user_id, title, content, date_posted, updated_at) VALUES ($1, $2, 'x', $3, $3)")
                .bind(ann)
                .bind(title)
                .bind(at)
                .execute(&app.state.db)
                .await
                .unwrap();
        }
        let (_, html) = app.page_text("/").await;
        assert_eq!(titles(&html), ["new", "middle", "old"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_pages_count_and_list_one_author() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        app.register("bob", "bob@example.com", "password123").await;
        insert_posts(&app, user_id(&app, "ann").await, 7).await;
        insert_posts(&app, user_id(&app, "bob").await, 2).await;
        let (status, html) = app.page_text("/user/ann").await;
        assert_eq!(status, 200);
        assert!(html.contains("Posts by ann (7)"));
        assert_eq!(titles(&html).len(), 5);
        assert_eq!(bar(&html), ["[1]", "2"]);
        let (_, html) = app.page_text("/user/ann?page=2").await;
        assert_eq!(titles(&html), ["Post number 2", "Post number 1"]);
        let (_, html) = app.page_text("/user/bob").await;
        assert!(html.contains("Posts by bob (2)"));
        assert!(html.contains(r#"href="/user/bob""#));
        let (status, _) = app.page_text("/user/nobody").await;
        assert_eq!(status, 404);
        let (_, html) = app.page_text("/").await;
        assert!(html.contains(r#"<a href="/user/bob" class="post-author">bob</a>"#));
        assert!(html.contains("/default-avatar.svg"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_deletes_their_posts() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        app.register("bob", "bob@example.com", "password123").await;
        let ann = user_id(&app, "ann").await;
        insert_posts(&app, ann, 3).await;
        insert_posts(&app, user_id(&app, "bob").await, 2).await;
        assert!(
            quill::backend::db::UserRepository::delete(&app.state.db, ann)
                .await
                .unwrap()
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 2);
        let (status, _) = app.page_text("/user/ann").await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_posts_is_shown_as_text() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let res = create(
            &app,
            "</title><script>alert(1)</script>",
            "<script>alert('x')</script>\n<b>bold</b>",
        )
        .await;
        let id = post_id_of(&res);
        for path in [
            format!("/post/{id}"),
            "/".to_string(),
            "/user/ann".to_string(),
        ] {
            let (_, html) = app.page_text(&path).await;
            assert!(!html.contains("<script>alert"), "{path}");
            assert!(!html.contains("<script>alert(1)"), "{path}: the title too");
            assert!(
                html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                    || html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
                "{path}"
            );
        }
        let res = app
            .client
            .get(app.url(&format!("/_fn/post?id={id}")))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_client_error(),
            "reading goes through POST too: {}",
            res.status()
        );
    })
    .await;
}
