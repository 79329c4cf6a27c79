//! Changing a claim on a caller's behalf: the lifecycle actions (with their `If-Match`
//! preconditions) and the answers to transfer offers, through one step that maps every refusal the
//! same way and stores the change.

use chrono::{DateTime, Utc};
use claims_domain::calendar::Calendar;
use claims_domain::claim::Claim;
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::action::Action;
use claims_domain::lifecycle::{self, ActionError, Facts, Transition};
use claims_domain::party::Side;
use claims_domain::validation::FieldErrors;

use super::claims::{organisation, record, settle, view_of, visible_claim};
use crate::auth::Caller;
use crate::dto::claim::ClaimView;
use crate::error::ApiError;
use crate::state::AppState;

/// Runs one lifecycle action of the caller on a claim: builds the action from the body (`build`
/// may look facts up), checks `If-Match`, applies the state machine and records the result.
pub async fn perform<Build, Fut>(
    state: &AppState,
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
    // The body is judged before the precondition: a request that could never succeed hears why
    // (`400`/`422`) whatever its `If-Match` says.
    let action = build(claim.clone()).await?;
    let precondition = if_match.ok_or(ApiError::PreconditionRequired)?;
    let compensator = organisation(state, &claim.compensator).await?;
    let allowed = lifecycle::allowed_actions(&claim, side, &Facts::new(&compensator));
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
    let kind = action.kind();
    let step = |claim: &Claim, calendar: &Calendar, now| {
        let facts = Facts::new(&compensator).with_small_claims(state.settings.small_claims_periods);
        lifecycle::apply(claim, side, action, &facts, calendar, now)
    };
    let Some(after) = change_claim(state, caller, &claim, step).await? else {
        return Err(current_state(state, caller, id, expected).await);
    };
    tracing::info!(claim_id = %id, action = %kind, status = %after.status, "claim action");
    let side = after.side_of(&caller.organisation).unwrap_or(side);
    view_of(state, after, side).await
}

/// Answers a transfer offer made to the caller's organisation: the claim becomes the caller's
/// (`Some` with the claim as the caller now sees it) or stays where it was (`None`). Someone
/// else's offer is `NotFound`, as is an offer that does not exist.
pub async fn answer_transfer_offer(
    state: &AppState,
    caller: &Caller,
    offer: uuid::Uuid,
    accept: bool,
) -> Result<Option<ClaimView>, ApiError> {
    caller.require_claims_role()?;
    let Some((claim_id, to, _status)) = state.db.transfer_offer(offer).await? else {
        return Err(ApiError::NotFound);
    };
    if to != caller.organisation.as_str() {
        return Err(ApiError::NotFound);
    }
    let claim = state.db.claim(claim_id).await?.ok_or(ApiError::NotFound)?;
    let claim = settle(state, claim).await?;
    let step = |claim: &Claim, _: &Calendar, now| lifecycle::answer_transfer(claim, offer, accept, now);
    let Some(after) = change_claim(state, caller, &claim, step).await? else {
        return Err(ApiError::Conflict {
            code: "claim_changed",
            detail: "the claim changed meanwhile; try again".to_owned(),
            retry_after: Some(1),
        });
    };
    tracing::info!(claim_id = %claim_id, accept, "transfer offer answered");
    if !accept {
        return Ok(None);
    }
    Ok(Some(view_of(state, after, Side::ClaimantRepresentative).await?))
}

/// The one way a caller's change reaches a claim: the domain `step` runs on the claim with the
/// calendar and the time, a refusal becomes its problem (the same mapping for every action), and
/// the transition is stored if the claim is still the version it was read at (`None` when the
/// race was lost and nothing was written).
async fn change_claim<Step>(
    state: &AppState,
    caller: &Caller,
    claim: &Claim,
    step: Step,
) -> Result<Option<Claim>, ApiError>
where
    Step: FnOnce(&Claim, &Calendar, DateTime<Utc>) -> Result<Transition, ActionError>,
{
    let calendar = state.calendar.current(&state.db).await?;
    let now = state.clock.now();
    let transition = step(claim, &calendar, now).map_err(|error| refusal(error, claim))?;
    let after = record(state, claim, transition, caller.actor(), now).await?;
    if after.is_some() {
        state.sequencer.after_write();
    }
    Ok(after)
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
        Ok(compensator) => lifecycle::allowed_actions(&current, side, &Facts::new(&compensator)),
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
