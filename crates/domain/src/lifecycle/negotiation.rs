//! Stage 2 negotiation and Stage 3: the settlement pack, offers, consideration periods,
//! settlement, payments and the court proceedings pack.

use serde_json::json;

use super::action::{
    ActionKind, CounterOfferInput, ExtendConsiderationPeriodInput, RecordPaymentInput, RespondCourtPackInput,
    RespondSettlementPackInput, SendCourtPackInput, SendSettlementPackInput,
};
use super::change::{ActionError, Change, rule};
use super::deadline::{DeadlineName, DeadlineStatus, Extension};
use super::permissions::payment_expected;
use super::state::{
    CourtPack, CourtPackResponse, ExitReason, ExitedBy, Offer, Outcome, PackResponse, Payment, PaymentKind,
    Settlement, SettlementPack,
};
use crate::calendar::Calendar;
use crate::claim_status::ClaimStatus;
use crate::events::EventType;
use crate::fixed_costs::fixed_costs;
use crate::losses::{LossLineInput, LossTable, value_table};
use crate::money::Pence;
use crate::party::Side;
use crate::settlement::{SettlementFacts, sums};
use crate::validation::FieldErrors;

/// Business days of the consideration periods, counted from the settlement pack, and of the
/// further period after a late offer.
const INITIAL_CONSIDERATION: u32 = 15;
const TOTAL_CONSIDERATION: u32 = 35;
const FURTHER_CONSIDERATION: u32 = 5;
/// An offer in this many last business days of the total period is late.
const LATE_OFFER_WINDOW: u32 = 5;
/// Business days to pay Stage 1 costs (after the pack) and the settlement (after agreement).
const STAGE1_COSTS_PERIOD: u32 = 10;
const SETTLEMENT_PAYMENT_PERIOD: u32 = 10;
/// Business days after the court pack for the compensator's comments, and for its payment.
const COURT_PACK_COMMENTS: u32 = 5;
const COURT_PACK_PAYMENT: u32 = 15;

fn value_losses(change: &Change, lines: &[LossLineInput]) -> Result<LossTable, ActionError> {
    let accident_date = change.claim.cnf.accident.as_ref().map(|a| a.date);
    value_table(lines, accident_date, change.claim.lifecycle.interim_paid(), "losses")
        .map_err(ActionError::Invalid)
}

pub(super) fn send_pack(
    change: &mut Change,
    input: SendSettlementPackInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    if !input.statement_of_truth {
        errors.add("statement_of_truth", "must_be_true", "the statement of truth must be confirmed");
    }
    for (index, reference) in input.medical_report_references.iter().enumerate() {
        if reference.trim().is_empty() || reference.chars().count() > 100 {
            errors.add(
                format!("medical_report_references[{index}]"),
                "invalid_length",
                "must be 1 to 100 characters",
            );
        }
    }
    let losses = match value_losses(change, &input.losses) {
        Ok(losses) => Some(losses),
        Err(ActionError::Invalid(found)) => {
            for error in found.iter() {
                errors.add(error.field.clone(), &error.code, error.message.clone());
            }
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(losses), true) = (losses, errors.is_empty()) else {
        return Err(ActionError::Invalid(errors));
    };
    let now = change.now;
    let gross = losses.totals.after_deductions_pence;
    change.claim.lifecycle.settlement_pack = Some(SettlementPack {
        sent_at: now,
        medical_report_references: input.medical_report_references,
        london_weighting: input.london_weighting,
    });
    change.claim.lifecycle.offers.push(Offer {
        number: 1,
        by: Side::ClaimantRepresentative,
        made_at: now,
        losses,
        gross_pence: gross,
        cru_deduction_pence: Pence::ZERO,
        disbursements_pence: Pence::new(input.disbursements_pence),
        late: false,
        disputed_prognosis_months: None,
    });
    change.claim.status = ClaimStatus::SettlementPackSent;
    let initial = change.add_deadline(
        DeadlineName::InitialConsideration,
        Side::Compensator,
        INITIAL_CONSIDERATION,
        calendar,
    );
    let total = change.add_deadline(
        DeadlineName::TotalConsideration,
        Side::Compensator,
        TOTAL_CONSIDERATION,
        calendar,
    );
    let costs_due = if change.claim.child {
        None
    } else {
        Some(change.add_deadline(DeadlineName::Stage1Costs, Side::Compensator, STAGE1_COSTS_PERIOD, calendar))
    };
    change.event(
        EventType::SettlementPackSent,
        json!({
            "offer": 1, "gross_pence": gross, "initial_consideration_due": initial,
            "total_consideration_due": total, "stage1_costs_due": costs_due,
        }),
    );
    Ok(())
}

pub(super) fn respond_to_pack(
    change: &mut Change,
    input: RespondSettlementPackInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    let counter = input.response == PackResponse::CounterOffer;
    let withdraw = input.response == PackResponse::WithdrawAdmission;
    match (&input.counter_offer, counter) {
        (None, true) => errors.add("counter_offer", "required", "is required with counter_offer"),
        (Some(_), false) => errors.add("counter_offer", "not_applicable", "only with counter_offer"),
        _ => {}
    }
    match (&input.reasons, withdraw) {
        (None, true) => errors.add("reasons", "required", "give the reasons the admission is withdrawn"),
        (Some(_), false) => errors.add("reasons", "not_applicable", "only with withdraw_admission"),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    change.meet(DeadlineName::InitialConsideration);
    match (input.response, input.counter_offer) {
        (PackResponse::Accept, _) => settle(change, calendar),
        (PackResponse::CounterOffer, Some(offer)) => {
            change.claim.status = ClaimStatus::Negotiating;
            make_offer(change, Side::Compensator, offer, calendar)
        }
        _ => {
            change.exit(ExitReason::LiabilityAdmissionWithdrawn, input.reasons, ExitedBy::Compensator);
            Ok(())
        }
    }
}

pub(super) fn counter_offer(
    change: &mut Change,
    side: Side,
    input: CounterOfferInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    make_offer(change, side, input, calendar)
}

pub(super) fn accept_offer(change: &mut Change, calendar: &Calendar) -> Result<(), ActionError> {
    settle(change, calendar)
}

/// Records an offer of `by`. An offer in the last 5 business days of the total consideration
/// period opens the further period of 5 business days after it, during which only acceptance is
/// possible.
fn make_offer(
    change: &mut Change,
    by: Side,
    input: CounterOfferInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    if by == Side::ClaimantRepresentative && input.cru_deduction_pence.is_some() {
        return Err(rule(
            "not_applicable",
            "cru_deduction_pence",
            "only the compensator states the CRU deduction",
        ));
    }
    let losses = value_losses(change, &input.losses)?;
    let today = change.today();
    let number = u32::try_from(change.claim.lifecycle.offers.len()).unwrap_or(u32::MAX).saturating_add(1);
    let total = change.claim.lifecycle.open_deadline(DeadlineName::TotalConsideration).map(|d| d.due_date);
    let late = total
        .is_some_and(|due| today > calendar.subtract_business_days(due, LATE_OFFER_WINDOW) && today <= due);
    change.claim.lifecycle.offers.push(Offer {
        number,
        by,
        made_at: change.now,
        losses,
        gross_pence: Pence::new(input.gross_pence),
        cru_deduction_pence: Pence::new(input.cru_deduction_pence.unwrap_or(0)),
        disbursements_pence: Pence::new(input.disbursements_pence.unwrap_or(0)),
        late,
        disputed_prognosis_months: None,
    });
    let mut further_due = None;
    if let (true, Some(total_due)) = (late, total) {
        change.close_deadlines_named(&[DeadlineName::TotalConsideration], DeadlineStatus::Met);
        let further = super::deadline::Deadline::new(
            DeadlineName::FurtherConsideration,
            by.other(),
            total_due,
            FURTHER_CONSIDERATION,
            &[3],
            calendar,
        );
        further_due = Some(further.due_date);
        change.claim.lifecycle.deadlines.push(further);
    } else {
        // It is now the other side's turn to answer within the total period.
        for deadline in change.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            if deadline.name == DeadlineName::TotalConsideration {
                deadline.party = by.other();
            }
        }
    }
    change.event(
        EventType::OfferMade,
        json!({
            "offer": number, "by": by, "gross_pence": input.gross_pence, "late": late,
            "further_consideration_due": further_due,
        }),
    );
    Ok(())
}

/// Agreement on the current offer: the sums owed, the payment deadline (adults) or the court's
/// approval (children).
fn settle(change: &mut Change, calendar: &Calendar) -> Result<(), ActionError> {
    let lifecycle = &change.claim.lifecycle;
    let Some(offer) = lifecycle.current_offer().cloned() else {
        return Err(rule("no_offer", "offer", "there is no offer to accept"));
    };
    let cru = if offer.by == Side::Compensator {
        offer.cru_deduction_pence
    } else {
        lifecycle
            .offers
            .iter()
            .rev()
            .find(|o| o.by == Side::Compensator)
            .map_or(Pence::ZERO, |o| o.cru_deduction_pence)
    };
    let london = lifecycle.settlement_pack.as_ref().is_some_and(|p| p.london_weighting);
    let claim = &change.claim;
    let Some(costs) =
        fixed_costs(claim.claim_type, claim.cnf.claim.value_band, london, claim.notification_date)
    else {
        return Err(rule("costs_unavailable", "offer", "no fixed costs apply to a claim notified then"));
    };
    let owed = sums(
        SettlementFacts {
            agreed_gross: offer.gross_pence,
            interim_payments: lifecycle.interim_paid(),
            cru_deduction: cru,
            disbursements: offer.disbursements_pence,
            stage1_costs_paid: lifecycle.has_payment(PaymentKind::Stage1Costs),
            child: claim.child,
        },
        &costs,
    );
    let child = claim.child;
    change.close_deadlines_named(
        &[
            DeadlineName::InitialConsideration,
            DeadlineName::TotalConsideration,
            DeadlineName::FurtherConsideration,
        ],
        DeadlineStatus::Met,
    );
    let payment_due = if child {
        None
    } else {
        Some(change.add_deadline(
            DeadlineName::SettlementPayment,
            Side::Compensator,
            SETTLEMENT_PAYMENT_PERIOD,
            calendar,
        ))
    };
    change.claim.lifecycle.settlement = Some(Settlement {
        agreed_at: change.now,
        offer_number: offer.number,
        sums: owed,
        requires_court_approval: child,
        payment_due_date: payment_due,
    });
    change.claim.status = ClaimStatus::Settled;
    change.event(
        EventType::Settled,
        json!({
            "offer": offer.number, "agreed_gross_pence": owed.agreed_gross_pence, "total_owed_pence": owed.total_pence,
            "requires_court_approval": child, "payment_due_date": payment_due,
        }),
    );
    Ok(())
}

/// An agreed extension. While the pack awaits its answer it moves the initial consideration end,
/// and the total end with it, so that the negotiation keeps its 20 business days after the
/// initial end; during the negotiation it moves the total end. The new end must be a business
/// day after the current end, and the period must still be running.
pub(super) fn extend(
    change: &mut Change,
    side: Side,
    input: ExtendConsiderationPeriodInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    let pack_stage = change.claim.status == ClaimStatus::SettlementPackSent;
    let name = if pack_stage { DeadlineName::InitialConsideration } else { DeadlineName::TotalConsideration };
    let now = change.now;
    let Some(deadline) = change.claim.lifecycle.deadlines.iter_mut().find(|d| d.name == name && d.is_open())
    else {
        return Err(rule("no_open_period", "to", "there is no running consideration period to extend"));
    };
    if deadline.due_at <= now {
        return Err(rule("period_ended", "to", &format!("the {name} period ended on {}", deadline.due_date)));
    }
    if input.to <= deadline.due_date {
        return Err(rule(
            "not_later",
            "to",
            &format!("must be after the {name} period's current end, {}", deadline.due_date),
        ));
    }
    if !calendar.is_business_day(input.to) {
        return Err(rule(
            "not_a_business_day",
            "to",
            "must be a business day (not a weekend or bank holiday)",
        ));
    }
    let extension = Extension {
        from: deadline.due_date,
        to: input.to,
        recorded_by: side,
        agreed_with: input.agreed_with,
        recorded_at: now,
    };
    let previous = deadline.due_date;
    deadline.extend(extension, calendar);
    deadline.rearm_reminders(now);
    let due_at = deadline.due_at;
    change.event(
        EventType::DeadlineChanged,
        json!({ "deadline": name, "from": previous, "to": input.to, "due_at": due_at, "cause": "agreement", "recorded_by": side }),
    );
    if pack_stage {
        keep_negotiation_period(change, input.to, side, calendar);
    }
    Ok(())
}

/// After the initial consideration end moved to `initial_end`, the total end becomes the
/// negotiation period's business days after it (and follows the calendar from there).
fn keep_negotiation_period(
    change: &mut Change,
    initial_end: chrono::NaiveDate,
    side: Side,
    calendar: &Calendar,
) {
    let now = change.now;
    let negotiation = TOTAL_CONSIDERATION - INITIAL_CONSIDERATION;
    let Some(total) = change
        .claim
        .lifecycle
        .deadlines
        .iter_mut()
        .find(|d| d.name == DeadlineName::TotalConsideration && d.is_open())
    else {
        return;
    };
    if total.due_date >= calendar.add_business_days(initial_end, negotiation) {
        return;
    }
    let previous = total.due_date;
    total.anchor = initial_end;
    total.business_days = negotiation;
    total.reschedule(calendar);
    total.rearm_reminders(now);
    let (to, due_at) = (total.due_date, total.due_at);
    change.event(
        EventType::DeadlineChanged,
        json!({
            "deadline": DeadlineName::TotalConsideration, "from": previous, "to": to, "due_at": due_at,
            "cause": "agreement", "recorded_by": side,
        }),
    );
}

pub(super) fn record_payment(
    change: &mut Change,
    side: Side,
    input: RecordPaymentInput,
    allowed: &[ActionKind],
) -> Result<(), ActionError> {
    if input.paid_on > change.today() {
        let mut errors = FieldErrors::new();
        errors.add("paid_on", "date_in_future", "must not be in the future");
        return Err(ActionError::Invalid(errors));
    }
    let claim = &change.claim;
    let expected = payment_expected(claim, input.kind);
    let deadline = match input.kind {
        PaymentKind::Stage1Costs => DeadlineName::Stage1Costs,
        PaymentKind::Settlement => DeadlineName::SettlementPayment,
    };
    if !expected {
        return Err(ActionError::Conflict {
            code: "payment_not_expected",
            message: format!("no {} payment is due now", input.kind),
            status: claim.status,
            allowed: allowed.to_vec(),
        });
    }
    change.claim.lifecycle.payments.push(Payment {
        kind: input.kind,
        amount_pence: Pence::new(input.amount_pence),
        paid_on: input.paid_on,
        recorded_by: side,
        recorded_at: change.now,
    });
    // Paid late or on time, the deadline no longer waits.
    for d in change.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == deadline && d.is_open()) {
        d.status = DeadlineStatus::Met;
    }
    change.event(
        EventType::PaymentRecorded,
        json!({ "kind": input.kind, "amount_pence": input.amount_pence, "paid_on": input.paid_on, "by": side }),
    );
    Ok(())
}

pub(super) fn confirm_settlement_received(change: &mut Change) {
    change.claim.status = ClaimStatus::Closed;
    change.claim.lifecycle.outcome = Some(Outcome::Settled);
    // The settlement paid everything still owed, Stage 1 costs included.
    change.close_deadlines(DeadlineStatus::Met);
    change.event(EventType::Closed, json!({ "outcome": Outcome::Settled }));
}

pub(super) fn send_court_pack(
    change: &mut Change,
    input: SendCourtPackInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    let mut seen = Vec::new();
    for (list, heads) in [("agreed_heads", &input.agreed_heads), ("disputed_heads", &input.disputed_heads)] {
        for (index, head) in heads.iter().enumerate() {
            if seen.contains(head) {
                errors.add(
                    format!("{list}[{index}]"),
                    "duplicate_head",
                    "each head appears once, agreed or disputed",
                );
            }
            seen.push(*head);
        }
    }
    if seen.is_empty() {
        errors.add("disputed_heads", "required", "list the heads of loss, agreed and disputed");
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    let final_offer =
        |by: Side| change.claim.lifecycle.offers.iter().rev().find(|o| o.by == by).map(|o| o.gross_pence);
    let pack = CourtPack {
        sent_at: change.now,
        claimant_final_offer_pence: final_offer(Side::ClaimantRepresentative),
        compensator_final_offer_pence: final_offer(Side::Compensator),
        agreed_heads: input.agreed_heads,
        disputed_heads: input.disputed_heads,
        disbursements_pence: Pence::new(input.disbursements_pence),
        response: None,
    };
    change.claim.lifecycle.court_pack = Some(pack);
    change.claim.status = ClaimStatus::CourtPackSent;
    let comments = change.add_deadline(
        DeadlineName::CourtPackComments,
        Side::Compensator,
        COURT_PACK_COMMENTS,
        calendar,
    );
    let payment =
        change.add_deadline(DeadlineName::CourtPackPayment, Side::Compensator, COURT_PACK_PAYMENT, calendar);
    change.event(EventType::CourtPackSent, json!({ "comments_due": comments, "payment_due": payment }));
    Ok(())
}

pub(super) fn respond_to_court_pack(
    change: &mut Change,
    input: RespondCourtPackInput,
) -> Result<(), ActionError> {
    if !input.final_offer_paid {
        return Err(rule(
            "must_be_true",
            "final_offer_paid",
            "confirm the final offer and unpaid fixed costs were paid",
        ));
    }
    if let Some(pack) = change.claim.lifecycle.court_pack.as_mut() {
        pack.response = Some(CourtPackResponse {
            comments: input.comments,
            final_offer_paid: true,
            responded_at: change.now,
        });
    }
    change.close_deadlines_named(
        &[DeadlineName::CourtPackComments, DeadlineName::CourtPackPayment],
        DeadlineStatus::Met,
    );
    change.close_deadlines(DeadlineStatus::Cancelled);
    change.claim.status = ClaimStatus::Closed;
    change.claim.lifecycle.outcome = Some(Outcome::CourtProceedings);
    change.event(EventType::CourtPackAnswered, json!({}));
    change.event(EventType::Closed, json!({ "outcome": Outcome::CourtProceedings }));
    Ok(())
}
