//! Registration, sign-in and sessions over HTTP, on SQLite and PostgreSQL alike.

mod avatars;
mod delete;
mod errors;
mod export;
mod reset;

use crate::common::{error_json, on_each_database, redirect_target, TestApp};
use reqwest::header::{ACCEPT, SET_COOKIE};

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    register_creates_an_account_and_flashes_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app.register("ann", "Ann@Example.com", "password123").await;
        assert_eq!(res.status(), 200, "{backend:?}");
        assert_eq!(redirect_target(&res).as_deref(), Some("/login"));
        let (status, html) = app.page_text("/login").await;
        assert_eq!(status, 200);
        assert!(html.contains("Your account has been created! You are now able to log in"));
        assert!(html.contains("<title>Quill - Login</title>"));
        let (_, again) = app.page_text("/login").await;
        assert!(
            !again.contains("Your account has been created"),
            "a flash shows once"
        );
        let hash: String =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'ann@example.com'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert!(
            hash.starts_with("$argon2id$"),
            "stored lower-case e-mail, argon2id hash"
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    register_refuses_each_invalid_field_and_stores_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            (
                "username",
                "a",
                "a@example.com",
                "password123",
                "2 to 20 characters",
            ),
            (
                "username",
                "bad name",
                "a@example.com",
                "password123",
                "letters, digits",
            ),
            (
                "username",
                &"x".repeat(21),
                "a@example.com",
                "password123",
                "2 to 20",
            ),
            (
                "email",
                "ann",
                "not-an-email",
                "password123",
                "valid e-mail",
            ),
            ("password", "ann", "a@example.com", "short", "at least 8"),
        ];
        for (field, username, email, password, message) in cases {
            let res = app.register(username, email, password).await;
            assert_eq!(res.status(), 422, "{field}");
            let body = error_json(res).await;
            let got = body["Invalid"][field]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(got.contains(message), "{field}: {got}");
        }
        let res = app
            .call(
                "register",
                &[
                    ("username", "ann"),
                    ("email", "a@example.com"),
                    ("password", "password123"),
                    ("confirm_password", "password124"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            error_json(res).await["Invalid"]["confirm_password"],
            "The passwords do not match."
        );
        let long = "p".repeat(129);
        let res = app.register("ann", "a@example.com", &long).await;
        assert_eq!(
            error_json(res).await["Invalid"]["password"],
            "A password has at most 128 characters."
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    register_refuses_taken_names_and_addresses,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        assert_eq!(
            app.register("ann", "ann@example.com", "password123")
                .await
                .status(),
            200
        );
        let body = error_json(
            app.register("ANN", "other@example.com", "password123")
                .await,
        )
        .await;
        assert_eq!(
            body["Invalid"]["username"],
            "That username is taken. Please choose another."
        );
        let body = error_json(app.register("bob", "ANN@example.com", "password123").await).await;
        assert_eq!(
            body["Invalid"]["email"],
            "That e-mail address is already registered."
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    without_javascript_a_refused_form_comes_back_filled_in,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app
            .post_form(
                "register",
                "/register",
                &[
                    ("username", "x"),
                    ("email", "kept@example.com"),
                    ("password", "secretpass1"),
                    ("confirm_password", "secretpass1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/register"));
        let (_, html) = app.page_text("/register").await;
        assert!(
            html.contains(r#"value="kept@example.com""#),
            "typed e-mail kept"
        );
        assert!(html.contains(r#"value="x""#), "typed username kept");
        assert!(html.contains("A username is 2 to 20 characters long."));
        assert!(!html.contains("secretpass1"), "passwords are never echoed");
        // A successful plain post redirects to the login page with the flash.
        let res = app
            .post_form(
                "register",
                "/register",
                &[
                    ("username", "kept"),
                    ("email", "kept@example.com"),
                    ("password", "secretpass1"),
                    ("confirm_password", "secretpass1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(redirect_target(&res).as_deref(), Some("/login"));
        assert!(app
            .page_text("/login")
            .await
            .1
            .contains("Your account has been created!"));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    login_sets_a_session_and_remember_me_keeps_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let res = app.login("ann@example.com", "password123").await;
        assert_eq!(res.status(), 200);
        assert_eq!(redirect_target(&res).as_deref(), Some("/"));
        let cookie = res
            .headers()
            .get(SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("quill_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(
            !cookie.contains("Max-Age"),
            "a browser-session cookie without remember me"
        );
        let (_, html) = app.page_text("/").await;
        assert!(
            html.contains("Logout")
                && html.contains(r#"href="/account""#)
                && html.contains(">ann</a>")
        );

        let other = TestApp::new_client();
        let res = other
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "application/json")
            .form(&[
                ("email", "ann@example.com"),
                ("password", "password123"),
                ("remember", "on"),
            ])
            .send()
            .await
            .unwrap();
        let cookie = res
            .headers()
            .get(SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("Max-Age=2592000"),
            "30 days with remember me: {cookie}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sessions WHERE remember = 1")
                .await,
            1
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    wrong_credentials_get_one_generic_message,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let wrong_password = error_json(app.login("ann@example.com", "password124").await).await;
        let unknown_email = error_json(app.login("nobody@example.com", "password123").await).await;
        assert_eq!(wrong_password, unknown_email);
        assert_eq!(
            wrong_password["Invalid"]["form"],
            "Login unsuccessful. Please check your e-mail and password."
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    logout_ends_the_session_on_the_server,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let res = app.login("ann@example.com", "password123").await;
        let cookie = res.headers().get(SET_COOKIE).unwrap().to_str().unwrap();
        let token = cookie.split(';').next().unwrap().to_string();
        let res = app.call("logout", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // The old cookie, replayed, no longer signs anyone in.
        let replay = TestApp::new_client()
            .get(app.url("/account"))
            .header(ACCEPT, "text/html")
            .header("cookie", token)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 302);
        assert!(redirect_target(&replay).unwrap().starts_with("/login"));
        let (_, html) = app.page_text("/").await;
        assert!(html.contains("You have been logged out."));
        assert!(html.contains(r#"href="/login""#));
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    login_required_pages_send_visitors_to_login_and_back,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let res = app.page("/account").await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            redirect_target(&res).as_deref(),
            Some("/login?next=/account")
        );
        let (_, html) = app.page_text("/login?next=/account").await;
        assert!(html.contains("Please log in to access this page."));
        assert!(html.contains(r#"name="next" value="/account""#));
        app.register("ann", "ann@example.com", "password123").await;
        let res = app
            .call(
                "login",
                &[
                    ("email", "ann@example.com"),
                    ("password", "password123"),
                    ("next", "/account"),
                ],
            )
            .await;
        assert_eq!(redirect_target(&res).as_deref(), Some("/account"));
        let (status, html) = app.page_text("/account").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("ann@example.com") && html.contains("<title>Quill - Account</title>")
        );
        // Signed in, the visitor pages send you home.
        for page in ["/login", "/register", "/reset_password"] {
            let res = app.page(page).await;
            assert_eq!(res.status(), 302, "{page}");
            assert_eq!(redirect_target(&res).as_deref(), Some("/"));
        }
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    next_never_leaves_the_site,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        for evil in ["https://evil.example", "//evil.example", "/\\evil.example"] {
            let client = TestApp::new_client();
            let res = client
                .post(app.url("/_fn/login"))
                .header(ACCEPT, "application/json")
                .form(&[
                    ("email", "ann@example.com"),
                    ("password", "password123"),
                    ("next", evil),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(redirect_target(&res).as_deref(), Some("/"), "{evil}");
        }
    }
);
