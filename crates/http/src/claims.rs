//! Claims between the HTTP handlers and storage: submitting, reading, listing, and changing them
//! through the lifecycle state machine.

use std::sync::Arc;

use actix_web::web;
use chrono::{DateTime, Utc};
use claims_domain::calendar::Calendar;
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::cnf::{self, Cnf, ValidatedCnf, ValidationContext};
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle::action::Action;
use claims_domain::lifecycle::{self, ActionError, Facts, Transition};
use claims_domain::organisation::Organisation;
use claims_domain::party::Side;
use claims_domain::validation::FieldErrors;
use claims_persistence::StoreError;
use claims_persistence::records::{
    Actor, ClaimChange, ClaimQuery, IdempotencyScope, ListedClaim, NewAudit, NewEvent, StoredResponse,
};
use serde_json::json;

use crate::auth::Caller;
use crate::dto::claim::{ClaimView, PartyView};
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

/// The calendar in use now. When another hub process changed it, the deadlines are recounted in
/// the background as well (that process recounted them too; this catches any claim this process
/// wrote with the old calendar meanwhile).
pub async fn calendar(state: &web::Data<AppState>) -> Result<Arc<Calendar>, ApiError> {
    let (calendar, freshness) = state.calendar.current(&state.db).await?;
    if let crate::calendar::Freshness::ChangedElsewhere = freshness {
        let state = state.clone();
        actix_web::rt::spawn(async move {
            if let Err(error) = crate::sweeper::recompute_all(&state).await {
                tracing::warn!(%error, "recounting deadlines after a calendar change failed");
            }
        });
    }
    Ok(calendar)
}

/// Stores a validated form as a new claim of the caller's organisation, with its
/// `claim.submitted` event, its first audit entry and (with an Idempotency-Key) the response,
/// in one transaction. `respond` renders the response from the claim's view.
pub async fn submit(
    state: &web::Data<AppState>,
    caller: &Caller,
    valid: ValidatedCnf,
    idempotency: Option<&IdempotencyScope>,
    respond: impl FnOnce(&ClaimView) -> Result<StoredResponse, ApiError>,
) -> Result<StoredResponse, ApiError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let compensator = organisation(state, &valid.compensator).await?;
    let calendar = calendar(state).await?;
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
    let event = NewEvent {
        claim_id: claim.id,
        event_type: EventType::Submitted,
        occurred_at: now,
        actor: caller.actor(),
        data: json!({
            "type": claim.claim_type,
            "status": claim.status,
            "version": claim.version,
            "claimant_representative": claim.claimant_representative,
            "compensator": claim.compensator,
            "notification_date": claim.notification_date,
        }),
        recipients: vec![claim.claimant_representative.clone(), claim.compensator.clone()],
    };
    let audit = NewAudit {
        claim_id: claim.id,
        occurred_at: now,
        action: AuditAction::Submitted,
        actor: caller.actor(),
        detail: json!({ "version": claim.version, "status": claim.status }),
    };
    let view = view_of(state, claim.clone(), Side::ClaimantRepresentative).await?;
    let response = respond(&view)?;
    let completion = idempotency.map(|scope| (scope, &response));
    state.db.insert_claim(&claim, &event, &audit, completion, state.real_clock.now()).await?;
    state.sequencer.after_write(&state.db).await;
    tracing::info!(claim_id = %claim.id, "claim submitted");
    Ok(response)
}

/// A claim the caller is a party to, with what time has brought it applied, or `NotFound`
/// (whether it does not exist or belongs to others: the two are indistinguishable).
pub async fn visible_claim(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
) -> Result<(Claim, Side), ApiError> {
    let claim = state.db.claim(id).await?.ok_or(ApiError::NotFound)?;
    let side = claim.side_of(&caller.organisation).ok_or(ApiError::NotFound)?;
    let claim = settle(state, claim).await?;
    // Time may have moved the claim away from nobody, but check again all the same.
    let side = claim.side_of(&caller.organisation).map_or(side, |s| s);
    Ok((claim, side))
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
    let after = transition.claim;
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
    let change = ClaimChange {
        claim: after,
        expected_version: before.version,
        events,
        audit,
        transfer: transition.transfer,
    };
    match state.db.update_claim(&change).await {
        Ok(()) => Ok(Some(change.claim)),
        Err(StoreError::VersionConflict) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// Runs one lifecycle action of the caller on a claim: checks `If-Match`, builds the action
/// (`build` may look facts up), applies the state machine and records the result.
pub async fn perform<Build, Fut>(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: ClaimId,
    if_match: Option<Precondition>,
    build: Build,
) -> Result<ClaimView, ApiError>
where
    Build: FnOnce(Claim) -> Fut,
    Fut: Future<Output = Result<Action, ApiError>>,
{
    caller.require_claims_role()?;
    let (claim, side) = visible_claim(state, caller, id).await?;
    let precondition = if_match.ok_or(ApiError::PreconditionRequired)?;
    let compensator = organisation(state, &claim.compensator).await?;
    let allowed = lifecycle::allowed_actions(&claim, side, &Facts { compensator: &compensator });
    if let Some(detail) = precondition.refusal(claim.version) {
        return Err(ApiError::ClaimState {
            status: 412,
            code: "version_mismatch",
            detail,
            current_status: claim.status,
            current_version: claim.version,
            allowed_actions: allowed,
        });
    }
    let expected = claim.version;
    let action = build(claim.clone()).await?;
    let kind = action.kind();
    let calendar = calendar(state).await?;
    let now = state.clock.now();
    let facts = Facts { compensator: &compensator };
    let transition = lifecycle::apply(&claim, side, action, &facts, &calendar, now)
        .map_err(|error| refusal(error, &claim))?;
    let Some(after) = record(state, &claim, transition, caller.actor(), now).await? else {
        return Err(current_state(state, caller, id, expected).await);
    };
    state.sequencer.after_write(&state.db).await;
    tracing::info!(claim_id = %id, action = %kind, status = %after.status, "claim action");
    let side = after.side_of(&caller.organisation).unwrap_or(side);
    view_of(state, after, side).await
}

/// What an action's `If-Match` asks for (RFC 9110 §13.1.1).
#[derive(Clone, Debug)]
pub enum Precondition {
    /// `*`: any current version of the claim.
    Any,
    /// A list of entity-tags; the action goes ahead when one of them is the claim's current
    /// strong ETag. Weak tags never match.
    Tags(Vec<actix_web::http::header::EntityTag>),
}

impl Precondition {
    /// `None` when the precondition holds for a claim at `version`, else why it does not.
    pub fn refusal(&self, version: i64) -> Option<String> {
        let Precondition::Tags(tags) = self else { return None };
        let current = version.to_string();
        if tags.iter().any(|tag| !tag.weak && tag.tag() == current) {
            return None;
        }
        let named: Vec<String> = tags.iter().map(ToString::to_string).collect();
        Some(match named.as_slice() {
            [] => format!("the claim is at version {version}; If-Match named no entity-tag the hub can read"),
            _ if tags.iter().all(|tag| tag.weak) => format!(
                "the claim is at version {version}; If-Match named only weak entity-tags ({}), which never match: send the ETag as given",
                named.join(", ")
            ),
            [one] => format!("the claim is at version {version}, not {}", version_named(one)),
            _ => format!("the claim is at version {version}; If-Match named {}", named.join(", ")),
        })
    }
}

/// `"3"` as `3`; other tags as sent.
fn version_named(tag: &str) -> String {
    tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(tag).to_owned()
}

/// The `412` after losing a race: the claim as it now stands for the caller.
async fn current_state(state: &AppState, caller: &Caller, id: ClaimId, expected: i64) -> ApiError {
    let current = match state.db.claim(id).await {
        Ok(Some(claim)) => claim,
        Ok(None) => return ApiError::NotFound,
        Err(error) => return error.into(),
    };
    let Some(side) = current.side_of(&caller.organisation) else { return ApiError::NotFound };
    let allowed = match organisation(state, &current.compensator).await {
        Ok(compensator) => lifecycle::allowed_actions(&current, side, &Facts { compensator: &compensator }),
        Err(error) => return error,
    };
    ApiError::ClaimState {
        status: 412,
        code: "version_mismatch",
        detail: format!("the claim changed while version {expected} was being acted on"),
        current_status: current.status,
        current_version: current.version,
        allowed_actions: allowed,
    }
}

/// The problem for a refused action.
fn refusal(error: ActionError, claim: &Claim) -> ApiError {
    let state_conflict = |code: &'static str, detail: String, allowed| ApiError::ClaimState {
        status: 409,
        code,
        detail,
        current_status: claim.status,
        current_version: claim.version,
        allowed_actions: allowed,
    };
    match error {
        ActionError::NotAllowedInStatus { action, status, allowed } => state_conflict(
            "not_allowed_in_status",
            format!("{action} is not allowed while the claim is {status}"),
            allowed,
        ),
        ActionError::NotAllowedNow { code, reason, allowed, .. } => state_conflict(code, reason, allowed),
        ActionError::WrongParty { action, allowed, .. } => {
            state_conflict("wrong_party", format!("{action} is for the other party"), allowed)
        }
        ActionError::Conflict { code, message, allowed, .. } => state_conflict(code, message, allowed),
        ActionError::Rule { code, field, message } => {
            let mut errors = FieldErrors::new();
            if let Some(field) = field {
                errors.add(field, code, message.clone());
            }
            ApiError::RuleBroken { code, detail: message, errors }
        }
        ActionError::Invalid(errors) => ApiError::Validation(errors),
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
    let claimant_representative = organisation(state, &claim.claimant_representative).await?;
    let compensator = organisation(state, &claim.compensator).await?;
    let allowed = lifecycle::allowed_actions(&claim, side, &Facts { compensator: &compensator });
    let windows = lifecycle::exit_windows(&claim, &state.calendar.snapshot(), state.clock.today());
    Ok(ClaimView::new(
        claim,
        PartyView::from(&claimant_representative),
        PartyView::from(&compensator),
        allowed,
        windows,
    ))
}

/// A page of the caller's claims.
pub async fn list(state: &AppState, query: &ClaimQuery) -> Result<Vec<ListedClaim>, ApiError> {
    Ok(state.db.list_claims(query).await?)
}

/// The strong entity tag of a claim version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
