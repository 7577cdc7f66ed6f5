//! `/healthz` and `/readyz`, for load balancers and process supervisors.

use super::AppState;
use crate::domain::db;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

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
