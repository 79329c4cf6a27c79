//! Erasure, rectification and restriction requests (domain.md §9): the claim is held read-only in
//! `erasure_pending` with its running deadlines set aside; either party may cancel within 14
//! calendar days, which restores the claim as it was; after that the claim is purged.

use chrono::Days;
use serde_json::json;

use super::action::{ActionKind, RequestErasureInput};
use super::change::{ActionError, Change};
use super::state::ErasureRequest;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::events::EventType;
use crate::party::Side;

/// Calendar days either party has to cancel a request.
pub const CANCEL_WITHIN_DAYS: u64 = 14;

/// Who may take an erasure action, or, while a request holds the claim, any action (nobody but a
/// cancellation); `None` when the claim's track decides.
pub(super) fn who_may(kind: ActionKind, claim: &Claim) -> Option<Vec<Side>> {
    let both = || vec![Side::ClaimantRepresentative, Side::Compensator];
    let pending = claim.status == ClaimStatus::ErasurePending;
    match kind {
        ActionKind::RequestErasure => Some(if pending { Vec::new() } else { both() }),
        ActionKind::CancelErasure => Some(if pending { both() } else { Vec::new() }),
        _ if pending => Some(Vec::new()),
        _ => None,
    }
}

/// Holds the claim: its running deadlines (and dormancy) are set aside until a cancellation.
pub(super) fn request(change: &mut Change, side: Side, input: RequestErasureInput) {
    let today = change.today();
    let purge_after = today + Days::new(CANCEL_WITHIN_DAYS);
    let lifecycle = &mut change.claim.lifecycle;
    let (running, kept) = std::mem::take(&mut lifecycle.deadlines).into_iter().partition(|d| d.is_open());
    lifecycle.deadlines = kept;
    lifecycle.erasure = Some(ErasureRequest {
        kind: input.kind,
        reference: input.reference,
        requested_by: side,
        requested_at: change.now,
        purge_after,
        previous_status: change.claim.status,
        suspended_deadlines: running,
        suspended_dormant_at: lifecycle.dormant_at.take(),
    });
    change.claim.status = ClaimStatus::ErasurePending;
    change.event(
        EventType::ErasureRequested,
        json!({ "kind": input.kind, "by": side, "purge_after": purge_after }),
    );
}

/// Cancels the request within its window, restoring the claim's status and deadlines.
pub(super) fn cancel(change: &mut Change, side: Side, allowed: &[ActionKind]) -> Result<(), ActionError> {
    let today = change.today();
    let Some(request) = change.claim.lifecycle.erasure.take() else {
        return Ok(());
    };
    if today > request.purge_after {
        let purge_after = request.purge_after;
        change.claim.lifecycle.erasure = Some(request);
        return Err(ActionError::Conflict {
            code: "erasure_window_closed",
            message: format!("the request could be cancelled until {purge_after}; the claim is to be purged"),
            status: ClaimStatus::ErasurePending,
            allowed: allowed.to_vec(),
        });
    }
    let lifecycle = &mut change.claim.lifecycle;
    lifecycle.deadlines.extend(request.suspended_deadlines);
    lifecycle.dormant_at = request.suspended_dormant_at;
    change.claim.status = request.previous_status;
    change.event(EventType::ErasureCancelled, json!({ "kind": request.kind, "by": side }));
    Ok(())
}
