//! Liability on the small-claims track: the compensator's decision (four outcomes), the deemed
//! admission when it does not answer in time, the claimant's acceptance of a disputed decision,
//! and the way to court and back. (Reassignment is the portal's step, without its group rule.)

use serde_json::json;

use super::super::action::{DecideLiabilityInput, ExitToCourtInput, ResumeAfterCourtInput};
use super::super::change::{ActionError, Change, rule};
use super::super::deadline::{DeadlineName, DeadlineStatus};
use super::super::state::{
    ContributoryNegligence, CourtFinding, CourtReferral, ExitedBy, LiabilityDecision, LiabilityOutcome,
    Outcome,
};
use super::permissions::open_routes;
use crate::claim_status::ClaimStatus;
use crate::events::EventType;
use crate::money::Percentage;
use crate::validation::FieldErrors;

/// The compensator decides liability: `admitted`, `admitted_in_part` (with a percentage),
/// `admitted_causation_disputed` or `denied` (with its version of events and a statement of
/// truth). The first three move the claim to `liability_admitted`, a denial to
/// `liability_denied`.
pub(in super::super) fn decide(change: &mut Change, input: DecideLiabilityInput) -> Result<(), ActionError> {
    use LiabilityOutcome as O;
    let mut errors = FieldErrors::new();
    if !matches!(input.outcome, O::Admitted | O::AdmittedInPart | O::AdmittedCausationDisputed | O::Denied) {
        errors.add(
            "outcome",
            "outcome_not_for_track",
            "small claims are admitted, admitted_in_part, admitted_causation_disputed or denied",
        );
    }
    if input.compensator_reference.is_none() {
        errors.add("compensator_reference", "required", "is required with the liability decision");
    }
    let in_part = input.outcome == O::AdmittedInPart;
    match (&input.contributory_negligence, in_part) {
        (None, true) => {
            errors.add("contributory_negligence", "required", "is required with admitted_in_part")
        }
        (Some(_), false) => {
            errors.add("contributory_negligence", "not_applicable", "only with admitted_in_part")
        }
        (Some(cn), true) if !is_partial(cn.percent) => errors.add(
            "contributory_negligence.percent",
            "out_of_range",
            "must be more than 0 and less than 100",
        ),
        _ => {}
    }
    let denied = input.outcome == O::Denied;
    let has_version = input.version_of_events.as_deref().is_some_and(|v| !v.trim().is_empty());
    if denied && !has_version {
        errors.add("version_of_events", "required", "a denial gives the compensator's version of events");
    }
    if denied && input.statement_of_truth != Some(true) {
        errors.add("statement_of_truth", "must_be_true", "a denial is signed with a statement of truth");
    }
    for (present, field) in input.denial_fields() {
        if present && !denied {
            errors.add(field, "not_applicable", "only with denied");
        }
    }
    for (present, field) in input.vehicle_fields() {
        if present {
            errors.add(field, "not_applicable", "may only be given for rta claims");
        }
    }
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    if let Some(reference) = input.compensator_reference {
        change.claim.cm_reference = Some(reference);
        change.claim.lifecycle.acknowledged_at = Some(change.now);
    }
    let decision = LiabilityDecision {
        outcome: input.outcome,
        contributory_negligence: input.contributory_negligence,
        reasons: input.reasons,
        compensator_contact: Some(input.compensator_contact),
        rehabilitation_offered: input.rehabilitation_offered,
        repairs_offered: None,
        replacement_vehicle_offered: None,
        claimant_date_of_birth: Some(input.claimant_date_of_birth),
        version_of_events: input.version_of_events,
        deemed: false,
        decided_at: change.now,
    };
    record(change, decision);
    Ok(())
}

/// The response period passed without a decision: liability is deemed admitted, by the system.
pub(in super::super) fn deem_admitted(change: &mut Change) {
    let decision = LiabilityDecision {
        outcome: LiabilityOutcome::Admitted,
        contributory_negligence: None,
        reasons: None,
        compensator_contact: None,
        rehabilitation_offered: false,
        repairs_offered: None,
        replacement_vehicle_offered: None,
        claimant_date_of_birth: None,
        version_of_events: None,
        deemed: true,
        decided_at: change.now,
    };
    record(change, decision);
}

fn record(change: &mut Change, decision: LiabilityDecision) {
    let mut data = json!({ "outcome": decision.outcome, "deemed": decision.deemed });
    if let Some(cn) = &decision.contributory_negligence {
        data["contributory_negligence_percent"] = json!(cn.percent);
    }
    change.claim.status = if decision.outcome == LiabilityOutcome::Denied {
        ClaimStatus::LiabilityDenied
    } else {
        ClaimStatus::LiabilityAdmitted
    };
    change.claim.lifecycle.liability = Some(decision);
    change.meet(DeadlineName::LiabilityDecision);
    change.close_deadlines(DeadlineStatus::Cancelled);
    change.event(EventType::LiabilityDecided, data);
}

fn is_partial(percent: Percentage) -> bool {
    percent.hundredths() > 0 && percent.hundredths() < 10_000
}

/// The claimant accepts a partial admission, a causation dispute or a denial on the compensator's
/// terms: the claim goes on in `liability_admitted`.
pub(in super::super) fn accept_decision(change: &mut Change) {
    let lifecycle = &mut change.claim.lifecycle;
    lifecycle.liability_accepted_at = Some(change.now);
    let outcome = lifecycle.liability.as_ref().map(|l| l.outcome);
    change.claim.status = ClaimStatus::LiabilityAdmitted;
    change.event(EventType::LiabilityDecisionAccepted, json!({ "outcome": outcome }));
}

/// The claimant takes the claim to court by an open route.
pub(in super::super) fn exit_to_court(
    change: &mut Change,
    input: ExitToCourtInput,
) -> Result<(), ActionError> {
    let open = open_routes(change.claim);
    if !open.contains(&input.route) {
        let names: Vec<&str> = open.iter().map(|r| r.as_str()).collect();
        return Err(rule(
            "route_not_available",
            "route",
            &format!("route {} is not open now; open routes: {}", input.route, names.join(", ")),
        ));
    }
    change.claim.lifecycle.court.push(CourtReferral {
        route: input.route,
        referred_at: change.now,
        finding: None,
    });
    change.exit(input.route.exit_reason(), input.comment, ExitedBy::ClaimantRepresentative);
    if let Some(last) = change.events.last_mut() {
        last.data.insert("route".to_owned(), json!(input.route));
    }
    Ok(())
}

/// The court decided liability. Established (with any contributory negligence): the claim comes
/// back to `liability_admitted` with the finding recorded, and the medical stage goes on. Not
/// established: the claim closes with outcome `court_dismissed`.
pub(in super::super) fn resume_after_court(
    change: &mut Change,
    input: ResumeAfterCourtInput,
) -> Result<(), ActionError> {
    let percent = input.contributory_negligence_percent;
    if let Some(percent) = percent {
        if !input.liability_established {
            return Err(rule(
                "not_applicable",
                "contributory_negligence_percent",
                "only when the court established liability",
            ));
        }
        if !is_partial(percent) {
            return Err(rule(
                "out_of_range",
                "contributory_negligence_percent",
                "must be more than 0 and less than 100",
            ));
        }
    }
    let now = change.now;
    let lifecycle = &mut change.claim.lifecycle;
    if let Some(referral) = lifecycle.court.last_mut() {
        referral.finding = Some(CourtFinding {
            liability_established: input.liability_established,
            contributory_negligence_percent: percent,
            recorded_at: now,
        });
    }
    let data = json!({
        "liability_established": input.liability_established,
        "contributory_negligence_percent": percent,
    });
    if input.liability_established {
        lifecycle.exit = None;
        lifecycle.liability_accepted_at = Some(now);
        // The court's finding is now the liability the claim goes on with.
        if let Some(liability) = lifecycle.liability.as_mut() {
            liability.outcome =
                if percent.is_some() { LiabilityOutcome::AdmittedInPart } else { LiabilityOutcome::Admitted };
            liability.contributory_negligence =
                percent.map(|percent| ContributoryNegligence { percent, seat_belt_only: false });
        }
        change.claim.status = ClaimStatus::LiabilityAdmitted;
        change.event(EventType::ResumedAfterCourt, data);
    } else {
        lifecycle.outcome = Some(Outcome::CourtDismissed);
        change.claim.status = ClaimStatus::Closed;
        change.event(EventType::ResumedAfterCourt, data);
        change.event(EventType::Closed, json!({ "outcome": Outcome::CourtDismissed }));
    }
    Ok(())
}
