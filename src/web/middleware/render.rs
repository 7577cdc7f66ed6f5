//! Pages take turns at rendering and are sent whole, with their length.

use crate::web::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The layer of the Leptos routes (the pages, and the server functions, which share them).
/// A page waits for a turn at rendering (`RENDER_CONCURRENCY`): with two cores, 64 pages
/// rendered interleaved come out no sooner than eight at a time, and each one in flight holds
/// its views, data and buffers. Its render time is recorded by route. A server function takes
/// no turn: a login waiting for its hash must not hold a reader's.
///
/// Either is sent as one body with its length. Pages are rendered whole before their first
/// byte (`SsrMode::Async`), but leptos_axum answers with a stream of chunks: hyper then frames
/// them as chunked encoding and writes them one by one. Collected, a page is one write with a
/// `Content-Length`, at no cost in latency.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let page = request
        .extensions()
        .get::<MatchedPath>()
        .filter(|_| !super::is_server_fn(&request))
        .map(|path| path.as_str().to_string());
    let Some(route) = page else {
        return whole(next.run(request)).await;
    };
    let (response, took) = render_in_turn(&state, whole(next.run(request))).await;
    crate::web::metrics::rendered(route, took);
    response
}

/// `render` in a turn at rendering, and the time it took once its turn came.
pub async fn render_in_turn(
    state: &AppState,
    render: impl std::future::Future<Output = Response>,
) -> (Response, std::time::Duration) {
    // The semaphore is never closed: without a turn there is nothing to wait for.
    let _turn = state.renders.acquire().await.ok();
    let started = std::time::Instant::now();
    let response = render.await;
    (response, started.elapsed())
}

/// The response with its body collected into one, and its length.
pub async fn whole(response: impl std::future::Future<Output = Response>) -> Response {
    use http_body_util::BodyExt;
    let (mut parts, body) = response.await.into_parts();
    match body.collect().await {
        Ok(collected) => {
            let bytes = collected.to_bytes();
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(err) => {
            tracing::error!(error = %err, "rendering the page's body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
