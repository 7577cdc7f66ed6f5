//! The feed, user pages, and how posts are shown.

use super::{create, insert_posts, post_id_of, user_id};
use crate::common::{on_each_database, TestApp};
use reqwest::header::ACCEPT;

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

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_feed_pages_newest_first,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    out_of_range_pages_are_404s,
    |backend| async move {
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
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    newer_posts_come_first_whatever_their_id,
    |backend| async move {
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
        crate::posts::render(&app).await;
        let (_, html) = app.page_text("/").await;
        assert_eq!(titles(&html), ["new", "middle", "old"]);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    user_pages_count_and_list_one_author,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        app.register("bob", "bob@example.com", "password123").await;
        insert_posts(&app, user_id(&app, "ann").await, 7).await;
        insert_posts(&app, user_id(&app, "bob").await, 2).await;
        let (status, html) = app.page_text("/user/ann").await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>ann</h1>") && html.contains("7 posts"));
        assert_eq!(titles(&html).len(), 5);
        assert_eq!(bar(&html), ["[1]", "2"]);
        let (_, html) = app.page_text("/user/ann?page=2").await;
        assert_eq!(titles(&html), ["Post number 2", "Post number 1"]);
        let (_, html) = app.page_text("/user/bob").await;
        assert!(html.contains("<h1>bob</h1>") && html.contains("2 posts"));
        assert!(html.contains(r#"href="/user/bob""#));
        let (status, _) = app.page_text("/user/nobody").await;
        assert_eq!(status, 404);
        let (_, html) = app.page_text("/").await;
        assert!(html.contains(r#"<a href="/user/bob" class="post-author">bob</a>"#));
        assert!(html.contains("/default-avatar.svg"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    deleting_a_user_deletes_their_posts,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        app.register("bob", "bob@example.com", "password123").await;
        let ann = user_id(&app, "ann").await;
        insert_posts(&app, ann, 3).await;
        insert_posts(&app, user_id(&app, "bob").await, 2).await;
        assert!(
            quill::domain::db::UserRepository::delete(&app.state.db, ann)
                .await
                .unwrap()
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 2);
        let (status, _) = app.page_text("/user/ann").await;
        assert_eq!(status, 404);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    markup_in_posts_is_shown_as_text,
    |backend| async move {
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
            assert!(
                html.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: the title, escaped"
            );
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
        assert_eq!(
            res.status(),
            405,
            "reading goes through POST too: {}",
            res.status()
        );
    }
);
