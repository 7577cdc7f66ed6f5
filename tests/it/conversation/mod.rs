//! The conversation on the pages: comments, likes, follows, the Following feed, bios,
//! summaries and slugs, with JavaScript (server functions answering data) and without (plain
//! forms answered with redirects), on SQLite and PostgreSQL.

mod api;

use crate::common::{on_each_database, redirect_target, TestApp};
use crate::posts::{create, insert_posts, post_id_of, user_id};
use serde_json::Value;

/// Signs in `name` in a browser of its own.
pub async fn browser(app: &TestApp, name: &str) -> TestApp {
    let other = app.another_browser();
    other.signed_in(name).await;
    other
}

async fn comment(app: &TestApp, post: i64, text: &str) -> reqwest::Response {
    app.call(
        "add_comment",
        &[("post_id", &post.to_string()), ("content", text)],
    )
    .await
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    comments_are_written_listed_and_refused_with_reasons,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let post = post_id_of(&create(&app, "Hello", "World").await);
        let bob = browser(&app, "bob").await;

        // With JavaScript: the new comment comes back as data.
        let res = comment(&bob, post, "First!\nTwo lines.").await;
        assert_eq!(res.status(), 200, "{backend:?}");
        let made: Value = res.json().await.unwrap();
        assert_eq!(made["body"], "First!\nTwo lines.");
        assert_eq!(made["author"]["username"], "bob");
        assert_eq!(made["can_delete"], true);
        let first = made["id"].as_i64().unwrap();

        // Without: a redirect to it on the post's page, with a flash.
        let res = bob
            .post_form(
                "add_comment",
                &format!("/post/{post}"),
                &[
                    ("post_id", &post.to_string()),
                    ("content", "Second <b>bold</b>"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let target = redirect_target(&res).unwrap();
        assert!(
            target.starts_with(&format!("/post/{post}#comment-")),
            "{target}"
        );
        let (status, html) = bob.page_text(&format!("/post/{post}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Your comment has been added."));
        assert!(html.contains("2 Comments"), "the count");
        assert!(html.contains(&format!(r#"id="comment-{first}""#)));
        assert!(html.contains("First!\nTwo lines."), "line breaks kept");
        assert!(
            html.contains("Second &lt;b&gt;bold&lt;/b&gt;"),
            "plain text, escaped"
        );
        assert!(
            html.find("First!").unwrap() < html.find("Second &lt;b").unwrap(),
            "oldest first"
        );

        // The card on the home page counts them.
        let (_, home) = app.page_text("/").await;
        assert!(home.contains("2 comments"), "card count");

        // Refused: nothing stored, the text kept (no JavaScript), the reason given.
        for (text, reason) in [
            ("   \n ", "Please write something in your comment."),
            (
                &"x".repeat(2_001)[..],
                "A comment has at most 2,000 characters.",
            ),
            ("bell \u{7}", "A comment cannot contain control characters"),
        ] {
            let res = comment(&bob, post, text).await;
            assert_eq!(res.status(), 422, "{text:?}");
            let body: Value = res.json().await.unwrap();
            assert!(body.to_string().contains(reason), "{text:?}: {body}");
        }
        let res = bob
            .post_form(
                "add_comment",
                &format!("/post/{post}"),
                &[
                    ("post_id", &post.to_string()),
                    ("content", "kept \u{7}text"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let (_, html) = bob.page_text(&format!("/post/{post}")).await;
        assert!(html.contains("A comment cannot contain control characters"));
        assert!(
            html.contains("kept \u{7}text")
                || html.contains("kept &#7;text")
                || html.contains("kept"),
            "kept"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 2);

        // A visitor reads them and is asked to log in to write one.
        let visitor = app.another_browser();
        let (_, html) = visitor.page_text(&format!("/post/{post}")).await;
        assert!(html.contains("First!") && html.contains("to comment."));
        assert!(!html.contains(r#"id="comment-form""#));
        let res = comment(&visitor, post, "anonymous").await;
        assert_eq!(res.status(), 401);
        // No such post.
        assert_eq!(comment(&bob, 999_999, "hello").await.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 2);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    comments_are_paged_fifty_at_a_time,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let post = post_id_of(&create(&app, "Popular", "Text").await);
        let ann = user_id(&app, "ann").await;
        for i in 1..=51 {
            sqlx::query(
                "INSERT INTO comments (post_id, user_id, body, created_at) VALUES ($1, $2, $3, 0)",
            )
            .bind(post)
            .bind(ann)
            .bind(format!("Comment number {i}."))
            .execute(&app.state.db)
            .await
            .unwrap();
        }
        let (_, first) = app.page_text(&format!("/post/{post}")).await;
        assert!(first.contains("51 Comments"));
        assert!(first.contains("Comment number 1.") && first.contains("Comment number 50."));
        assert!(!first.contains("Comment number 51."));
        assert!(first.contains(&format!("/post/{post}?comments=2#comments")));
        let (status, second) = app.page_text(&format!("/post/{post}?comments=2")).await;
        assert_eq!(status, 200);
        assert!(second.contains("Comment number 51.") && !second.contains("Comment number 50."));
        for bad in ["3", "0", "x"] {
            let (status, _) = app.page_text(&format!("/post/{post}?comments={bad}")).await;
            assert_eq!(status, 404, "?comments={bad}");
        }
        // A comment written now is on the last page: the redirect says so.
        let res = app
            .post_form(
                "add_comment",
                &format!("/post/{post}"),
                &[("post_id", &post.to_string()), ("content", "Late")],
            )
            .await;
        let target = redirect_target(&res).unwrap();
        assert!(
            target.starts_with(&format!("/post/{post}?comments=2#comment-")),
            "{target}"
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    who_may_delete_a_comment,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let post = post_id_of(&create(&app, "Ann's post", "Text").await);
        let bob = browser(&app, "bob").await;
        let cid = |v: Value| v["id"].as_i64().unwrap();
        let by_bob = cid(comment(&bob, post, "Bob's comment")
            .await
            .json()
            .await
            .unwrap());
        let by_bob_2 = cid(comment(&bob, post, "Bob's second")
            .await
            .json()
            .await
            .unwrap());
        let carl = browser(&app, "carl").await;
        let by_carl = cid(comment(&carl, post, "Carl's comment")
            .await
            .json()
            .await
            .unwrap());

        // Carl may not delete Bob's comment; the page shows him no Delete for it.
        assert_eq!(delete(&carl, post, by_bob).await, 403);
        let (_, html) = carl.page_text(&format!("/post/{post}")).await;
        assert!(!html.contains(&format!("/post/{post}/comment/{by_bob}/delete")));
        assert!(html.contains(&format!("/post/{post}/comment/{by_carl}/delete")));
        let (status, _) = carl
            .page_text(&format!("/post/{post}/comment/{by_bob}/delete"))
            .await;
        assert_eq!(status, 403, "the confirmation page too");
        // The wrong post: not found.
        let other = post_id_of(&create(&app, "Other", "Text").await);
        let res = carl
            .call(
                "delete_comment",
                &[
                    ("post_id", &other.to_string()),
                    ("id", &by_carl.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), 404);

        // Its author may (with JavaScript)…
        assert_eq!(delete(&bob, post, by_bob).await, 200);
        // …the post's author may, on the confirmation page without JavaScript…
        let (status, html) = app
            .page_text(&format!("/post/{post}/comment/{by_carl}/delete"))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Delete Comment?") && html.contains("Carl&#x27;s comment")
                || html.contains("Carl's comment")
        );
        let res = app
            .post_form(
                "delete_comment",
                &format!("/post/{post}/comment/{by_carl}/delete"),
                &[("post_id", &post.to_string()), ("id", &by_carl.to_string())],
            )
            .await;
        assert_eq!(res.status(), 303);
        // …and so may an admin.
        sqlx::query("UPDATE users SET is_admin = 1 WHERE username = 'carl'")
            .execute(&app.state.db)
            .await
            .unwrap();
        assert_eq!(delete(&carl, post, by_bob_2).await, 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM comments").await, 0);
        assert_eq!(
            app.count(&format!(
                "SELECT comment_count FROM posts WHERE id = {post}"
            ))
            .await,
            0
        );
        // Gone is gone.
        assert_eq!(delete(&bob, post, by_bob).await, 404);
    }
);

async fn delete(who: &TestApp, post: i64, id: i64) -> u16 {
    who.call(
        "delete_comment",
        &[("post_id", &post.to_string()), ("id", &id.to_string())],
    )
    .await
    .status()
    .as_u16()
}

async fn like(app: &TestApp, post: i64, on: bool) -> (u16, Value) {
    let res = app
        .call(
            "like_post",
            &[("id", &post.to_string()), ("on", &on.to_string())],
        )
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    likes_toggle_count_and_list,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let post = post_id_of(&create(&app, "Likeable", "Text").await);
        let bob = browser(&app, "bob").await;

        let (status, state) = like(&bob, post, true).await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(state, serde_json::json!({"on": true, "count": 1}));
        let (_, state) = like(&bob, post, true).await;
        assert_eq!(state["count"], 1, "one like per user and post");
        let (_, state) = like(&app, post, true).await;
        assert_eq!(state["count"], 2);

        // Bob's page shows the post as liked, to him; a visitor sees the count.
        let (_, html) = bob.page_text(&format!("/post/{post}")).await;
        assert!(html.contains(r#"aria-pressed="true""#), "liked for bob");
        let (_, html) = app
            .another_browser()
            .page_text(&format!("/post/{post}"))
            .await;
        assert!(html.contains(r#"aria-label="2 likes""#), "{html}");
        assert!(!html.contains("like_post"), "no form for a visitor");

        // The Liked tab.
        let (status, html) = app.page_text("/user/bob/liked").await;
        assert_eq!(status, 200);
        assert!(html.contains("Likeable") && html.contains("Liked (1)"));
        let (_, html) = app.page_text("/user/ann/liked").await;
        assert!(html.contains("Likeable"));
        assert_eq!(app.page_text("/user/nobody/liked").await.0, 404);

        // Without JavaScript: back to the page the form was on.
        let res = bob
            .post_form(
                "like_post",
                "/user/ann",
                &[("id", &post.to_string()), ("on", "false")],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/user/ann"));
        let (_, state) = like(&bob, post, false).await;
        assert_eq!(state, serde_json::json!({"on": false, "count": 1}));
        let (_, html) = app.page_text("/user/bob/liked").await;
        assert!(html.contains("bob has not liked any post yet."));

        // A visitor is sent to log in; no such post is a 404.
        let visitor = app.another_browser();
        assert_eq!(like(&visitor, post, true).await.0, 401);
        let res = visitor
            .post_form(
                "like_post",
                &format!("/post/{post}"),
                &[("id", &post.to_string()), ("on", "true")],
            )
            .await;
        assert!(redirect_target(&res).unwrap().starts_with("/login?next="));
        assert_eq!(like(&bob, 999_999, true).await.0, 404);
        // Deleting the post takes its likes with it.
        let res = app.call("delete_post", &[("id", &post.to_string())]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM likes").await, 0);
        assert_eq!(
            app.count("SELECT like_count FROM users WHERE username = 'ann'")
                .await,
            0
        );
    }
);

async fn follow(app: &TestApp, user: i64, on: bool) -> (u16, Value) {
    let res = app
        .call(
            "follow_user",
            &[("id", &user.to_string()), ("on", &on.to_string())],
        )
        .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    follows_and_the_following_feed,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        let bob = browser(&app, "bob").await;
        let carl = browser(&app, "carl").await;
        let (bob_id, carl_id, ann_id) = (
            user_id(&app, "bob").await,
            user_id(&app, "carl").await,
            user_id(&app, "ann").await,
        );
        insert_posts(&app, bob_id, 5).await;
        create(&carl, "Carl writes", "Text").await;

        // Nothing followed yet.
        let (status, html) = app.page_text("/following").await;
        assert_eq!(status, 200);
        assert!(html.contains("Posts of the people you follow show up here."));

        let (status, state) = follow(&app, bob_id, true).await;
        assert_eq!(status, 200);
        assert_eq!(state, serde_json::json!({"on": true, "count": 1}));
        assert_eq!(follow(&app, bob_id, true).await.1["count"], 1, "once");
        follow(&app, carl_id, true).await;
        let (_, html) = app.page_text("/following").await;
        assert!(html.contains("Carl writes") && html.contains("Post number 5"));
        assert!(html.contains("/following?page=2"), "five a page");
        let (_, html) = app.page_text("/following?page=2").await;
        assert!(html.contains("Post number 1"));
        assert_eq!(app.page_text("/following?page=3").await.0, 404);

        // Bob's page: his counts, and Unfollow for ann.
        let (_, html) = app.page_text("/user/bob").await;
        assert!(
            html.contains("1 follower") && html.contains(">Unfollow<"),
            "{html}"
        );
        let (_, html) = app.another_browser().page_text("/user/bob").await;
        assert!(html.contains("1 follower") && html.contains("/login?next=/user/bob"));
        let (_, html) = app.page_text("/user/ann").await;
        assert!(
            html.contains("2 following") && !html.contains(">Follow<"),
            "not on one's own page"
        );

        // Nobody follows themselves; no such user is a 404.
        let (status, body) = follow(&app, ann_id, true).await;
        assert_eq!(status, 422);
        assert!(body.to_string().contains("You cannot follow yourself."));
        assert_eq!(follow(&app, 999_999, true).await.0, 404);
        // A button has no field to show the message under: it is a flash on the page.
        let res = app
            .post_form(
                "follow_user",
                "/user/ann",
                &[("id", &ann_id.to_string()), ("on", "true")],
            )
            .await;
        assert_eq!(redirect_target(&res).as_deref(), Some("/user/ann"));
        let (_, html) = app.page_text("/user/ann").await;
        assert!(html.contains("You cannot follow yourself."), "flashed");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM follows WHERE follower_id = followee_id")
                .await,
            0
        );

        // Without JavaScript, back to the user's page.
        let res = app
            .post_form(
                "follow_user",
                "/user/bob",
                &[
                    ("id", &bob_id.to_string()),
                    ("on", "false"),
                    ("back", "/user/bob"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/user/bob"));
        // An address elsewhere is not followed back.
        let res = app
            .post_form(
                "follow_user",
                "/user/bob",
                &[
                    ("id", &bob_id.to_string()),
                    ("on", "true"),
                    ("back", "https://evil.example/"),
                ],
            )
            .await;
        assert_eq!(
            redirect_target(&res).as_deref(),
            Some("/user/bob"),
            "the page it was sent from"
        );
        follow(&app, bob_id, false).await;
        let (_, html) = app.page_text("/following").await;
        assert!(html.contains("Carl writes") && !html.contains("Post number"));

        // A visitor has no Following feed.
        let res = app.another_browser().page("/following").await;
        assert!(redirect_target(&res).unwrap().starts_with("/login"));
        // A deleted user's follows go with them.
        let _ = bob;
        sqlx::query("DELETE FROM users WHERE username = 'carl'")
            .execute(&app.state.db)
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT following_count FROM users WHERE username = 'ann'")
                .await,
            0
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    bios_summaries_and_slugs,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        // A bio, through the account form (multipart, as the browser sends it).
        let form = |bio: &str| {
            reqwest::multipart::Form::new()
                .text("username", "ann")
                .text("email", "ann@example.com")
                .text("bio", bio.to_string())
        };
        let res = app
            .client
            .post(app.url("/_fn/update_account"))
            .header("Accept", "application/json")
            .multipart(form("Writes <about> Rust.\nLives by the sea."))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let (_, html) = app.page_text("/user/ann").await;
        assert!(html.contains("Writes &lt;about&gt; Rust.\nLives by the sea."));
        let (_, html) = app.page_text("/account").await;
        assert!(
            html.contains("Lives by the sea."),
            "the account form shows it"
        );
        let res = app
            .client
            .post(app.url("/_fn/update_account"))
            .header("Accept", "application/json")
            .multipart(form(&"b".repeat(301)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("A bio has at most 300 characters."));
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM users WHERE bio = 'Writes <about> Rust.\nLives by the sea.'"
            )
            .await,
            1,
            "unchanged"
        );

        // A summary is shown on the card instead of the start of the text.
        let res = app
            .call(
                "create_post",
                &[
                    ("title", "How to train your dragon"),
                    ("summary", "Ever wonder how?"),
                    ("content", "Very carefully."),
                ],
            )
            .await;
        let first = post_id_of(&res);
        let (_, home) = app.page_text("/").await;
        assert!(home.contains("Ever wonder how?") && !home.contains(">Very carefully.<"));
        let res = app
            .call(
                "create_post",
                &[
                    ("title", "T"),
                    ("summary", &"s".repeat(201)),
                    ("content", "c"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);

        // Slugs: from the title, unique, unchanged by an edit.
        let second = post_id_of(&create(&app, "How to Train Your Dragon!", "Again").await);
        let slug = |id: i64| {
            let db = app.state.db.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT slug FROM posts WHERE id = $1")
                    .bind(id)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(slug(first).await, "how-to-train-your-dragon");
        assert_eq!(
            slug(second).await,
            format!("how-to-train-your-dragon-{second}")
        );
        let res = app
            .call(
                "update_post",
                &[
                    ("id", &first.to_string()),
                    ("title", "A new title"),
                    ("content", "x"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(slug(first).await, "how-to-train-your-dragon");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM posts WHERE id = {first} AND summary = 'Ever wonder how?'"
            ))
            .await,
            1,
            "an edit without the field keeps the summary"
        );

        // Posts from before slugs get theirs at the next start.
        let ann = user_id(&app, "ann").await;
        insert_posts(&app, ann, 2).await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug IS NULL")
                .await,
            2
        );
        // Two old posts of one title, and one whose title is a slug some post has.
        for title in ["Same title", "Same title", "How to train your dragon"] {
            sqlx::query("INSERT INTO posts (user_id, title, content, date_posted, updated_at) VALUES ($1, $2, 'x', 0, 0)")
                .bind(ann)
                .bind(title)
                .execute(&app.state.db)
                .await
                .unwrap();
        }
        quill::domain::slug::assign_missing(&app.state.db)
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug IS NULL")
                .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug = 'post-number-1'")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug = 'same-title'")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug LIKE 'same-title-%'")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE slug LIKE 'how-to-train-your-dragon%'")
                .await,
            3,
            "the third of that title is suffixed too"
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    an_old_post_whose_slug_is_taken_by_surprise_still_gets_one,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        // Post 1 is `hello`; post 2's title makes `hello-3`, the slug post 3 would get next.
        assert_eq!(post_id_of(&create(&app, "Hello", "x").await), 1);
        assert_eq!(post_id_of(&create(&app, "Hello 3", "x").await), 2);
        sqlx::query("INSERT INTO posts (user_id, title, content, date_posted, updated_at) VALUES ($1, 'Hello', 'x', 0, 0)")
            .bind(user_id(&app, "ann").await)
            .execute(&app.state.db)
            .await
            .unwrap();
        quill::domain::slug::assign_missing(&app.state.db)
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM posts WHERE id = 3 AND slug = 'hello-3-2'")
                .await,
            1
        );
    }
);
