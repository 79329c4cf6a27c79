//! The deadline sweeper: applies what time brings to claims (reminders, missed deadlines and their
//! consequences) as ordinary changes attributed to the system, and recounts deadlines when the
//! calendar changes.
//!
//! It is safe with any number of hub processes on one database: every change is written only if
//! the claim still has the version it was read at, so when two processes reach the same claim one
//! writes and the other finds the version moved on and skips it. Each claim is its own short
//! transaction, taken in batches, so API traffic is never held up behind a sweep.

use std::time::Duration;

use actix_web::web;
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle;
use claims_persistence::records::Actor;

use crate::claims::{self, record};
use crate::error::ApiError;
use crate::state::AppState;

const BATCH: i64 = 200;

/// Applies every consequence due by now; returns how many claims changed.
pub async fn sweep_due(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let mut changed = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let due = state.db.due_claims(now, BATCH).await?;
        // A claim another process is changing right now can show up twice; never loop on it.
        let fresh: Vec<ClaimId> = due.iter().copied().filter(|id| seen.insert(*id)).collect();
        if fresh.is_empty() {
            break;
        }
        for id in fresh {
            let Some(claim) = state.db.claim(id).await? else { continue };
            let Some(transition) = lifecycle::advance_time(&claim, now) else { continue };
            // `None`: another process applied it first.
            if record(state, &claim, transition, Actor::default(), now).await?.is_some() {
                changed += 1;
            }
        }
        if due.len() < BATCH as usize {
            break;
        }
    }
    if changed > 0 {
        state.sequencer.after_write(&state.db).await;
    }
    let lag = state
        .db
        .oldest_due(state.clock.now())
        .await?
        .map_or(0.0, |oldest| (state.clock.now() - oldest).num_milliseconds().max(0) as f64 / 1000.0);
    state.metrics.set_sweeper_lag(lag);
    Ok(changed)
}

/// Recounts every open deadline on the current calendar; returns how many claims had a deadline
/// move (each gets `claim.deadline_changed` to both parties).
pub async fn recompute_all(state: &AppState) -> Result<usize, ApiError> {
    let calendar = state.calendar.snapshot();
    let mut changed = 0;
    let mut after = None;
    loop {
        let ids = state.db.claims_with_deadlines(after, BATCH).await?;
        let Some(last) = ids.last().copied() else { break };
        for id in ids {
            // A claim changed meanwhile is read again (its new deadlines need the check too).
            for _attempt in 0..3 {
                let Some(claim) = state.db.claim(id).await? else { break };
                let now = state.clock.now();
                let Some(transition) = lifecycle::recompute_deadlines(&claim, &calendar, now) else { break };
                if record(state, &claim, transition, Actor::default(), now).await?.is_some() {
                    changed += 1;
                    break;
                }
            }
        }
        after = Some(last);
    }
    if changed > 0 {
        state.sequencer.after_write(&state.db).await;
    }
    Ok(changed)
}

/// Sweeps every `interval` until `stop` is set. Failures are logged and retried next round.
pub async fn run(state: web::Data<AppState>, interval: Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let mut stop = stop;
    loop {
        if *stop.borrow() {
            break;
        }
        // Another sandbox process may have moved the shared clock.
        if let Some(clock) = &state.sandbox_clock
            && let Err(error) = clock.refresh(&state.db).await
        {
            tracing::warn!(%error, "could not read the sandbox clock");
        }
        match sweep_due(&state).await {
            Ok(0) => {}
            Ok(changed) => tracing::info!(changed, "deadline sweep"),
            Err(error) => tracing::warn!(%error, "deadline sweep failed"),
        }
        // A calendar change made by another process is noticed here too.
        if let Err(error) = claims::calendar(&state).await {
            tracing::warn!(%error, "calendar check failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}
