//! Interim payments (Stage 2, adults only, one request open at a time).

use serde_json::json;

use super::action::{ActionKind, RequestInterimPaymentInput, RespondInterimPaymentInput};
use super::change::{ActionError, Change, rule};
use super::deadline::{DeadlineName, DeadlineStatus};
use super::state::{INTERIM_MINIMUM_PENCE, InterimPayment, InterimResponse, InterimStatus};
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::events::EventType;
use crate::losses::value_table;
use crate::money::Pence;
use crate::party::Side;
use crate::validation::FieldErrors;

/// Who may take an interim-payment action while interim payments run (`stage`) on either track:
/// `None` for other actions.
pub(super) fn who_may(kind: ActionKind, claim: &Claim, stage: bool) -> Option<Vec<Side>> {
    use ActionKind as A;
    use InterimStatus as I;
    let lifecycle = &claim.lifecycle;
    let open = lifecycle.open_interim().map(|i| i.status).filter(|_| stage);
    let (allowed, party) = match kind {
        A::RequestInterimPayment => (stage && !claim.child && open.is_none(), Side::ClaimantRepresentative),
        A::RespondInterimPayment => (open == Some(I::Requested), Side::Compensator),
        A::ExtendInterimDeadline => (
            open == Some(I::Requested)
                && lifecycle.open_deadline(DeadlineName::InterimPayment).is_some()
                && lifecycle
                    .open_interim()
                    .is_some_and(|i| i.requested_pence.get() > INTERIM_MINIMUM_PENCE && !i.extended),
            Side::Compensator,
        ),
        A::AcceptPartialInterim | A::DeclinePartialInterim => {
            (open == Some(I::PaidInPart), Side::ClaimantRepresentative)
        }
        A::ConfirmInterimReceived => {
            (matches!(open, Some(I::PaidInFull | I::PartAccepted)), Side::ClaimantRepresentative)
        }
        _ => return None,
    };
    Some(if allowed { vec![party] } else { Vec::new() })
}

/// Business days the compensator has to pay a request of exactly £1,000, and a larger one, and
/// once extended.
const PERIOD_MINIMUM: u32 = 10;
const PERIOD_LARGER: u32 = 15;
const PERIOD_EXTENDED: u32 = 30;

pub(super) fn request(
    change: &mut Change,
    input: RequestInterimPaymentInput,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    if input.amount_pence < INTERIM_MINIMUM_PENCE {
        return Err(rule(
            "below_interim_minimum",
            "amount_pence",
            "an interim payment request is for at least £1,000",
        ));
    }
    let accident_date = change.claim.cnf.accident.as_ref().map(|a| a.date);
    let interim_paid = change.claim.lifecycle.interim_paid();
    let losses =
        value_table(&input.losses, accident_date, interim_paid, "losses").map_err(ActionError::Invalid)?;
    let requested = Pence::new(input.amount_pence);
    let number =
        u32::try_from(change.claim.lifecycle.interim_payments.len()).unwrap_or(u32::MAX).saturating_add(1);
    let days = if requested.get() == INTERIM_MINIMUM_PENCE { PERIOD_MINIMUM } else { PERIOD_LARGER };
    let due = change.add_deadline(DeadlineName::InterimPayment, Side::Compensator, days, calendar);
    change.claim.lifecycle.interim_payments.push(InterimPayment {
        number,
        requested_pence: requested,
        losses,
        medical_report_reference: input.medical_report_reference,
        requested_at: change.now,
        status: InterimStatus::Requested,
        paid_pence: None,
        reasons: None,
        extended: false,
        responded_at: None,
    });
    change.event(
        EventType::InterimPaymentRequested,
        json!({ "interim_payment": number, "amount_pence": requested, "due_date": due }),
    );
    Ok(())
}

pub(super) fn respond(change: &mut Change, input: RespondInterimPaymentInput) -> Result<(), ActionError> {
    let now = change.now;
    let Some(request) =
        change.claim.lifecycle.interim_payments.iter_mut().find(|i| i.status == InterimStatus::Requested)
    else {
        return Err(rule("no_open_request", "response", "there is no interim request awaiting an answer"));
    };
    let requested = request.requested_pence.get();
    let mut errors = FieldErrors::new();
    let (status, paid) = match input.response {
        InterimResponse::PaidInFull => (InterimStatus::PaidInFull, Some(requested)),
        InterimResponse::PaidInPart => match input.amount_pence {
            None => {
                errors.add("amount_pence", "required", "give the amount paid");
                (InterimStatus::PaidInPart, None)
            }
            Some(amount) if amount >= requested => {
                errors.add(
                    "amount_pence",
                    "not_a_part_payment",
                    "a part payment is less than the amount asked",
                );
                (InterimStatus::PaidInPart, None)
            }
            Some(amount) if amount < INTERIM_MINIMUM_PENCE => {
                errors.add("amount_pence", "below_interim_minimum", "a part payment is at least £1,000");
                (InterimStatus::PaidInPart, None)
            }
            Some(amount) => (InterimStatus::PaidInPart, Some(amount)),
        },
        InterimResponse::Refused => {
            if input.reasons.as_deref().is_none_or(|r| r.trim().is_empty()) {
                errors.add("reasons", "required", "give the reasons the request is invalid");
            }
            (InterimStatus::Refused, None)
        }
    };
    if input.response != InterimResponse::PaidInPart && input.amount_pence.is_some() {
        errors.add("amount_pence", "not_applicable", "only with paid_in_part");
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    request.status = status;
    request.paid_pence = paid.map(Pence::new);
    request.reasons = input.reasons;
    request.responded_at = Some(now);
    let number = request.number;
    change.meet(DeadlineName::InterimPayment);
    change.event(
        EventType::InterimPaymentResponded,
        json!({ "interim_payment": number, "response": input.response, "paid_pence": paid }),
    );
    Ok(())
}

/// The once-only extension of a request above £1,000: 30 business days from the request.
pub(super) fn extend(change: &mut Change, calendar: &Calendar) {
    if let Some(request) =
        change.claim.lifecycle.interim_payments.iter_mut().find(|i| i.status == InterimStatus::Requested)
    {
        request.extended = true;
    }
    change.repoint(DeadlineName::InterimPayment, PERIOD_EXTENDED, calendar, "interim_extension");
}

/// The representative's answer to a payment: accept or decline a part payment, or confirm receipt.
pub(super) fn close(change: &mut Change, status: InterimStatus) {
    let Some(request) = change.claim.lifecycle.interim_payments.iter_mut().find(|i| i.is_open()) else {
        return;
    };
    request.status = status;
    let number = request.number;
    let event_type = match status {
        InterimStatus::PartAccepted => EventType::InterimPaymentAccepted,
        InterimStatus::PartDeclined => EventType::InterimPaymentDeclined,
        _ => EventType::InterimPaymentReceived,
    };
    change.event(event_type, json!({ "interim_payment": number }));
    // A declined part payment closes the request; its deadline was met when the money came.
    change.close_deadlines_named(&[DeadlineName::InterimPayment], DeadlineStatus::Met);
}
