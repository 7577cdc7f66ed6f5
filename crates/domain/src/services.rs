//! The process's services and settings, built once at start, and the upkeep they need while
//! the process runs.

use crate::config::{Config, ConfigError};
use crate::db::{self, Db};
use crate::mail::{MailError, Mailer};
use crate::posts::MostUsedTags;
use crate::throttle::Throttle;
use crate::work::{WorkError, WorkPool};
use std::sync::Arc;
use std::time::Duration;

/// Everything a service may need: the database, the settings, the mailer, the bounded work
/// pools, the throttles and the home page's tag cache. The web keeps one in its state.
pub struct Services {
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Arc<Mailer>,
    /// Password hashing, bounded (`HASHING_*`).
    pub hashing: Arc<WorkPool>,
    /// Picture decoding, bounded (`IMAGE_*`).
    pub pictures: Arc<WorkPool>,
    /// Rendering and sanitizing posts as they are written or previewed, bounded
    /// (`MARKDOWN_*`).
    pub rendering: Arc<WorkPool>,
    /// Rate limits of logins, registrations and reset requests (`THROTTLE_*`).
    pub throttle: Arc<Throttle>,
    /// The home page's most used tags, read at most every few seconds.
    pub tags: Arc<MostUsedTags>,
}

/// Why the services could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not bring the stored posts up to date: {0}")]
    Render(crate::Error),
    #[error("mail is misconfigured: {0}")]
    Mail(#[from] MailError),
    #[error(transparent)]
    Work(#[from] WorkError),
}

impl Services {
    /// Connects, migrates, brings stored posts up to this version's rendering and slugs, and
    /// starts the mailer and the work pools.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        let db = db::connect(&config.database_url)
            .await
            .map_err(StartError::Connect)?;
        db::migrate(&db, &config.database_url).await?;
        let rendered = crate::posts::render_stale(&db)
            .await
            .map_err(StartError::Render)?;
        if rendered > 0 {
            tracing::info!(
                posts = rendered,
                "posts rendered by this version of the renderer"
            );
        }
        let named = crate::slug::assign_missing(&db)
            .await
            .map_err(|err| StartError::Render(crate::Error::internal(err)))?;
        if named > 0 {
            tracing::info!(posts = named, "posts from before slugs given theirs");
        }
        let mailer = Mailer::from_config(&config)?;
        if let Some(warning) = config.transport_warning() {
            tracing::warn!("{warning}");
        }
        let limits = &config.limits;
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
        let rendering = WorkPool::new(
            "post rendering",
            limits.markdown_concurrency,
            limits.markdown_queue,
            wait,
        )?;
        let throttle = Throttle::new(limits);
        Ok(Services {
            db,
            config: Arc::new(config),
            mailer: Arc::new(mailer),
            hashing: Arc::new(hashing),
            pictures: Arc::new(pictures),
            rendering: Arc::new(rendering),
            throttle: Arc::new(throttle),
            tags: Arc::default(),
        })
    }

    /// Removes expired sessions, flashes and revoked tokens every hour and forgets idle
    /// throttle keys every minute, for as long as the runtime runs.
    pub fn spawn_upkeep(&self) {
        let throttle = self.throttle.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                throttle.prune();
            }
        });
        let db = self.db.clone();
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
}
