//! A writer's export: everything of theirs in one zip, from the account page and the API, only
//! their own; exports take turns, and one whose reader stops reading is let go.

use super::avatars::{png_bytes, upload};
use crate::api::{call, register};
use crate::common::{on_each_database, TestApp};
use axum::body::Body;
use axum::extract::ConnectInfo;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tower::ServiceExt;

/// The zip's files by name and text (a picture's bytes as Latin-1), in the order they were
/// written, as Python's zipfile reads them (another implementation than the one that wrote
/// them), every entry's CRC checked.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            "import io, json, sys, zipfile\n\
             z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\n\
             assert z.testzip() is None\n\
             text = lambda n, b: b.decode() if n.endswith(('.json', '.md')) else b.decode('latin1')\n\
             print(json.dumps([[n, text(n, z.read(n))] for n in z.namelist()]))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    an_export_holds_everything_of_the_writer_and_nothing_else,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let bob = app.another_browser();
        bob.signed_in("bob").await;
        let res = bob
            .call(
                "create_post",
                &[("title", "Bob's own"), ("content", "By bob.")],
            )
            .await;
        assert_eq!(res.status(), 200);
        let bobs_post = app.count("SELECT id FROM posts").await.to_string();
        app.signed_in("ann").await;
        let res = upload(&app, "ann", "me.png", png_bytes(64, 64)).await;
        assert_eq!(res.status(), 200);
        for (title, content, format, tags) in [
            (
                "First \"quoted\" post",
                "# Hello\n\nSome *Markdown*.",
                "markdown",
                "rust, web",
            ),
            ("Second", "Plain: text", "text", ""),
        ] {
            let form = [
                ("title", title),
                ("content", content),
                ("format", format),
                ("tags", tags),
                ("summary", "A summary: with a colon"),
            ];
            assert_eq!(app.call("create_post", &form).await.status(), 200);
        }
        let res = app
            .call(
                "add_comment",
                &[("post_id", &bobs_post), ("content", "Nice one, bob.")],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let bob_id = app
            .count("SELECT id FROM users WHERE username = 'bob'")
            .await;
        let ann_id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        for (sql, id, other) in [
            (
                "INSERT INTO likes (user_id, post_id, created_at) VALUES ($1, $2, 5)",
                ann_id,
                bobs_post.parse::<i64>().unwrap(),
            ),
            (
                "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, 5)",
                ann_id,
                bob_id,
            ),
            (
                "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, 5)",
                bob_id,
                ann_id,
            ),
        ] {
            sqlx::query(sql)
                .bind(id)
                .bind(other)
                .execute(&app.state.db)
                .await
                .unwrap();
        }

        let res = app.page("/account").await;
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("href=\"/account/export\""));
        let res = app.get("/account/export", &[]).await;
        assert_eq!(res.status(), 200);
        let headers = res.headers().clone();
        assert_eq!(headers["content-type"], "application/zip");
        assert_eq!(headers["cache-control"], "no-store");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"quill-ann-")
                && disposition.ends_with(".zip\""),
            "{disposition}"
        );
        let files = unzip(&res.bytes().await.unwrap());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        let file: BTreeMap<&str, &str> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        assert_eq!(names.len(), 8, "{names:?}");
        assert_eq!(names[..2], ["profile.json", "avatar.png"]);
        assert!(file["avatar.png"].starts_with("\u{89}PNG"));

        let profile: Value = serde_json::from_str(file["profile.json"]).unwrap();
        assert_eq!(profile["format"], "quill-export");
        assert_eq!(profile["username"], "ann");
        assert_eq!(profile["email"], "ann@example.com");
        assert_eq!(profile["avatar"], "avatar.png");

        let markdown: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| n.ends_with(".md"))
            .collect();
        assert_eq!(markdown.len(), 2, "{names:?}");
        let first = markdown
            .iter()
            .find(|n| n.contains("first-quoted-post"))
            .unwrap();
        assert!(
            first.starts_with("posts/20") && !first.contains(".."),
            "{first}"
        );
        let text = file[first];
        assert!(
            text.starts_with(
                "---\ntitle: \"First \\\"quoted\\\" post\"\nslug: \"first-quoted-post\"\ndate: 20"
            ),
            "{text}"
        );
        for line in [
            "status: published\n",
            "visibility: public\n",
            "format: \"markdown\"\n",
            "tags: [\"rust\", \"web\"]\n",
            "summary: \"A summary: with a colon\"\n",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
        assert!(
            text.ends_with("---\n# Hello\n\nSome *Markdown*.\n"),
            "{text}"
        );

        let posts: Value = serde_json::from_str(file["posts.json"]).unwrap();
        let posts = posts.as_array().unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(posts[0]["title"], "First \"quoted\" post");
        assert_eq!(posts[0]["content"], "# Hello\n\nSome *Markdown*.");
        assert_eq!(posts[0]["tags"], serde_json::json!(["rust", "web"]));
        assert_eq!(posts[1]["format"], "text");
        assert_eq!(posts[0]["file"], *first);

        let comments: Value = serde_json::from_str(file["comments.json"]).unwrap();
        assert_eq!(comments.as_array().unwrap().len(), 1);
        assert_eq!(comments[0]["content"], "Nice one, bob.");
        assert_eq!(comments[0]["post_author"], "bob");
        let likes: Value = serde_json::from_str(file["likes.json"]).unwrap();
        assert_eq!(likes[0]["post_title"], "Bob's own");
        let follows: Value = serde_json::from_str(file["follows.json"]).unwrap();
        assert_eq!(
            follows,
            serde_json::json!({"following": ["bob"], "followers": ["bob"]})
        );

        // Bob's export has his post and none of ann's.
        let res = bob.get("/account/export", &[]).await;
        let files = unzip(&res.bytes().await.unwrap());
        let posts = &files.iter().find(|(n, _)| n == "posts.json").unwrap().1;
        assert!(
            posts.contains("Bob's own") && !posts.contains("First"),
            "{posts}"
        );

        // Someone signed out is sent to log in.
        let res = app.another_browser().get("/account/export", &[]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?next=/account/export");
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    the_api_exports_only_ones_own_account,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ann = register(&app, "ann").await;
        let bob = register(&app, "bob").await;
        let id = app
            .count("SELECT id FROM users WHERE username = 'ann'")
            .await;
        let path = format!("/api/v1/users/{id}/export");
        let res = TestApp::new_client()
            .get(app.url(&path))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/zip");
        let files = unzip(&res.bytes().await.unwrap());
        assert_eq!(files[0].0, "profile.json");
        assert!(files[0].1.contains("\"username\": \"ann\""));
        for (token, status) in [(Some(&bob), 403), (None, 401)] {
            let (got, _, _) = call(&app, Method::GET, &path, token.map(String::as_str), None).await;
            assert_eq!(got, status);
        }
        let (got, _, _) = call(
            &app,
            Method::GET,
            "/api/v1/users/99999/export",
            Some(&ann),
            None,
        )
        .await;
        assert_eq!(got, 404);
    }
);

/// Text deflate cannot shrink much: an export of it is larger than the pipe it is written into.
fn noise(seed: u64, len: usize) -> String {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    exports_take_turns_and_a_reader_that_stops_is_let_go,
    |backend| async move {
        let app = TestApp::spawn_with(
            backend,
            &[("EXPORT_CONCURRENCY", "2"), ("EXPORT_STALL_SECONDS", "1")],
        )
        .await;
        // Three writers, two of them with posts deflate cannot shrink below the pipe's size.
        let mut writers = Vec::new();
        for (name, posts) in [("ann", 3), ("bob", 3), ("cid", 0)] {
            let token = register(&app, name).await;
            for n in 0..posts {
                let post = serde_json::json!({"title": format!("Noise {n}"), "content": noise(n + 1, 90_000)});
                let (status, body) =
                    crate::api::post_json(&app, "/api/v1/posts", post, Some(&token)).await;
                assert_eq!(status, 201, "{body}");
            }
            let id = app
                .count(&format!("SELECT id FROM users WHERE username = '{name}'"))
                .await;
            writers.push((id, token));
        }
        let router = quill::web::router::router(app.state.clone());
        let export = |(id, token): &(i64, String)| {
            let mut request = axum::http::Request::get(format!("/api/v1/users/{id}/export"))
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
            router.clone().oneshot(request)
        };
        let (ann, bob, cid) = (&writers[0], &writers[1], &writers[2]);
        // Ann's first export's body is not read: its writer fills the pipe and waits.
        let Ok(first) = export(ann).await;
        assert_eq!(first.status(), 200);
        // One account, one export at a time.
        let Ok(again) = export(ann).await;
        assert_eq!(again.status(), 429);
        assert!(again.headers().contains_key("retry-after"));
        // Bob takes the other turn; then every turn is taken.
        let Ok(bobs) = export(bob).await;
        assert_eq!(bobs.status(), 200);
        let Ok(cids) = export(cid).await;
        assert_eq!(cids.status(), 503);
        assert!(cids.headers().contains_key("retry-after"));
        // After a second without progress both are ended, their turns free again, and their
        // bodies end in an error rather than in a zip that looks whole.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        for stalled in [first, bobs] {
            let read = axum::body::to_bytes(stalled.into_body(), usize::MAX).await;
            assert!(read.is_err(), "a stalled export is not a whole zip");
        }
        let Ok(cids) = export(cid).await;
        assert_eq!(cids.status(), 200);
        let Ok(third) = export(ann).await;
        assert_eq!(third.status(), 200);
        let bytes = axum::body::to_bytes(third.into_body(), usize::MAX)
            .await
            .unwrap();
        assert!(bytes.len() > 3 * 64 * 1024, "{} bytes", bytes.len());
        let files = unzip(&bytes);
        assert_eq!(files.iter().filter(|(n, _)| n.ends_with(".md")).count(), 3);
    }
);
