//! A writer's export as a download (`/account/export`, `GET /api/v1/users/{id}/export`): the
//! zip the domain writes (`domain::export`), sent as it is written.
//!
//! The writing runs in a task of its own, into one end of a 64 KiB pipe; the response's body
//! reads the other. So the server holds at most the pipe and one batch of rows, whatever the
//! export's size; a reader who stops reading stops the writing, and after
//! `EXPORT_STALL_SECONDS` without progress the export is ended; a reader who leaves breaks the
//! pipe and ends it at once. At most `EXPORT_CONCURRENCY` exports are written at once, each
//! holding its turn until it ends; past that the answer is 503 with `Retry-After`. One account
//! has one export written at a time (a second is 429), so one writer cannot take every turn. A failure
//! while writing ends the body with an error (the connection is cut), never with a zip that
//! looks whole and is not.

use crate::domain::db::UserRecord;
use crate::domain::{export, Error};
use crate::web::error::PlainError;
use crate::web::request::RequestContext;
use crate::web::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use http_body::Frame;
use std::collections::HashSet;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, DuplexStream, ReadBuf};
use tokio::sync::oneshot;

const PIPE_BYTES: usize = 64 * 1024;

/// `/account/export`: the signed-in reader's own export; anyone else is sent to log in.
pub async fn account(request: axum::extract::Request) -> Response {
    use axum::response::IntoResponse;
    let Some(ctx) = request.extensions().get::<RequestContext>().cloned() else {
        return PlainError(Error::internal(
            "no request context: outside the middleware",
        ))
        .into_response();
    };
    let Some(session) = ctx.session() else {
        return axum::response::Redirect::to(&crate::model::login_url("/account/export"))
            .into_response();
    };
    match download(ctx.state(), session.user.clone()) {
        Ok(response) => response,
        Err(err) => PlainError(err).into_response(),
    }
}

/// Seconds a busy answer asks the client to wait.
const BUSY_RETRY_SECONDS: u64 = 10;

/// One account's export being written: the account is in `AppState::exporting` until the
/// writing ends.
struct Exporting {
    users: Arc<Mutex<HashSet<i64>>>,
    id: i64,
}

impl Drop for Exporting {
    fn drop(&mut self) {
        if let Ok(mut users) = self.users.lock() {
            users.remove(&self.id);
        }
    }
}

/// The export of `user` as a streamed zip download; `TooManyRequests` while another export of
/// the same account is being written, `Unavailable` when every turn at exporting is taken.
pub fn download(state: &AppState, user: UserRecord) -> Result<Response, Error> {
    let busy = Error::Unavailable {
        retry_after: BUSY_RETRY_SECONDS,
    };
    let (turn, exporting) = {
        let mut users = state
            .exporting
            .lock()
            .map_err(|_| Error::internal("the list of exports being written is poisoned"))?;
        if users.contains(&user.id) {
            return Err(Error::TooManyRequests {
                retry_after: BUSY_RETRY_SECONDS,
            });
        }
        let Ok(turn) = state.exports.clone().try_acquire_owned() else {
            return Err(busy);
        };
        users.insert(user.id);
        let exporting = Exporting {
            users: state.exporting.clone(),
            id: user.id,
        };
        (turn, exporting)
    };
    let (writer, reader) = tokio::io::duplex(PIPE_BYTES);
    let (done, finished) = oneshot::channel();
    let stall = Duration::from_secs(state.config.limits.export_stall_seconds);
    let db = state.db.clone();
    let name = format!(
        "quill-{}-{}.zip",
        user.username,
        crate::model::format_date(crate::domain::db::now())
    );
    tokio::spawn(async move {
        let writer = Stall::new(writer, stall);
        let result = export::write_zip(&db, &user, writer).await;
        if let Err(err) = &result {
            tracing::warn!(user = user.id, error = %err, "an export ended before it was complete");
        }
        let _ = done.send(result.is_ok());
        drop((turn, exporting));
    });
    let body = ExportBody {
        reader,
        read_all: false,
        finished: Some(finished),
    };
    let mut response = Response::new(Body::new(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Usernames are letters, digits, '_' and '-': nothing to quote in the file name.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The response body: what the writing task puts into the pipe, then, once the pipe is
/// closed, whether the zip was complete.
struct ExportBody {
    reader: DuplexStream,
    read_all: bool,
    finished: Option<oneshot::Receiver<bool>>,
}

impl HttpBody for ExportBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if !this.read_all {
            let mut buf = vec![0u8; 16 * 1024];
            let mut read = ReadBuf::new(&mut buf);
            match Pin::new(&mut this.reader).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(err)) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Ok(())) if read.filled().is_empty() => this.read_all = true,
                Poll::Ready(Ok(())) => {
                    let n = read.filled().len();
                    buf.truncate(n);
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(buf)))));
                }
            }
        }
        let Some(finished) = this.finished.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(finished).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(complete) => {
                this.finished = None;
                match complete {
                    Ok(true) => Poll::Ready(None),
                    _ => Poll::Ready(Some(Err(io::Error::other("the export failed")))),
                }
            }
        }
    }
}

/// A writer that fails once a write has waited `stall` for room.
struct Stall<W> {
    inner: W,
    stall: Duration,
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<W> Stall<W> {
    fn new(inner: W, stall: Duration) -> Self {
        Self {
            inner,
            stall,
            waiting: None,
        }
    }

    /// After a write or flush that could not go on: pending, unless it has waited too long.
    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let stall = self.stall;
        let waiting = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        match waiting.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the export's reader stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Stall<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Pending => this.pending(cx),
            ready => {
                this.waiting = None;
                ready
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.pending(cx),
            ready => {
                this.waiting = None;
                ready
            }
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
