//! Password reset by e-mail.

use crate::common::{on_each_database, redirect_target, TestApp, SECRET};
use reqwest::header::ACCEPT;

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    password_reset_works_once_and_ends_sessions,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let signed_in = TestApp::new_client();
        signed_in
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "application/json")
            .form(&[("email", "ann@example.com"), ("password", "password123")])
            .send()
            .await
            .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);

        let known = app
            .call("request_reset", &[("email", "ann@example.com")])
            .await;
        let known_status = known.status();
        let known_target = redirect_target(&known);
        let unknown = app
            .call("request_reset", &[("email", "nobody@example.com")])
            .await;
        assert_eq!(known_status, unknown.status(), "the same answer either way");
        assert_eq!(known_target, redirect_target(&unknown));
        let (_, html) = app.page_text("/login").await;
        assert!(html.contains("If an account uses that e-mail address"));
        let links = app.wait_for_links(1).await;
        assert_eq!(links.len(), 1, "one mail, for the known address only");
        let link = links[0].clone();
        let path = link
            .strip_prefix(&app.base)
            .expect("link to this site")
            .to_string();

        let (status, html) = app.page_text(&path).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"name="confirm_password""#));
        let token = path.rsplit('/').next().unwrap().to_string();
        let res = app
            .call(
                "reset_password",
                &[
                    ("token", &token),
                    ("password", "short"),
                    ("confirm_password", "short"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app
            .call(
                "reset_password",
                &[
                    ("token", &token),
                    ("password", "newpassword1"),
                    ("confirm_password", "newpassword1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(redirect_target(&res).as_deref(), Some("/login"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sessions").await,
            0,
            "every session ended"
        );
        assert_eq!(
            app.login("ann@example.com", "password123").await.status(),
            422
        );
        assert_eq!(app.call("logout", &[]).await.status(), 200);

        // Used once, the link is dead.
        let client = TestApp::new_client();
        let res = client
            .get(app.url(&path))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(redirect_target(&res).as_deref(), Some("/reset_password"));
        let html = client
            .get(app.url("/reset_password"))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("That reset link is invalid or has expired."));
        let res = app
            .call(
                "reset_password",
                &[
                    ("token", &token),
                    ("password", "another123"),
                    ("confirm_password", "another123"),
                ],
            )
            .await;
        assert_eq!(redirect_target(&res).as_deref(), Some("/reset_password"));
        assert_eq!(
            app.login("ann@example.com", "newpassword1").await.status(),
            200
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    expired_and_tampered_reset_links_are_refused,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let (id, hash): (i64, String) = sqlx::query_as("SELECT id, password_hash FROM users")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let now = quill::domain::db::now();
        let expired = quill::domain::tokens::make_reset_token(SECRET, id, &hash, now - 1);
        let good = quill::domain::tokens::make_reset_token(SECRET, id, &hash, now + 600);
        let tampered = good.replacen(&format!("{id}."), &format!("{}.", id + 1), 1);
        let foreign = quill::domain::tokens::make_reset_token(
            "another-secret-another-secret-123",
            id,
            &hash,
            now + 600,
        );
        for token in [expired, tampered, foreign, "garbage".to_string()] {
            let client = TestApp::new_client();
            let res = client
                .get(app.url(&format!("/reset_password/{token}")))
                .header(ACCEPT, "text/html")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 302, "{token}");
            assert_eq!(redirect_target(&res).as_deref(), Some("/reset_password"));
            let html = client
                .get(app.url("/reset_password"))
                .header(ACCEPT, "text/html")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                html.contains("That reset link is invalid or has expired."),
                "{token}"
            );
            let res = app
                .call(
                    "reset_password",
                    &[
                        ("token", &token),
                        ("password", "newpassword1"),
                        ("confirm_password", "newpassword1"),
                    ],
                )
                .await;
            assert_eq!(redirect_target(&res).as_deref(), Some("/reset_password"));
        }
        assert_eq!(
            app.login("ann@example.com", "password123").await.status(),
            200,
            "password unchanged"
        );
    }
);
