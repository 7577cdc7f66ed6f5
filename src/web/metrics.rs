//! Prometheus metrics at `/metrics`: requests by route, method and status, their latency, and
//! the database pool. Served only to clients in `METRICS_ALLOW` (loopback by default); anyone
//! else gets a 404, as if there were nothing there.

use super::request::ClientAddress;
use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const REQUESTS: &str = "quill_http_requests_total";
const DURATION: &str = "quill_http_request_duration_seconds";
const RENDER: &str = "quill_page_render_seconds";

/// The process's recorder, installed once (every `Application` in a process shares it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_string()), &buckets)
                .ok()?
                .install_recorder()
                .map_err(|e| tracing::warn!(error = %e, "metrics are off"))
                .ok()
        })
        .as_ref()
}

/// How often the samples recorded since the last look are folded into their histograms' buckets.
/// The recorder keeps every sample (24 bytes: the value and when it was taken) until it is
/// scraped or kept up: without this, a server nobody scraped grew by every request it answered
/// (about 0.2 MB a second under the benchmark's load), and anyone could make it grow.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(1);

/// Folds the recorded samples into their histograms every [`UPKEEP_EVERY`], for as long as the
/// runtime runs (`run_until_stopped` starts it beside the pruner).
pub fn spawn_upkeep() {
    let Some(handle) = handle() else {
        return;
    };
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Counts and times every request under its route's pattern (`/post/{id}`, not the id), so
/// the number of series stays fixed.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |path| path.as_str())
        .to_string();
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    if handle().is_some() {
        let status = response.status().as_u16().to_string();
        let labels = [("route", route), ("method", method), ("status", status)];
        metrics::counter!(REQUESTS, &labels).increment(1);
        metrics::histogram!(DURATION, &labels).record(started.elapsed().as_secs_f64());
    }
    response
}

/// Records the rendering of a page by its route: the Leptos handler alone, inside the
/// middleware (sessions, flashes), from its turn at rendering. Pages render whole before their
/// first byte (`SsrMode::Async`), so this is the time to the complete page.
pub fn rendered(route: String, took: std::time::Duration) {
    if handle().is_some() {
        metrics::histogram!(RENDER, "route" => route).record(took.as_secs_f64());
    }
}

/// `GET /metrics` in the Prometheus text format.
pub async fn endpoint(State(state): State<AppState>, client: ClientAddress) -> Response {
    let allowed = state
        .config
        .metrics_allow
        .iter()
        .any(|net| net.contains(client.0));
    let Some(handle) = handle().filter(|_| allowed) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    metrics::gauge!("quill_db_pool_connections").set(f64::from(state.db.size()));
    metrics::gauge!("quill_db_pool_idle_connections").set(state.db.num_idle() as f64);
    metrics::gauge!("quill_password_hashing_waiting").set(state.hashing.waiting() as f64);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}
