//! Who may do what, when: the permission table of the portal track (`rta`, `el_accident`,
//! `el_disease`, `pl`), from which `allowed_actions` is derived, and the reasons a refusal names.

use super::action::ActionKind;
use super::change::{ActionError, Facts};
use super::deadline::DeadlineName;
use super::state::{INTERIM_MINIMUM_PENCE, InterimStatus, PaymentKind};
use super::{erasure, interim, small_claims};
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::claim_type::{ClaimType, Track};
use crate::organisation::CompensatorType;
use crate::party::Side;

pub(super) const STAGE1: [ClaimStatus; 2] = [ClaimStatus::Submitted, ClaimStatus::AwaitingLiabilityDecision];

pub(super) const STAGE2: [ClaimStatus; 3] =
    [ClaimStatus::LiabilityAdmitted, ClaimStatus::SettlementPackSent, ClaimStatus::Negotiating];

/// The one rule of who may act that is not a matter of the table: extending a period during
/// Stage 1 is refused as a broken protocol rule (`422` `stage1_period_not_extendable`, as the
/// protocol puts it), not as an action out of place, so it is checked before the table.
pub(super) fn refused_by_protocol(kind: ActionKind, claim: &Claim) -> Option<ActionError> {
    if claim.claim_type.track() == Track::SmallClaims {
        return small_claims::permissions::refused_by_protocol(kind, claim);
    }
    (kind == ActionKind::ExtendConsiderationPeriod && STAGE1.contains(&claim.status)).then(|| {
        ActionError::Rule {
            code: "stage1_period_not_extendable",
            field: None,
            message: "the Stage 1 response period cannot be extended by anybody".to_owned(),
        }
    })
}

/// Which parties may take an action in the claim's current state (empty: nobody), from the
/// permission table of the claim's track.
pub(super) fn who_may(kind: ActionKind, claim: &Claim, facts: &Facts) -> Vec<Side> {
    // Erasure requests come first on both tracks: while one holds the claim, nothing else goes.
    if let Some(parties) = erasure::who_may(kind, claim) {
        return parties;
    }
    match claim.claim_type.track() {
        Track::Portal => portal_who_may(kind, claim, facts),
        Track::SmallClaims => small_claims::permissions::who_may(kind, claim, facts),
    }
}

/// The portal track's table.
fn portal_who_may(kind: ActionKind, claim: &Claim, facts: &Facts) -> Vec<Side> {
    use ActionKind as A;
    use ClaimStatus as S;
    let status = claim.status;
    let lifecycle = &claim.lifecycle;
    let open = !status.is_terminal();
    // Interim requests are answered while liability is admitted (never once the claim has ended).
    let interim = lifecycle.open_interim().map(|i| i.status).filter(|_| status == S::LiabilityAdmitted);
    let further = lifecycle.open_deadline(DeadlineName::FurtherConsideration).is_some();
    let court_approval = lifecycle.settlement.as_ref().is_some_and(|s| s.requires_court_approval);
    // In negotiation it is the turn of the side that did not make the latest offer.
    let turn = lifecycle.current_offer().map(|offer| offer.by.other());
    let compensator = vec![Side::Compensator];
    let representative = vec![Side::ClaimantRepresentative];
    let both = vec![Side::ClaimantRepresentative, Side::Compensator];
    let (allowed, parties) = match kind {
        A::Acknowledge | A::Reject | A::Reassign => (status == S::Submitted, compensator),
        A::DecideLiability => (STAGE1.contains(&status), compensator),
        A::DeclareArticle75 => (
            status == S::AwaitingLiabilityDecision
                && claim.claim_type == ClaimType::Rta
                && !lifecycle.article_75
                && facts.compensator.compensator_type != Some(CompensatorType::Mib),
            compensator,
        ),
        A::AllegeFraud => (status == S::AwaitingLiabilityDecision || STAGE2.contains(&status), compensator),
        A::Resubmit => (status == S::Rejected, representative),
        A::Withdraw => (open, representative),
        A::Exit => (open && status != S::Rejected, both),
        A::ExtendConsiderationPeriod => {
            (matches!(status, S::SettlementPackSent | S::Negotiating) && !further, both)
        }
        A::RequestInterimPayment
        | A::RespondInterimPayment
        | A::ExtendInterimDeadline
        | A::AcceptPartialInterim
        | A::DeclinePartialInterim
        | A::ConfirmInterimReceived => {
            return interim::who_may(kind, claim, status == S::LiabilityAdmitted).unwrap_or_default();
        }
        A::SendSettlementPack => (status == S::LiabilityAdmitted && interim.is_none(), representative),
        A::RespondSettlementPack => (status == S::SettlementPackSent, compensator),
        A::CounterOffer => (status == S::Negotiating && !further, turn.into_iter().collect()),
        A::AcceptOffer => (status == S::Negotiating, turn.into_iter().collect()),
        A::RecordPayment => (
            payment_expected(claim, PaymentKind::Stage1Costs)
                || payment_expected(claim, PaymentKind::Settlement),
            both,
        ),
        A::ConfirmSettlementReceived => (status == S::Settled && !court_approval, representative),
        A::SendCourtPack => {
            (status == S::NoAgreement || (status == S::Settled && court_approval), representative)
        }
        A::RespondCourtPack => (status == S::CourtPackSent, compensator),
        A::OfferTransfer => (open && lifecycle.transfer_offer.is_none(), representative),
        A::CancelTransferOffer => (open && lifecycle.transfer_offer.is_some(), representative),
        // The small-claims track's own steps.
        A::AcceptLiabilityDecision
        | A::ExitToCourt
        | A::ResumeAfterCourt
        | A::AddMedicalReport
        | A::SetLosses
        | A::RequestOffer
        | A::MakeOffer
        | A::ProposeRemoval
        | A::ObjectToRemoval => (false, Vec::new()),
        // Decided before the table (`erasure::who_may`).
        A::RequestErasure | A::CancelErasure => (false, Vec::new()),
    };
    if allowed { parties } else { Vec::new() }
}

/// What `side` may do with the claim now.
pub fn allowed_actions(claim: &Claim, side: Side, facts: &Facts) -> Vec<ActionKind> {
    ActionKind::ALL.iter().copied().filter(|kind| who_may(*kind, claim, facts).contains(&side)).collect()
}

/// Why nobody may take an action that belongs to the claim's status: the fact that rules it
/// out, as a code and a sentence. `None` when the status itself is the reason.
pub(super) fn blocked_by_fact(
    kind: ActionKind,
    claim: &Claim,
    facts: &Facts,
) -> Option<(&'static str, String)> {
    // While an erasure request holds the claim, its status is the reason for every refusal.
    if claim.status == ClaimStatus::ErasurePending {
        return None;
    }
    if claim.claim_type.track() == Track::SmallClaims {
        return small_claims::permissions::blocked_by_fact(kind, claim);
    }
    use ActionKind as A;
    use ClaimStatus as S;
    use InterimStatus as I;
    let status = claim.status;
    let lifecycle = &claim.lifecycle;
    let interim = lifecycle.open_interim().filter(|_| status == S::LiabilityAdmitted);
    let further = lifecycle.open_deadline(DeadlineName::FurtherConsideration);
    let open_interim = || {
        (
            "interim_request_open",
            "an interim payment request is still open: it must be answered and closed first".to_owned(),
        )
    };
    match kind {
        A::RequestInterimPayment if status == S::LiabilityAdmitted && claim.child => Some((
            "claimant_is_child",
            "the claimant is a child: interim payments for a child are not made through the hub (the court \
             approves any payment of a child's damages)"
                .to_owned(),
        )),
        A::RequestInterimPayment | A::SendSettlementPack if interim.is_some() => Some(open_interim()),
        A::RespondInterimPayment
        | A::ExtendInterimDeadline
        | A::AcceptPartialInterim
        | A::DeclinePartialInterim
        | A::ConfirmInterimReceived
            if status == S::LiabilityAdmitted =>
        {
            let Some(request) = interim else {
                return Some(("no_interim_request", "no interim payment request is open".to_owned()));
            };
            Some(match kind {
                A::ExtendInterimDeadline if request.status != I::Requested => {
                    ("interim_answered", format!("interim request {} was already answered", request.number))
                }
                A::ExtendInterimDeadline if request.requested_pence.get() <= INTERIM_MINIMUM_PENCE => (
                    "interim_not_extendable",
                    "only a request above £1,000 has a payment period that can be extended".to_owned(),
                ),
                A::ExtendInterimDeadline if request.extended => (
                    "interim_already_extended",
                    format!("the payment period of interim request {} was already extended once", request.number),
                ),
                A::ExtendInterimDeadline => (
                    "interim_period_ended",
                    format!("the payment period of interim request {} has ended", request.number),
                ),
                _ => (
                    "interim_not_waiting_for_this",
                    format!("interim request {} is {}, which this action does not answer", request.number, request.status),
                ),
            })
        }
        A::DeclareArticle75 if status == S::AwaitingLiabilityDecision => Some(if claim.claim_type != ClaimType::Rta {
            ("not_rta", format!("only road traffic claims have Article 75 insurers; this claim is {}", claim.claim_type))
        } else if facts.compensator.compensator_type == Some(CompensatorType::Mib) {
            (
                "compensator_is_mib",
                "the MIB is not an Article 75 insurer: its liability period is 30 business days from the start"
                    .to_owned(),
            )
        } else {
            ("article_75_already_declared", "the compensator has already declared itself an Article 75 insurer".to_owned())
        }),
        A::CounterOffer | A::ExtendConsiderationPeriod if status == S::Negotiating && further.is_some() => {
            let until = further.map(|d| d.due_date.to_string()).unwrap_or_default();
            Some((
                "further_consideration_running",
                format!(
                    "a late offer opened the further consideration period (until {until}): only acceptance is possible"
                ),
            ))
        }
        A::ConfirmSettlementReceived
            if status == S::Settled && lifecycle.settlement.as_ref().is_some_and(|s| s.requires_court_approval) =>
        {
            Some((
                "court_approval_required",
                "the claimant is a child: the court approves the settlement first (send the court pack)".to_owned(),
            ))
        }
        A::OfferTransfer if !status.is_terminal() => lifecycle.transfer_offer.as_ref().map(|offer| {
            ("transfer_offer_pending", format!("the claim is already offered to {} (cancel that offer first)", offer.to))
        }),
        A::CancelTransferOffer if !status.is_terminal() => {
            Some(("no_transfer_offer", "the claim is not offered to anybody".to_owned()))
        }
        A::RecordPayment if !status.is_terminal() => Some((
            "payment_not_expected",
            "no payment is due now: Stage 1 costs once the settlement pack is sent, the settlement once agreed \
             (adults), each recorded once"
                .to_owned(),
        )),
        _ => None,
    }
}

/// Whether a payment of `kind` can be recorded now: Stage 1 costs once the settlement pack is
/// sent (adults), the settlement once agreed (adults), each once.
pub(super) fn payment_expected(claim: &Claim, kind: PaymentKind) -> bool {
    let lifecycle = &claim.lifecycle;
    let open = !claim.status.is_terminal();
    let not_yet = !lifecycle.has_payment(kind);
    match kind {
        PaymentKind::Stage1Costs => open && lifecycle.settlement_pack.is_some() && !claim.child && not_yet,
        PaymentKind::Settlement => {
            claim.status == ClaimStatus::Settled
                && lifecycle.settlement.as_ref().is_some_and(|s| !s.requires_court_approval)
                && not_yet
        }
    }
}
