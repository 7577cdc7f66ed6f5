//! One startup path: routers assembled while pages render elsewhere in the process.

use crate::common::{build, Backend, TestApp};
use std::time::Duration;

/// Assembling a router used to generate the Leptos route list each time, and generating it
/// switches off resource loading for the whole process (leptos #4773): a page rendered in that
/// window waited forever. The route list is now generated once per process, so any number of
/// routers can be assembled while pages render.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_render_while_routers_are_assembled() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.signed_in("ann").await;
    let res = app
        .call(
            "create_post",
            &[("title", "Still here"), ("content", "Hello")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let other = build(Backend::Sqlite, &[]).await;
    let state = other.state().clone();
    let assembling = tokio::task::spawn_blocking(move || {
        for _ in 0..300 {
            drop(quill::web::router::router(state.clone()));
        }
    });
    let mut readers = Vec::new();
    for reader in 0..4 {
        let client = TestApp::new_client();
        let url = app.url(if reader % 2 == 0 { "/" } else { "/user/ann" });
        readers.push(tokio::spawn(async move {
            let mut loads = 0;
            while loads < 40 {
                let res = tokio::time::timeout(
                    Duration::from_secs(10),
                    client.get(&url).header("accept", "text/html").send(),
                )
                .await
                .unwrap_or_else(|_| panic!("{url}: the render hung"))
                .unwrap();
                assert_eq!(res.status(), 200, "{url}");
                let html = res.text().await.unwrap();
                assert!(html.contains("Still here"), "{url}: {html}");
                loads += 1;
            }
            loads
        }));
    }
    let mut total = 0;
    for reader in readers {
        total += reader.await.unwrap();
    }
    assembling.await.unwrap();
    assert_eq!(total, 160);
}

/// Told to stop (SIGTERM), a server drains (answers, closing each connection after its answer),
/// then accepts no new connection, finishes the request in flight, and gives up on one that
/// never finishes once `SHUTDOWN_GRACE_SECONDS` have passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_server_finishes_requests_in_flight_within_its_grace_period() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    let app = build(
        Backend::Sqlite,
        &[
            ("SHUTDOWN_GRACE_SECONDS", "2"),
            ("BODY_TIMEOUT_SECONDS", "60"),
            ("REQUEST_TIMEOUT_SECONDS", "60"),
        ],
    )
    .await;
    let addr = app.address();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let body = r#"{"email":"nobody@example.com","password":"password123"}"#;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    // Two requests, half sent: one will be finished, the other never.
    let mut finishing = TcpStream::connect(addr).await.unwrap();
    finishing
        .write_all(format!("{head}{}", &body[..10]).as_bytes())
        .await
        .unwrap();
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(format!("{head}{}", &body[..10]).as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    stop.send(()).unwrap();
    let stopping = tokio::time::Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Draining (the first second): a new request is still answered, and its connection closed.
    let mut late = TcpStream::connect(addr).await.unwrap();
    late.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), late.read_to_string(&mut answer))
        .await
        .expect("the draining server closed the connection after its answer")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.to_lowercase().contains("connection: close"),
        "{answer}"
    );
    // Then it accepts no new connection.
    tokio::time::sleep_until(stopping + Duration::from_millis(1300)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "a stopping server accepted a new connection after draining"
    );
    finishing.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        finishing.read_to_string(&mut answer),
    )
    .await
    .expect("the request in flight was answered")
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    let served = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stopped within its grace period")
        .unwrap();
    assert!(served.is_ok(), "{served:?}");
    let waited = stopping.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(5),
        "stopped {waited:?} after the signal, with a grace period of 2 s"
    );
    drop(stalled);
}
