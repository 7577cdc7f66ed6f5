//! Limits on what one request may cost: body sizes, encodings, time.

use crate::common::{error_json, on_each_database, raw_exchange, Backend, TestApp};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::time::{Duration, Instant};

fn head(app: &TestApp, path: &str, content_type: &str, length: usize, extra: &str) -> String {
    let host = app.base.trim_start_matches("http://");
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\nAccept: application/json\r\n{extra}Connection: close\r\n\r\n"
    )
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    form_bodies_are_limited_before_they_are_read,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // 3 MB announced and sent; refused on its Content-Length, before it is read (the
        // connection is closed on the rest, so the exchange is raw).
        let huge = format!("email={}&password=x", "a".repeat(3 * 1024 * 1024));
        let mut request = head(
            &app,
            "/_fn/login",
            "application/x-www-form-urlencoded",
            huge.len(),
            "",
        )
        .into_bytes();
        request.extend_from_slice(huge.as_bytes());
        let answer = raw_exchange(&app, request.clone(), Duration::from_secs(10)).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("too large"), "{answer}");
        // Without JavaScript: a message on the form's page, and nothing of the values kept.
        let plain = String::from_utf8_lossy(&request)
            .replacen("Accept: application/json", "Accept: text/html", 1)
            .replacen(
                "Connection: close",
                &format!("Referer: {}\r\nConnection: close", app.url("/login")),
                1,
            );
        let answer = raw_exchange(&app, plain.into_bytes(), Duration::from_secs(10)).await;
        assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
        assert!(answer.contains("location: /login\r\n"), "{answer}");
        let flash = answer
            .split("set-cookie: ")
            .nth(1)
            .and_then(|c| c.split(';').next())
            .expect("a flash cookie")
            .to_string();
        let stored = app
            .count("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM flashes")
            .await;
        assert!(stored < 1_000, "{stored} bytes of flash");
        let html = TestApp::new_client()
            .get(app.url("/login"))
            .header(ACCEPT, "text/html")
            .header("cookie", flash)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("That form is too large"), "{html}");

        // A chunked body (no Content-Length) is cut off at the limit too.
        let host = app.base.trim_start_matches("http://").to_string();
        let mut request = format!(
            "POST /_fn/register HTTP/1.1\r\nHost: {host}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        for _ in 0..40 {
            request.extend_from_slice(format!("{:x}\r\n", 4096).as_bytes());
            request.extend_from_slice(&[b'a'; 4096]);
            request.extend_from_slice(b"\r\n");
        }
        let answer = raw_exchange(&app, request, Duration::from_secs(10)).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

        // A long value within the limit is kept, cut to the longest a form takes.
        let long = format!("email={}&password=x", "b".repeat(60_000));
        let res = app
            .client
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "text/html")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(long)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let stored = app
            .count("SELECT COALESCE(MAX(LENGTH(payload)), 0) FROM flashes")
            .await;
        assert!((10_000..12_000).contains(&stored), "{stored} bytes kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_server_function_calls_are_4xx() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let send = |path: &'static str, content_type: &'static str, body: &'static str| {
        app.client
            .post(app.url(path))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let cases = [
        ("/_fn/login", "text/plain", "email=a&password=b"),
        ("/_fn/login", "application/json", "{}"),
        ("/_fn/update_account", "multipart/form-data", "--x\r\n"),
        ("/_fn/update_account", "text/plain", "username=a"),
        (
            "/_fn/update_account",
            "application/x-www-form-urlencoded",
            "username=a",
        ),
    ];
    for (path, content_type, body) in cases {
        let res = send(path, content_type, body).await.unwrap();
        assert_eq!(res.status(), 415, "{path} as {content_type}");
    }
    app.signed_in("ann").await;
    let res = send("/_fn/update_account", "multipart/form-data", "--x\r\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 415, "signed in, no boundary");
    let res = send(
        "/_fn/update_account",
        "multipart/form-data; boundary=x",
        "no multipart here",
    )
    .await
    .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_ne!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_cannot_make_the_server_read_a_picture() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // 64 MB announced, nothing sent: the answer comes without reading any of it.
    let request = head(
        &app,
        "/_fn/update_account",
        "multipart/form-data; boundary=quill",
        64 * 1024 * 1024,
        "",
    );
    let started = Instant::now();
    let answer = raw_exchange(&app, request.into_bytes(), Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Signed in, a declared size over the limit is refused before reading too.
    app.register("ann", "ann@example.com", "password123").await;
    let id = app.count("SELECT id FROM users").await;
    let token = quill::domain::users::start_session(&app.state.db, id, false)
        .await
        .unwrap();
    let request = head(
        &app,
        "/_fn/update_account",
        "multipart/form-data; boundary=quill",
        6 * 1024 * 1024,
        &format!("Cookie: quill_session={token}\r\n"),
    );
    let answer = raw_exchange(&app, request.into_bytes(), Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("the limit is 5 MB"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_are_cut_off() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("BODY_TIMEOUT_SECONDS", "1"),
            ("REQUEST_TIMEOUT_SECONDS", "3"),
        ],
    )
    .await;
    for (path, content_type) in [
        ("/_fn/login", "application/x-www-form-urlencoded"),
        ("/api/v1/auth/login", "application/json"),
    ] {
        // Ten bytes of a hundred, then silence.
        let mut request = head(&app, path, content_type, 100, "").into_bytes();
        request.extend_from_slice(b"email=aaaa");
        let started = Instant::now();
        let answer = raw_exchange(&app, request, Duration::from_secs(20)).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(started.elapsed() < Duration::from_secs(4), "{path}");
    }
    // A body that trickles, each byte within the body timeout, still ends with the request's.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let request = head(
        &app,
        "/_fn/login",
        "application/x-www-form-urlencoded",
        1000,
        "",
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = vec![0u8; 1024];
    let read = loop {
        tokio::select! {
            read = stream.read(&mut answer) => break read.unwrap(),
            _ = tokio::time::sleep(Duration::from_millis(400)) => {
                let _ = stream.write_all(b"a").await;
            }
        }
    };
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_flood_waits_in_a_bounded_queue_and_pages_still_load() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("HASHING_CONCURRENCY", "1"),
            ("HASHING_QUEUE", "2"),
            // Throttling out of the way: this is about the queue.
            ("THROTTLE_LOGIN_PER_CLIENT", "1000"),
            ("THROTTLE_LOGIN_PER_ACCOUNT", "1000"),
        ],
    )
    .await;
    app.register("ann", "ann@example.com", "password123").await;
    let mut flood = Vec::new();
    for _ in 0..24 {
        let client = TestApp::new_client();
        let url = app.url("/api/v1/auth/login");
        flood.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .json(
                    &serde_json::json!({"email": "ann@example.com", "password": "wrong-password"}),
                )
                .send()
                .await
                .unwrap();
            let retry = res.headers().get("retry-after").cloned();
            (res.status().as_u16(), retry)
        }));
    }
    // Readers meanwhile: every page answers.
    for _ in 0..10 {
        let (status, _) = app.page_text("/").await;
        assert_eq!(status, 200);
    }
    let mut busy = 0;
    for answer in flood {
        let (status, retry) = answer.await.unwrap();
        match status {
            401 => {}
            503 => {
                busy += 1;
                assert_eq!(retry.as_ref().and_then(|v| v.to_str().ok()), Some("1"));
            }
            other => panic!("a login answered {other}"),
        }
    }
    assert!(
        busy >= 20,
        "one hashing, two waiting: the rest are told to come back ({busy})"
    );
    // Afterwards the queue is free again.
    assert_eq!(
        app.login("ann@example.com", "password123").await.status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_limits_follow_their_settings() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("API_BODY_LIMIT", "1024"), ("FORM_BODY_LIMIT", "1024")],
    )
    .await;
    let title = "t".repeat(20);
    let small = serde_json::json!({"email": "a@example.com", "password": title});
    let big = serde_json::json!({"email": "a@example.com", "password": "p".repeat(2000)});
    let post = |body: serde_json::Value| {
        TestApp::new_client()
            .post(app.url("/api/v1/auth/login"))
            .json(&body)
            .send()
    };
    assert_eq!(post(small).await.unwrap().status(), 401);
    assert_eq!(post(big).await.unwrap().status(), 413);
    let form = |size: usize| {
        app.client
            .post(app.url("/_fn/login"))
            .header(ACCEPT, "application/json")
            .header("connection", "close")
            .form(&[
                ("email", "a@example.com".to_string()),
                ("password", "p".repeat(size)),
            ])
            .send()
    };
    assert_eq!(form(100).await.unwrap().status(), 422);
    assert_eq!(form(2000).await.unwrap().status(), 413);
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// Pages take turns at rendering (`RENDER_CONCURRENCY`). The home page is held in its turn by a
    /// database with no free connection (the test holds them all); `/about` and the 404 page need
    /// no database. With two turns they answer meanwhile; with one they wait for the home page's
    /// turn, and everything answers once the connections are back.
    pages_take_turns_at_rendering,
    |backend| async move {
        for turns in [2, 1] {
            let app =
                TestApp::spawn_with(backend, &[("RENDER_CONCURRENCY", &turns.to_string())]).await;
            let db = &app.state.db;
            let mut held = Vec::new();
            for _ in 0..db.options().get_max_connections() {
                held.push(db.acquire().await.unwrap());
            }
            let home = {
                let (client, url) = (TestApp::new_client(), app.url("/"));
                tokio::spawn(async move { client.get(url).send().await.unwrap().status() })
            };
            // The home page is in its turn when one fewer is free.
            let started = Instant::now();
            while app.state.renders.available_permits() != turns - 1 {
                assert!(started.elapsed() < Duration::from_secs(10), "{backend:?}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            let others: Vec<_> = ["/about", "/no-such-page"]
                .into_iter()
                .map(|path| {
                    let (client, url) = (TestApp::new_client(), app.url(path));
                    tokio::spawn(async move { client.get(url).send().await.unwrap().status() })
                })
                .collect();
            if turns == 2 {
                let started = Instant::now();
                while !others.iter().all(|other| other.is_finished()) {
                    assert!(started.elapsed() < Duration::from_secs(10), "{backend:?}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            } else {
                tokio::time::sleep(Duration::from_millis(500)).await;
                assert!(
                    !others.iter().any(|other| other.is_finished()),
                    "{backend:?}"
                );
            }
            drop(held);
            for other in others {
                let status = other.await.unwrap().as_u16();
                assert!([200, 404].contains(&status), "{backend:?}: {status}");
            }
            assert_eq!(home.await.unwrap().as_u16(), 200, "{backend:?}");
            assert_eq!(app.state.renders.available_permits(), turns);
        }
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// A post may hold 100,000 characters: its forms and the API take a whole one, every
    /// character the widest there is, from a writer — and nothing that size from a visitor.
    writing_takes_a_whole_post_from_writers_only,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let longest = "\u{1F600}".repeat(100_000);
        // The form as a browser encodes it (😀 is %F0%9F%98%80; ASCII letters are themselves).
        let form = |content: &str| {
            let encoded = content.replace('\u{1F600}', "%F0%9F%98%80");
            format!("title=Long&content={encoded}")
        };
        let body = form(&longest);
        assert!(body.len() > 1_200_000, "12 bytes a character");
        let send = |client: &reqwest::Client, body: String| {
            client
                .post(app.url("/_fn/create_post"))
                .header(ACCEPT, "application/json")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("connection", "close")
                .body(body)
                .send()
        };

        // A visitor is sent to log in before the body is read.
        let res = send(&app.client, body.clone()).await.unwrap();
        assert_eq!(res.status(), 401);
        let mut request = head(
            &app,
            "/_fn/create_post",
            "application/x-www-form-urlencoded",
            body.len(),
            &format!("Referer: {}\r\n", app.url("/post/new")),
        )
        .replacen("Accept: application/json", "Accept: text/html", 1)
        .into_bytes();
        request.extend_from_slice(&body.as_bytes()[..1000]);
        let answer = raw_exchange(&app, request, Duration::from_secs(10)).await;
        assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
        assert!(
            answer.contains("location: /login?next=/post/new\r\n"),
            "{answer}"
        );

        // A writer's longest post is stored whole.
        app.signed_in("ann").await;
        let res = send(&app.client, body).await.unwrap();
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let stored: String = sqlx::query_scalar("SELECT content FROM posts")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(stored, longest);
        // One character more is refused for its length; a body past the limit for its size.
        let res = send(&app.client, form(&format!("{longest}a")))
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert_eq!(
            error_json(res).await["Invalid"]["content"],
            "A post has at most 100,000 characters."
        );
        let res = send(&app.client, form(&"a".repeat(1_400_000)))
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);

        // Without JavaScript a refused post comes back whole in the editor.
        let typed = format!("{}end", "word ".repeat(19_999));
        let res = app
            .post_form(
                "create_post",
                "/post/new",
                &[("title", ""), ("content", &typed)],
            )
            .await;
        assert_eq!(res.status(), 303);
        let (_, html) = app.page_text("/post/new").await;
        assert!(html.contains(&format!("{typed}</textarea>")), "kept whole");
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 1);

        // The API: a visitor's body stays within API_BODY_LIMIT, a token holder's within
        // WRITING_BODY_LIMIT.
        let big = serde_json::json!({"email": "a@example.com", "password": "p".repeat(300_000)});
        let res = TestApp::new_client()
            .post(app.url("/api/v1/auth/login"))
            .json(&big)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        let token: String = TestApp::new_client()
            .post(app.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "ann@example.com", "password": "password123"}))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()["auth_token"]
            .as_str()
            .unwrap()
            .to_string();
        let api_post = |content: String, path: &'static str, scheme: &'static str| {
            let body = match path {
                "/api/articles" => serde_json::json!({"article": {
                    "title": "Via RealWorld", "description": "d", "body": content}}),
                _ => serde_json::json!({"title": "Via the API", "content": content}),
            };
            TestApp::new_client()
                .post(app.url(path))
                .header(AUTHORIZATION, format!("{scheme} {token}"))
                .json(&body)
                .send()
        };
        let res = api_post("b".repeat(300_000), "/api/v1/posts", "Bearer")
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "read whole, refused for its length");
        let res = api_post("b".repeat(1_400_000), "/api/v1/posts", "Bearer")
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        let res = api_post("b".repeat(100_000), "/api/articles", "Token")
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 2);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rendering_posts_waits_in_a_bounded_queue_and_pages_still_load() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("MARKDOWN_CONCURRENCY", "1"), ("MARKDOWN_QUEUE", "1")],
    )
    .await;
    app.signed_in("ann").await;
    // A long post with some of everything: it takes a while to render and sanitize.
    let section = "## A heading\n\nSome *text* with a [link](https://example.org) and `code`.\n\n\
                   - one\n- two\n\n```rust\nfn main() {}\n```\n\n";
    let long = section.repeat(100_000 / section.len());
    let mut writers = Vec::new();
    for _ in 0..16 {
        let client = app.client.clone();
        let url = app.url("/_fn/preview_post");
        let form = [
            ("content", long.clone()),
            ("format", "markdown".to_string()),
        ];
        writers.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .header(ACCEPT, "application/json")
                .form(&form)
                .send()
                .await
                .unwrap();
            let retry = res.headers().get("retry-after").cloned();
            (res.status().as_u16(), retry)
        }));
    }
    // Readers meanwhile: every page answers.
    for _ in 0..5 {
        let (status, _) = app.page_text("/").await;
        assert_eq!(status, 200);
    }
    let (mut rendered, mut busy) = (0, 0);
    for answer in writers {
        let (status, retry) = answer.await.unwrap();
        match status {
            200 => rendered += 1,
            503 => {
                busy += 1;
                assert_eq!(retry.as_ref().and_then(|v| v.to_str().ok()), Some("1"));
            }
            other => panic!("a preview answered {other}"),
        }
    }
    assert!(
        rendered >= 1 && busy >= 8,
        "{rendered} rendered, {busy} told to come back"
    );
    // Afterwards the queue is free again, and a post is written through it.
    let res = app
        .call("create_post", &[("title", "Long"), ("content", &long)])
        .await;
    assert_eq!(res.status(), 200);
    let html: String = sqlx::query_scalar("SELECT content_html FROM posts")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(
        html.contains("A heading</h3>") && html.contains("<pre"),
        "{}",
        &html[..200]
    );
}
