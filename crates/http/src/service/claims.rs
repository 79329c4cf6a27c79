//! Claims: submitting, reading, listing, their history, and recording any change of a claim (the
//! one path every change takes to storage, whoever makes it: a party, the sweeper, an operator).

use chrono::{DateTime, Utc};
use claims_domain::calendar::Calendar;
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::cnf::{self, Cnf, ValidatedCnf, ValidationContext};
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle::{self, Facts, Transition};
use claims_domain::organisation::Organisation;
use claims_domain::party::Side;
use claims_domain::retention;
use claims_persistence::StoreError;
use claims_persistence::records::{
    Actor, AuditEntry, ClaimChange, ClaimListing, ClaimQuery, IdempotencyScope, NewAudit, NewEvent,
    StoredResponse,
};
use serde_json::json;

use crate::auth::Caller;
use crate::dto::claim::TombstoneView;
use crate::dto::claim::{ClaimCursor, ClaimSummary, ClaimView, ListClaimsQuery, PartyView};
use crate::dto::page::{self, Page};
use crate::error::ApiError;
use crate::state::AppState;

/// Checks a form against every rule, including that its compensator exists.
pub async fn validate_cnf(state: &AppState, cnf: Cnf) -> Result<ValidatedCnf, ApiError> {
    let compensator = match OrganisationCode::parse(&cnf.defendant.compensator) {
        Ok(code) => state.directory.get(&state.db, &code).await?,
        Err(_) => None,
    };
    let context = ValidationContext { today: state.clock.today(), compensator };
    Ok(cnf::validate(cnf, &context, "cnf")?)
}

/// Stores a validated form as a new claim of the caller's organisation, with its
/// `claim.submitted` event, its first audit entry and (with an Idempotency-Key) the response,
/// in one transaction. `respond` renders the response from the claim's view.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    valid: ValidatedCnf,
    idempotency: Option<&IdempotencyScope>,
    respond: impl FnOnce(&ClaimView) -> Result<StoredResponse, ApiError>,
) -> Result<StoredResponse, ApiError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let compensator = organisation(state, &valid.compensator).await?;
    state.calendar.current(&state.db).await?;
    let (calendar_revision, calendar) = state.calendar.counted();
    let claim = Claim {
        id: ClaimId::new_v7(),
        claim_type: valid.cnf.claim.claim_type,
        status: ClaimStatus::Submitted,
        version: 1,
        claimant_representative: caller.organisation.clone(),
        compensator: valid.compensator.clone(),
        created_by: caller.organisation.clone(),
        notification_date: today,
        child: valid.child,
        cr_reference: valid.cnf.representative.case_reference.clone(),
        cm_reference: None,
        lifecycle: lifecycle::new_lifecycle(valid.cnf.claim.claim_type, &compensator, today, &calendar),
        cnf: valid.cnf,
        submitted_at: now,
        updated_at: now,
    };
    let (event, audit) = step_records(
        &claim,
        (EventType::Submitted, AuditAction::Submitted),
        caller.actor(),
        now,
        json!({
            "type": claim.claim_type,
            "status": claim.status,
            "version": claim.version,
            "claimant_representative": claim.claimant_representative,
            "compensator": claim.compensator,
            "notification_date": claim.notification_date,
        }),
        json!({ "version": claim.version, "status": claim.status }),
    );
    let view = view_of_new(state, claim.clone()).await?;
    let response = respond(&view)?;
    let completion = idempotency.map(|scope| (scope, &response));
    state
        .db
        .insert_claim(&claim, &event, &audit, completion, state.real_clock.now(), calendar_revision)
        .await?;
    state.sequencer.after_write();
    tracing::info!(claim_id = %claim.id, "claim submitted");
    Ok(response)
}

/// The event to both parties of `claim` and the audit entry of one step outside the state machine
/// (a submission, an attachment), by `actor` at `now`.
pub fn step_records(
    claim: &Claim,
    (event_type, action): (EventType, AuditAction),
    actor: Actor,
    now: DateTime<Utc>,
    data: serde_json::Value,
    detail: serde_json::Value,
) -> (NewEvent, NewAudit) {
    let event = NewEvent {
        claim_id: claim.id,
        event_type,
        occurred_at: now,
        actor: actor.clone(),
        data,
        recipients: vec![claim.claimant_representative.clone(), claim.compensator.clone()],
    };
    let audit = NewAudit { claim_id: claim.id, occurred_at: now, action, actor, detail };
    (event, audit)
}

/// A claim the caller is a party to, with what time has brought it applied, or `NotFound`
/// (whether it does not exist or belongs to others: the two are indistinguishable).
pub async fn visible_claim(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
) -> Result<(Claim, Side), ApiError> {
    let Some(claim) = state.db.claim(id).await? else {
        return Err(gone_or_not_found(state, caller, id).await);
    };
    let side = claim.side_of(&caller.organisation).ok_or(ApiError::NotFound)?;
    // Past its retention period a claim is purged before anyone sees it again.
    // (Not a claim of an organisation on legal hold: `purge` leaves those alone.)
    if retention::purge_at(&claim, state.db.retention()).is_some_and(|at| at <= state.clock.now())
        && purge(state, &claim).await?
    {
        return Err(gone_or_not_found(state, caller, id).await);
    }
    let claim = settle(state, claim).await?;
    // Time may have moved the claim away from nobody, but check again all the same.
    let side = claim.side_of(&caller.organisation).map_or(side, |s| s);
    Ok((claim, side))
}

/// Purges one claim (as read at its version), keeping its anonymous facts; whether it did.
pub async fn purge(state: &AppState, claim: &Claim) -> Result<bool, ApiError> {
    let lifecycle = &claim.lifecycle;
    let facts = serde_json::json!({
        "outcome": lifecycle.outcome,
        "exit_reason": lifecycle.exit.as_ref().map(|e| e.reason),
        "exited_by": lifecycle.exit.as_ref().map(|e| e.by),
        "child": claim.child,
        // An erased claim ends in the status it had when the request was made.
        "erasure": lifecycle.erasure.as_ref().map(|e| e.kind),
        "status_before_erasure": lifecycle.erasure.as_ref().map(|e| e.previous_status),
    });
    let done = state.db.purge_claim(claim.id, claim.version, facts, state.clock.now()).await?;
    if done {
        tracing::info!(claim_id = %claim.id, "claim purged");
    }
    Ok(done)
}

/// A purged claim's tombstone (`410`) for one of its two parties; `404` for anyone else.
async fn gone_or_not_found(state: &AppState, caller: &Caller, id: ClaimId) -> ApiError {
    match state.db.tombstone(id).await {
        Ok(Some(tombstone))
            if tombstone.claimant_representative == caller.organisation
                || tombstone.compensator == caller.organisation =>
        {
            ApiError::Gone {
                tombstone: serde_json::to_value(TombstoneView::from(tombstone)).unwrap_or_default(),
            }
        }
        Ok(_) => ApiError::NotFound,
        Err(error) => error.into(),
    }
}

/// Applies what time has brought the claim by now (reminders, missed deadlines and their
/// consequences), so a read or an action never sees a claim the sweeper has not reached yet.
pub async fn settle(state: &AppState, claim: Claim) -> Result<Claim, ApiError> {
    let now = state.clock.now();
    let Some(transition) = lifecycle::advance_time(&claim, now) else {
        return Ok(claim);
    };
    match record(state, &claim, transition, Actor::default(), now).await? {
        Some(settled) => Ok(settled),
        // Someone else (the sweeper, another process) got there first: read what they wrote.
        None => state.db.claim(claim.id).await?.ok_or(ApiError::NotFound),
    }
}

/// Stores a transition made by `actor`: the claim if it still has the version it was read at, its
/// events (to the parties after the change, and where it moved away, before it) and an audit
/// entry. `None` when the race was lost: the claim changed since it was read and nothing was
/// written.
pub async fn record(
    state: &AppState,
    before: &Claim,
    transition: Transition,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Option<Claim>, ApiError> {
    let (revision, calendar) = state.calendar.counted();
    let change = change_of(before, transition, actor, now, (revision, &calendar));
    match state.db.update_claim(&change).await {
        Ok(()) => Ok(Some(change.claim)),
        Err(StoreError::VersionConflict) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// A transition as storage takes it: the claim after it, the version it must still have, its
/// events addressed (to the parties after the change, and where it moved away, before it), its
/// audit entry, and the calendar revision its deadlines are counted on. That is `calendar`'s
/// (the calendar in use, with its revision) when the deadlines are as it counts them, else 0, so
/// that a transition worked out on a calendar since replaced is recounted (see
/// `sweeper::recount`).
pub fn change_of(
    before: &Claim,
    transition: Transition,
    actor: Actor,
    now: DateTime<Utc>,
    (revision, calendar): (i64, &Calendar),
) -> ClaimChange {
    let after = transition.claim;
    let calendar_revision =
        if lifecycle::recompute_deadlines(&after, calendar, now).is_none() { revision } else { 0 };
    let statistics = claims_domain::statistics::of_change(before, &after, &transition.events, calendar, now);
    let events = transition
        .events
        .iter()
        .map(|event| NewEvent {
            claim_id: after.id,
            event_type: event.event_type,
            occurred_at: now,
            actor: actor.clone(),
            data: serde_json::Value::Object(event.data.clone()),
            recipients: lifecycle::recipients(before, &after, event),
        })
        .collect();
    let audit = NewAudit {
        claim_id: after.id,
        occurred_at: now,
        action: transition.audit_action,
        actor,
        detail: json!({
            "from_status": before.status,
            "status": after.status,
            "version": after.version,
            "events": transition.events.iter().map(|e| e.event_type).collect::<Vec<_>>(),
        }),
    };
    ClaimChange {
        claim: after,
        expected_version: before.version,
        events,
        audit,
        transfer: transition.transfer,
        statistics,
        calendar_revision,
    }
}

/// An organisation the claim names (it must exist).
pub async fn organisation(state: &AppState, code: &OrganisationCode) -> Result<Organisation, ApiError> {
    state
        .directory
        .get(&state.db, code)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("unknown organisation {code}")))
}

/// Records that the caller read the claim (or, with `what`, part of it).
pub async fn record_read(
    state: &AppState,
    caller: &Caller,
    claim: &Claim,
    what: AuditAction,
) -> Result<(), ApiError> {
    let audit = NewAudit {
        claim_id: claim.id,
        occurred_at: state.clock.now(),
        action: what,
        actor: caller.actor(),
        detail: json!({ "version": claim.version }),
    };
    Ok(state.db.insert_audit(&audit).await?)
}

/// The claim's representation for one of its parties, naming both and listing what that party
/// may do now.
pub async fn view_of(state: &AppState, claim: Claim, side: Side) -> Result<ClaimView, ApiError> {
    view_with(state, claim, side, true).await
}

/// The representation of a claim being submitted (not stored yet, so with no data-subject
/// requests to look up).
async fn view_of_new(state: &AppState, claim: Claim) -> Result<ClaimView, ApiError> {
    view_with(state, claim, Side::ClaimantRepresentative, false).await
}

async fn view_with(state: &AppState, claim: Claim, side: Side, stored: bool) -> Result<ClaimView, ApiError> {
    let claimant_representative = organisation(state, &claim.claimant_representative).await?;
    let compensator = organisation(state, &claim.compensator).await?;
    let allowed = lifecycle::allowed_actions(&claim, side, &Facts::new(&compensator));
    let today = state.clock.today();
    let windows = lifecycle::exit_windows(&claim, &state.calendar.snapshot(), today);
    let purge_at = retention::purge_at(&claim, state.db.retention());
    let parties = [claim.claimant_representative.to_string(), claim.compensator.to_string()];
    let requests = async {
        match stored {
            true => state.db.dsrs_of_claim(claim.id).await,
            false => Ok(Vec::new()),
        }
    };
    // Two lookups of their own, so they run side by side.
    let (requests, hold) =
        futures_util::future::try_join(requests, state.db.legal_hold_of(&parties, state.clock.now())).await?;
    let mut view = ClaimView::new(
        claim,
        PartyView::from(&claimant_representative),
        PartyView::from(&compensator),
        allowed,
        windows,
    );
    view.legal_hold = hold.is_some();
    // A held claim is purged once the hold ends, if it is due by then.
    view.purge_at = match hold {
        None => purge_at,
        Some(None) => None,
        Some(Some(until)) => purge_at.map(|at| at.max(until)),
    };
    view.open_data_subject_requests = requests
        .into_iter()
        .filter(|r| r.closed_at.is_none())
        .map(|r| crate::dto::data_subject::DsrView::of(r, today))
        .collect();
    Ok(view)
}

/// A page of the caller's claims, newest change first, filtered by the query. A walk with the
/// cursor sees the claims as they stood when it began.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    query: ListClaimsQuery,
) -> Result<Page<ClaimSummary>, ApiError> {
    let side = caller.require_claims_role()?;
    let limit = page::limit(query.limit)?;
    let counterparty =
        query.counterparty.as_deref().map(OrganisationCode::parse).transpose().map_err(|_| {
            ApiError::bad_request("invalid_counterparty", "counterparty must be an organisation code")
        })?;
    let cursors = state.cursors();
    let after = query.cursor.as_deref().map(|c| cursors.decode::<ClaimCursor>(c)).transpose()?;
    let as_of = after.as_ref().map_or_else(|| state.clock.now(), |c| c.as_of);
    let listing = state
        .db
        .list_claims(&ClaimQuery {
            organisation: caller.organisation.clone(),
            side,
            status: query.status,
            claim_type: query.claim_type,
            updated_since: query.updated_since,
            reference: query.reference,
            counterparty,
            deadline_before: query.deadline_before,
            dormant: query.dormant,
            as_of,
            after: after.as_ref().map(|c| (c.key, c.id)),
            limit: limit + 1,
            changed_limit: state.settings.walk_changed_limit,
        })
        .await?;
    let ClaimListing::Page(rows) = listing else {
        return Err(ApiError::bad_request(
            "cursor_expired",
            "too many of this walk's claims changed since it began: start again from the first page \
             (updated_since picks up what changed)",
        ));
    };
    // A walk starts as of now, or as of the latest change listed if that is later (after the
    // sandbox clock was reset).
    let as_of = match (&after, rows.first()) {
        (None, Some(first)) => as_of.max(first.key),
        _ => as_of,
    };
    Ok(cursors.paginate(
        rows,
        limit,
        |listed| ClaimCursor { key: listed.key, id: listed.claim.id, as_of },
        |listed| ClaimSummary::from(listed.claim),
    ))
}

/// A claim's audit trail, oldest first; reading it is recorded too.
pub async fn history(state: &AppState, caller: &Caller, id: ClaimId) -> Result<Vec<AuditEntry>, ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, id).await?;
    record_read(state, caller, &claim, AuditAction::HistoryRead).await?;
    history_of(state, claim.id).await
}

/// A claim's audit trail, oldest first, without recording the read.
pub(super) async fn history_of(state: &AppState, id: ClaimId) -> Result<Vec<AuditEntry>, ApiError> {
    Ok(state.db.claim_history(id).await?)
}

/// The strong entity tag of a claim version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
