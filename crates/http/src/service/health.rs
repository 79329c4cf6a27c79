//! Whether the hub can serve, and what it measures.

use crate::error::ApiError;
use crate::state::AppState;

/// Ready when the database answers and every migration is applied.
pub async fn ready(state: &AppState) -> Result<(), ApiError> {
    state.db.ready().await.map_err(|error| {
        tracing::warn!(%error, "not ready");
        ApiError::Unavailable
    })
}

/// The Prometheus text of the hub's metrics, the database pool's use included.
pub fn metrics(state: &AppState) -> String {
    state.metrics.render(state.db.pool_usage())
}
