use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};
use validator::Validate;

use super::action::{Action, ActionKind, DecideLiabilityInput};
use super::deadline::{Deadline, DeadlineName, DeadlineStatus};
use super::state::{
    Exit, ExitReason, ExitedBy, InterimStatus, LiabilityDecision, LiabilityOutcome, Lifecycle, PaymentKind,
    Rejection,
};
use super::transfer::TransferNote;
use super::{exit, interim, negotiation, transfer};
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::claim_type::ClaimType;
use crate::clock::england_date;
use crate::events::{AuditAction, EventType};
use crate::ids::OrganisationCode;
use crate::organisation::{CompensatorType, Organisation};
use crate::party::Side;
use crate::validation::FieldErrors;

/// What the hub knows beyond the claim itself.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The claim's current compensator.
    pub compensator: &'a Organisation,
}

/// Something the parties are told.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainEvent {
    /// `claim.acknowledged`, `claim.deadline_missed`, …
    pub event_type: EventType,
    /// Ids, codes, dates and the claim's status and version after the change. No personal data.
    pub data: Map<String, Value>,
    /// Also tell the parties the claim had before this change (it moved away from one of them).
    pub tell_previous_parties: bool,
    /// Also tell these organisations (the receiver of a transfer offer, who is not a party).
    pub also_tell: Vec<OrganisationCode>,
}

/// An accepted change: the claim as it now is (version one higher) and the events it raises.
#[derive(Clone, Debug)]
pub struct Transition {
    pub claim: Claim,
    pub events: Vec<DomainEvent>,
    /// What the audit trail records as the change (`claim.acknowledged`, `claim.time_passed`, …).
    pub audit_action: AuditAction,
    /// A transfer offer this change opened or closed.
    pub transfer: Option<TransferNote>,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// Nobody may take this action in the claim's status (409).
    #[error("{action} is not allowed while the claim is {status}")]
    NotAllowedInStatus { action: ActionKind, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// The action belongs to the claim's status, but a fact of the claim rules it out for
    /// everybody now (409): the code and reason say which.
    #[error("{reason}")]
    NotAllowedNow {
        action: ActionKind,
        code: &'static str,
        reason: String,
        status: ClaimStatus,
        allowed: Vec<ActionKind>,
    },
    /// The other party takes this action now (409).
    #[error("{action} is taken by the other party")]
    WrongParty { action: ActionKind, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// A fact the hub knows rules the action out now (409).
    #[error("{message}")]
    Conflict { code: &'static str, message: String, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// The request breaks a rule of the protocol (422).
    #[error("{message}")]
    Rule { code: &'static str, field: Option<&'static str>, message: String },
    /// Fields of the request are invalid (422).
    #[error("{0}")]
    Invalid(FieldErrors),
}

const STAGE1: [ClaimStatus; 2] = [ClaimStatus::Submitted, ClaimStatus::AwaitingLiabilityDecision];
/// The smallest interim payment request: £1,000.
pub(super) const INTERIM_MINIMUM_PENCE: i64 = 100_000;

const STAGE2: [ClaimStatus; 3] =
    [ClaimStatus::LiabilityAdmitted, ClaimStatus::SettlementPackSent, ClaimStatus::Negotiating];

/// Which parties may take an action in the claim's current state (empty: nobody).
fn who_may(kind: ActionKind, claim: &Claim, facts: &Facts) -> Vec<Side> {
    use ActionKind as A;
    use ClaimStatus as S;
    use InterimStatus as I;
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
        A::RequestInterimPayment => {
            (status == S::LiabilityAdmitted && !claim.child && interim.is_none(), representative)
        }
        A::RespondInterimPayment => (interim == Some(I::Requested), compensator),
        A::ExtendInterimDeadline => (
            interim == Some(I::Requested)
                && lifecycle.open_deadline(DeadlineName::InterimPayment).is_some()
                && lifecycle
                    .open_interim()
                    .is_some_and(|i| i.requested_pence.get() > INTERIM_MINIMUM_PENCE && !i.extended),
            compensator,
        ),
        A::AcceptPartialInterim | A::DeclinePartialInterim => {
            (interim == Some(I::PaidInPart), representative)
        }
        A::ConfirmInterimReceived => {
            (matches!(interim, Some(I::PaidInFull | I::PartAccepted)), representative)
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
    };
    if allowed { parties } else { Vec::new() }
}

/// Why nobody may take an action that belongs to the claim's status: the fact that rules it
/// out, as a code and a sentence. `None` when the status itself is the reason.
fn blocked_by_fact(kind: ActionKind, claim: &Claim, facts: &Facts) -> Option<(&'static str, String)> {
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

/// What `side` may do with the claim now.
pub fn allowed_actions(claim: &Claim, side: Side, facts: &Facts) -> Vec<ActionKind> {
    ActionKind::ALL.iter().copied().filter(|kind| who_may(*kind, claim, facts).contains(&side)).collect()
}

/// The lifecycle of a newly notified claim: its Stage 1 deadlines.
pub fn new_lifecycle(
    claim_type: ClaimType,
    compensator: &Organisation,
    notification_date: chrono::NaiveDate,
    calendar: &Calendar,
) -> Lifecycle {
    Lifecycle {
        deadlines: stage1_deadlines(claim_type, compensator, false, notification_date, calendar),
        ..Lifecycle::default()
    }
}

/// Business days the compensator has to decide liability (domain.md §2).
fn liability_period(claim_type: ClaimType, compensator: &Organisation, article_75: bool) -> u32 {
    match claim_type {
        ClaimType::Rta if article_75 || compensator.compensator_type == Some(CompensatorType::Mib) => 30,
        ClaimType::Rta => 15,
        ClaimType::ElAccident | ClaimType::ElDisease => 30,
        ClaimType::Pl => 40,
    }
}

fn stage1_deadlines(
    claim_type: ClaimType,
    compensator: &Organisation,
    article_75: bool,
    notified: chrono::NaiveDate,
    calendar: &Calendar,
) -> Vec<Deadline> {
    vec![
        Deadline::new(DeadlineName::Acknowledgement, Side::Compensator, notified, 1, &[3], calendar),
        Deadline::new(
            DeadlineName::LiabilityDecision,
            Side::Compensator,
            notified,
            liability_period(claim_type, compensator, article_75),
            &[5, 3],
            calendar,
        ),
    ]
}

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
    if kind == ActionKind::ExtendConsiderationPeriod && STAGE1.contains(&claim.status) {
        return Err(ActionError::Rule {
            code: "stage1_period_not_extendable",
            field: None,
            message: "the Stage 1 response period cannot be extended by anybody".to_owned(),
        });
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
    match action {
        Action::Acknowledge(input) => {
            change.acknowledge(input.compensator_reference.clone());
            change.claim.status = ClaimStatus::AwaitingLiabilityDecision;
            change.event(
                EventType::Acknowledged,
                json!({ "compensator_reference": input.compensator_reference }),
            );
        }
        Action::Reject(input) => {
            change.claim.status = ClaimStatus::Rejected;
            change.claim.lifecycle.rejection =
                Some(Rejection { reason: input.reason, comment: input.comment, rejected_at: now });
            change.close_deadlines(DeadlineStatus::Cancelled);
            change.event(EventType::Rejected, json!({ "reason": input.reason }));
        }
        Action::Reassign { to, .. } => {
            check_reassignment(facts.compensator, &to)?;
            let from = change.claim.compensator.clone();
            change.claim.compensator = to.code.clone();
            change.claim.cm_reference = None;
            change.moved_event(
                EventType::Transferred,
                json!({ "side": Side::Compensator, "from": from, "to": to.code }),
            );
        }
        Action::DecideLiability(input) => decide_liability(&mut change, input, claim.status)?,
        Action::DeclareArticle75 => {
            change.claim.lifecycle.article_75 = true;
            change.event(EventType::Article75Declared, json!({}));
            let period = liability_period(claim.claim_type, facts.compensator, true);
            change.repoint(DeadlineName::LiabilityDecision, period, calendar, "article_75");
        }
        Action::AllegeFraud(input) => {
            change.exit(ExitReason::FraudAlleged, Some(input.description), ExitedBy::Compensator);
        }
        Action::Exit(input) => {
            exit::check(claim, side, &input, &allowed, calendar, england_date(now))?;
            let by = match side {
                Side::ClaimantRepresentative => ExitedBy::ClaimantRepresentative,
                Side::Compensator => ExitedBy::Compensator,
            };
            change.exit(input.reason, input.comment, by);
        }
        Action::Withdraw(_) => {
            change.claim.status = ClaimStatus::Withdrawn;
            change.claim.lifecycle.withdrawn_at = Some(now);
            change.close_deadlines(DeadlineStatus::Cancelled);
            change.event(EventType::Withdrawn, json!({}));
        }
        Action::Resubmit { cnf, compensator } => {
            if cnf.cnf.claim.claim_type != claim.claim_type {
                return Err(ActionError::Rule {
                    code: "claim_type_changed",
                    field: Some("cnf.claim.type"),
                    message: "a resubmission keeps the claim type".to_owned(),
                });
            }
            let notified = england_date(now);
            let claim = &mut change.claim;
            claim.cr_reference = cnf.cnf.representative.case_reference.clone();
            claim.child = cnf.child;
            claim.cnf = cnf.cnf;
            claim.compensator = compensator.code.clone();
            claim.cm_reference = None;
            claim.notification_date = notified;
            claim.status = ClaimStatus::Submitted;
            claim.lifecycle = new_lifecycle(claim.claim_type, &compensator, notified, calendar);
            change.moved_event(
                EventType::Resubmitted,
                json!({ "compensator": compensator.code, "notification_date": notified }),
            );
        }
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
            let note = transfer::offer(&mut change, offer_id, &to)?;
            return Ok(Transition { transfer: Some(note), ..finish(next, events, audit_name(kind)) });
        }
        Action::CancelTransferOffer => {
            let note = transfer::cancel(&mut change);
            return Ok(Transition { transfer: note, ..finish(next, events, audit_name(kind)) });
        }
    }
    Ok(finish(next, events, audit_name(kind)))
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
    }
}

/// Stamps every event with the claim's status and version after the change.
pub(super) fn finish(claim: Claim, mut events: Vec<DomainEvent>, audit_action: AuditAction) -> Transition {
    for event in &mut events {
        event.data.insert("status".to_owned(), json!(claim.status));
        event.data.insert("version".to_owned(), json!(claim.version));
    }
    Transition { claim, events, audit_action, transfer: None }
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

pub(super) fn rule(code: &'static str, field: &'static str, message: &str) -> ActionError {
    ActionError::Rule { code, field: Some(field), message: message.to_owned() }
}

fn check_reassignment(from: &Organisation, to: &Organisation) -> Result<(), ActionError> {
    if !to.is_compensator() {
        return Err(rule("not_a_compensator", "to", "claims can only be reassigned to a compensator"));
    }
    if to.code == from.code {
        return Err(rule("same_compensator", "to", "the claim is already with this compensator"));
    }
    match (&from.group, &to.group) {
        (Some(ours), Some(theirs)) if ours == theirs => Ok(()),
        _ => Err(rule(
            "outside_group",
            "to",
            "claims can only be reassigned within the compensator's group (including its TPA)",
        )),
    }
}

/// RTA admissions whose only allegation is the seat belt stay in the protocol.
pub(super) fn keeps_claim_in_protocol(claim_type: ClaimType, liability: Option<&LiabilityDecision>) -> bool {
    liability.and_then(|l| l.contributory_negligence.as_ref()).is_some_and(|cn| cn.seat_belt_only)
        && claim_type == ClaimType::Rta
}

fn decide_liability(
    change: &mut Change,
    input: DecideLiabilityInput,
    status: ClaimStatus,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    let rta = change.claim.claim_type == ClaimType::Rta;
    let unacknowledged = status == ClaimStatus::Submitted;
    if unacknowledged && input.compensator_reference.is_none() {
        errors.add(
            "compensator_reference",
            "required",
            "is required when deciding a claim not yet acknowledged",
        );
    }
    if !unacknowledged && input.compensator_reference.is_some() {
        errors.add("compensator_reference", "not_applicable", "was given when the claim was acknowledged");
    }
    let with_negligence = input.outcome == LiabilityOutcome::AdmittedWithContributoryNegligence;
    match (&input.contributory_negligence, with_negligence) {
        (None, true) => errors.add("contributory_negligence", "required", "is required with this outcome"),
        (Some(_), false) => errors.add(
            "contributory_negligence",
            "not_applicable",
            "only with admitted_with_contributory_negligence",
        ),
        (Some(cn), true) if cn.percent.hundredths() == 0 || cn.percent.hundredths() >= 10_000 => {
            errors.add(
                "contributory_negligence.percent",
                "out_of_range",
                "must be more than 0 and less than 100",
            );
        }
        _ => {}
    }
    if input.outcome == LiabilityOutcome::NotAdmitted
        && input.reasons.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        errors.add("reasons", "required", "give the reasons liability is not admitted");
    }
    for (present, field) in [
        (input.repairs_offered.is_some(), "repairs_offered"),
        (input.replacement_vehicle_offered.is_some(), "replacement_vehicle_offered"),
    ] {
        if rta && !present {
            errors.add(field, "required", "is required for rta claims");
        }
        if !rta && present {
            errors.add(field, "not_applicable", "may only be given for rta claims");
        }
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }

    if let Some(reference) = input.compensator_reference.clone() {
        change.acknowledge(reference);
    }
    let decision = LiabilityDecision {
        outcome: input.outcome,
        contributory_negligence: input.contributory_negligence,
        reasons: input.reasons,
        compensator_contact: input.compensator_contact,
        rehabilitation_offered: input.rehabilitation_offered,
        repairs_offered: input.repairs_offered,
        replacement_vehicle_offered: input.replacement_vehicle_offered,
        claimant_date_of_birth: input.claimant_date_of_birth,
        decided_at: change.now,
    };
    let mut data = json!({ "outcome": decision.outcome });
    if let Some(cn) = &decision.contributory_negligence {
        data["contributory_negligence_percent"] = json!(cn.percent);
        data["seat_belt_only"] = json!(cn.seat_belt_only);
    }
    let stays = match decision.outcome {
        LiabilityOutcome::Admitted => None,
        LiabilityOutcome::AdmittedWithContributoryNegligence
            if keeps_claim_in_protocol(change.claim.claim_type, Some(&decision)) =>
        {
            None
        }
        LiabilityOutcome::AdmittedWithContributoryNegligence => {
            Some(ExitReason::ContributoryNegligenceAlleged)
        }
        LiabilityOutcome::NotAdmitted => Some(ExitReason::LiabilityNotAdmitted),
    };
    change.claim.lifecycle.liability = Some(decision);
    change.meet(DeadlineName::LiabilityDecision);
    change.event(EventType::LiabilityDecided, data);
    match stays {
        None => {
            change.claim.status = ClaimStatus::LiabilityAdmitted;
            // Stage 2 deadlines arrive with settlement packs; Stage 1's are done.
            change.close_deadlines(DeadlineStatus::Cancelled);
        }
        Some(reason) => change.exit(reason, None, ExitedBy::Compensator),
    }
    Ok(())
}

/// A change being built: the claim after it and the events it raises.
pub(super) struct Change<'a> {
    pub(super) claim: &'a mut Claim,
    pub(super) events: &'a mut Vec<DomainEvent>,
    pub(super) now: DateTime<Utc>,
}

impl Change<'_> {
    /// Today in England.
    pub(super) fn today(&self) -> NaiveDate {
        england_date(self.now)
    }

    /// Opens a deadline of `business_days` from today, with a reminder 3 business days before.
    pub(super) fn add_deadline(
        &mut self,
        name: DeadlineName,
        party: Side,
        business_days: u32,
        calendar: &Calendar,
    ) -> NaiveDate {
        let deadline = Deadline::new(name, party, self.today(), business_days, &[3], calendar);
        let due = deadline.due_date;
        self.claim.lifecycle.deadlines.push(deadline);
        due
    }

    pub(super) fn close_deadlines_named(&mut self, names: &[DeadlineName], status: DeadlineStatus) {
        for deadline in
            self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open() && names.contains(&d.name))
        {
            deadline.status = status;
        }
    }

    pub(super) fn event(&mut self, event_type: EventType, data: Value) {
        let data = match data {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        self.events.push(DomainEvent {
            event_type,
            data,
            tell_previous_parties: false,
            also_tell: Vec::new(),
        });
    }

    pub(super) fn moved_event(&mut self, event_type: EventType, data: Value) {
        self.event(event_type, data);
        if let Some(last) = self.events.last_mut() {
            last.tell_previous_parties = true;
        }
    }

    pub(super) fn acknowledge(&mut self, reference: String) {
        self.claim.cm_reference = Some(reference);
        self.claim.lifecycle.acknowledged_at = Some(self.now);
        self.meet(DeadlineName::Acknowledgement);
    }

    pub(super) fn meet(&mut self, name: DeadlineName) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.status = DeadlineStatus::Met;
        }
    }

    pub(super) fn close_deadlines(&mut self, status: DeadlineStatus) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            deadline.status = status;
        }
    }

    pub(super) fn exit(&mut self, reason: ExitReason, comment: Option<String>, by: ExitedBy) {
        self.claim.status = ClaimStatus::Exited;
        self.claim.lifecycle.exit = Some(Exit { reason, comment, by, exited_at: self.now });
        self.close_deadlines(DeadlineStatus::Cancelled);
        self.event(EventType::Exited, json!({ "reason": reason, "by": by }));
    }

    /// Gives an open deadline a new length and reports the move.
    pub(super) fn repoint(
        &mut self,
        name: DeadlineName,
        business_days: u32,
        calendar: &Calendar,
        cause: &str,
    ) {
        let mut moved = Vec::new();
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.business_days = business_days;
            if let Some(previous) = deadline.reschedule(calendar) {
                moved.push((previous, deadline.due_date, deadline.due_at));
            }
        }
        for (from, to, due_at) in moved {
            self.event(
                EventType::DeadlineChanged,
                json!({ "deadline": name, "from": from, "to": to, "due_at": due_at, "cause": cause }),
            );
        }
    }
}

/// What a passed deadline does to the claim.
enum Consequence {
    Exit(ExitReason),
    NoAgreement,
}

/// What time has brought by `now`: reminders, missed deadlines and their consequences, as one
/// change by the system. `None` when nothing is due.
pub fn advance_time(claim: &Claim, now: DateTime<Utc>) -> Option<Transition> {
    let status = claim.status;
    if claim.lifecycle.next_due_at().is_none_or(|due| due > now) {
        return None;
    }
    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    let mut events = Vec::new();
    let mut consequence = None;
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let mut notices = Vec::new();
        for deadline in change.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            for reminder in deadline.reminders.iter_mut().filter(|r| !r.sent && r.at <= now) {
                reminder.sent = true;
                if deadline.due_at > now {
                    notices.push((
                        EventType::DeadlineApproaching,
                        json!({
                            "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date,
                            "due_at": deadline.due_at, "business_days_left": reminder.business_days_before,
                        }),
                    ));
                }
            }
            if deadline.due_at <= now {
                deadline.status = DeadlineStatus::Missed;
                notices.push((
                    EventType::DeadlineMissed,
                    json!({ "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date, "due_at": deadline.due_at }),
                ));
                consequence = consequence.or(match deadline.name {
                    DeadlineName::LiabilityDecision => {
                        Some(Consequence::Exit(ExitReason::LiabilityResponseLate))
                    }
                    DeadlineName::InitialConsideration if status == ClaimStatus::SettlementPackSent => {
                        Some(Consequence::Exit(ExitReason::SettlementPackResponseLate))
                    }
                    DeadlineName::TotalConsideration | DeadlineName::FurtherConsideration
                        if status == ClaimStatus::Negotiating =>
                    {
                        Some(Consequence::NoAgreement)
                    }
                    _ => None,
                });
            }
        }
        for (event_type, data) in notices {
            change.event(event_type, data);
        }
        match consequence {
            Some(Consequence::Exit(reason)) => change.exit(reason, None, ExitedBy::System),
            Some(Consequence::NoAgreement) => {
                change.claim.status = ClaimStatus::NoAgreement;
                change.close_deadlines_named(
                    &[
                        DeadlineName::InitialConsideration,
                        DeadlineName::TotalConsideration,
                        DeadlineName::FurtherConsideration,
                    ],
                    DeadlineStatus::Cancelled,
                );
                change.event(EventType::NoAgreement, json!({}));
            }
            None => {}
        }
    }
    Some(finish(next, events, AuditAction::TimePassed))
}

/// Recounts every open deadline on `calendar`; `None` when no due date moved.
pub fn recompute_deadlines(claim: &Claim, calendar: &Calendar, now: DateTime<Utc>) -> Option<Transition> {
    let mut next = claim.clone();
    let mut events = Vec::new();
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let names: Vec<_> = change
            .claim
            .lifecycle
            .deadlines
            .iter()
            .filter(|d| d.is_open())
            .map(|d| (d.name, d.business_days))
            .collect();
        for (name, days) in names {
            change.repoint(name, days, calendar, "calendar");
        }
    }
    if events.is_empty() {
        return None;
    }
    next.version += 1;
    next.updated_at = now;
    Some(finish(next, events, AuditAction::DeadlinesRecomputed))
}

/// The organisations a transition's events go to.
pub fn recipients(before: &Claim, after: &Claim, event: &DomainEvent) -> Vec<OrganisationCode> {
    let mut codes = vec![after.claimant_representative.clone(), after.compensator.clone()];
    let previous = [&before.claimant_representative, &before.compensator];
    let previous = previous.into_iter().filter(|_| event.tell_previous_parties);
    for code in previous.chain(event.also_tell.iter()) {
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    codes
}
