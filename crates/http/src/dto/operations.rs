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
