//! The dispatcher: checks an action against the permission table and hands it to the stage that
//! carries it out. Nothing imports this module but the lifecycle's public face.

use chrono::{DateTime, Utc};
use validator::Validate;

use super::action::{Action, ActionKind};
use super::change::TransferNote;
use super::change::{ActionError, Change, Facts, Transition, finish};
use super::permissions::{allowed_actions, blocked_by_fact, refused_by_protocol, who_may};
use super::state::InterimStatus;
use super::{erasure, exit, interim, negotiation, small_claims, stage1, transfer};
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_type::Track;
use crate::clock::england_date;
use crate::events::AuditAction;
use crate::party::Side;
use crate::validation::FieldErrors;

/// Applies an action of `side` to the claim.
pub fn apply(
    claim: &Claim,
    side: Side,
    action: Action,
    facts: &Facts,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<Transition, ActionError> {
    let kind = action.kind();
    validate_input(&action)?;
    if let Some(refusal) = refused_by_protocol(kind, claim) {
        return Err(refusal);
    }
    let parties = who_may(kind, claim, facts);
    let allowed = allowed_actions(claim, side, facts);
    if parties.is_empty() {
        if let Some((code, reason)) = blocked_by_fact(kind, claim, facts) {
            return Err(ActionError::NotAllowedNow {
                action: kind,
                code,
                reason,
                status: claim.status,
                allowed,
            });
        }
        return Err(ActionError::NotAllowedInStatus { action: kind, status: claim.status, allowed });
    }
    if !parties.contains(&side) {
        return Err(ActionError::WrongParty { action: kind, status: claim.status, allowed });
    }

    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    let mut events = Vec::new();
    let mut change = Change { claim: &mut next, events: &mut events, now };
    let mut transfer_note = None;
    // Erasure requests, the same on both tracks.
    match action {
        Action::RequestErasure(input) => {
            erasure::request(&mut change, side, input);
            return Ok(finish(next, events, audit_name(kind)));
        }
        Action::CancelErasure => {
            erasure::cancel(&mut change, side, &allowed)?;
            return Ok(finish(next, events, audit_name(kind)));
        }
        _ => {}
    }
    if claim.claim_type.track() == Track::SmallClaims {
        match small_claim_step(&mut change, side, action, facts, calendar) {
            Step::Done => {}
            Step::Failed(error) => return Err(error),
            Step::Transfer(note) => transfer_note = note,
        }
        // A party acted: the claim is no longer dormant, and its 30 quiet days start again.
        next.lifecycle.dormant_since = None;
        next.lifecycle.dormant_at =
            (!next.status.is_terminal()).then(|| small_claims::periods::dormancy_instant(england_date(now)));
        return Ok(Transition { transfer: transfer_note, ..finish(next, events, audit_name(kind)) });
    }
    match action {
        Action::Acknowledge(input) => stage1::acknowledge(&mut change, input),
        Action::Reject(input) => stage1::reject(&mut change, input),
        Action::Reassign { to, .. } => stage1::reassign(&mut change, facts.compensator, &to, true)?,
        Action::DecideLiability(input) => stage1::decide_liability(&mut change, input, claim.status)?,
        Action::DeclareArticle75 => stage1::declare_article_75(&mut change, facts.compensator, calendar),
        Action::Resubmit { cnf, compensator } => stage1::resubmit(&mut change, *cnf, &compensator, calendar)?,
        Action::AllegeFraud(input) => exit::allege_fraud(&mut change, input),
        Action::Exit(input) => {
            exit::check(claim, side, &input, &allowed, calendar, england_date(now))?;
            exit::exit(&mut change, side, input);
        }
        Action::Withdraw(_) => exit::withdraw(&mut change),
        Action::ExtendConsiderationPeriod(input) => negotiation::extend(&mut change, side, input, calendar)?,
        Action::RequestInterimPayment(input) => interim::request(&mut change, input, calendar)?,
        Action::RespondInterimPayment(input) => interim::respond(&mut change, input)?,
        Action::ExtendInterimDeadline => interim::extend(&mut change, calendar),
        Action::AcceptPartialInterim => interim::close(&mut change, InterimStatus::PartAccepted),
        Action::DeclinePartialInterim(_) => interim::close(&mut change, InterimStatus::PartDeclined),
        Action::ConfirmInterimReceived => interim::close(&mut change, InterimStatus::Received),
        Action::SendSettlementPack(input) => negotiation::send_pack(&mut change, input, calendar)?,
        Action::RespondSettlementPack(input) => negotiation::respond_to_pack(&mut change, input, calendar)?,
        Action::CounterOffer(input) => negotiation::counter_offer(&mut change, side, input, calendar)?,
        Action::AcceptOffer => negotiation::accept_offer(&mut change, calendar)?,
        Action::RecordPayment(input) => negotiation::record_payment(&mut change, side, input, &allowed)?,
        Action::ConfirmSettlementReceived => negotiation::confirm_settlement_received(&mut change),
        Action::SendCourtPack(input) => negotiation::send_court_pack(&mut change, input, calendar)?,
        Action::RespondCourtPack(input) => negotiation::respond_to_court_pack(&mut change, input)?,
        Action::OfferTransfer { offer_id, to } => {
            transfer_note = Some(transfer::offer(&mut change, offer_id, &to)?)
        }
        Action::CancelTransferOffer => transfer_note = transfer::cancel(&mut change),
        // Only small claims get here with these (the portal table allows none of them).
        Action::AcceptLiabilityDecision
        | Action::ExitToCourt(_)
        | Action::ResumeAfterCourt(_)
        | Action::AddMedicalReport(_)
        | Action::SetLosses(_)
        | Action::RequestOffer
        | Action::MakeOffer(_)
        | Action::ProposeRemoval(_)
        | Action::ObjectToRemoval
        | Action::RequestErasure(_)
        | Action::CancelErasure => {}
    }
    Ok(Transition { transfer: transfer_note, ..finish(next, events, audit_name(kind)) })
}

/// What a small-claims step came to.
enum Step {
    Done,
    Failed(ActionError),
    Transfer(Option<TransferNote>),
}

/// Hands an action the small-claims table allowed to its step. Withdrawal and transfer offers
/// are the portal's own steps, shared.
fn small_claim_step(
    change: &mut Change,
    side: Side,
    action: Action,
    facts: &Facts,
    calendar: &Calendar,
) -> Step {
    use small_claims::{liability, offers};
    let periods = &facts.small_claims.periods(change.claim.notification_date);
    let result = match action {
        Action::DecideLiability(input) => liability::decide(change, input),
        // Any compensator, not only the group's: the wrong insurer is often named.
        Action::Reassign { to, .. } => stage1::reassign(change, facts.compensator, &to, false),
        Action::AcceptLiabilityDecision => {
            liability::accept_decision(change);
            Ok(())
        }
        Action::ExitToCourt(input) => liability::exit_to_court(change, input),
        Action::ResumeAfterCourt(input) => liability::resume_after_court(change, input),
        Action::AddMedicalReport(input) => offers::add_medical_report(change, input),
        Action::SetLosses(input) => offers::set_losses(change, input),
        Action::RequestOffer => offers::request_offer(change, calendar, periods),
        Action::MakeOffer(input) => offers::make_offer(change, input, calendar, periods),
        Action::CounterOffer(input) => offers::counter_offer(change, input, calendar, periods),
        Action::AcceptOffer => offers::accept_offer(change, calendar, periods),
        Action::RecordPayment(input) => offers::record_payment(change, input),
        Action::ConfirmSettlementReceived => {
            offers::confirm_received(change);
            Ok(())
        }
        Action::ProposeRemoval(input) => {
            offers::propose_removal(change, input, calendar, periods);
            Ok(())
        }
        Action::ObjectToRemoval => {
            offers::object_to_removal(change);
            Ok(())
        }
        Action::Withdraw(_) => {
            exit::withdraw(change);
            Ok(())
        }
        // Interim payments as on the portal track, once a medical report is on the claim.
        Action::RequestInterimPayment(_) if change.claim.lifecycle.medical_reports.is_empty() => {
            Err(ActionError::Rule {
                code: "medical_report_required",
                field: None,
                message: "an interim payment request on a small claim needs a medical report on the claim"
                    .to_owned(),
            })
        }
        Action::RequestInterimPayment(input) => interim::request(change, input, calendar),
        Action::RespondInterimPayment(input) => interim::respond(change, input),
        Action::ExtendInterimDeadline => {
            interim::extend(change, calendar);
            Ok(())
        }
        Action::AcceptPartialInterim => {
            interim::close(change, InterimStatus::PartAccepted);
            Ok(())
        }
        Action::DeclinePartialInterim(_) => {
            interim::close(change, InterimStatus::PartDeclined);
            Ok(())
        }
        Action::ConfirmInterimReceived => {
            interim::close(change, InterimStatus::Received);
            Ok(())
        }
        Action::OfferTransfer { offer_id, to } => {
            return match transfer::offer(change, offer_id, &to) {
                Ok(note) => Step::Transfer(Some(note)),
                Err(error) => Step::Failed(error),
            };
        }
        Action::CancelTransferOffer => return Step::Transfer(transfer::cancel(change)),
        other => Err(ActionError::NotAllowedInStatus {
            action: other.kind(),
            status: change.claim.status,
            allowed: allowed_actions(change.claim, side, facts),
        }),
    };
    match result {
        Ok(()) => Step::Done,
        Err(error) => Step::Failed(error),
    }
}

fn audit_name(kind: ActionKind) -> AuditAction {
    match kind {
        ActionKind::Acknowledge => AuditAction::Acknowledged,
        ActionKind::Reject => AuditAction::Rejected,
        ActionKind::Resubmit => AuditAction::Resubmitted,
        ActionKind::Reassign => AuditAction::Reassigned,
        ActionKind::DecideLiability => AuditAction::LiabilityDecided,
        ActionKind::DeclareArticle75 => AuditAction::Article75Declared,
        ActionKind::AllegeFraud => AuditAction::FraudAlleged,
        ActionKind::Exit => AuditAction::Exited,
        ActionKind::Withdraw => AuditAction::Withdrawn,
        ActionKind::ExtendConsiderationPeriod => AuditAction::ConsiderationPeriodExtended,
        ActionKind::RequestInterimPayment => AuditAction::InterimPaymentRequested,
        ActionKind::RespondInterimPayment => AuditAction::InterimPaymentResponded,
        ActionKind::ExtendInterimDeadline => AuditAction::InterimDeadlineExtended,
        ActionKind::AcceptPartialInterim => AuditAction::InterimPaymentAccepted,
        ActionKind::DeclinePartialInterim => AuditAction::InterimPaymentDeclined,
        ActionKind::ConfirmInterimReceived => AuditAction::InterimPaymentReceived,
        ActionKind::SendSettlementPack => AuditAction::SettlementPackSent,
        ActionKind::RespondSettlementPack => AuditAction::SettlementPackAnswered,
        ActionKind::CounterOffer => AuditAction::OfferMade,
        ActionKind::AcceptOffer => AuditAction::OfferAccepted,
        ActionKind::RecordPayment => AuditAction::PaymentRecorded,
        ActionKind::ConfirmSettlementReceived => AuditAction::SettlementReceived,
        ActionKind::SendCourtPack => AuditAction::CourtPackSent,
        ActionKind::RespondCourtPack => AuditAction::CourtPackAnswered,
        ActionKind::OfferTransfer => AuditAction::TransferOffered,
        ActionKind::CancelTransferOffer => AuditAction::TransferOfferCancelled,
        ActionKind::AcceptLiabilityDecision => AuditAction::LiabilityDecisionAccepted,
        ActionKind::ExitToCourt => AuditAction::Exited,
        ActionKind::ResumeAfterCourt => AuditAction::ResumedAfterCourt,
        ActionKind::AddMedicalReport => AuditAction::MedicalReportAdded,
        ActionKind::SetLosses => AuditAction::LossesSet,
        ActionKind::RequestOffer => AuditAction::OfferRequested,
        ActionKind::MakeOffer => AuditAction::OfferMade,
        ActionKind::ProposeRemoval => AuditAction::RemovalProposed,
        ActionKind::ObjectToRemoval => AuditAction::RemovalObjected,
        ActionKind::RequestErasure => AuditAction::ErasureRequested,
        ActionKind::CancelErasure => AuditAction::ErasureCancelled,
    }
}

fn validate_input(action: &Action) -> Result<(), ActionError> {
    let result = match action {
        Action::Acknowledge(input) => input.validate(),
        Action::Reject(input) => input.validate(),
        Action::DecideLiability(input) => input.validate(),
        Action::AllegeFraud(input) => input.validate(),
        Action::Exit(input) => input.validate(),
        Action::Withdraw(input) => input.validate(),
        Action::ExtendConsiderationPeriod(input) => input.validate(),
        Action::RequestInterimPayment(input) => input.validate(),
        Action::RespondInterimPayment(input) => input.validate(),
        Action::DeclinePartialInterim(input) => input.validate(),
        Action::SendSettlementPack(input) => input.validate(),
        Action::RespondSettlementPack(input) => input.validate(),
        Action::CounterOffer(input) => input.validate(),
        Action::RecordPayment(input) => input.validate(),
        Action::SendCourtPack(input) => input.validate(),
        Action::RespondCourtPack(input) => input.validate(),
        Action::ExitToCourt(input) => input.validate(),
        Action::ResumeAfterCourt(input) => input.validate(),
        Action::AddMedicalReport(input) => input.validate(),
        Action::SetLosses(input) => input.validate(),
        Action::MakeOffer(input) => input.validate(),
        Action::ProposeRemoval(input) => input.validate(),
        Action::RequestErasure(input) => input.validate(),
        Action::AcceptLiabilityDecision
        | Action::RequestOffer
        | Action::ObjectToRemoval
        | Action::CancelErasure => Ok(()),
        Action::Resubmit { .. }
        | Action::Reassign { .. }
        | Action::DeclareArticle75
        | Action::ExtendInterimDeadline
        | Action::AcceptPartialInterim
        | Action::ConfirmInterimReceived
        | Action::AcceptOffer
        | Action::ConfirmSettlementReceived
        | Action::OfferTransfer { .. }
        | Action::CancelTransferOffer => Ok(()),
    };
    result.map_err(|found| {
        let mut errors = FieldErrors::new();
        errors.add_validator_errors("", &found);
        ActionError::Invalid(errors)
    })
}
