//! Health and the sandbox clock, as the API shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "now": "2025-09-16T00:00:01Z" }))]
pub struct SandboxClockBody {
    /// The hub's current time.
    pub now: DateTime<Utc>,
}

/// The sandbox clock after a move, and how far the sweep of what fell due has got.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({ "now": "2025-09-16T00:00:01Z", "claims_changed": 12, "sweep_complete": true }))]
pub struct SandboxClockMoved {
    /// The hub's current time.
    pub now: DateTime<Utc>,
    /// Claims changed by the consequences applied before the answer.
    pub claims_changed: u64,
    /// Whether every consequence due by `now` was applied before the answer. When `false`, the
    /// rest is applied in the background (the feed shows it as it happens).
    pub sweep_complete: bool,
}
