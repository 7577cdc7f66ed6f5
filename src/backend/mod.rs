//! Everything that runs only on the server, below the web edges: it imports neither the pages
//! and components nor the server functions nor the API (`model` is the only module above it).

pub mod alloc;
pub mod assets;
pub mod config;
pub mod conversation;
pub mod crawlers;
pub mod db;
pub mod error;
pub mod feeds;
pub mod http;
pub mod images;
pub mod jwt;
pub mod mail;
pub mod markdown;
pub mod metrics;
pub mod middleware;
pub mod net;
pub mod password;
pub mod posts;
pub mod request;
pub mod reset;
pub mod seed;
pub mod site_files;
pub mod slug;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod work;

pub use error::{Error, Result, Unauthenticated};

use config::Config;
use db::Db;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// What every handler can reach: one shared `Services`, so that the many clones a request
/// makes (each middleware's and extractor's `State`) are one reference count each.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The process's services and settings, built once at start.
pub struct Services {
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Arc<mail::Mailer>,
    pub leptos_options: LeptosOptions,
    /// Password hashing, bounded (`HASHING_*`).
    pub hashing: Arc<work::WorkPool>,
    /// Turns at rendering a page (`RENDER_CONCURRENCY`).
    pub renders: tokio::sync::Semaphore,
    /// Picture decoding, bounded (`IMAGE_*`).
    pub pictures: Arc<work::WorkPool>,
    /// Rate limits of logins, registrations and reset requests (`THROTTLE_*`).
    pub throttle: Arc<throttle::Throttle>,
    /// The home page's most used tags, read at most every few seconds.
    pub tags: Arc<posts::MostUsedTags>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
