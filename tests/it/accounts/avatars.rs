//! The account page: profile changes and pictures.

use crate::common::{error_json, on_each_database, TestApp};
use reqwest::header::ACCEPT;

pub(super) fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A small PNG file whose header claims `w` × `h` pixels.
fn claimed_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
    drop(writer);
    out
}

fn jpg_bytes(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([200, (x % 255) as u8, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

pub(super) async fn upload(
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
        // An upload over the limit is refused before it is read, and its connection closed:
        // never reuse one.
        .header("connection", "close")
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

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    avatar_uploads_are_checked_and_served,
    |backend| async move {
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
        let weak = format!("W/{}", tag.to_str().unwrap());
        for asked in [tag.to_str().unwrap(), weak.as_str(), "*"] {
            let res = app
                .client
                .get(app.url(&url))
                .header("if-none-match", asked)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 304, "If-None-Match: {asked}");
            assert_eq!(res.headers()["etag"], tag);
            assert!(res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable"));
        }
        let res = app
            .client
            .get(app.url(&url))
            .header("if-none-match", "\"another\"")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);

        assert_eq!(
            upload(&app, "ann", "me.jpg", jpg_bytes(200, 200))
                .await
                .status(),
            200
        );
        let jpg_etag = etag_of(&app).await.unwrap();
        assert_ne!(jpg_etag, etag);
        // The old picture's address names a picture that is gone: `*` matches nothing there.
        let res = app
            .client
            .get(app.url(&url))
            .header("if-none-match", "*")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);

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
        // Over the limit, the upload is refused before it is read.
        let res = upload(&app, "ann", "big.png", big).await;
        assert_eq!(res.status(), 413);
        let message = error_json(res).await["Invalid"]["picture"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("too large"), "{message}");
        // A few bytes that claim 30,000 × 30,000 pixels are refused on their header.
        let res = upload(&app, "ann", "bomb.png", claimed_png(30_000, 30_000)).await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            error_json(res).await["Invalid"]["picture"],
            "That picture is too large: at most 4096 × 4096 pixels."
        );
        assert_eq!(
            etag_of(&app).await.unwrap(),
            jpg_etag,
            "refused uploads change nothing"
        );
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    account_update_checks_names_and_addresses,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.register("bob", "bob@example.com", "password123").await;
        app.signed_in("ann").await;
        let send_with = |username: &'static str, email: &'static str, current: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("username", username)
                .text("email", email)
                .text("current_password", current);
            app.client
                .post(app.url("/_fn/update_account"))
                .header(ACCEPT, "application/json")
                .multipart(form)
                .send()
        };
        let send = |username, email| send_with(username, email, "password123");
        // A new address needs the current password; a new name alone does not.
        let res = send_with("ann", "ann@example.net", "").await.unwrap();
        assert_eq!(
            error_json(res).await["Invalid"]["current_password"],
            "Please enter your current password to change your e-mail address or password."
        );
        let res = send_with("ann", "ann@example.net", "wrong-password")
            .await
            .unwrap();
        assert_eq!(
            error_json(res).await["Invalid"]["current_password"],
            "That is not your current password."
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email = 'ann@example.net'")
                .await,
            0
        );
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
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pixel_limit_follows_its_setting() {
    let app =
        TestApp::spawn_with(crate::common::Backend::Sqlite, &[("IMAGE_MAX_SIDE", "64")]).await;
    app.signed_in("ann").await;
    let res = upload(&app, "ann", "wide.png", png_bytes(100, 20)).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        error_json(res).await["Invalid"]["picture"],
        "That picture is too large: at most 64 × 64 pixels."
    );
    let res = upload(&app, "ann", "small.png", png_bytes(64, 64)).await;
    assert_eq!(res.status(), 200);
}
