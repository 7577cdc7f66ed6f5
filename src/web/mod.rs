//! The web edge that is neither a page nor an API: the state every handler reaches, the
//! middleware, the request context, static and site files, health, feeds and crawler files,
//! metrics. It calls the domain's services; the domain never calls it.

pub mod assets;
pub mod avatars;
pub mod body;
pub mod conditional;
pub mod crawlers;
pub mod error;
pub mod export;
pub mod feeds;
pub mod health;
pub mod metrics;
pub mod middleware;
pub mod negotiate;
pub mod request;
pub mod router;
pub mod server;
pub mod static_files;

use crate::domain::config::Config;
use crate::domain::Services;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// What every handler can reach: one shared `Web`, so that the many clones a request makes
/// (each middleware's and extractor's `State`) are one reference count each.
#[derive(Clone)]
pub struct AppState(Arc<Web>);

impl AppState {
    pub fn new(web: Web) -> Self {
        AppState(Arc::new(web))
    }
}

impl std::ops::Deref for AppState {
    type Target = Web;
    fn deref(&self) -> &Web {
        &self.0
    }
}

/// The domain's services and what only the web needs beside them.
pub struct Web {
    pub services: Services,
    pub leptos_options: LeptosOptions,
    /// Turns at rendering a page (`RENDER_CONCURRENCY`).
    pub renders: tokio::sync::Semaphore,
    /// Turns at writing an export (`EXPORT_CONCURRENCY`), each held by its writing task.
    pub exports: Arc<tokio::sync::Semaphore>,
    /// The accounts whose export is being written: one at a time each.
    pub exporting: Arc<std::sync::Mutex<std::collections::HashSet<i64>>>,
}

/// The domain's services are reached through the web's state as if they were its own
/// (`state.db`, `state.config`, `users::register(&state, …)`).
impl std::ops::Deref for Web {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.services
    }
}

/// Why Quill could not start: the domain's reasons, and the address it could not listen on.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Domain(#[from] crate::domain::StartError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

impl Web {
    /// Starts the domain's services (connected, migrated, pools running) and puts the web's
    /// own beside them.
    pub async fn start(
        config: Config,
        leptos_options: LeptosOptions,
    ) -> Result<AppState, StartError> {
        let render_concurrency = config.limits.render_concurrency;
        let export_concurrency = config.limits.export_concurrency;
        let services = Services::start(config).await?;
        Ok(AppState::new(Web {
            services,
            leptos_options,
            renders: tokio::sync::Semaphore::new(render_concurrency),
            exports: Arc::new(tokio::sync::Semaphore::new(export_concurrency)),
            exporting: Arc::default(),
        }))
    }
}

/// The domain's upkeep (expired sessions, flashes, tokens; idle throttle keys) and the
/// metrics' (samples folded into their histograms every second).
pub fn spawn_upkeep(state: &AppState) {
    metrics::spawn_upkeep();
    state.services.spawn_upkeep();
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
