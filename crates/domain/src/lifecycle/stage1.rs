//! Stage 1: notification and liability — acknowledgement, rejection and resubmission,
//! reassignment, Article 75, and the liability decision.

use serde_json::json;

use super::action::{AcknowledgeInput, DecideLiabilityInput, RejectInput};
use super::change::{ActionError, Change, rule};
use super::deadline::{Deadline, DeadlineName, DeadlineStatus};
use super::small_claims::periods::dormancy_instant;
use super::state::{ExitReason, ExitedBy, LiabilityDecision, LiabilityOutcome, Lifecycle, Rejection};
use crate::calendar::Calendar;
use crate::claim_status::ClaimStatus;
use crate::claim_type::{ClaimType, Track};
use crate::clock::england_date;
use crate::cnf::ValidatedCnf;
use crate::events::EventType;
use crate::organisation::{CompensatorType, Organisation};
use crate::party::Side;
use crate::validation::FieldErrors;

/// The lifecycle of a newly notified claim: its Stage 1 deadlines.
pub fn new_lifecycle(
    claim_type: ClaimType,
    compensator: &Organisation,
    notification_date: chrono::NaiveDate,
    calendar: &Calendar,
) -> Lifecycle {
    let small = claim_type.track() == Track::SmallClaims;
    Lifecycle {
        deadlines: stage1_deadlines(claim_type, compensator, false, notification_date, calendar),
        dormant_at: small.then(|| dormancy_instant(notification_date)),
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
        ClaimType::OicRta if compensator.compensator_type == Some(CompensatorType::Mib) => 40,
        ClaimType::OicRta => 30,
    }
}

fn stage1_deadlines(
    claim_type: ClaimType,
    compensator: &Organisation,
    article_75: bool,
    notified: chrono::NaiveDate,
    calendar: &Calendar,
) -> Vec<Deadline> {
    let liability = Deadline::new(
        DeadlineName::LiabilityDecision,
        Side::Compensator,
        notified,
        liability_period(claim_type, compensator, article_75),
        &[5, 3],
        calendar,
    );
    // The small-claims track has no separate acknowledgement: the liability response is all.
    if claim_type.track() == Track::SmallClaims {
        return vec![liability];
    }
    vec![
        Deadline::new(DeadlineName::Acknowledgement, Side::Compensator, notified, 1, &[3], calendar),
        liability,
    ]
}

pub(super) fn acknowledge(change: &mut Change, input: AcknowledgeInput) {
    change.acknowledge(input.compensator_reference.clone());
    change.claim.status = ClaimStatus::AwaitingLiabilityDecision;
    change.event(EventType::Acknowledged, json!({ "compensator_reference": input.compensator_reference }));
}

pub(super) fn reject(change: &mut Change, input: RejectInput) {
    change.claim.status = ClaimStatus::Rejected;
    change.claim.lifecycle.rejection =
        Some(Rejection { reason: input.reason, comment: input.comment, rejected_at: change.now });
    change.close_deadlines(DeadlineStatus::Cancelled);
    change.event(EventType::Rejected, json!({ "reason": input.reason }));
}

/// The claim passes to another compensator (of the sender's group, `within_group`, on the portal
/// track; any on the small-claims track); its deadlines keep running.
pub(super) fn reassign(
    change: &mut Change,
    from: &Organisation,
    to: &Organisation,
    within_group: bool,
) -> Result<(), ActionError> {
    check_reassignment(from, to, within_group)?;
    let previous = change.claim.compensator.clone();
    change.claim.compensator = to.code.clone();
    change.claim.cm_reference = None;
    change.moved_event(
        EventType::Transferred,
        json!({ "side": Side::Compensator, "from": previous, "to": to.code }),
    );
    Ok(())
}

/// The compensator declares itself an Article 75 insurer: 30 business days from notification.
pub(super) fn declare_article_75(change: &mut Change, compensator: &Organisation, calendar: &Calendar) {
    change.claim.lifecycle.article_75 = true;
    change.event(EventType::Article75Declared, json!({}));
    let period = liability_period(change.claim.claim_type, compensator, true);
    change.repoint(DeadlineName::LiabilityDecision, period, calendar, "article_75");
}

/// A corrected form: the claim is notified again today, to the compensator it names, and every
/// Stage 1 period starts over.
pub(super) fn resubmit(
    change: &mut Change,
    cnf: ValidatedCnf,
    compensator: &Organisation,
    calendar: &Calendar,
) -> Result<(), ActionError> {
    if cnf.cnf.claim.claim_type != change.claim.claim_type {
        return Err(ActionError::Rule {
            code: "claim_type_changed",
            field: Some("cnf.claim.type"),
            message: "a resubmission keeps the claim type".to_owned(),
        });
    }
    let notified = england_date(change.now);
    let claim = &mut change.claim;
    claim.cr_reference = cnf.cnf.representative.case_reference.clone();
    claim.child = cnf.child;
    claim.cnf = cnf.cnf;
    claim.compensator = compensator.code.clone();
    claim.cm_reference = None;
    claim.notification_date = notified;
    claim.status = ClaimStatus::Submitted;
    claim.lifecycle = new_lifecycle(claim.claim_type, compensator, notified, calendar);
    change.moved_event(
        EventType::Resubmitted,
        json!({ "compensator": compensator.code, "notification_date": notified }),
    );
    Ok(())
}

fn check_reassignment(from: &Organisation, to: &Organisation, within_group: bool) -> Result<(), ActionError> {
    if !to.is_compensator() {
        return Err(rule("not_a_compensator", "to", "claims can only be reassigned to a compensator"));
    }
    if to.code == from.code {
        return Err(rule("same_compensator", "to", "the claim is already with this compensator"));
    }
    match (&from.group, &to.group) {
        _ if !within_group => Ok(()),
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

pub(super) fn decide_liability(
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
    for (present, field) in input.vehicle_fields() {
        if rta && !present {
            errors.add(field, "required", "is required for rta claims");
        }
        if !rta && present {
            errors.add(field, "not_applicable", "may only be given for rta claims");
        }
    }
    if !matches!(
        input.outcome,
        LiabilityOutcome::Admitted
            | LiabilityOutcome::AdmittedWithContributoryNegligence
            | LiabilityOutcome::NotAdmitted
    ) {
        errors.add(
            "outcome",
            "outcome_not_for_track",
            "portal claims are admitted, admitted_with_contributory_negligence or not_admitted",
        );
    }
    for (present, field) in input.denial_fields() {
        if present {
            errors.add(field, "not_applicable", "only for small claims (oic_rta)");
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
        compensator_contact: Some(input.compensator_contact),
        rehabilitation_offered: input.rehabilitation_offered,
        repairs_offered: input.repairs_offered,
        replacement_vehicle_offered: input.replacement_vehicle_offered,
        claimant_date_of_birth: Some(input.claimant_date_of_birth),
        version_of_events: None,
        deemed: false,
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
        // Refused above: the small-claims outcomes.
        LiabilityOutcome::NotAdmitted
        | LiabilityOutcome::AdmittedInPart
        | LiabilityOutcome::AdmittedCausationDisputed
        | LiabilityOutcome::Denied => Some(ExitReason::LiabilityNotAdmitted),
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
