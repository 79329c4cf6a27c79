//! Moving claims between organisations: the change of claimant representative of one claim (an
//! offer, and the receiver's answer; until the receiver accepts nothing changes and every deadline
//! keeps running), and the operator's bulk transfers.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::change::{
    ActionError, Change, DomainEvent, TransferNote, TransferOutcome, Transition, finish, rule,
};
use super::state::PendingTransfer;
use crate::claim::Claim;
use crate::events::{AuditAction, EventType};
use crate::ids::{ClaimId, OrganisationCode};
use crate::organisation::{Organisation, OrganisationKind};
use crate::party::Side;

pub(super) fn offer(change: &mut Change, id: Uuid, to: &Organisation) -> Result<TransferNote, ActionError> {
    if to.kind != OrganisationKind::ClaimantRepresentative {
        return Err(rule(
            "not_a_claimant_representative",
            "to",
            "a claim can only be offered to a claimant representative",
        ));
    }
    if to.code == change.claim.claimant_representative {
        return Err(rule("same_organisation", "to", "the claim is already with this representative"));
    }
    change.claim.lifecycle.transfer_offer =
        Some(PendingTransfer { id, to: to.code.clone(), offered_at: change.now });
    change.event(EventType::TransferOffered, json!({ "transfer_offer": id, "to": to.code }));
    tell(change, &to.code);
    Ok(TransferNote::Offered { id, from: change.claim.claimant_representative.clone(), to: to.code.clone() })
}

pub(super) fn cancel(change: &mut Change) -> Option<TransferNote> {
    let pending = change.claim.lifecycle.transfer_offer.take()?;
    change
        .event(EventType::TransferOfferCancelled, json!({ "transfer_offer": pending.id, "to": pending.to }));
    tell(change, &pending.to);
    Some(TransferNote::Closed { id: pending.id, outcome: TransferOutcome::Cancelled })
}

/// The last event also goes to `code`.
fn tell(change: &mut Change, code: &OrganisationCode) {
    if let Some(event) = change.events.last_mut() {
        event.also_tell.push(code.clone());
    }
}

/// The receiving representative's answer to the claim's pending offer `id`.
pub fn answer_transfer(
    claim: &Claim,
    id: Uuid,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<Transition, ActionError> {
    let pending =
        claim.lifecycle.transfer_offer.as_ref().filter(|p| p.id == id && !claim.status.is_terminal());
    let Some(pending) = pending.cloned() else {
        return Err(ActionError::Conflict {
            code: "transfer_offer_closed",
            message: "this transfer offer is no longer open".to_owned(),
            status: claim.status,
            allowed: Vec::new(),
        });
    };
    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    next.lifecycle.transfer_offer = None;
    let (event, outcome) = if accept {
        next.claimant_representative = pending.to.clone();
        let data = json!({
            "side": Side::ClaimantRepresentative, "from": claim.claimant_representative, "to": pending.to,
            "transfer_offer": id, "at": now,
        });
        (event(EventType::Transferred, data, true, Vec::new()), TransferOutcome::Accepted)
    } else {
        let data = json!({ "transfer_offer": id, "to": pending.to });
        (event(EventType::TransferDeclined, data, false, vec![pending.to.clone()]), TransferOutcome::Declined)
    };
    let audit = if accept { AuditAction::TransferAccepted } else { AuditAction::TransferDeclined };
    let transition = finish(next, vec![event], audit);
    Ok(Transition { transfer: Some(TransferNote::Closed { id, outcome }), ..transition })
}

fn event(
    event_type: EventType,
    data: serde_json::Value,
    tell_previous_parties: bool,
    also_tell: Vec<OrganisationCode>,
) -> DomainEvent {
    let data = match data {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    DomainEvent { event_type, data, tell_previous_parties, also_tell }
}

string_enum! {
    /// Why a bulk transfer leaves a claim where it is.
    BulkSkip {
        /// The claim ended (closed, exited or withdrawn).
        Terminal => "terminal",
        /// Listed, but not a claim of the organisation the transfer moves claims from.
        NotFound => "not_found",
        /// It changed while the transfer ran.
        Changed => "changed",
    }
}

/// What a bulk transfer will do: the move of each claim that goes, and the claims that stay.
#[derive(Debug, Default)]
pub struct BulkPlan {
    pub moves: Vec<(Claim, Transition)>,
    pub skipped: Vec<(ClaimId, BulkSkip)>,
}

/// Plans a bulk transfer on `side` from `from` to `to`: every open claim among `claims` (the claims
/// of `from`, the listed ones when `listed` is given) moves, terminal ones stay, and listed ids
/// that are no claim of `from` are reported. Deadlines and the creator are untouched; a pending
/// offer of the claim to another representative is withdrawn (it could no longer be honoured).
pub fn plan_bulk_transfer(
    claims: Vec<Claim>,
    listed: Option<&[ClaimId]>,
    side: Side,
    from: &OrganisationCode,
    to: &OrganisationCode,
    now: DateTime<Utc>,
) -> BulkPlan {
    let mut plan = BulkPlan::default();
    if let Some(listed) = listed {
        let found: HashSet<ClaimId> = claims.iter().map(|c| c.id).collect();
        let mut reported = HashSet::new();
        for id in listed {
            if !found.contains(id) && reported.insert(*id) {
                plan.skipped.push((*id, BulkSkip::NotFound));
            }
        }
    }
    for claim in claims {
        if claim.status.is_terminal() {
            plan.skipped.push((claim.id, BulkSkip::Terminal));
            continue;
        }
        let transition = bulk_move(&claim, side, from, to, now);
        plan.moves.push((claim, transition));
    }
    plan
}

/// One claim's move in a bulk transfer.
fn bulk_move(
    claim: &Claim,
    side: Side,
    from: &OrganisationCode,
    to: &OrganisationCode,
    now: DateTime<Utc>,
) -> Transition {
    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    match side {
        Side::ClaimantRepresentative => next.claimant_representative = to.clone(),
        Side::Compensator => next.compensator = to.clone(),
    }
    let withdrawn = next.lifecycle.transfer_offer.take();
    let data = json!({ "side": side, "from": from, "to": to, "at": now, "bulk": true });
    let transition =
        finish(next, vec![event(EventType::Transferred, data, true, Vec::new())], AuditAction::Transferred);
    let transfer =
        withdrawn.map(|pending| TransferNote::Closed { id: pending.id, outcome: TransferOutcome::Cancelled });
    Transition { transfer, ..transition }
}
