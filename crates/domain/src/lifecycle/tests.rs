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
            assert_eq!(allowed, [ActionKind::Exit, ActionKind::Withdraw, ActionKind::OfferTransfer])
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
        4 => (prop_oneof![Just(Side::ClaimantRepresentative), Just(Side::Compensator)], 0u8..30).prop_map(|(s, a)| Step::Act(s, a)),
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
        13 => exit(ExitReason::Stage1CostsNotPaid),
        14 => stage2::interim(100_000),
        15 => stage2::interim(250_000),
        16 => Action::RespondInterimPayment(RespondInterimPaymentInput {
            response: InterimResponse::PaidInFull,
            amount_pence: None,
            reasons: None,
        }),
        17 => Action::RespondInterimPayment(RespondInterimPaymentInput {
            response: InterimResponse::PaidInPart,
            amount_pence: Some(120_000),
            reasons: None,
        }),
        18 => Action::ExtendInterimDeadline,
        19 => Action::AcceptPartialInterim,
        20 => Action::DeclinePartialInterim(DeclinePartialInterimInput::default()),
        21 => Action::ConfirmInterimReceived,
        22 => stage2::pack(900_000),
        23 => Action::RespondSettlementPack(RespondSettlementPackInput {
            response: PackResponse::CounterOffer,
            counter_offer: Some(stage2::offer(700_000)),
            reasons: None,
        }),
        24 => Action::CounterOffer(stage2::offer(800_000)),
        25 => Action::AcceptOffer,
        26 => Action::RecordPayment(RecordPaymentInput {
            kind: PaymentKind::Stage1Costs,
            amount_pence: 20_000,
            paid_on: date("2025-08-22"),
        }),
        27 => Action::RecordPayment(RecordPaymentInput {
            kind: PaymentKind::Settlement,
            amount_pence: 500_000,
            paid_on: date("2025-08-22"),
        }),
        28 => Action::ConfirmSettlementReceived,
        _ => Action::SendCourtPack(SendCourtPackInput {
            agreed_heads: Vec::new(),
            disputed_heads: vec![crate::losses::LossHead::GeneralDamages],
            disbursements_pence: 0,
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Random action sequences never reach an undefined state: versions grow by one per accepted
    /// change, terminal claims accept nothing and keep no open deadline, and `allowed_actions`
    /// predicts exactly which actions pass the status and party checks.
    #[test]
    fn random_lives_stay_well_formed(steps in proptest::collection::vec(step(), 1..60)) {
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

mod stage2 {
    use super::*;
    use crate::losses::{LossHead, LossLineInput};
    use crate::money::Pence;

    fn admitted() -> Claim {
        let mut claim = rta();
        claim.status = ClaimStatus::LiabilityAdmitted;
        claim.lifecycle.deadlines.clear();
        claim
    }

    fn lines(amounts: &[(LossHead, i64)]) -> Vec<LossLineInput> {
        amounts
            .iter()
            .map(|(head, gross)| LossLineInput {
                head: *head,
                gross_pence: Some(*gross),
                contributory_negligence_percent: None,
                evidence_attached: true,
                comment: None,
                tariff: None,
            })
            .collect()
    }

    pub(super) fn offer(gross: i64) -> CounterOfferInput {
        CounterOfferInput {
            losses: lines(&[(LossHead::GeneralDamages, gross)]),
            gross_pence: gross,
            cru_deduction_pence: None,
            disbursements_pence: None,
        }
    }

    pub(super) fn interim(amount: i64) -> Action {
        Action::RequestInterimPayment(RequestInterimPaymentInput {
            amount_pence: amount,
            medical_report_reference: "MR-1".to_owned(),
            losses: lines(&[(LossHead::VehicleRepair, amount)]),
        })
    }

    pub(super) fn pack(gross: i64) -> Action {
        Action::SendSettlementPack(SendSettlementPackInput {
            losses: lines(&[(LossHead::GeneralDamages, gross)]),
            disbursements_pence: 0,
            medical_report_references: vec!["MR-1".to_owned()],
            london_weighting: false,
            statement_of_truth: true,
        })
    }

    fn counter(gross: i64, cru: Option<i64>) -> Action {
        Action::CounterOffer(CounterOfferInput {
            losses: lines(&[(LossHead::GeneralDamages, gross)]),
            gross_pence: gross,
            cru_deduction_pence: cru,
            disbursements_pence: None,
        })
    }

    fn step(claim: &Claim, side: Side, action: Action, now: &str) -> Claim {
        act(claim, side, action, now).expect("accepted").claim
    }

    fn due(claim: &Claim, name: DeadlineName) -> NaiveDate {
        claim.lifecycle.open_deadline(name).map(|d| d.due_date).expect("open deadline")
    }

    #[test]
    fn scenario_10_and_11_interim_payment_periods() {
        let small = step(&admitted(), Side::ClaimantRepresentative, interim(100_000), "2025-05-30T10:00:00Z");
        assert_eq!(due(&small, DeadlineName::InterimPayment), date("2025-06-13"));
        assert!(matches!(
            act(&small, Side::Compensator, Action::ExtendInterimDeadline, "2025-06-02T10:00:00Z"),
            Err(ActionError::NotAllowedInStatus { .. })
        ));

        let large = step(&admitted(), Side::ClaimantRepresentative, interim(250_000), "2025-05-30T10:00:00Z");
        assert_eq!(due(&large, DeadlineName::InterimPayment), date("2025-06-20"));
        let extended = step(&large, Side::Compensator, Action::ExtendInterimDeadline, "2025-06-02T10:00:00Z");
        assert_eq!(due(&extended, DeadlineName::InterimPayment), date("2025-07-11"));
        assert!(matches!(
            act(&extended, Side::Compensator, Action::ExtendInterimDeadline, "2025-06-03T10:00:00Z"),
            Err(ActionError::NotAllowedInStatus { .. })
        ));
        // One request at a time, and at least £1,000.
        assert!(matches!(
            act(&large, Side::ClaimantRepresentative, interim(150_000), "2025-06-02T10:00:00Z"),
            Err(ActionError::NotAllowedInStatus { .. })
        ));
        assert!(matches!(
            act(&admitted(), Side::ClaimantRepresentative, interim(99_999), "2025-06-02T10:00:00Z"),
            Err(ActionError::Rule { code: "below_interim_minimum", .. })
        ));
    }

    #[test]
    fn interim_part_payments_and_the_exits_they_open() {
        let requested =
            step(&admitted(), Side::ClaimantRepresentative, interim(250_000), "2025-05-30T10:00:00Z");
        let part = Action::RespondInterimPayment(RespondInterimPaymentInput {
            response: InterimResponse::PaidInPart,
            amount_pence: Some(120_000),
            reasons: None,
        });
        let paid = step(&requested, Side::Compensator, part, "2025-06-05T10:00:00Z");
        assert_eq!(
            allowed_actions(&paid, Side::ClaimantRepresentative, &Facts { compensator: &insurer() })[2..],
            [ActionKind::AcceptPartialInterim, ActionKind::DeclinePartialInterim, ActionKind::OfferTransfer]
        );
        let declined = step(
            &paid,
            Side::ClaimantRepresentative,
            Action::DeclinePartialInterim(DeclinePartialInterimInput::default()),
            "2025-06-06T10:00:00Z",
        );
        assert_eq!(declined.lifecycle.interim_paid(), Pence::new(120_000));
        let exit = Action::Exit(ExitInput { reason: ExitReason::PartialInterimNotAccepted, comment: None });
        assert_eq!(
            step(&declined, Side::ClaimantRepresentative, exit, "2025-06-06T11:00:00Z").status,
            ClaimStatus::Exited
        );

        // Unpaid past its deadline: the representative may exit.
        let late = advance_time(&requested, at("2025-06-21T00:00:00Z")).expect("missed").claim;
        let exit = Action::Exit(ExitInput { reason: ExitReason::InterimPaymentNotPaid, comment: None });
        assert_eq!(
            step(&late, Side::ClaimantRepresentative, exit.clone(), "2025-06-23T10:00:00Z").status,
            ClaimStatus::Exited
        );
        assert!(matches!(
            act(&requested, Side::ClaimantRepresentative, exit, "2025-06-02T10:00:00Z"),
            Err(ActionError::Conflict { .. })
        ));
    }

    #[test]
    fn scenarios_12_and_13_consideration_periods_and_a_late_offer() {
        let sent = step(&admitted(), Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        assert_eq!(sent.status, ClaimStatus::SettlementPackSent);
        assert_eq!(due(&sent, DeadlineName::InitialConsideration), date("2026-04-14"));
        assert_eq!(due(&sent, DeadlineName::TotalConsideration), date("2026-05-13"));
        let answer = Action::RespondSettlementPack(RespondSettlementPackInput {
            response: PackResponse::CounterOffer,
            counter_offer: Some(CounterOfferInput {
                losses: lines(&[(LossHead::GeneralDamages, 700_000)]),
                gross_pence: 700_000,
                cru_deduction_pence: None,
                disbursements_pence: None,
            }),
            reasons: None,
        });
        let negotiating = step(&sent, Side::Compensator, answer, "2026-04-10T10:00:00Z");
        assert_eq!(negotiating.status, ClaimStatus::Negotiating);

        let late =
            step(&negotiating, Side::ClaimantRepresentative, counter(820_000, None), "2026-05-07T10:00:00Z");
        assert_eq!(due(&late, DeadlineName::FurtherConsideration), date("2026-05-20"));
        assert!(late.lifecycle.offers.last().is_some_and(|o| o.late));
        assert!(matches!(
            act(&late, Side::Compensator, counter(800_000, Some(0)), "2026-05-08T10:00:00Z"),
            Err(ActionError::NotAllowedInStatus { .. })
        ));
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-06-01"),
            agreed_with: "Sam".to_owned(),
        });
        assert!(matches!(
            act(&late, Side::Compensator, extend, "2026-05-08T10:00:00Z"),
            Err(ActionError::NotAllowedInStatus { .. })
        ));
        let accepted = step(&late, Side::Compensator, Action::AcceptOffer, "2026-05-19T10:00:00Z");
        assert_eq!(accepted.status, ClaimStatus::Settled);

        assert!(
            advance_time(&late, at("2026-05-20T22:59:59Z"))
                .is_none_or(|t| t.claim.status == ClaimStatus::Negotiating)
        );
        let lapsed = advance_time(&late, at("2026-05-20T23:00:01Z")).expect("lapsed");
        assert_eq!(lapsed.claim.status, ClaimStatus::NoAgreement);
    }

    #[test]
    fn an_agreed_extension_moves_the_period_and_records_who_agreed() {
        let sent = step(&admitted(), Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-04-21"),
            agreed_with: "Pat".to_owned(),
        });
        let extended = step(&sent, Side::Compensator, extend, "2026-04-01T10:00:00Z");
        let deadline = extended.lifecycle.open_deadline(DeadlineName::InitialConsideration).expect("open");
        assert_eq!(deadline.due_date, date("2026-04-21"));
        assert_eq!(deadline.extensions[0].agreed_with, "Pat");
        // A calendar change does not move an agreed date.
        assert!(
            recompute_deadlines(&extended, &Calendar::new([date("2026-04-20")]), at("2026-04-02T10:00:00Z"))
                .is_none_or(|t| t
                    .claim
                    .lifecycle
                    .open_deadline(DeadlineName::InitialConsideration)
                    .map(|d| d.due_date)
                    == Some(date("2026-04-21")))
        );
        let earlier = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-04-10"),
            agreed_with: "Pat".to_owned(),
        });
        assert!(matches!(
            act(&extended, Side::Compensator, earlier, "2026-04-01T10:00:00Z"),
            Err(ActionError::Rule { code: "not_later", .. })
        ));
    }

    #[test]
    fn scenario_14_settlement_sums_and_payment() {
        let mut claim =
            step(&admitted(), Side::ClaimantRepresentative, interim(100_000), "2026-03-02T10:00:00Z");
        let full = Action::RespondInterimPayment(RespondInterimPaymentInput {
            response: InterimResponse::PaidInFull,
            amount_pence: None,
            reasons: None,
        });
        claim = step(&claim, Side::Compensator, full, "2026-03-04T10:00:00Z");
        claim = step(
            &claim,
            Side::ClaimantRepresentative,
            Action::ConfirmInterimReceived,
            "2026-03-05T10:00:00Z",
        );
        claim = step(&claim, Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        let answer = Action::RespondSettlementPack(RespondSettlementPackInput {
            response: PackResponse::CounterOffer,
            counter_offer: Some(CounterOfferInput {
                losses: lines(&[(LossHead::GeneralDamages, 840_000)]),
                gross_pence: 840_000,
                cru_deduction_pence: Some(0),
                disbursements_pence: None,
            }),
            reasons: None,
        });
        claim = step(&claim, Side::Compensator, answer, "2026-04-10T10:00:00Z");
        claim = step(&claim, Side::ClaimantRepresentative, Action::AcceptOffer, "2026-04-30T10:00:00Z");
        let settlement = claim.lifecycle.settlement.clone().expect("settled");
        assert_eq!(settlement.sums.damages_pence, Pence::new(740_000));
        assert_eq!(settlement.sums.stage2_costs_pence, Pence::new(30_000));
        assert_eq!(settlement.sums.stage1_costs_pence, Pence::new(20_000));
        assert_eq!(settlement.payment_due_date, Some(date("2026-05-15")));

        let pay = Action::RecordPayment(RecordPaymentInput {
            kind: PaymentKind::Settlement,
            amount_pence: 790_000,
            paid_on: date("2026-05-12"),
        });
        claim = step(&claim, Side::Compensator, pay, "2026-05-12T10:00:00Z");
        claim = step(
            &claim,
            Side::ClaimantRepresentative,
            Action::ConfirmSettlementReceived,
            "2026-05-13T10:00:00Z",
        );
        assert_eq!((claim.status, claim.lifecycle.outcome), (ClaimStatus::Closed, Some(Outcome::Settled)));
        assert!(claim.lifecycle.deadlines.iter().all(|d| !d.is_open()));
    }

    #[test]
    fn scenario_15_the_court_pack() {
        let mut claim = admitted();
        claim.status = ClaimStatus::NoAgreement;
        let send = Action::SendCourtPack(SendCourtPackInput {
            agreed_heads: vec![LossHead::VehicleRepair],
            disputed_heads: vec![LossHead::GeneralDamages],
            disbursements_pence: 0,
        });
        let sent = step(&claim, Side::ClaimantRepresentative, send, "2026-12-21T10:00:00Z");
        assert_eq!(due(&sent, DeadlineName::CourtPackComments), date("2026-12-30"));
        assert_eq!(due(&sent, DeadlineName::CourtPackPayment), date("2027-01-14"));
        let answer = Action::RespondCourtPack(RespondCourtPackInput {
            comments: "We maintain our offer.".to_owned(),
            final_offer_paid: true,
        });
        let closed = step(&sent, Side::Compensator, answer, "2026-12-29T10:00:00Z");
        assert_eq!(
            (closed.status, closed.lifecycle.outcome),
            (ClaimStatus::Closed, Some(Outcome::CourtProceedings))
        );
    }

    #[test]
    fn stage1_costs_exit_window_is_ten_business_days_after_the_deadline() {
        let sent = step(&admitted(), Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        assert_eq!(due(&sent, DeadlineName::Stage1Costs), date("2026-04-07"));
        let missed = advance_time(&sent, at("2026-04-08T10:00:00Z")).expect("missed").claim;
        let exit = || Action::Exit(ExitInput { reason: ExitReason::Stage1CostsNotPaid, comment: None });
        assert!(act(&missed, Side::ClaimantRepresentative, exit(), "2026-04-21T10:00:00Z").is_ok());
        assert!(matches!(
            act(&missed, Side::ClaimantRepresentative, exit(), "2026-04-22T10:00:00Z"),
            Err(ActionError::Conflict { .. })
        ));
    }

    #[test]
    fn children_settle_through_the_court() {
        let mut child = admitted();
        child.child = true;
        assert!(
            !allowed_actions(&child, Side::ClaimantRepresentative, &Facts { compensator: &insurer() })
                .contains(&ActionKind::RequestInterimPayment)
        );
        let sent = step(&child, Side::ClaimantRepresentative, pack(500_000), "2026-03-20T10:00:00Z");
        assert!(sent.lifecycle.open_deadline(DeadlineName::Stage1Costs).is_none());
        let accept = Action::RespondSettlementPack(RespondSettlementPackInput {
            response: PackResponse::Accept,
            counter_offer: None,
            reasons: None,
        });
        let settled = step(&sent, Side::Compensator, accept, "2026-03-25T10:00:00Z");
        let settlement = settled.lifecycle.settlement.clone().expect("settled");
        assert!(settlement.requires_court_approval);
        assert_eq!(settlement.sums.stage1_costs_pence, Pence::ZERO);
        assert_eq!(
            allowed_actions(&settled, Side::ClaimantRepresentative, &Facts { compensator: &insurer() }),
            [ActionKind::Exit, ActionKind::Withdraw, ActionKind::SendCourtPack, ActionKind::OfferTransfer]
        );
    }
}
