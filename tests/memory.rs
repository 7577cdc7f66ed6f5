//! What a running Quill keeps in memory between requests. A binary of its own: it reads the
//! process's heap (glibc's `mallinfo2`), which the parallel tests of `it` would disturb.

// The integration tests' helpers; this binary uses a few of them.
#[allow(unused)]
#[path = "it/common.rs"]
mod common;

use common::{Backend, TestApp};
use std::time::{Duration, Instant};

/// Bytes the process holds from glibc's allocator (the test binaries use the system allocator).
fn heap_in_use() -> usize {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let info = unsafe { libc::mallinfo2() };
    info.uordblks + info.hblkhd
}

/// The latency samples every request records are folded into their histograms once a second,
/// scraped or not: a server nobody scrapes does not grow by the requests it answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_samples_are_not_kept_until_a_scrape() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(app.get("/healthz", &[]).await.status(), 200);

    // Two million samples of the request histogram, as two million requests would record them
    // (24 bytes each in the recorder's buckets until they are folded, which may start while
    // they are being recorded).
    let before = heap_in_use();
    let samples = metrics::histogram!(
        "quill_http_request_duration_seconds",
        "route" => "/healthz", "method" => "GET", "status" => "200"
    );
    for _ in 0..2_000_000 {
        samples.record(0.000_1);
    }
    let recorded = heap_in_use();
    assert!(
        recorded > before + 20_000_000,
        "the samples should be held until folded: {before} -> {recorded} bytes"
    );

    // Requests go on meanwhile, as on a live server (the buckets' memory is given back once no
    // reader can still see it, which their own recording moves along).
    let deadline = Instant::now() + quill::web::metrics::UPKEEP_EVERY * 10;
    loop {
        for _ in 0..20 {
            assert_eq!(app.get("/healthz", &[]).await.status(), 200);
        }
        let now = heap_in_use();
        if now < before + 8_000_000 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the samples are still held: {before} -> {recorded} -> {now} bytes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // And the histogram counted them.
    let text = app.get("/metrics", &[]).await.text().await.unwrap();
    let count = text
        .lines()
        .find(|line| {
            line.starts_with("quill_http_request_duration_seconds_count")
                && line.contains("route=\"/healthz\"")
        })
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(count > 2_000_000, "{count} samples counted");
}
