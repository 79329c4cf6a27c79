//! Moving claims between organisations: the offers of a claim to another representative, and the
//! operator's bulk transfers.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle::{self, BulkSkip};
use claims_domain::organisation::OrganisationKind;
use claims_domain::party::Side;
use claims_persistence::records::{ClaimChange, TransferOfferSummary};

use super::claims::change_of;
use super::registration::named_organisation;
use crate::auth::Caller;
use crate::dto::transfer::BulkTransferRequest;
use crate::error::ApiError;
use crate::state::AppState;

/// Transfer offers to the caller's organisation (`direction` `incoming`, the default) or from it
/// (`outgoing`); open ones only (`status` `open`, the default) or `all`.
pub async fn offers(
    state: &AppState,
    caller: &Caller,
    direction: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<TransferOfferSummary>, ApiError> {
    caller.require_claims_role()?;
    let incoming = match direction {
        None | Some("incoming") => true,
        Some("outgoing") => false,
        Some(_) => return Err(ApiError::bad_request("invalid_query", "direction is incoming or outgoing")),
    };
    let only_open = match status {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(ApiError::bad_request("invalid_query", "status is open or all")),
    };
    Ok(state.db.transfer_offers_of(caller.organisation.as_str(), incoming, only_open).await?)
}

/// What a bulk transfer did.
pub struct BulkTransferred {
    pub from: OrganisationCode,
    pub to: OrganisationCode,
    pub at: DateTime<Utc>,
    pub moved: Vec<ClaimId>,
    /// Claims left where they were, with the reason: `terminal`, `not_found` or `changed`.
    pub skipped: Vec<(ClaimId, &'static str)>,
}

/// Moves claims from one organisation to another of the same kind, in one transaction (operator).
pub async fn bulk_transfer(
    state: &AppState,
    caller: &Caller,
    request: BulkTransferRequest,
) -> Result<BulkTransferred, ApiError> {
    caller.require_operator()?;
    let from = named_organisation(state, "from", &request.from, "unknown_organisation").await?;
    let to = named_organisation(state, "to", &request.to, "unknown_organisation").await?;
    let side = match (from.kind, to.kind) {
        (OrganisationKind::ClaimantRepresentative, OrganisationKind::ClaimantRepresentative) => {
            Side::ClaimantRepresentative
        }
        (OrganisationKind::Compensator, OrganisationKind::Compensator) => Side::Compensator,
        _ => {
            return Err(ApiError::invalid_field(
                "to",
                "different_kind",
                "claims move between two claimant representatives or two compensators",
            ));
        }
    };
    if from.code == to.code {
        return Err(ApiError::invalid_field(
            "to",
            "same_organisation",
            "from and to are the same organisation",
        ));
    }
    let at = state.clock.now();
    let listed = request.claim_ids.as_deref();
    let claims = state.db.claims_of(from.code.as_str(), side, listed).await?;
    let (revision, calendar) = state.calendar.counted();
    let plan = lifecycle::plan_bulk_transfer(claims, listed, side, &from.code, &to.code, at);
    let changes: Vec<ClaimChange> = plan
        .moves
        .into_iter()
        .map(|(before, transition)| change_of(&before, transition, caller.actor(), at, (revision, &calendar)))
        .collect();
    let stored: HashSet<ClaimId> = state.db.store_changes(&changes).await?.into_iter().collect();
    state.sequencer.after_write();
    let mut skipped: Vec<(ClaimId, &'static str)> =
        plan.skipped.into_iter().map(|(id, why)| (id, why.as_str())).collect();
    let mut moved = Vec::with_capacity(stored.len());
    for change in &changes {
        let id = change.claim.id;
        if stored.contains(&id) {
            moved.push(id);
        } else {
            skipped.push((id, BulkSkip::Changed.as_str()));
        }
    }
    tracing::info!(from = %from.code, to = %to.code, moved = moved.len(), skipped = skipped.len(), "bulk transfer");
    Ok(BulkTransferred { from: from.code, to: to.code, at, moved, skipped })
}
