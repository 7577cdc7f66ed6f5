//! Error pages: status, layout, and failures outside the Leptos routes.

use crate::common::{on_each_database, TestApp, SECRET};
use reqwest::header::{ACCEPT, ORIGIN};

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    error_pages_have_the_right_status_and_layout,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (status, html) = app.page_text("/no/such/page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found") && html.contains(r#"href="/about""#));
        let (status, html) = app.page_text("/about").await;
        assert_eq!(status, 200);
        assert!(html.contains("About Quill") && html.contains("<title>Quill - About</title>"));
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = app
            .client
            .get(app.url("/media/avatars/1-nothing.png"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let res = app
            .client
            .post(app.url("/_fn/no_such_fn"))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "no such server function");
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    refused_and_failed_requests_get_error_pages_in_the_layout,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("ann").await;
        // A cross-site form post (JavaScript off) gets the 403 page, with the nav of the user.
        let res = app
            .client
            .post(app.url("/_fn/logout"))
            .header(ACCEPT, "text/html")
            .header(ORIGIN, "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let html = res.text().await.unwrap();
        assert!(html.contains("<title>Quill - Forbidden</title>"), "{html}");
        assert!(
            html.contains("You do not have permission") && html.contains("Logout"),
            "{html}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sessions").await,
            1,
            "still signed in"
        );

        // With the database gone, a page that needs it answers with the 500 page.
        let (id, hash): (i64, String) = sqlx::query_as("SELECT id, password_hash FROM users")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let token = quill::domain::tokens::make_reset_token(
            SECRET,
            id,
            &hash,
            quill::domain::db::now() + 600,
        );
        app.state.db.close().await;
        let res = TestApp::new_client()
            .get(app.url(&format!("/reset_password/{token}")))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 500);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("<title>Quill - Something went wrong</title>")
                && html.contains("We're experiencing some trouble on our end (500)"),
            "{html}"
        );
        assert!(
            html.contains(r#"<a class="brand" href="/">Quill</a>"#),
            "in the layout: {html}"
        );
        // Alive, but not ready: a load balancer sends its traffic elsewhere.
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(res.status(), 503);
    }
);
