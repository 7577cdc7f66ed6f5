//! The axum router: static files, avatars, health, server functions and the Leptos pages,
//! wrapped in one middleware stack.

use super::db::{self, AvatarRepository};
use super::{config::Config, mail::Mailer, middleware, AppState};
use crate::app::{shell, App};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] super::config::ConfigError),
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("mail is misconfigured: {0}")]
    Mail(#[from] super::mail::MailError),
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
    let mailer = Mailer::from_config(&config)?;
    Ok(AppState {
        db,
        config: Arc::new(config),
        mailer: Arc::new(mailer),
        leptos_options,
    })
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);
    // Room for the largest avatar and the rest of the form; a larger body is refused at once.
    let upload_limit = state.config.max_avatar_bytes * 2 + 1024 * 1024;

    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=0, must-revalidate"),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let app = Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", crate::api::router(&state.config))
        .route("/media/avatars/{file}", get(avatar))
        .route(
            "/_fn/{*fn_name}",
            post(leptos_axum::handle_server_fns).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Outer to inner: the request context first, so that a refused request still knows
        // who is signed in for its error page.
        .layer(axum::middleware::from_fn(middleware::same_origin))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::request_context,
        ))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state);

    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(axum::middleware::from_fn(middleware::security_headers))
            .layer(CatchPanicLayer::custom(|_panic: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request handler panicked");
                middleware::html_error(StatusCode::INTERNAL_SERVER_ERROR, None)
            }))
            .layer(CompressionLayer::new()),
    )
}

async fn healthz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query("SELECT 1").execute(&state.db),
    )
    .await
    {
        Ok(Ok(_)) => (StatusCode::OK, "ok").into_response(),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out").into_response(),
    }
}

/// `/media/avatars/{user_id}-{etag}.png`: the address names the content, so it is cached for
/// good; a new picture gets a new address.
async fn avatar(
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

/// Removes expired sessions and flashes every hour.
pub fn spawn_pruner(db: db::Db) {
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
