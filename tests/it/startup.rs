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
            drop(quill::startup::router(state.clone()));
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
