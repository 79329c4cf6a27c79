//! The sandbox's movable clock.

use chrono::{DateTime, Utc};

use crate::auth::Caller;
use crate::clock::SandboxClockError;
use crate::error::ApiError;
use crate::state::{AppState, ClockMovers};

/// Moves the sandbox clock forward for every sandbox process on the database, then applies every
/// deadline consequence due by the new time before answering, as the real passage of time would.
/// Who may move it is the operator's choice (`sandbox_clock_movers`).
pub async fn move_clock(
    state: &AppState,
    caller: &Caller,
    to: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    // Registered only in sandbox mode, where the sandbox clock exists.
    let clock = state.sandbox_clock.as_ref().ok_or(ApiError::NotFound)?;
    if state.settings.clock_movers == ClockMovers::Operator {
        caller
            .require_operator()
            .map_err(|_| ApiError::Forbidden("in this sandbox only operator clients may move the clock"))?;
    }
    let now = clock.set(&state.db, to).await.map_err(|error| match error {
        SandboxClockError::Store(error) => ApiError::from(error),
        _ => ApiError::invalid_field("now", "clock_would_go_back", "the sandbox clock only moves forward"),
    })?;
    // A client in use when the clock jumps (the mover, and any holding a token that may still be
    // live) is in use after it: the jump alone never makes a working client idle.
    state.db.touch_client(&caller.client_id, now).await?;
    state.db.carry_active_clients(state.real_clock.now() - state.tokens.lifetime(), now).await?;
    let changed = crate::sweeper::sweep_due(state).await?;
    let purged = crate::sweeper::housekeeping(state).await?;
    tracing::info!(%now, changed, purged, "sandbox clock moved");
    Ok(now)
}
