//! Quantum on the small-claims track: medical reports, the claimant's losses, the offer the
//! claimant asks for, the compensator's offers and the claimant's counter-offers (tariff lines
//! valued by the hub), settlement, payment and its confirmation, and a compensator's proposal to
//! remove the claim.

use chrono::Months;
use serde_json::json;

use super::super::action::{
    AddMedicalReportInput, CounterOfferInput, MakeOfferInput, ProposeRemovalInput, RecordPaymentInput,
    SetLossesInput,
};
use super::super::change::{ActionError, Change, rule};
use super::super::deadline::{DeadlineName, DeadlineStatus};
use super::super::state::{MedicalReport, Offer, Outcome, Payment, PaymentKind, Removal, Settlement};
use super::periods::SmallClaimsPeriods;
use super::permissions::needs_medical_report;
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::cnf::InjuryKind;
use crate::events::EventType;
use crate::fixed_costs::FixedCosts;
use crate::losses::{LossHead, LossLineInput, LossTable, TariffInjury, value_table};
use crate::money::Pence;
use crate::party::Side;
use crate::settlement::{SettlementFacts, sums};
use crate::tariff::{self, TariffQuestion};
use crate::validation::FieldErrors;

/// The answer deadlines an offer or counter-offer meets.
const ANSWERS: [DeadlineName; 3] =
    [DeadlineName::Offer, DeadlineName::OfferAnswer, DeadlineName::CounterOfferAnswer];

/// Records a medical report held in an attachment of the claim (the hub checked the attachment).
pub(in super::super) fn add_medical_report(
    change: &mut Change,
    input: AddMedicalReportInput,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    if input.report_date > change.today() {
        errors.add("report_date", "date_in_future", "must not be in the future");
    }
    if accident_date(change.claim).is_some_and(|accident| input.report_date < accident) {
        errors.add("report_date", "before_accident", "must not be before the accident");
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    let lifecycle = &mut change.claim.lifecycle;
    lifecycle.medical_reports.push(MedicalReport {
        attachment_id: input.attachment_id,
        report_date: input.report_date,
        expert_reference: input.expert_reference,
        injuries: input.injuries,
        added_at: change.now,
    });
    let number = lifecycle.medical_reports.len();
    change.event(
        EventType::MedicalReportAdded,
        json!({ "report": number, "attachment_id": input.attachment_id, "report_date": input.report_date }),
    );
    Ok(())
}

/// The claimant's losses; replaceable until an offer is asked for.
pub(in super::super) fn set_losses(change: &mut Change, input: SetLossesInput) -> Result<(), ActionError> {
    let table = value(change.claim, &input.losses, None)?;
    let total = table.totals.after_deductions_pence;
    change.claim.lifecycle.losses = Some(table);
    change.event(EventType::LossesSet, json!({ "after_deductions_pence": total }));
    Ok(())
}

/// The claimant asks for the compensator's offer; refused while a whiplash or minor
/// psychological injury has no medical report.
pub(in super::super) fn request_offer(
    change: &mut Change,
    calendar: &Calendar,
    periods: &SmallClaimsPeriods,
) -> Result<(), ActionError> {
    if needs_medical_report(change.claim) && change.claim.lifecycle.medical_reports.is_empty() {
        return Err(ActionError::Rule {
            code: "medical_report_required",
            field: None,
            message:
                "a whiplash or minor psychological injury needs a medical report before an offer is asked for"
                    .to_owned(),
        });
    }
    let days = periods.offer;
    change.claim.status = ClaimStatus::OfferRequested;
    let due = change.add_deadline(DeadlineName::Offer, Side::Compensator, days, calendar);
    change.event(EventType::OfferRequested, json!({ "due_date": due }));
    Ok(())
}

/// The compensator's offer (first or revised): a full table of losses, the tariff valued by the
/// hub. The claimant has its answer period.
pub(in super::super) fn make_offer(
    change: &mut Change,
    input: MakeOfferInput,
    calendar: &Calendar,
    periods: &SmallClaimsPeriods,
) -> Result<(), ActionError> {
    let table = value(change.claim, &input.losses, input.disputed_prognosis_months)?;
    let gross = table.totals.after_deductions_pence;
    push_offer(change, Side::Compensator, table, gross, input.disputed_prognosis_months);
    change.claim.status = ClaimStatus::OfferMade;
    let days = periods.offer_answer;
    let due = change.add_deadline(DeadlineName::OfferAnswer, Side::ClaimantRepresentative, days, calendar);
    announce_offer(change, Side::Compensator, gross, due);
    Ok(())
}

/// The claimant's counter-offer: a full table of losses and the global amount asked for.
pub(in super::super) fn counter_offer(
    change: &mut Change,
    input: CounterOfferInput,
    calendar: &Calendar,
    periods: &SmallClaimsPeriods,
) -> Result<(), ActionError> {
    if input.cru_deduction_pence.is_some() {
        return Err(rule(
            "not_applicable",
            "cru_deduction_pence",
            "only the compensator states the CRU deduction",
        ));
    }
    let table = value(change.claim, &input.losses, None)?;
    let gross = Pence::new(input.gross_pence);
    push_offer(change, Side::ClaimantRepresentative, table, gross, None);
    change.claim.status = ClaimStatus::CounterOfferMade;
    let days = periods.counter_offer_answer;
    let due = change.add_deadline(DeadlineName::CounterOfferAnswer, Side::Compensator, days, calendar);
    announce_offer(change, Side::ClaimantRepresentative, gross, due);
    Ok(())
}

fn push_offer(change: &mut Change, by: Side, losses: LossTable, gross: Pence, disputed: Option<u32>) {
    change.close_deadlines_named(&ANSWERS, DeadlineStatus::Met);
    let offers = &mut change.claim.lifecycle.offers;
    let number = u32::try_from(offers.len()).unwrap_or(u32::MAX).saturating_add(1);
    offers.push(Offer {
        number,
        by,
        made_at: change.now,
        losses,
        gross_pence: gross,
        cru_deduction_pence: Pence::ZERO,
        disbursements_pence: Pence::ZERO,
        late: false,
        disputed_prognosis_months: disputed,
    });
}

fn announce_offer(change: &mut Change, by: Side, gross: Pence, answer_due: chrono::NaiveDate) {
    let number = change.claim.lifecycle.offers.len();
    change.event(
        EventType::OfferMade,
        json!({ "offer": number, "by": by, "gross_pence": gross, "answer_due_date": answer_due }),
    );
}

/// The offer on the table is accepted: the claim settles for it, less interim payments, and the
/// compensator has its payment period. No fixed costs on this track.
pub(in super::super) fn accept_offer(
    change: &mut Change,
    calendar: &Calendar,
    periods: &SmallClaimsPeriods,
) -> Result<(), ActionError> {
    let lifecycle = &change.claim.lifecycle;
    let Some(offer) = lifecycle.current_offer().cloned() else {
        return Err(rule("no_offer", "offer", "there is no offer to accept"));
    };
    let owed = sums(
        SettlementFacts {
            agreed_gross: offer.gross_pence,
            interim_payments: lifecycle.interim_paid(),
            cru_deduction: Pence::ZERO,
            disbursements: Pence::ZERO,
            stage1_costs_paid: true,
            child: change.claim.child,
        },
        &FixedCosts::NONE,
    );
    change.close_deadlines_named(&ANSWERS, DeadlineStatus::Met);
    let days = periods.settlement_payment;
    let due = change.add_deadline(DeadlineName::SettlementPayment, Side::Compensator, days, calendar);
    change.claim.status = ClaimStatus::Settled;
    change.claim.lifecycle.settlement = Some(Settlement {
        agreed_at: change.now,
        offer_number: offer.number,
        sums: owed,
        requires_court_approval: false,
        payment_due_date: Some(due),
    });
    change.event(
        EventType::Settled,
        json!({ "offer": offer.number, "damages_pence": owed.damages_pence, "payment_due_date": due }),
    );
    Ok(())
}

/// The compensator records the payment of the agreed damages.
pub(in super::super) fn record_payment(
    change: &mut Change,
    input: RecordPaymentInput,
) -> Result<(), ActionError> {
    let mut errors = FieldErrors::new();
    if input.kind != PaymentKind::Settlement {
        errors.add("kind", "not_for_track", "small claims pay no fixed costs: record the settlement");
    }
    if input.paid_on > change.today() {
        errors.add("paid_on", "date_in_future", "must not be in the future");
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    change.claim.lifecycle.payments.push(Payment {
        kind: input.kind,
        amount_pence: Pence::new(input.amount_pence),
        paid_on: input.paid_on,
        recorded_by: Side::Compensator,
        recorded_at: change.now,
    });
    change.close_deadlines_named(&[DeadlineName::SettlementPayment], DeadlineStatus::Met);
    change.event(
        EventType::PaymentRecorded,
        json!({ "kind": input.kind, "amount_pence": input.amount_pence, "paid_on": input.paid_on, "by": Side::Compensator }),
    );
    Ok(())
}

/// The claimant confirms it received the payment: `closed`, outcome `settled`.
pub(in super::super) fn confirm_received(change: &mut Change) {
    change.claim.status = ClaimStatus::Closed;
    change.claim.lifecycle.outcome = Some(Outcome::Settled);
    change.close_deadlines(DeadlineStatus::Cancelled);
    change.event(EventType::Closed, json!({ "outcome": Outcome::Settled }));
}

/// The compensator proposes to remove the claim; the claimant may object within its period,
/// or the claim is withdrawn when it passes.
pub(in super::super) fn propose_removal(
    change: &mut Change,
    input: ProposeRemovalInput,
    calendar: &Calendar,
    periods: &SmallClaimsPeriods,
) {
    let days = periods.removal_objection;
    let due =
        change.add_deadline(DeadlineName::RemovalObjection, Side::ClaimantRepresentative, days, calendar);
    change.claim.lifecycle.removal = Some(Removal {
        reason: input.reason,
        comment: input.comment,
        proposed_at: change.now,
        objected_at: None,
    });
    change.event(EventType::RemovalProposed, json!({ "reason": input.reason, "objection_due_date": due }));
}

/// The claimant objects: the claim stays.
pub(in super::super) fn object_to_removal(change: &mut Change) {
    if let Some(removal) = change.claim.lifecycle.removal.as_mut() {
        removal.objected_at = Some(change.now);
    }
    change.close_deadlines_named(&[DeadlineName::RemovalObjection], DeadlineStatus::Met);
    change.event(EventType::RemovalObjected, json!({}));
}

fn accident_date(claim: &Claim) -> Option<chrono::NaiveDate> {
    claim.cnf.accident.as_ref().map(|a| a.date)
}

/// Values a table of a small claim. A `whiplash_tariff` line is the hub's to value: from the
/// latest medical report (its longest whiplash prognosis, with a minor psychological injury if the
/// report names one), or from `disputed_months` when the compensator disputes that prognosis. A
/// figure stated for the line must be that value (`tariff_mismatch`); an uplift is the court's
/// to give, never part of an offer.
fn value(
    claim: &Claim,
    lines: &[LossLineInput],
    disputed_months: Option<u32>,
) -> Result<LossTable, ActionError> {
    let mut errors = FieldErrors::new();
    let accident = accident_date(claim);
    let report = claim.lifecycle.medical_reports.last();
    let mut valued_lines = Vec::with_capacity(lines.len());
    // A tariff line at fault is reported here and stands in the table as a line of no value, so
    // the other lines keep their positions in any error the table reports.
    let placeholder = |line: &LossLineInput| LossLineInput {
        head: LossHead::WhiplashTariff,
        gross_pence: None,
        tariff: accident.map(|date| TariffInjury {
            prognosis_end_date: date,
            minor_psychological_injury: false,
            uplift_percent: 0,
        }),
        ..line.clone()
    };
    for (index, line) in lines.iter().enumerate() {
        if line.head != LossHead::WhiplashTariff {
            valued_lines.push(line.clone());
            continue;
        }
        let at = format!("losses[{index}]");
        if line.tariff.as_ref().is_some_and(|t| t.uplift_percent > 0) {
            errors.add(
                format!("{at}.tariff.uplift_percent"),
                "uplift_not_in_offer",
                "an uplift is for the court: ask for it with exit_to_court route uplift",
            );
            valued_lines.push(placeholder(line));
            continue;
        }
        let Some(report) = report else {
            errors.add(
                format!("{at}.head"),
                "medical_report_required",
                "a tariff line needs a medical report",
            );
            valued_lines.push(placeholder(line));
            continue;
        };
        let longest = report
            .injuries
            .iter()
            .filter(|i| i.kind == InjuryKind::Whiplash)
            .map(|i| i.prognosis_months)
            .max();
        let Some(months) = disputed_months.or(longest) else {
            errors.add(
                format!("{at}.head"),
                "no_tariff_injury",
                "the medical report names no whiplash injury",
            );
            valued_lines.push(placeholder(line));
            continue;
        };
        let psychological = report.injuries.iter().any(|i| i.kind == InjuryKind::MinorPsychological);
        let Some(accident) = accident else {
            valued_lines.push(placeholder(line));
            continue;
        };
        let prognosis_end = accident.checked_add_months(Months::new(months)).unwrap_or(accident);
        let question = TariffQuestion {
            accident_date: accident,
            prognosis_end_date: prognosis_end,
            minor_psychological_injury: psychological,
            uplift_percent: 0,
        };
        let tariff_value = match tariff::value(question) {
            Ok(value) => value,
            Err(error) => {
                errors.add(format!("{at}.head"), error.code(), error.to_string());
                valued_lines.push(placeholder(line));
                continue;
            }
        };
        if let Some(stated) = line.gross_pence
            && stated != tariff_value.tariff_pence.get()
        {
            errors.add(
                format!("{at}.gross_pence"),
                "tariff_mismatch",
                format!(
                    "the tariff values this line at {} pence ({} months, {} regulations)",
                    tariff_value.tariff_pence.get(),
                    months,
                    tariff_value.regulations
                ),
            );
            valued_lines.push(placeholder(line));
            continue;
        }
        valued_lines.push(LossLineInput {
            gross_pence: None,
            tariff: Some(TariffInjury {
                prognosis_end_date: prognosis_end,
                minor_psychological_injury: psychological,
                uplift_percent: 0,
            }),
            ..line.clone()
        });
    }
    let table = value_table(&valued_lines, accident, claim.lifecycle.interim_paid(), "losses");
    match (table, errors.is_empty()) {
        (Ok(table), true) => Ok(table),
        (Ok(_), false) => Err(ActionError::Invalid(errors)),
        (Err(more), _) => {
            errors.extend(more);
            Err(ActionError::Invalid(errors))
        }
    }
}
