//! Submitting, reading and listing claims: the steps between the HTTP handlers and storage.

use claims_domain::claim::{Claim, ClaimStatus, Side};
use claims_domain::cnf::{self, Cnf, ValidatedCnf, ValidationContext};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_persistence::records::{
    ClaimQuery, IdempotencyScope, NewAudit, NewEvent, StoredResponse,
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
    let context = ValidationContext {
        today: state.clock.today(),
        compensator,
    };
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
    let claim = Claim {
        id: ClaimId::new_v7(),
        claim_type: valid.cnf.claim.claim_type,
        status: ClaimStatus::Submitted,
        version: 1,
        claimant_representative: caller.organisation.clone(),
        compensator: valid.compensator.clone(),
        created_by: caller.organisation.clone(),
        notification_date: state.clock.today(),
        child: valid.child,
        cr_reference: valid.cnf.representative.case_reference.clone(),
        cm_reference: None,
        cnf: valid.cnf,
        submitted_at: now,
        updated_at: now,
    };
    let event = NewEvent {
        claim_id: claim.id,
        event_type: "claim.submitted".to_owned(),
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
        recipients: vec![
            claim.claimant_representative.clone(),
            claim.compensator.clone(),
        ],
    };
    let audit = NewAudit {
        claim_id: claim.id,
        occurred_at: now,
        action: "claim.submitted".to_owned(),
        actor: caller.actor(),
        detail: json!({ "version": claim.version, "status": claim.status }),
    };
    let view = view_of(state, claim.clone()).await?;
    let response = respond(&view)?;
    let completion = idempotency.map(|scope| (scope, &response));
    state
        .db
        .insert_claim(&claim, &event, &audit, completion, now)
        .await?;
    tracing::info!(claim_id = %claim.id, "claim submitted");
    Ok(response)
}

/// A claim the caller is a party to, or `NotFound` (whether it does not exist or belongs to
/// others: the two are indistinguishable to the caller).
pub async fn visible_claim(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
) -> Result<(Claim, Side), ApiError> {
    let claim = state.db.claim(id).await?.ok_or(ApiError::NotFound)?;
    let side = claim
        .side_of(&caller.organisation)
        .ok_or(ApiError::NotFound)?;
    Ok((claim, side))
}

/// Records that the caller read the claim.
pub async fn record_read(state: &AppState, caller: &Caller, claim: &Claim) -> Result<(), ApiError> {
    let audit = NewAudit {
        claim_id: claim.id,
        occurred_at: state.clock.now(),
        action: "claim.read".to_owned(),
        actor: caller.actor(),
        detail: json!({ "version": claim.version }),
    };
    Ok(state.db.insert_audit(&audit).await?)
}

/// The claim's representation, naming both parties.
pub async fn view_of(state: &AppState, claim: Claim) -> Result<ClaimView, ApiError> {
    let party = async |code: &OrganisationCode| -> Result<PartyView, ApiError> {
        let organisation = state.directory.get(&state.db, code).await?.ok_or_else(|| {
            ApiError::Internal(format!(
                "claim {} names unknown organisation {code}",
                claim.id
            ))
        })?;
        Ok(PartyView::from(&organisation))
    };
    let claimant_representative = party(&claim.claimant_representative).await?;
    let compensator = party(&claim.compensator).await?;
    Ok(ClaimView::new(claim, claimant_representative, compensator))
}

/// A page of the caller's claims.
pub async fn list(state: &AppState, query: &ClaimQuery) -> Result<Vec<Claim>, ApiError> {
    Ok(state.db.list_claims(query).await?)
}

/// The strong entity tag of a claim version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
