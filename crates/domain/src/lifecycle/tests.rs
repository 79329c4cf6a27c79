use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;

use super::action::*;
use super::deadline::{DeadlineName, DeadlineStatus};
use super::percentage::Percentage;
use super::state::*;
use super::*;
use crate::calendar::Calendar;
use crate::claim::{Claim, ClaimStatus, ClaimType, Side};
use crate::cnf::{ValidatedCnf, examples};
use crate::ids::{ClaimId, OrganisationCode};
use crate::organisation::{CompensatorType, Organisation, OrganisationKind};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("instant").with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn compensator(code: &str, kind: CompensatorType, group: Option<&str>) -> Organisation {
    Organisation {
        code: OrganisationCode::parse(code).expect("code"),
        kind: OrganisationKind::Compensator,
        name: code.to_owned(),
        compensator_type: Some(kind),
        group: group.map(str::to_owned),
    }
}

fn insurer() -> Organisation {
    compensator("CM00001", CompensatorType::Insurer, Some("northern"))
}

fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

const NOTIFIED: &str = "2025-08-22T09:00:00Z";

fn claim_of(claim_type: ClaimType, with: &Organisation) -> Claim {
    let now = at(NOTIFIED);
    Claim {
        id: ClaimId::new_v7(),
        claim_type,
        status: ClaimStatus::Submitted,
        version: 1,
        claimant_representative: OrganisationCode::parse("CR00001").expect("code"),
        compensator: with.code.clone(),
        created_by: OrganisationCode::parse("CR00001").expect("code"),
        notification_date: date("2025-08-22"),
        child: false,
        cr_reference: "R/1".to_owned(),
        cm_reference: None,
        cnf: examples::for_type(claim_type),
        lifecycle: new_lifecycle(claim_type, with, date("2025-08-22"), &calendar()),
        submitted_at: now,
        updated_at: now,
    }
}

fn rta() -> Claim {
    claim_of(ClaimType::Rta, &insurer())
}

fn act(claim: &Claim, side: Side, action: Action, now: &str) -> Result<Transition, ActionError> {
    let compensator = insurer();
    apply(claim, side, action, &Facts { compensator: &compensator }, &calendar(), at(now))
}

fn ok(claim: &Claim, side: Side, action: Action) -> Claim {
    act(claim, side, action, "2025-08-25T10:00:00Z").expect("accepted").claim
}

fn deadline(claim: &Claim, name: DeadlineName) -> &super::deadline::Deadline {
    claim.lifecycle.deadlines.iter().find(|d| d.name == name).expect("deadline")
}

fn acknowledge() -> Action {
    Action::Acknowledge(AcknowledgeInput { compensator_reference: "CM/REF/1".to_owned() })
}

fn decision(outcome: LiabilityOutcome, negligence: Option<(u32, bool)>, claim_type: ClaimType) -> Action {
    let rta = claim_type == ClaimType::Rta;
    Action::DecideLiability(DecideLiabilityInput {
        outcome,
        contributory_negligence: negligence.map(|(percent, seat_belt_only)| ContributoryNegligence {
            percent: Percentage::from_hundredths(percent * 100),
            seat_belt_only,
        }),
        reasons: (outcome == LiabilityOutcome::NotAdmitted)
            .then(|| "Our insured denies being there.".to_owned()),
        compensator_reference: None,
        compensator_contact: CompensatorContact {
            name: "Pat Adjuster".to_owned(),
            telephone: "0161 496 0000".to_owned(),
            email: "pat@example.test".to_owned(),
        },
        rehabilitation_offered: true,
        repairs_offered: rta.then_some(false),
        replacement_vehicle_offered: rta.then_some(false),
        claimant_date_of_birth: date("1985-06-14"),
    })
}

#[test]
fn a_new_claim_has_its_stage_1_deadlines() {
    let claim = rta();
    let ack = deadline(&claim, DeadlineName::Acknowledgement);
    assert_eq!((ack.due_date, ack.party), (date("2025-08-26"), Side::Compensator));
    let liability = deadline(&claim, DeadlineName::LiabilityDecision);
    assert_eq!(liability.due_date, date("2025-09-15"));
    assert_eq!(liability.due_at, at("2025-09-15T23:00:00Z"));
    let mib = claim_of(ClaimType::Rta, &compensator("CM00003", CompensatorType::Mib, None));
    assert_eq!(deadline(&mib, DeadlineName::LiabilityDecision).due_date, date("2025-10-06"));
    let el = claim_of(ClaimType::ElAccident, &insurer());
    assert_eq!(deadline(&el, DeadlineName::LiabilityDecision).business_days, 30);
    let pl = claim_of(ClaimType::Pl, &insurer());
    assert_eq!(deadline(&pl, DeadlineName::LiabilityDecision).business_days, 40);
}

#[test]
fn acknowledging_meets_its_deadline_and_raises_the_version() {
    let claim = rta();
    let transition = act(&claim, Side::Compensator, acknowledge(), "2025-08-25T10:00:00Z").expect("ok");
    let next = &transition.claim;
    assert_eq!(next.status, ClaimStatus::AwaitingLiabilityDecision);
    assert_eq!(next.version, 2);
    assert_eq!(next.cm_reference.as_deref(), Some("CM/REF/1"));
    assert_eq!(deadline(next, DeadlineName::Acknowledgement).status, DeadlineStatus::Met);
    assert_eq!(transition.events[0].event_type, "claim.acknowledged");
    assert_eq!(transition.events[0].data["version"], 2);
    assert_eq!(transition.events[0].data["status"], "awaiting_liability_decision");
}

#[test]
fn deciding_an_unacknowledged_claim_needs_the_compensators_reference() {
    match act(
        &rta(),
        Side::Compensator,
        decision(LiabilityOutcome::Admitted, None, ClaimType::Rta),
        "2025-08-25T10:00:00Z",
    ) {
        Err(ActionError::Invalid(errors)) => {
            let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
            assert_eq!(fields, [("compensator_reference", "required")]);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn deciding_from_submitted_acknowledges_at_the_same_time() {
    let mut action = decision(LiabilityOutcome::Admitted, None, ClaimType::Rta);
    if let Action::DecideLiability(input) = &mut action {
        input.compensator_reference = Some("CM/9".to_owned());
    }
    let next = ok(&rta(), Side::Compensator, action);
    assert_eq!(next.status, ClaimStatus::LiabilityAdmitted);
    assert_eq!(next.cm_reference.as_deref(), Some("CM/9"));
    assert!(next.lifecycle.acknowledged_at.is_some());
    assert!(next.lifecycle.deadlines.iter().all(|d| !d.is_open()));
}

#[test]
fn contributory_negligence_keeps_only_rta_seat_belt_claims() {
    let acknowledged = ok(&rta(), Side::Compensator, acknowledge());
    let seat_belt = ok(
        &acknowledged,
        Side::Compensator,
        decision(LiabilityOutcome::AdmittedWithContributoryNegligence, Some((25, true)), ClaimType::Rta),
    );
    assert_eq!(seat_belt.status, ClaimStatus::LiabilityAdmitted);
    let recorded = seat_belt.lifecycle.liability.as_ref().and_then(|l| l.contributory_negligence.clone());
    assert_eq!(recorded.map(|cn| cn.percent), Some(Percentage::from_hundredths(2500)));

    let other = ok(
        &acknowledged,
        Side::Compensator,
        decision(LiabilityOutcome::AdmittedWithContributoryNegligence, Some((25, false)), ClaimType::Rta),
    );
    assert_eq!(other.status, ClaimStatus::Exited);
    assert_eq!(other.lifecycle.exit.map(|e| e.reason), Some(ExitReason::ContributoryNegligenceAlleged));

    let el = ok(&claim_of(ClaimType::ElAccident, &insurer()), Side::Compensator, acknowledge());
    let el = ok(
        &el,
        Side::Compensator,
        decision(
            LiabilityOutcome::AdmittedWithContributoryNegligence,
            Some((10, true)),
            ClaimType::ElAccident,
        ),
    );
    assert_eq!(el.lifecycle.exit.map(|e| e.reason), Some(ExitReason::ContributoryNegligenceAlleged));

    let denied =
        ok(&acknowledged, Side::Compensator, decision(LiabilityOutcome::NotAdmitted, None, ClaimType::Rta));
    assert_eq!(
        denied.lifecycle.exit.map(|e| (e.reason, e.by)),
        Some((ExitReason::LiabilityNotAdmitted, ExitedBy::Compensator))
    );
}

#[test]
fn article_75_extends_the_liability_period_once_and_never_for_the_mib() {
    let acknowledged = ok(&rta(), Side::Compensator, acknowledge());
    let transition =
        act(&acknowledged, Side::Compensator, Action::DeclareArticle75, "2025-08-26T10:00:00Z").expect("ok");
    assert_eq!(deadline(&transition.claim, DeadlineName::LiabilityDecision).due_date, date("2025-10-06"));
    let types: Vec<_> = transition.events.iter().map(|e| e.event_type).collect();
    assert_eq!(types, ["claim.article_75_declared", "claim.deadline_changed"]);
    assert_eq!(transition.events[1].data["to"], "2025-10-06");
    let again = act(&transition.claim, Side::Compensator, Action::DeclareArticle75, "2025-08-26T10:00:00Z");
    assert!(matches!(again, Err(ActionError::NotAllowedInStatus { .. })));

    let mib = compensator("CM00003", CompensatorType::Mib, None);
    let claim = claim_of(ClaimType::Rta, &mib);
    let facts = Facts { compensator: &mib };
    let claim =
        apply(&claim, Side::Compensator, acknowledge(), &facts, &calendar(), at("2025-08-25T10:00:00Z"))
            .expect("ok")
            .claim;
    let refused = apply(
        &claim,
        Side::Compensator,
        Action::DeclareArticle75,
        &facts,
        &calendar(),
        at("2025-08-25T10:00:00Z"),
    );
    assert!(matches!(refused, Err(ActionError::NotAllowedInStatus { .. })));
}

#[test]
fn the_stage_1_period_cannot_be_extended() {
    let extend = || {
        Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2025-10-01"),
            agreed_with: "Sam".to_owned(),
        })
    };
    for claim in [rta(), ok(&rta(), Side::Compensator, acknowledge())] {
        for side in [Side::ClaimantRepresentative, Side::Compensator] {
            match act(&claim, side, extend(), "2025-08-25T10:00:00Z") {
                Err(ActionError::Rule { code, .. }) => assert_eq!(code, "stage1_period_not_extendable"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn time_brings_reminders_misses_and_the_late_response_exit() {
    let claim = rta();
    assert!(advance_time(&claim, at("2025-08-26T22:59:59Z")).is_none());
    let missed_ack = advance_time(&claim, at("2025-08-26T23:00:00Z")).expect("the acknowledgement is missed");
    assert_eq!(
        missed_ack.claim.status,
        ClaimStatus::Submitted,
        "a missed acknowledgement does not end the claim"
    );
    assert_eq!(missed_ack.events.iter().map(|e| e.event_type).collect::<Vec<_>>(), ["claim.deadline_missed"]);
    assert_eq!(missed_ack.events[0].data["deadline"], "acknowledgement");

    // Five business days before Mon 15 Sep is Mon 8 Sep; three is Wed 10 Sep (BST midnights).
    let five = advance_time(&missed_ack.claim, at("2025-09-07T23:00:00Z")).expect("reminder");
    assert_eq!(five.events[0].event_type, "claim.deadline_approaching");
    assert_eq!(five.events[0].data["business_days_left"], 5);
    assert!(advance_time(&five.claim, at("2025-09-09T23:00:00Z") - chrono::Duration::seconds(1)).is_none());
    let three = advance_time(&five.claim, at("2025-09-09T23:00:00Z")).expect("reminder");
    assert_eq!(three.events[0].data["business_days_left"], 3);

    assert!(advance_time(&three.claim, at("2025-09-15T22:59:59Z")).is_none());
    let late = advance_time(&three.claim, at("2025-09-15T23:00:01Z")).expect("late");
    assert_eq!(late.claim.status, ClaimStatus::Exited);
    assert_eq!(
        late.claim.lifecycle.exit.as_ref().map(|e| (e.reason, e.by)),
        Some((ExitReason::LiabilityResponseLate, ExitedBy::System))
    );
    assert_eq!(
        late.events.iter().map(|e| e.event_type).collect::<Vec<_>>(),
        ["claim.deadline_missed", "claim.exited"]
    );
    assert_eq!(late.claim.version, three.claim.version + 1);
    assert!(advance_time(&late.claim, at("2026-01-01T00:00:00Z")).is_none());
}

#[test]
fn a_long_jump_in_time_applies_everything_at_once_without_stale_reminders() {
    let late = advance_time(&rta(), at("2025-10-01T00:00:00Z")).expect("late");
    let types: Vec<_> = late.events.iter().map(|e| e.event_type).collect();
    assert_eq!(types, ["claim.deadline_missed", "claim.deadline_missed", "claim.exited"]);
}

#[test]
fn rejection_and_resubmission_restart_stage_1() {
    let rejected = ok(
        &rta(),
        Side::Compensator,
        Action::Reject(RejectInput { reason: RejectionReason::WrongCompensator, comment: None }),
    );
    assert_eq!(rejected.status, ClaimStatus::Rejected);
    assert!(rejected.lifecycle.deadlines.iter().all(|d| d.status == DeadlineStatus::Cancelled));
    assert!(advance_time(&rejected, at("2026-01-01T00:00:00Z")).is_none());

    let other = compensator("CM00004", CompensatorType::Insurer, Some("southern"));
    let cnf = ValidatedCnf { cnf: examples::rta(), compensator: other.code.clone(), child: false };
    let resubmit = Action::Resubmit { cnf: Box::new(cnf), compensator: other.clone() };
    let transition =
        act(&rejected, Side::ClaimantRepresentative, resubmit, "2026-03-02T10:00:00Z").expect("ok");
    let again = &transition.claim;
    assert_eq!(again.status, ClaimStatus::Submitted);
    assert_eq!(again.compensator, other.code);
    assert_eq!(again.notification_date, date("2026-03-02"));
    assert_eq!(deadline(again, DeadlineName::LiabilityDecision).due_date, date("2026-03-23"));
    assert!(again.lifecycle.rejection.is_none());
    assert!(transition.events[0].tell_previous_parties);
    let told = recipients(&rejected, again, &transition.events[0]);
    assert_eq!(told.len(), 3, "both compensators and the representative");
}

#[test]
fn order_of_steps_and_parties_is_enforced() {
    let admitted = ok(
        &ok(&rta(), Side::Compensator, acknowledge()),
        Side::Compensator,
        decision(LiabilityOutcome::Admitted, None, ClaimType::Rta),
    );
    for action in [
        Action::Reject(RejectInput { reason: RejectionReason::WrongCompensator, comment: None }),
        Action::Reassign {
            to: compensator("CM00002", CompensatorType::Insurer, Some("northern")),
            reason: None,
        },
    ] {
        match act(&admitted, Side::Compensator, action, "2025-08-26T10:00:00Z") {
            Err(ActionError::NotAllowedInStatus { status, allowed, .. }) => {
                assert_eq!(status, ClaimStatus::LiabilityAdmitted);
                assert_eq!(allowed, [ActionKind::AllegeFraud, ActionKind::Exit]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    match act(&rta(), Side::ClaimantRepresentative, acknowledge(), "2025-08-25T10:00:00Z") {
        Err(ActionError::WrongParty { allowed, .. }) => {
            assert_eq!(allowed, [ActionKind::Exit, ActionKind::Withdraw])
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn reassignment_stays_within_the_group() {
    let sister = compensator("CM00002", CompensatorType::Insurer, Some("northern"));
    let moved = ok(&rta(), Side::Compensator, Action::Reassign { to: sister.clone(), reason: None });
    assert_eq!((moved.status, moved.compensator.clone()), (ClaimStatus::Submitted, sister.code));
    let outsider = compensator("CM00004", CompensatorType::Insurer, Some("southern"));
    match act(
        &rta(),
        Side::Compensator,
        Action::Reassign { to: outsider, reason: None },
        "2025-08-25T10:00:00Z",
    ) {
        Err(ActionError::Rule { code, field, .. }) => {
            assert_eq!((code, field), ("outside_group", Some("to")))
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn exits_check_who_gives_which_reason_and_the_facts_behind_it() {
    let exit = |reason, comment: Option<&str>| {
        Action::Exit(ExitInput { reason, comment: comment.map(str::to_owned) })
    };
    let claim = ok(&rta(), Side::Compensator, acknowledge());
    let short = act(
        &claim,
        Side::ClaimantRepresentative,
        exit(ExitReason::Other, Some("too short")),
        "2025-08-26T10:00:00Z",
    );
    assert!(matches!(short, Err(ActionError::Rule { code: "comment_required", .. })));
    let unpaid = act(
        &claim,
        Side::ClaimantRepresentative,
        exit(ExitReason::Stage1CostsNotPaid, None),
        "2025-08-26T10:00:00Z",
    );
    assert!(matches!(unpaid, Err(ActionError::Conflict { code: "exit_condition_not_met", .. })));
    let theirs = act(
        &claim,
        Side::Compensator,
        exit(ExitReason::SmallClaimsTrackApplies, None),
        "2025-08-26T10:00:00Z",
    );
    assert!(matches!(theirs, Err(ActionError::Rule { code: "reason_not_for_party", .. })));
    let system =
        act(&claim, Side::Compensator, exit(ExitReason::LiabilityResponseLate, None), "2025-08-26T10:00:00Z");
    assert!(matches!(system, Err(ActionError::Rule { code: "reason_not_for_party", .. })));
    let exited = ok(&claim, Side::Compensator, exit(ExitReason::ClaimUnsuitableComplex, None));
    assert_eq!(exited.lifecycle.exit.map(|e| e.by), Some(ExitedBy::Compensator));
}

#[test]
fn a_calendar_change_moves_open_deadlines() {
    let claim = rta();
    let mut holidays: Vec<_> = calendar().holidays().collect();
    holidays.push(date("2025-09-01"));
    let changed =
        recompute_deadlines(&claim, &Calendar::new(holidays), at("2025-08-27T10:00:00Z")).expect("moved");
    assert_eq!(deadline(&changed.claim, DeadlineName::LiabilityDecision).due_date, date("2025-09-16"));
    assert_eq!(changed.events.len(), 1, "the acknowledgement deadline did not move");
    assert_eq!(changed.events[0].data["from"], "2025-09-15");
    assert_eq!(changed.events[0].data["cause"], "calendar");
    assert!(recompute_deadlines(&claim, &calendar(), at("2025-08-27T10:00:00Z")).is_none());
}

/// One step of a random claim life.
#[derive(Clone, Debug)]
enum Step {
    Act(Side, u8),
    Wait(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop_oneof![Just(Side::ClaimantRepresentative), Just(Side::Compensator)], 0u8..14).prop_map(|(s, a)| Step::Act(s, a)),
        1 => (1u16..2000).prop_map(Step::Wait),
    ]
}

fn action_for(choice: u8) -> Action {
    let sister = compensator("CM00002", CompensatorType::Insurer, Some("northern"));
    let exit =
        |reason| Action::Exit(ExitInput { reason, comment: Some("A comment long enough.".to_owned()) });
    let mut decide = decision(LiabilityOutcome::Admitted, None, ClaimType::Rta);
    if let Action::DecideLiability(input) = &mut decide {
        input.compensator_reference = Some("CM/1".to_owned());
    }
    match choice {
        0 => acknowledge(),
        1 => Action::Reject(RejectInput {
            reason: RejectionReason::MandatoryInformationIncorrect,
            comment: None,
        }),
        2 => Action::Reassign { to: sister, reason: None },
        3 => decide,
        4 => decision(LiabilityOutcome::AdmittedWithContributoryNegligence, Some((20, true)), ClaimType::Rta),
        5 => decision(LiabilityOutcome::NotAdmitted, None, ClaimType::Rta),
        6 => Action::DeclareArticle75,
        7 => Action::AllegeFraud(AllegeFraudInput { description: "Staged accident suspected.".to_owned() }),
        8 => exit(ExitReason::ClaimUnsuitableComplex),
        9 => exit(ExitReason::Other),
        10 => Action::Withdraw(WithdrawInput::default()),
        11 => Action::Resubmit {
            cnf: Box::new(ValidatedCnf { cnf: examples::rta(), compensator: insurer().code, child: false }),
            compensator: insurer(),
        },
        12 => Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-01-01"),
            agreed_with: "Sam".to_owned(),
        }),
        _ => exit(ExitReason::Stage1CostsNotPaid),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random action sequences never reach an undefined state: versions grow by one per accepted
    /// change, terminal claims accept nothing and keep no open deadline, and `allowed_actions`
    /// predicts exactly which actions pass the status and party checks.
    #[test]
    fn random_lives_stay_well_formed(steps in proptest::collection::vec(step(), 1..40)) {
        let compensators = [insurer(), compensator("CM00002", CompensatorType::Insurer, Some("northern"))];
        let mut claim = rta();
        let mut now = at(NOTIFIED);
        for step in steps {
            let compensator = compensators.iter().find(|c| c.code == claim.compensator).expect("known");
            let facts = Facts { compensator };
            let before = claim.clone();
            let result = match step {
                Step::Wait(hours) => {
                    now += chrono::Duration::hours(i64::from(hours));
                    advance_time(&claim, now).map(Ok)
                }
                Step::Act(side, choice) => {
                    let action = action_for(choice);
                    let kind = action.kind();
                    let predicted = allowed_actions(&claim, side, &facts).contains(&kind);
                    let result = apply(&claim, side, action, &facts, &calendar(), now);
                    let refused_by_status = matches!(result, Err(ActionError::NotAllowedInStatus { .. } | ActionError::WrongParty { .. }));
                    let stage1_extension = matches!(result, Err(ActionError::Rule { code: "stage1_period_not_extendable", .. }));
                    prop_assert_eq!(predicted, !refused_by_status && !stage1_extension, "{:?} by {:?} in {:?}", kind, side, claim.status);
                    if before.status.is_terminal() {
                        prop_assert!(result.is_err(), "a terminal claim accepted {:?}", kind);
                    }
                    Some(result)
                }
            };
            if let Some(Ok(transition)) = result {
                prop_assert_eq!(transition.claim.version, before.version + 1);
                prop_assert!(!transition.events.is_empty());
                claim = transition.claim;
            }
            if claim.status.is_terminal() || claim.status == ClaimStatus::Rejected {
                prop_assert!(claim.lifecycle.deadlines.iter().all(|d| !d.is_open()));
            }
            prop_assert!(ClaimStatus::ALL.contains(&claim.status));
        }
    }
}
