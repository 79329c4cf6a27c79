//! The sandbox's movable clock.

use actix_web::web;
use chrono::{DateTime, Utc};

use crate::auth::Caller;
use crate::clock::SandboxClockError;
use crate::dto::operations::SandboxClockMoved;
use crate::error::ApiError;
use crate::state::{AppState, ClockMovers};

/// Moves the sandbox clock forward for every sandbox process on the database, then applies the
/// deadline consequences due by the new time, as the real passage of time would: before
/// answering, for up to `settings.clock_sweep_wait`, and what is left in the background (one
/// sweep at a time in this process, so the clock and the periodic sweeper never sweep together).
/// Who may move it is the operator's choice (`sandbox_clock_movers`).
pub async fn move_clock(
    state: &web::Data<AppState>,
    caller: &Caller,
    to: DateTime<Utc>,
) -> Result<SandboxClockMoved, ApiError> {
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

    let until = tokio::time::Instant::now() + state.settings.clock_sweep_wait;
    let (changed, complete) = match tokio::time::timeout_at(until, state.sweeping.clone().lock_owned()).await
    {
        Ok(turn) => {
            let sweep = crate::sweeper::sweep_due_until(state, Some(until)).await?;
            if sweep.complete {
                let purged = crate::sweeper::housekeeping(state).await?;
                tracing::info!(%now, changed = sweep.changed, purged, "sandbox clock moved");
            } else {
                finish_in_background(state.clone(), Some(turn));
            }
            (sweep.changed, sweep.complete)
        }
        // A sweep is running (one an earlier move left in the background): another follows it.
        Err(_) => {
            finish_in_background(state.clone(), None);
            (0, false)
        }
    };
    Ok(SandboxClockMoved { now, claims_changed: changed as u64, sweep_complete: complete })
}

/// Applies the rest of what is due, then housekeeping, in a task of its own: with the turn to
/// sweep already taken, or after waiting for it.
fn finish_in_background(state: web::Data<AppState>, turn: Option<tokio::sync::OwnedMutexGuard<()>>) {
    actix_web::rt::spawn(async move {
        let _turn = match turn {
            Some(turn) => turn,
            None => state.sweeping.clone().lock_owned().await,
        };
        let outcome = async {
            let sweep = crate::sweeper::sweep_due_until(&state, None).await?;
            let purged = crate::sweeper::housekeeping(&state).await?;
            Ok::<_, ApiError>((sweep.changed, purged))
        };
        match outcome.await {
            Ok((changed, purged)) => {
                tracing::info!(changed, purged, "sandbox clock: the background sweep finished")
            }
            Err(error) => {
                tracing::warn!(%error, "sandbox clock: the background sweep failed; the sweeper carries on")
            }
        }
    });
}
