//! The backend's own HTTP handlers (health, avatars), the state every handler reaches, and the
//! periodic pruning. The router that puts them beside the pages and the API is `crate::startup`.

use super::db::{self, AvatarRepository};
use super::{config::Config, mail::Mailer, throttle::Throttle, work::WorkPool, AppState};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] super::config::ConfigError),
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not bring the stored posts up to date: {0}")]
    Render(super::Error),
    #[error("mail is misconfigured: {0}")]
    Mail(#[from] super::mail::MailError),
    #[error(transparent)]
    Work(#[from] super::work::WorkError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Connects, migrates and assembles the state.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<AppState, StartError> {
    let db = db::connect(&config.database_url)
        .await
        .map_err(StartError::Connect)?;
    db::migrate(&db, &config.database_url).await?;
    let rendered = super::posts::render_stale(&db)
        .await
        .map_err(StartError::Render)?;
    if rendered > 0 {
        tracing::info!(
            posts = rendered,
            "posts rendered by this version of the renderer"
        );
    }
    let named = super::slug::assign_missing(&db)
        .await
        .map_err(|err| StartError::Render(super::Error::internal(err)))?;
    if named > 0 {
        tracing::info!(posts = named, "posts from before slugs given theirs");
    }
    let mailer = Mailer::from_config(&config)?;
    if let Some(warning) = config.transport_warning() {
        tracing::warn!("{warning}");
    }
    let limits = &config.limits;
    let config_limits = limits.clone();
    let wait = Duration::from_secs(limits.queue_wait_seconds);
    let hashing = WorkPool::new(
        "password hashing",
        limits.hashing_concurrency,
        limits.hashing_queue,
        wait,
    )?;
    let pictures = WorkPool::new(
        "pictures",
        limits.image_concurrency,
        limits.image_queue,
        wait,
    )?;
    Ok(AppState::new(super::Services {
        db,
        config: Arc::new(config),
        mailer: Arc::new(mailer),
        leptos_options,
        hashing: Arc::new(hashing),
        renders: tokio::sync::Semaphore::new(config_limits.render_concurrency),
        pictures: Arc::new(pictures),
        throttle: Arc::new(Throttle::new(&config_limits)),
        tags: Arc::default(),
    }))
}

/// `/healthz`: the process is alive and answering. Nothing else is asked, so a slow database
/// does not get a healthy instance restarted.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: the database answers within two seconds and has every migration of this binary;
/// until then a load balancer sends no traffic here.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let check = db::migrations_applied(&state.db, &state.config.database_url);
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(true)) => (StatusCode::OK, "ready").into_response(),
        Ok(Ok(false)) => {
            (StatusCode::SERVICE_UNAVAILABLE, "migrations not applied").into_response()
        }
        Ok(Err(err)) => {
            tracing::error!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out").into_response(),
    }
}

/// `/media/avatars/{user_id}-{etag}.png`: the address names the content, so it is cached for
/// good; a new picture gets a new address.
pub async fn avatar(
    State(state): State<AppState>,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let parsed = file
        .strip_suffix(".png")
        .and_then(|stem| stem.split_once('-'))
        .and_then(|(id, etag)| Some((id.parse::<i64>().ok()?, etag.to_string())));
    let Some((user_id, etag)) = parsed else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let quoted = format!("\"{etag}\"");
    if request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == quoted))
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    match AvatarRepository::get(&state.db, user_id).await {
        Ok(Some(found)) if found.etag == etag => Response::builder()
            .header(header::CONTENT_TYPE, found.content_type)
            .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
            .header(header::ETAG, quoted)
            .body(Body::from(found.bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "avatar lookup failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Removes expired sessions, flashes and revoked tokens every hour, forgets idle throttle keys
/// every minute, and folds the metrics' samples into their histograms every second.
pub fn spawn_pruner(state: &AppState) {
    super::metrics::spawn_upkeep();
    let throttle = state.throttle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            throttle.prune();
        }
    });
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            let sessions = db::SessionRepository::prune(&db).await;
            let flashes = db::FlashRepository::prune(&db).await;
            let tokens = db::RevokedTokenRepository::prune(&db).await;
            tracing::debug!(?sessions, ?flashes, ?tokens, "pruned");
        }
    });
}
