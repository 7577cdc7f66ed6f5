//! Prometheus metrics, for the operator's machines only.

use crate::common::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_for_allowed_clients_only() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for _ in 0..3 {
        let (status, _) = app.page_text("/about").await;
        assert_eq!(status, 200);
    }
    app.page_text("/post/12345").await;
    assert_eq!(app.call("feed", &[("page", "1")]).await.status(), 200);
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let about = text
        .lines()
        .find(|l| {
            l.starts_with("quill_http_requests_total{")
                && l.contains(r#"route="/about""#)
                && l.contains(r#"status="200""#)
        })
        .unwrap_or_else(|| panic!("no count for /about in {text}"));
    let count: f64 = about.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 3.0, "{about}");
    assert!(
        text.contains(r#"route="/post/:id""#) || text.contains(r#"route="/post/{id}""#),
        "routes by pattern, not by id: {text}"
    );
    assert!(text.contains("quill_http_request_duration_seconds_bucket"));
    // Rendering is timed by page, and a server function call is not a page.
    let rendered = text
        .lines()
        .find(|l| {
            l.starts_with("quill_page_render_seconds_count{") && l.contains(r#"route="/about""#)
        })
        .unwrap_or_else(|| panic!("no render time for /about in {text}"));
    let renders: f64 = rendered.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(renders >= 3.0, "{rendered}");
    assert!(text.contains(r#"route="/_fn/feed""#), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("quill_page_render_seconds") && l.contains("/_fn/")),
        "{text}"
    );
    assert!(text.contains("quill_db_pool_connections"));

    // Anyone not allowed sees nothing there.
    let closed = TestApp::spawn_with(Backend::Sqlite, &[("METRICS_ALLOW", "10.0.0.0/8")]).await;
    let res = closed
        .client
        .get(closed.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // Nor does a client behind a trusted proxy, whatever the proxy's own address.
    let proxied = TestApp::spawn_with(Backend::Sqlite, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let res = proxied
        .client
        .get(proxied.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
