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
use claims_persistence::records::{Actor, ClaimChange};

use crate::calendar_cache::RecountProgress;
use crate::error::ApiError;
use crate::service::claims::change_of;
use crate::state::AppState;

/// Applies every consequence due by now, in batches: the claims due are read together, the
/// domain works out each one's consequences, and the batch is written in one transaction, each
/// claim only if it still has the version read (another process may have got there first).
/// Each batch's events are sequenced before the next is read. Returns how many claims changed.
pub async fn sweep_due(state: &AppState) -> Result<usize, ApiError> {
    Ok(sweep_due_until(state, None).await?.changed)
}

/// How far a sweep got.
#[derive(Clone, Copy, Debug)]
pub struct Sweep {
    pub changed: usize,
    /// Whether nothing due was left (else it stopped at its time limit).
    pub complete: bool,
}

/// [`sweep_due`], stopping after the batch that ends past `until`.
pub async fn sweep_due_until(
    state: &AppState,
    until: Option<tokio::time::Instant>,
) -> Result<Sweep, ApiError> {
    let now = state.clock.now();
    let mut changed = 0;
    let mut complete = true;
    // A claim another process is changing right now can show up twice; never loop on it.
    let mut seen = std::collections::HashSet::new();
    loop {
        let batch = state.settings.sweep_batch;
        let due = state.db.due_claims(now, batch).await?;
        let (revision, calendar) = state.calendar.counted();
        let mut fresh = 0;
        let changes: Vec<ClaimChange> = due
            .iter()
            .filter(|claim| seen.insert(claim.id))
            .inspect(|_| fresh += 1)
            .filter_map(|claim| {
                let transition = lifecycle::advance_time(claim, now)?;
                Some(change_of(claim, transition, Actor::default(), now, (revision, &calendar)))
            })
            .collect();
        if fresh == 0 {
            break;
        }
        if !changes.is_empty() {
            let stored = state.db.store_changes(&changes).await?;
            if !stored.is_empty() {
                changed += stored.len();
                state.sequencer.after_write();
            }
        }
        if due.len() < usize::try_from(batch).unwrap_or(usize::MAX) {
            break;
        }
        if until.is_some_and(|until| tokio::time::Instant::now() >= until) {
            complete = false;
            break;
        }
    }
    let lag = state
        .db
        .oldest_due(state.clock.now())
        .await?
        .map_or(0.0, |oldest| (state.clock.now() - oldest).num_milliseconds().max(0) as f64 / 1000.0);
    state.metrics.set_sweeper_lag(lag);
    Ok(Sweep { changed, complete })
}

/// Claims purged in one batch.
const PURGE_BATCH: i64 = 100;

/// Purges every claim whose retention period has passed, in batches, each claim its own short
/// transaction written only if the claim is still as read (so two processes never purge one
/// claim twice, and a claim changed meanwhile waits for its new date); and deletes idempotency
/// records older than 24 hours. Returns how many claims were purged.
pub async fn purge_due(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let mut purged = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let due = state.db.purgeable_claims(now, PURGE_BATCH).await?;
        let fresh: Vec<ClaimId> = due.iter().copied().filter(|id| seen.insert(*id)).collect();
        if fresh.is_empty() {
            break;
        }
        for id in fresh {
            let Some(claim) = state.db.claim(id).await? else { continue };
            if crate::service::claims::purge(state, &claim).await? {
                purged += 1;
            }
        }
        if due.len() < PURGE_BATCH as usize {
            break;
        }
    }
    if purged > 0 {
        tracing::info!(purged, "claims purged after their retention period");
    }
    state.db.purge_idempotency(state.real_clock.now() - chrono::Duration::hours(24)).await?;
    Ok(purged)
}

/// Rows the housekeeping deletes or changes per statement.
const HOUSEKEEPING_BATCH: i64 = 1_000;

/// Statistics facts rolled up into daily counts per transaction.
const ROLL_UP_BATCH: i64 = 20_000;

/// Everything time removes, by the hub's clock: claims past their retention period (and old
/// idempotency records, see [`purge_due`]), feed events older than their retention, and API
/// clients unused for too long; and the statistics' new facts rolled up into daily counts.
/// Returns how many claims were purged.
pub async fn housekeeping(state: &AppState) -> Result<usize, ApiError> {
    let purged = purge_due(state).await?;
    let before = state.clock.now() - state.settings.event_retention;
    let mut deleted = 0;
    loop {
        let batch = state.db.delete_old_events(before, HOUSEKEEPING_BATCH).await?;
        deleted += batch;
        if batch < HOUSEKEEPING_BATCH as usize {
            break;
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, "feed events past their retention deleted");
    }
    disable_idle_clients(state).await?;
    while state.db.roll_up_facts(ROLL_UP_BATCH).await? == ROLL_UP_BATCH as usize {}
    Ok(purged)
}

/// Disables every API client unused (no token, no request) for `client_idle` by the hub's clock,
/// each with a `client.disabled` event to its organisation and a log line. A client used
/// meanwhile is left alone (the check is repeated in the update). Returns how many.
pub async fn disable_idle_clients(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let cutoff = now - state.settings.client_idle;
    let idle_days = state.settings.client_idle.num_days();
    let mut disabled = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let idle = state.db.idle_clients(cutoff, HOUSEKEEPING_BATCH).await?;
        let fresh: Vec<(String, String)> =
            idle.iter().filter(|(id, _)| seen.insert(id.clone())).cloned().collect();
        if fresh.is_empty() {
            break;
        }
        for (client_id, organisation) in fresh {
            let Ok(code) = claims_domain::ids::OrganisationCode::parse(&organisation) else { continue };
            let event = claims_persistence::records::OrganisationEvent {
                organisation: code,
                event_type: claims_domain::events::EventType::ClientDisabled,
                occurred_at: now,
                data: serde_json::json!({ "client_id": client_id, "reason": "unused", "idle_days": idle_days }),
            };
            if state.db.disable_idle_client(&client_id, cutoff, &event).await? {
                tracing::info!(%client_id, %organisation, idle_days, "API client disabled after going unused");
                disabled += 1;
            }
        }
        if idle.len() < HOUSEKEEPING_BATCH as usize {
            break;
        }
    }
    if disabled > 0 {
        state.standings.forget_all();
        state.sequencer.after_write();
    }
    Ok(disabled)
}

/// Claims read per batch of a recount.
const RECOUNT_BATCH: i64 = 500;

/// Recounts every open deadline counted on a calendar older than the one in use, in batches of
/// claims read together: the claims whose deadlines move are written as ordinary changes (with
/// `claim.deadline_changed` to both parties, sequenced after each batch), a batch per
/// transaction; the others are marked as counted, a batch per transaction. The queue is in the database (`claims.calendar_revision`),
/// so a recount cut short by a restart carries on where it stopped, and several processes may
/// share one. Returns the revision reached and how many claims had a deadline move.
pub async fn recount(state: &AppState) -> Result<RecountProgress, ApiError> {
    state.calendar.current(&state.db).await?;
    let (revision, calendar) = state.calendar.counted();
    let mut rescheduled = 0;
    loop {
        let claims = state.db.claims_to_recount(revision, RECOUNT_BATCH).await?;
        if claims.is_empty() {
            break;
        }
        let now = state.clock.now();
        let mut unchanged = Vec::new();
        let mut changes = Vec::new();
        for claim in &claims {
            match lifecycle::recompute_deadlines(claim, &calendar, now) {
                None => unchanged.push((claim.id, claim.version)),
                Some(transition) => {
                    changes.push(change_of(claim, transition, Actor::default(), now, (revision, &calendar)))
                }
            }
        }
        let moved = if changes.is_empty() { 0 } else { state.db.store_changes(&changes).await?.len() };
        let marked = state.db.mark_recounted(&unchanged, revision).await?;
        if moved > 0 {
            state.sequencer.after_write();
        }
        rescheduled += moved;
        state.metrics.add_recounted(claims.len());
        // Claims changed by others while read stay in the queue and come first in the next
        // batch; a batch of nothing but those is left to the next round, not looped on.
        if moved + marked == 0 {
            break;
        }
    }
    Ok(RecountProgress { revision, rescheduled })
}

/// The sweeper task: sweeps every `interval` (never, with `None`), and recounts deadlines when a
/// calendar change nudges it, at start-up, and at each round (another process may have changed
/// the calendar, or a recount been cut short), until `stop` is set. It is the only place
/// deadlines are recounted. Failures are logged and retried next round.
pub async fn run(
    state: web::Data<AppState>,
    interval: Option<Duration>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut next_sweep = interval.map(|_| tokio::time::Instant::now());
    recount_logged(&state).await;
    loop {
        if *stop.borrow() {
            break;
        }
        let sweep_now = next_sweep.is_some_and(|at| at <= tokio::time::Instant::now());
        if sweep_now {
            periodic_round(&state).await;
            next_sweep = interval.map(|every| tokio::time::Instant::now() + every);
        }
        let wait = async {
            match next_sweep {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = wait => {}
            () = state.recounts.nudged() => recount_logged(&state).await,
            _ = stop.changed() => {}
        }
    }
}

/// A recount, its outcome told to whoever waits for it and logged.
async fn recount_logged(state: &AppState) {
    match recount(state).await {
        Ok(progress) => {
            if progress.rescheduled > 0 {
                tracing::info!(
                    rescheduled = progress.rescheduled,
                    revision = progress.revision,
                    "deadlines recounted"
                );
            }
            state.recounts.finished(progress);
        }
        Err(error) => tracing::warn!(%error, "recounting deadlines failed; the next round carries on"),
    }
}

/// One periodic round: the shared sandbox clock reread, what is due applied, housekeeping, and
/// the recount of any deadline still counted on an older calendar.
async fn periodic_round(state: &AppState) {
    if let Some(clock) = &state.sandbox_clock
        && let Err(error) = clock.refresh(&state.db).await
    {
        tracing::warn!(%error, "could not read the sandbox clock");
    }
    // One sweep at a time in this process: a sandbox clock move may be sweeping already.
    match state.sweeping.try_lock() {
        Err(_) => {}
        Ok(_turn) => match sweep_due(state).await {
            Ok(0) => {}
            Ok(changed) => tracing::info!(changed, "deadline sweep"),
            Err(error) => tracing::warn!(%error, "deadline sweep failed"),
        },
    }
    if let Err(error) = housekeeping(state).await {
        tracing::warn!(%error, "housekeeping (purging, event retention, idle clients) failed");
    }
    recount_logged(state).await;
}
