//! Who may do what, when, on the small-claims track: its permission table (from which
//! `allowed_actions` is derived for these claims), the court routes open now, and the refusals
//! that come before the table.

use super::super::action::ActionKind;
use super::super::change::{ActionError, Facts};
use super::super::deadline::{DeadlineName, DeadlineStatus};
use super::super::interim;
use super::super::state::{CourtRoute, ExitReason, InterimStatus, LiabilityOutcome, PaymentKind};
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::cnf::InjuryKind;
use crate::party::Side;

/// The statuses in which the parties work towards an agreed amount.
const OFFER_STAGE: [ClaimStatus; 3] =
    [ClaimStatus::OfferRequested, ClaimStatus::OfferMade, ClaimStatus::CounterOfferMade];

/// Which parties may take an action on a small claim now (empty: nobody).
pub(in super::super) fn who_may(kind: ActionKind, claim: &Claim, _facts: &Facts) -> Vec<Side> {
    use ActionKind as A;
    use ClaimStatus as S;
    let status = claim.status;
    let lifecycle = &claim.lifecycle;
    let open = !status.is_terminal();
    let admitted = status == S::LiabilityAdmitted;
    let removal_pending = lifecycle.removal.as_ref().is_some_and(|r| r.objected_at.is_none());
    // Interim payments run beside the medical and offer stages once liability is admitted.
    let interim_stage = admitted || OFFER_STAGE.contains(&status);
    let compensator = vec![Side::Compensator];
    let representative = vec![Side::ClaimantRepresentative];
    let (allowed, parties) = match kind {
        A::DecideLiability | A::Reassign => (status == S::Submitted, compensator),
        A::AcceptLiabilityDecision => (liability_disputed(claim), representative),
        A::ExitToCourt => (!open_routes(claim).is_empty(), representative),
        A::ResumeAfterCourt => (resumable(claim), representative),
        A::AddMedicalReport => (admitted || OFFER_STAGE.contains(&status), representative),
        A::SetLosses | A::RequestOffer => (admitted, representative),
        A::MakeOffer => (matches!(status, S::OfferRequested | S::CounterOfferMade), compensator),
        A::CounterOffer => (status == S::OfferMade, representative),
        A::AcceptOffer => match status {
            S::OfferMade => (true, representative),
            S::CounterOfferMade => (true, compensator),
            _ => (false, Vec::new()),
        },
        A::RecordPayment => {
            (status == S::Settled && !lifecycle.has_payment(PaymentKind::Settlement), compensator)
        }
        A::ConfirmSettlementReceived => {
            (status == S::Settled && lifecycle.has_payment(PaymentKind::Settlement), representative)
        }
        A::RequestInterimPayment
        | A::RespondInterimPayment
        | A::ExtendInterimDeadline
        | A::AcceptPartialInterim
        | A::DeclinePartialInterim
        | A::ConfirmInterimReceived => {
            return interim::who_may(kind, claim, interim_stage).unwrap_or_default();
        }
        A::Withdraw => (open, representative),
        A::ProposeRemoval => (open && lifecycle.removal.is_none(), compensator),
        A::ObjectToRemoval => (open && removal_pending, representative),
        A::OfferTransfer => (open && lifecycle.transfer_offer.is_none(), representative),
        A::CancelTransferOffer => (open && lifecycle.transfer_offer.is_some(), representative),
        // The portal track's own steps (acknowledgement, Article 75, the settlement pack, the
        // court pack, exits by reason) are not part of this track.
        _ => (false, Vec::new()),
    };
    if allowed { parties } else { Vec::new() }
}

/// A partial admission, a causation dispute or a denial the claimant has not yet accepted or
/// taken to court.
fn liability_disputed(claim: &Claim) -> bool {
    let lifecycle = &claim.lifecycle;
    if lifecycle.liability_accepted_at.is_some() {
        return false;
    }
    let outcome = lifecycle.liability.as_ref().map(|l| l.outcome);
    match claim.status {
        ClaimStatus::LiabilityDenied => true,
        ClaimStatus::LiabilityAdmitted => matches!(
            outcome,
            Some(LiabilityOutcome::AdmittedInPart | LiabilityOutcome::AdmittedCausationDisputed)
        ),
        _ => false,
    }
}

/// Gone to court over liability, and not yet back.
fn resumable(claim: &Claim) -> bool {
    claim.status == ClaimStatus::Exited
        && claim.lifecycle.exit.as_ref().is_some_and(|e| e.reason == ExitReason::CourtLiability)
        && claim.lifecycle.court.last().is_some_and(|c| c.finding.is_none())
}

/// The routes to court the claimant may take now.
pub(in super::super) fn open_routes(claim: &Claim) -> Vec<CourtRoute> {
    use ClaimStatus as S;
    let lifecycle = &claim.lifecycle;
    let mut routes = Vec::new();
    let outcome = lifecycle.liability.as_ref().map(|l| l.outcome);
    if liability_disputed(claim) {
        routes.push(match (claim.status, outcome) {
            (S::LiabilityDenied, _) => CourtRoute::LiabilityDenied,
            _ => CourtRoute::LiabilityAdmittedInPart,
        });
    }
    if OFFER_STAGE.contains(&claim.status) {
        routes.extend([CourtRoute::Quantum, CourtRoute::VehicleCosts, CourtRoute::Uplift]);
    }
    // An interim request refused, a part payment declined, or a payment period passed unpaid.
    let interim_stage = claim.status == S::LiabilityAdmitted || OFFER_STAGE.contains(&claim.status);
    let interim_failed = lifecycle
        .interim_payments
        .iter()
        .any(|i| matches!(i.status, InterimStatus::Refused | InterimStatus::PartDeclined))
        || lifecycle
            .deadlines
            .iter()
            .any(|d| d.name == DeadlineName::InterimPayment && d.status == DeadlineStatus::Missed);
    if interim_stage && interim_failed {
        routes.push(CourtRoute::InterimPayment);
    }
    let payment_late = lifecycle
        .deadlines
        .iter()
        .any(|d| d.name == DeadlineName::SettlementPayment && d.status == DeadlineStatus::Missed);
    if claim.status == S::Settled && payment_late && !lifecycle.has_payment(PaymentKind::Settlement) {
        routes.push(CourtRoute::PaymentNotMade);
    }
    routes
}

/// The claim names a whiplash injury.
pub(in super::super) fn has_whiplash(claim: &Claim) -> bool {
    injuries(claim).any(|kind| kind == InjuryKind::Whiplash)
}

/// The claim names an injury that needs a medical report before an offer is asked for.
pub(in super::super) fn needs_medical_report(claim: &Claim) -> bool {
    injuries(claim).any(|kind| matches!(kind, InjuryKind::Whiplash | InjuryKind::MinorPsychological))
}

fn injuries(claim: &Claim) -> impl Iterator<Item = InjuryKind> + '_ {
    claim.cnf.small_claim.iter().flat_map(|s| s.injuries.iter().map(|i| i.kind))
}

/// A refusal that comes before the table: the law bars any offer on a whiplash claim before a
/// medical report exists (`422` `pre_medical_offer`), whatever the claim's status.
pub(in super::super) fn refused_by_protocol(kind: ActionKind, claim: &Claim) -> Option<ActionError> {
    let barred = kind == ActionKind::MakeOffer
        && !claim.status.is_terminal()
        && claim.status != ClaimStatus::ErasurePending
        && has_whiplash(claim)
        && claim.lifecycle.medical_reports.is_empty();
    barred.then(|| ActionError::Rule {
        code: "pre_medical_offer",
        field: None,
        message: "no offer may be made on a whiplash claim before a medical report is on the claim"
            .to_owned(),
    })
}

/// Why nobody may take an action that belongs to the claim's status (see the portal's version).
pub(in super::super) fn blocked_by_fact(kind: ActionKind, claim: &Claim) -> Option<(&'static str, String)> {
    use ActionKind as A;
    let open = !claim.status.is_terminal();
    match kind {
        A::ExitToCourt if open => Some((
            "no_court_route",
            "no route to court is open now: a denial or disputed admission, the offer stage, or an unpaid \
             settlement opens one"
                .to_owned(),
        )),
        A::ProposeRemoval if open => {
            Some(("removal_already_proposed", "a removal of this claim was already proposed".to_owned()))
        }
        A::ObjectToRemoval if open => {
            Some(("no_removal_pending", "no removal is waiting for an objection".to_owned()))
        }
        A::OfferTransfer if open => claim.lifecycle.transfer_offer.as_ref().map(|offer| {
            (
                "transfer_offer_pending",
                format!("the claim is already offered to {} (cancel that offer first)", offer.to),
            )
        }),
        A::CancelTransferOffer if open => {
            Some(("no_transfer_offer", "the claim is not offered to anybody".to_owned()))
        }
        _ => None,
    }
}
