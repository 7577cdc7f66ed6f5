//! The conversation in `/api/v1`: comments, likes, follows, the feed, liked posts, and the
//! new fields of posts and users.

use crate::api::{call, make_admin, register};
use crate::common::{on_each_database, TestApp};
use reqwest::Method;
use serde_json::json;

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    comments_likes_and_follows_through_the_api,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let carl = register(&app, "carl").await;

        // A post with a summary has a slug; counts start at zero.
        let (status, _, body) = call(
            &app,
            Method::POST,
            "/api/v1/posts",
            Some(&ann),
            Some(json!({"title": "Hello API", "summary": "In short", "content": "Long text"})),
        )
        .await;
        assert_eq!(status, 201, "{backend:?} {body}");
        let post = &body["data"];
        let id = post["id"].as_i64().unwrap();
        assert_eq!(post["slug"], "hello-api");
        assert_eq!(post["summary"], "In short");
        assert_eq!(post["comment_count"], 0);
        assert_eq!(post["like_count"], 0);
        assert_eq!(post["liked"], false);

        // Comments.
        let path = format!("/api/v1/posts/{id}/comments");
        let (status, headers, body) = call(
            &app,
            Method::POST,
            &path,
            Some(&bob),
            Some(json!({"content": "Nice!"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert!(headers["location"].to_str().unwrap().ends_with(&path));
        assert_eq!(body["data"]["content"], "Nice!");
        assert_eq!(body["data"]["author"]["username"], "bob");
        let comment = body["data"]["id"].as_i64().unwrap();
        let (status, _, body) = call(
            &app,
            Method::POST,
            &path,
            Some(&bob),
            Some(json!({"content": " "})),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            body["errors"]["content"],
            "Please write something in your comment."
        );
        let (status, _, _) = call(
            &app,
            Method::POST,
            &path,
            None,
            Some(json!({"content": "x"})),
        )
        .await;
        assert_eq!(status, 401);
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/api/v1/posts/999999/comments",
            Some(&bob),
            Some(json!({"content": "x"})),
        )
        .await;
        assert_eq!(status, 404);
        let (status, headers, body) = call(&app, Method::GET, &path, None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 1);
        assert_eq!(body["per_page"], 50);
        assert_eq!(body["data"][0]["can_delete"], false, "not for a visitor");
        assert_eq!(headers["x-total-count"], "1");
        let (_, _, body) = call(&app, Method::GET, &path, Some(&ann), None).await;
        assert_eq!(body["data"][0]["can_delete"], true, "the post's author");
        let comment_path = format!("{path}/{comment}");
        let (status, _, _) = call(&app, Method::DELETE, &comment_path, Some(&carl), None).await;
        assert_eq!(status, 403);
        let (status, _, _) = call(&app, Method::DELETE, &comment_path, Some(&ann), None).await;
        assert_eq!(status, 200);
        let (status, _, _) = call(&app, Method::DELETE, &comment_path, Some(&ann), None).await;
        assert_eq!(status, 404);

        // Likes: idempotent both ways; the post says whether the token's user likes it.
        let like = format!("/api/v1/posts/{id}/like");
        let (status, _, body) = call(&app, Method::PUT, &like, Some(&bob), None).await;
        assert_eq!(status, 200);
        assert_eq!(
            (body["liked"].clone(), body["like_count"].clone()),
            (json!(true), json!(1))
        );
        let (_, _, body) = call(&app, Method::PUT, &like, Some(&bob), None).await;
        assert_eq!(body["like_count"], 1);
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts/{id}"),
            Some(&bob),
            None,
        )
        .await;
        assert_eq!(
            (
                body["data"]["liked"].clone(),
                body["data"]["like_count"].clone()
            ),
            (json!(true), json!(1))
        );
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/posts/{id}"),
            None,
            None,
        )
        .await;
        assert_eq!(body["data"]["liked"], false);
        let bob_id = crate::posts::user_id(&app, "bob").await;
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users/{bob_id}/liked"),
            None,
            None,
        )
        .await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["data"][0]["id"], id);
        let (_, _, body) = call(&app, Method::DELETE, &like, Some(&bob), None).await;
        assert_eq!(
            (body["liked"].clone(), body["like_count"].clone()),
            (json!(false), json!(0))
        );
        let (status, _, _) = call(&app, Method::DELETE, &like, Some(&bob), None).await;
        assert_eq!(status, 200);
        let (status, _, _) = call(
            &app,
            Method::PUT,
            "/api/v1/posts/999999/like",
            Some(&bob),
            None,
        )
        .await;
        assert_eq!(status, 404);

        // Follows and the feed.
        let ann_id = crate::posts::user_id(&app, "ann").await;
        let follow = format!("/api/v1/users/{ann_id}/follow");
        let (status, _, body) = call(&app, Method::PUT, &follow, Some(&bob), None).await;
        assert_eq!(status, 200);
        assert_eq!(body["followed"], true);
        assert_eq!(body["followers"], 1);
        let (_, _, body) = call(&app, Method::GET, "/api/v1/feed", Some(&bob), None).await;
        assert_eq!(body["total"], 1);
        assert_eq!(body["data"][0]["title"], "Hello API");
        let (status, _, _) = call(&app, Method::GET, "/api/v1/feed", None, None).await;
        assert_eq!(status, 401);
        let (_, _, body) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users/{ann_id}"),
            Some(&bob),
            None,
        )
        .await;
        assert_eq!(body["data"]["followed"], true);
        assert_eq!(body["data"]["followers"], 1);
        assert_eq!(body["data"]["posts"], 1);
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &format!("/api/v1/users/{ann_id}/follow"),
            Some(&ann),
            None,
        )
        .await;
        assert_eq!(status, 409, "{body}");
        let (_, _, body) = call(&app, Method::DELETE, &follow, Some(&bob), None).await;
        assert_eq!(body["followed"], false);
        let (_, _, body) = call(&app, Method::GET, "/api/v1/feed", Some(&bob), None).await;
        assert_eq!(body["total"], 0);

        // A bio through the API: checked, shown to everyone.
        let me = format!("/api/v1/users/{ann_id}");
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &me,
            Some(&ann),
            Some(json!({"bio": "x".repeat(301)})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body["errors"]["bio"].is_string());
        let (status, _, body) = call(
            &app,
            Method::PUT,
            &me,
            Some(&ann),
            Some(json!({"bio": "I write."})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, _, body) = call(&app, Method::GET, &me, None, None).await;
        assert_eq!(body["data"]["bio"], "I write.");
        assert!(
            body["data"].get("followed").is_none(),
            "no token, no answer"
        );

        // An admin may delete anyone's comment.
        let admin = make_admin(&app, "root").await;
        let (_, _, body) = call(
            &app,
            Method::POST,
            &path,
            Some(&carl),
            Some(json!({"content": "Spam"})),
        )
        .await;
        let spam = body["data"]["id"].as_i64().unwrap();
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &format!("{path}/{spam}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, 200);
    }
);
