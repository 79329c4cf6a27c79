//! The ways a claim leaves the protocol before its end: exits (which party may give which reason,
//! the facts some reasons rest on, the windows of the reasons that follow a missed payment),
//! fraud allegations and withdrawal.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::action::{ActionKind, AllegeFraudInput, ExitInput};
use super::change::{ActionError, Change, rule};
use super::deadline::{Deadline, DeadlineName, DeadlineStatus};
use super::stage1::keeps_claim_in_protocol;
use super::state::{ExitReason, ExitedBy, InterimStatus, LiabilityOutcome, PaymentKind};
use serde_json::json;

use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::events::EventType;
use crate::party::Side;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Exit reasons a claimant representative may give.
const CLAIMANT_EXIT_REASONS: [ExitReason; 10] = [
    ExitReason::LiabilityNotAdmitted,
    ExitReason::ContributoryNegligenceAlleged,
    ExitReason::Stage1CostsNotPaid,
    ExitReason::InterimPaymentNotPaid,
    ExitReason::PartialInterimNotAccepted,
    ExitReason::ClaimValueAboveLimit,
    ExitReason::ClaimUnsuitableComplex,
    ExitReason::SmallClaimsTrackApplies,
    ExitReason::SettlementPaymentNotMade,
    ExitReason::Other,
];

/// Exit reasons a compensator may give.
const COMPENSATOR_EXIT_REASONS: [ExitReason; 5] = [
    ExitReason::MandatoryInformationInadequate,
    ExitReason::ClaimValueAboveLimit,
    ExitReason::ClaimOutsideProtocolScope,
    ExitReason::ClaimUnsuitableComplex,
    ExitReason::Other,
];

/// Business days after the Stage 1 costs deadline in which the representative may exit for
/// their non-payment.
const STAGE1_COSTS_EXIT_DAYS: u32 = 10;

string_enum! {
    /// Where an exit window stands today.
    WindowStatus {
        /// It opens when the payment deadline passes unpaid.
        NotYetOpen => "not_yet_open",
        Open => "open",
        /// It closed; the claim continues in the protocol.
        Closed => "closed",
    }
}

/// An exit reason that opens only once a payment deadline has passed unpaid, with its dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExitWindow {
    /// The exit reason the window is for.
    pub reason: ExitReason,
    /// The party that may give it.
    pub party: Side,
    /// The first day the reason may be given (the day after the payment deadline).
    pub opens_on: NaiveDate,
    /// The last day it may be given; `null` while the payment is outstanding with no end.
    pub closes_on: Option<NaiveDate>,
    pub status: WindowStatus,
}

/// The claim's exit windows as they stand on `today`: one for each unpaid payment deadline whose
/// miss lets the claimant representative exit.
pub fn exit_windows(claim: &Claim, calendar: &Calendar, today: NaiveDate) -> Vec<ExitWindow> {
    if claim.status.is_terminal() {
        return Vec::new();
    }
    let lifecycle = &claim.lifecycle;
    let mut windows = Vec::new();
    let latest = |name| lifecycle.deadlines.iter().rev().find(|d: &&Deadline| d.name == name);
    let window = |reason, deadline: &Deadline, closes_on: Option<NaiveDate>| {
        let opens_on = deadline.due_date.checked_add_days(Days::new(1)).unwrap_or(deadline.due_date);
        let open_now = deadline.status == DeadlineStatus::Missed;
        let status = match closes_on {
            Some(last) if today > last => WindowStatus::Closed,
            _ if open_now => WindowStatus::Open,
            _ if deadline.is_open() => WindowStatus::NotYetOpen,
            _ => WindowStatus::Closed,
        };
        ExitWindow { reason, party: Side::ClaimantRepresentative, opens_on, closes_on, status }
    };
    if !lifecycle.has_payment(PaymentKind::Stage1Costs)
        && let Some(deadline) = latest(DeadlineName::Stage1Costs)
        && matches!(deadline.status, DeadlineStatus::Open | DeadlineStatus::Missed)
    {
        let closes = calendar.add_business_days(deadline.due_date, STAGE1_COSTS_EXIT_DAYS);
        windows.push(window(ExitReason::Stage1CostsNotPaid, deadline, Some(closes)));
    }
    if lifecycle.open_interim().is_some_and(|r| r.status == InterimStatus::Requested)
        && let Some(deadline) = latest(DeadlineName::InterimPayment)
        && matches!(deadline.status, DeadlineStatus::Open | DeadlineStatus::Missed)
    {
        windows.push(window(ExitReason::InterimPaymentNotPaid, deadline, None));
    }
    if !lifecycle.has_payment(PaymentKind::Settlement)
        && let Some(deadline) = latest(DeadlineName::SettlementPayment)
        && matches!(deadline.status, DeadlineStatus::Open | DeadlineStatus::Missed)
    {
        windows.push(window(ExitReason::SettlementPaymentNotMade, deadline, None));
    }
    windows
}

/// A party takes the claim out of the protocol (after [`check`]).
pub(super) fn exit(change: &mut Change, side: Side, input: ExitInput) {
    let by = match side {
        Side::ClaimantRepresentative => ExitedBy::ClaimantRepresentative,
        Side::Compensator => ExitedBy::Compensator,
    };
    change.exit(input.reason, input.comment, by);
}

/// The compensator alleges fraud: the claim exits with `fraud_alleged`.
pub(super) fn allege_fraud(change: &mut Change, input: AllegeFraudInput) {
    change.exit(ExitReason::FraudAlleged, Some(input.description), ExitedBy::Compensator);
}

/// The claimant representative abandons the claim.
pub(super) fn withdraw(change: &mut Change) {
    change.claim.status = ClaimStatus::Withdrawn;
    change.claim.lifecycle.withdrawn_at = Some(change.now);
    change.close_deadlines(DeadlineStatus::Cancelled);
    change.event(EventType::Withdrawn, json!({}));
}

/// Checks an exit: the reason is one this party may give, `other` has its comment, and a reason
/// that rests on a fact the hub records has that fact (`409` saying which fact is missing).
pub(super) fn check(
    claim: &Claim,
    side: Side,
    input: &ExitInput,
    allowed: &[ActionKind],
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<(), ActionError> {
    let permitted = match side {
        Side::ClaimantRepresentative => CLAIMANT_EXIT_REASONS.contains(&input.reason),
        Side::Compensator => COMPENSATOR_EXIT_REASONS.contains(&input.reason),
    };
    if !permitted {
        return Err(rule(
            "reason_not_for_party",
            "reason",
            "this exit reason is not one this party may give",
        ));
    }
    if input.reason == ExitReason::Other
        && input.comment.as_deref().is_none_or(|c| c.trim().chars().count() < 10)
    {
        return Err(rule(
            "comment_required",
            "comment",
            "an exit for another reason needs a comment of at least 10 characters",
        ));
    }
    match missing_fact(claim, input.reason, calendar, today) {
        None => Ok(()),
        Some(message) => Err(ActionError::Conflict {
            code: "exit_condition_not_met",
            message,
            status: claim.status,
            allowed: allowed.to_vec(),
        }),
    }
}

/// What the hub does not record that `reason` needs, in words; `None` when nothing is missing.
fn missing_fact(claim: &Claim, reason: ExitReason, calendar: &Calendar, today: NaiveDate) -> Option<String> {
    let lifecycle = &claim.lifecycle;
    let liability = lifecycle.liability.as_ref();
    let window_of = |reason| exit_windows(claim, calendar, today).into_iter().find(|w| w.reason == reason);
    let describe = |what: &str, window: Option<ExitWindow>, none: &str| match window {
        Some(w) if w.status == WindowStatus::Open => None,
        Some(w) if w.status == WindowStatus::NotYetOpen => Some(match w.closes_on {
            Some(closes) => format!(
                "{what} is not overdue yet: this exit opens on {} and closes at the end of {closes}",
                w.opens_on
            ),
            None => {
                format!("{what} is not overdue yet: this exit opens on {} if it is still unpaid", w.opens_on)
            }
        }),
        Some(w) => Some(format!(
            "the window for this exit ran from {} to {}; it has closed and the claim continues",
            w.opens_on,
            w.closes_on.map_or_else(|| "its payment".to_owned(), |d| d.to_string())
        )),
        None => Some(none.to_owned()),
    };
    match reason {
        ExitReason::LiabilityNotAdmitted => match liability {
            None => Some("no liability decision is recorded".to_owned()),
            Some(l) if l.outcome != LiabilityOutcome::NotAdmitted => {
                Some(format!("the compensator's liability decision is {}, not not_admitted", l.outcome))
            }
            Some(_) => None,
        },
        ExitReason::ContributoryNegligenceAlleged => match liability {
            Some(l) if l.outcome == LiabilityOutcome::AdmittedWithContributoryNegligence => {
                keeps_claim_in_protocol(claim.claim_type, liability).then(|| {
                    "the only allegation recorded is the seat belt, which keeps a road traffic claim in the protocol"
                        .to_owned()
                })
            }
            _ => Some("no allegation of contributory negligence is recorded".to_owned()),
        },
        ExitReason::Stage1CostsNotPaid => {
            let none = if lifecycle.has_payment(PaymentKind::Stage1Costs) {
                "the Stage 1 costs payment is recorded"
            } else if claim.child {
                "a child's claim has no Stage 1 costs payment step"
            } else {
                "no Stage 1 costs are due: the settlement pack has not been sent"
            };
            describe("the Stage 1 costs payment", window_of(ExitReason::Stage1CostsNotPaid), none)
        }
        ExitReason::InterimPaymentNotPaid => describe(
            "the interim payment",
            window_of(ExitReason::InterimPaymentNotPaid),
            "no interim payment request awaits payment",
        ),
        ExitReason::PartialInterimNotAccepted => {
            let declined = lifecycle.interim_payments.iter().any(|i| i.status == InterimStatus::PartDeclined);
            (!declined).then(|| "no part payment of an interim request was declined".to_owned())
        }
        ExitReason::SettlementPaymentNotMade => {
            let none = if lifecycle.has_payment(PaymentKind::Settlement) {
                "the settlement payment is recorded"
            } else {
                "no settlement payment is due"
            };
            describe("the settlement payment", window_of(ExitReason::SettlementPaymentNotMade), none)
        }
        _ => None,
    }
}
