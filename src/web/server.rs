//! One startup path, for `quill serve` and for every test alike (zero2prod's `Application`):
//! start the services, bind the address, assemble the router (`router.rs`), serve until told
//! to stop.

use super::middleware;
use super::router::router;
use super::{spawn_upkeep, AppState, StartError, Web};
use crate::domain::config::Config;
use leptos::prelude::LeptosOptions;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A built Quill: connected, migrated, bound, ready to serve.
pub struct Application {
    listener: tokio::net::TcpListener,
    address: std::net::SocketAddr,
    state: AppState,
}

impl Application {
    /// Connects to the database, applies the migrations and listens: on the socket it was
    /// given (systemd socket activation: `LISTEN_FDS`, `LISTEN_PID`), else on the site address
    /// of `options`. A socket that outlives the process keeps the connections that arrive
    /// while it restarts, for the next process to answer; a socket of its own closes with it,
    /// and a connection that was waiting to be accepted is reset.
    pub async fn build(config: Config, options: LeptosOptions) -> Result<Self, StartError> {
        let addr = options.site_addr;
        let bind_error = |source| StartError::Bind { addr, source };
        let inherited = listenfd::ListenFd::from_env()
            .take_tcp_listener(0)
            .map_err(bind_error)?;
        let listener = match inherited {
            Some(socket) => {
                socket.set_nonblocking(true).map_err(bind_error)?;
                let listener = tokio::net::TcpListener::from_std(socket).map_err(bind_error)?;
                tracing::info!(
                    address = %listener.local_addr().map_err(bind_error)?,
                    "listening on the socket it was given"
                );
                listener
            }
            None => tokio::net::TcpListener::bind(addr)
                .await
                .map_err(bind_error)?,
        };
        Self::build_on(listener, config, options).await
    }

    /// The same on a listener bound already (the tests bind port 0 first, so that the
    /// configuration can name the port).
    pub async fn build_on(
        listener: tokio::net::TcpListener,
        config: Config,
        options: LeptosOptions,
    ) -> Result<Self, StartError> {
        let addr = options.site_addr;
        let address = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let state = Web::start(config, options).await?;
        Ok(Self {
            listener,
            address,
            state,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address it listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then stops in two steps, within
    /// `SHUTDOWN_GRACE_SECONDS` in all: for `SHUTDOWN_DRAIN_SECONDS` it still serves, but every
    /// answer closes its connection (a proxy's idle kept-alive connections would otherwise be
    /// closed under a request it is sending); then it stops accepting and finishes the requests
    /// in flight. A client that never finishes its request cannot hold a stopping server.
    /// Expired sessions, flashes and revoked tokens are pruned meanwhile, and the metrics' samples
    /// folded into their histograms (`metrics::UPKEEP_EVERY`).
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        spawn_upkeep(&self.state);
        let limits = &self.state.config.limits;
        let grace = Duration::from_secs(limits.shutdown_grace_seconds);
        let drain = Duration::from_secs(limits.shutdown_drain_seconds).min(grace / 2);
        let draining = Arc::new(AtomicBool::new(false));
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let signal = {
            let draining = draining.clone();
            async move {
                shutdown.await;
                let _ = stopping.send(());
                draining.store(true, Ordering::Relaxed);
                tokio::time::sleep(drain).await;
            }
        };
        let app = router(self.state)
            .layer(axum::middleware::from_fn_with_state(
                draining,
                middleware::close_when_draining,
            ))
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(self.listener, app)
            .with_graceful_shutdown(signal)
            .into_future();
        let deadline = async move {
            match stopped.await {
                Ok(()) => tokio::time::sleep(grace).await,
                // The server ended before it was told to stop.
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            served = server => served,
            () = deadline => {
                tracing::warn!(
                    seconds = grace.as_secs(),
                    "requests still in flight after the grace period: stopping anyway"
                );
                Ok(())
            }
        }
    }
}
