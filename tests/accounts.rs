//! The account system over HTTP, on SQLite and PostgreSQL alike.

mod common;

use common::{each_backend, error_json, redirect_target, TestApp, SECRET};
use reqwest::header::{ACCEPT, ORIGIN, SET_COOKIE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_creates_an_account_and_flashes_once() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_refuses_each_invalid_field_and_stores_nothing() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_refuses_taken_names_and_addresses() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_refused_form_comes_back_filled_in() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_session_and_remember_me_keeps_it() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_get_one_generic_message() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_required_pages_send_visitors_to_login_and_back() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_never_leaves_the_site() {
    each_backend(|backend| async move {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_rejected() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let send = |origin: Option<&'static str>, site: Option<&'static str>| {
            let mut req = app
                .client
                .post(app.url("/_fn/register"))
                .header(ACCEPT, "application/json")
                .form(&[
                    ("username", "eve"),
                    ("email", "eve@example.com"),
                    ("password", "password123"),
                    ("confirm_password", "password123"),
                ]);
            if let Some(origin) = origin {
                req = req.header(ORIGIN, origin);
            }
            if let Some(site) = site {
                req = req.header("sec-fetch-site", site);
            }
            req.send()
        };
        let res = send(Some("https://evil.example"), None).await.unwrap();
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("another site"));
        assert_eq!(send(None, Some("cross-site")).await.unwrap().status(), 403);
        assert_eq!(send(Some("null"), None).await.unwrap().status(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
        let own = app.base.clone();
        let own: &'static str = Box::leak(own.into_boxed_str());
        assert_eq!(
            send(Some(own), Some("same-origin")).await.unwrap().status(),
            200
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    })
    .await;
}

fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpg_bytes(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([200, (x % 255) as u8, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn upload(
    app: &TestApp,
    username: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("username", username.to_string())
        .text("email", format!("{username}@example.com"))
        .part(
            "picture",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
    app.client
        .post(app.url("/_fn/update_account"))
        .header(ACCEPT, "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn etag_of(app: &TestApp) -> Option<String> {
    sqlx::query_scalar("SELECT avatar_etag FROM users WHERE username = 'ann'")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatar_uploads_are_checked_and_served() {
    each_backend(|backend| async move {
        let app = TestApp::spawn_with(backend, &[("MAX_AVATAR_BYTES", "300000")]).await;
        app.signed_in("ann").await;
        let (_, html) = app.page_text("/account").await;
        assert!(html.contains("/default-avatar.svg"));

        let res = upload(&app, "ann", "me.png", png_bytes(400, 300)).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let etag = etag_of(&app).await.expect("picture stored");
        let url = format!(
            "/media/avatars/{}-{etag}.png",
            app.count("SELECT id FROM users").await
        );
        let (_, html) = app.page_text("/account").await;
        assert!(
            html.contains(&url),
            "the account page shows the new picture"
        );
        assert!(html.contains("Your account has been updated!"));
        let res = app.client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/png");
        assert!(res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let tag = res.headers()["etag"].clone();
        let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), (125, 125));
        let res = app
            .client
            .get(app.url(&url))
            .header("if-none-match", tag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 304);

        assert_eq!(
            upload(&app, "ann", "me.jpg", jpg_bytes(200, 200))
                .await
                .status(),
            200
        );
        let jpg_etag = etag_of(&app).await.unwrap();
        assert_ne!(jpg_etag, etag);

        let res = upload(
            &app,
            "ann",
            "evil.png",
            b"just some text, not a picture".to_vec(),
        )
        .await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            error_json(res).await["Invalid"]["picture"],
            "That file is not a readable JPG or PNG picture."
        );
        let res = upload(&app, "ann", "notes.txt", png_bytes(10, 10)).await;
        assert_eq!(
            error_json(res).await["Invalid"]["picture"],
            "Only JPG and PNG pictures are allowed."
        );
        let big: Vec<u8> = png_bytes(10, 10)
            .into_iter()
            .chain(std::iter::repeat_n(0u8, 400_000))
            .collect();
        let res = upload(&app, "ann", "big.png", big).await;
        assert_eq!(res.status(), 422);
        let message = error_json(res).await["Invalid"]["picture"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("too large"), "{message}");
        assert_eq!(
            etag_of(&app).await.unwrap(),
            jpg_etag,
            "refused uploads change nothing"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_update_checks_names_and_addresses() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("bob", "bob@example.com", "password123").await;
        app.signed_in("ann").await;
        let send = |username: &'static str, email: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("username", username)
                .text("email", email);
            app.client
                .post(app.url("/_fn/update_account"))
                .header(ACCEPT, "application/json")
                .multipart(form)
                .send()
        };
        let res = send("Bob", "ann@example.com").await.unwrap();
        assert_eq!(
            error_json(res).await["Invalid"]["username"],
            "That username is taken. Please choose another."
        );
        let res = send("ann", "BOB@example.com").await.unwrap();
        assert_eq!(
            error_json(res).await["Invalid"]["email"],
            "That e-mail address is already registered."
        );
        let res = send("x", "bad").await.unwrap();
        let body = error_json(res).await;
        assert!(body["Invalid"]["username"].is_string() && body["Invalid"]["email"].is_string());
        assert_eq!(
            send("Ann", "ann@example.com").await.unwrap().status(),
            200,
            "your own name in another case is fine"
        );
        assert_eq!(
            send("anna", "anna@example.org").await.unwrap().status(),
            200
        );
        let (_, html) = app.page_text("/account").await;
        assert!(html.contains("anna@example.org"));
        // Logged out, the update is refused.
        let res = TestApp::new_client()
            .post(app.url("/_fn/update_account"))
            .header(ACCEPT, "application/json")
            .multipart(
                reqwest::multipart::Form::new()
                    .text("username", "zed")
                    .text("email", "zed@example.com"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_works_once_and_ends_sessions() {
    each_backend(|backend| async move {
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
        let links = app.mailed_links();
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_tampered_reset_links_are_refused() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("ann", "ann@example.com", "password123").await;
        let (id, hash): (i64, String) = sqlx::query_as("SELECT id, password_hash FROM users")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let now = quill::backend::db::now();
        let expired = quill::backend::tokens::make_reset_token(SECRET, id, &hash, now - 1);
        let good = quill::backend::tokens::make_reset_token(SECRET, id, &hash, now + 600);
        let tampered = good.replacen(&format!("{id}."), &format!("{}.", id + 1), 1);
        let foreign = quill::backend::tokens::make_reset_token(
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_have_the_right_status_and_layout() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(backend).await;
        let (status, html) = app.page_text("/no/such/page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found") && html.contains(r#"href="/about""#));
        let (status, html) = app.page_text("/about").await;
        assert_eq!(status, 200);
        assert!(html.contains("About Quill") && html.contains("<title>Quill - About</title>"));
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
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
        assert!(res.status().is_client_error());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_failed_requests_get_error_pages_in_the_layout() {
    each_backend(|backend| async move {
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
        let token = quill::backend::tokens::make_reset_token(
            SECRET,
            id,
            &hash,
            quill::backend::db::now() + 600,
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
        assert!(html.contains("Something went wrong") && html.contains("Quill"));
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 503);
    })
    .await;
}
