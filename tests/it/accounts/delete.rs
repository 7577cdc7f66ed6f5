//! Deleting one's account: from the account page with the password (JavaScript on or off),
//! and through the API (one's own with `current_password`, someone else's as an
//! administrator, without).

use crate::api::{call, make_admin, register};
use crate::common::{error_json, on_each_database, redirect_target, TestApp};
use reqwest::Method;
use serde_json::json;

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_account_page_deletes_the_account_with_its_password,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        app.call("create_post", &[("title", "Ann's"), ("content", "Hello.")])
            .await;
        let (status, html) = app.page_text("/account").await;
        assert_eq!(status, 200);
        assert!(html.contains(">Delete my account</button>"), "{html}");

        // JavaScript off: a wrong password goes back to the account page, which says why;
        // nothing is deleted and the session goes on.
        let res = app
            .post_form(
                "delete_account",
                "/account",
                &[("current_password", "wrong password")],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/account"));
        let (status, html) = app.page_text("/account").await;
        assert_eq!(status, 200);
        assert!(html.contains("That is not your password."), "{html}");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);

        // JavaScript on: the refusal as data.
        let res = app
            .call("delete_account", &[("current_password", "")])
            .await;
        assert_eq!(res.status(), 422);
        let body = error_json(res).await;
        assert!(
            body.to_string().contains("Please enter your password"),
            "{body}"
        );

        let res = app
            .post_form(
                "delete_account",
                "/account",
                &[("current_password", "password123")],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/"));
        let (_, home) = app.page_text("/").await;
        assert!(home.contains("Your account has been deleted"), "{home}");
        assert!(!home.contains("href=\"/account\""), "signed out");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // The same address registers anew.
        assert_eq!(
            app.register("ann", "ann@example.com", "password123")
                .await
                .status(),
            200
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_api_deletes_ones_own_account_with_its_password_and_others_as_an_admin,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let root = make_admin(&app, "root").await;
        let id = |name: &'static str| {
            let app = &app;
            async move {
                app.count(&format!("SELECT id FROM users WHERE username = '{name}'"))
                    .await
            }
        };
        let (ann_id, bob_id) = (id("ann").await, id("bob").await);
        let ann_path = format!("/api/v1/users/{ann_id}");

        // Without a body, with a wrong password, with a body that is not JSON: refused.
        let (status, _, body) = call(&app, Method::DELETE, &ann_path, Some(&ann), None).await;
        assert_eq!(status, 403, "{body}");
        assert!(body.to_string().contains("current_password"), "{body}");
        let wrong = json!({"current_password": "not it at all"});
        let (status, _, body) =
            call(&app, Method::DELETE, &ann_path, Some(&ann), Some(wrong)).await;
        assert_eq!(status, 403, "{body}");
        let res = TestApp::new_client()
            .delete(app.url(&ann_path))
            .bearer_auth(&ann)
            .header("content-type", "text/plain")
            .body("password123")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415);
        // `null` is no body.
        let res = TestApp::new_client()
            .delete(app.url(&ann_path))
            .bearer_auth(&ann)
            .header("content-type", "application/json")
            .body("null")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        // Nor may anyone else delete it.
        let right = json!({"current_password": "password123"});
        let (status, _, _) = call(
            &app,
            Method::DELETE,
            &ann_path,
            Some(&bob),
            Some(right.clone()),
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3);

        let (status, _, body) =
            call(&app, Method::DELETE, &ann_path, Some(&ann), Some(right)).await;
        assert_eq!(status, 200, "{body}");
        let (status, _, _) = call(&app, Method::GET, "/api/v1/auth/status", Some(&ann), None).await;
        assert_eq!(status, 401, "ann's token went with her account");

        // An administrator deletes bob's account without a password.
        let bob_path = format!("/api/v1/users/{bob_id}");
        let (status, _, body) = call(&app, Method::DELETE, &bob_path, Some(&root), None).await;
        assert_eq!(status, 200, "{body}");
        let (status, _, _) = call(&app, Method::GET, &bob_path, None, None).await;
        assert_eq!(status, 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }
);
