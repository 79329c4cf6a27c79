use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::action::*;
use super::deadline::{DeadlineName, DeadlineStatus};
use super::state::*;
use super::*;
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::claim_type::ClaimType;
use crate::cnf::{ValidatedCnf, examples};
use crate::ids::{ClaimId, OrganisationCode};
use crate::money::Percentage;
use crate::organisation::{CompensatorType, Organisation, OrganisationKind};
use crate::party::Side;

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("instant").with_timezone(&Utc)
}

pub(super) fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

pub(super) fn compensator(code: &str, kind: CompensatorType, group: Option<&str>) -> Organisation {
    Organisation {
        code: OrganisationCode::parse(code).expect("code"),
        kind: OrganisationKind::Compensator,
        name: code.to_owned(),
        compensator_type: Some(kind),
        group: group.map(str::to_owned),
    }
}

pub(super) fn insurer() -> Organisation {
    compensator("CM00001", CompensatorType::Insurer, Some("northern"))
}

pub(super) fn calendar() -> Calendar {
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
    apply(claim, side, action, &Facts::new(&compensator), &calendar(), at(now))
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
        version_of_events: None,
        statement_of_truth: None,
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
    assert_eq!(transition.events[0].event_type.as_str(), "claim.acknowledged");
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
    let types: Vec<_> = transition.events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["claim.article_75_declared", "claim.deadline_changed"]);
    assert_eq!(transition.events[1].data["to"], "2025-10-06");
    let again = act(&transition.claim, Side::Compensator, Action::DeclareArticle75, "2025-08-26T10:00:00Z");
    assert!(matches!(again, Err(ActionError::NotAllowedNow { code: "article_75_already_declared", .. })));

    let mib = compensator("CM00003", CompensatorType::Mib, None);
    let claim = claim_of(ClaimType::Rta, &mib);
    let facts = Facts::new(&mib);
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
    assert!(matches!(refused, Err(ActionError::NotAllowedNow { code: "compensator_is_mib", .. })));
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
    assert_eq!(
        missed_ack.events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(),
        ["claim.deadline_missed"]
    );
    assert_eq!(missed_ack.events[0].data["deadline"], "acknowledgement");

    // Five business days before Mon 15 Sep is Mon 8 Sep; three is Wed 10 Sep (BST midnights).
    let five = advance_time(&missed_ack.claim, at("2025-09-07T23:00:00Z")).expect("reminder");
    assert_eq!(five.events[0].event_type.as_str(), "claim.deadline_approaching");
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
        late.events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(),
        ["claim.deadline_missed", "claim.exited"]
    );
    assert_eq!(late.claim.version, three.claim.version + 1);
    assert!(advance_time(&late.claim, at("2026-01-01T00:00:00Z")).is_none());
}

#[test]
fn a_long_jump_in_time_applies_everything_at_once_without_stale_reminders() {
    let late = advance_time(&rta(), at("2025-10-01T00:00:00Z")).expect("late");
    let types: Vec<_> = late.events.iter().map(|e| e.event_type.as_str()).collect();
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
                assert_eq!(allowed, [ActionKind::AllegeFraud, ActionKind::Exit, ActionKind::RequestErasure]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    match act(&rta(), Side::ClaimantRepresentative, acknowledge(), "2025-08-25T10:00:00Z") {
        Err(ActionError::WrongParty { allowed, .. }) => {
            assert_eq!(
                allowed,
                [
                    ActionKind::Exit,
                    ActionKind::Withdraw,
                    ActionKind::OfferTransfer,
                    ActionKind::RequestErasure
                ]
            )
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

#[test]
fn a_bulk_plan_moves_open_claims_and_says_why_others_stay() {
    let from = OrganisationCode::parse("CR00001").expect("code");
    let to = OrganisationCode::parse("CR00005").expect("code");
    let open = rta();
    let mut offered = rta();
    offered.id = ClaimId::new_v7();
    let pending = Uuid::now_v7();
    offered.lifecycle.transfer_offer = Some(PendingTransfer {
        id: pending,
        to: OrganisationCode::parse("CR00002").expect("code"),
        offered_at: at(NOTIFIED),
    });
    let mut ended = rta();
    ended.id = ClaimId::new_v7();
    ended.status = ClaimStatus::Withdrawn;
    let stranger = ClaimId::new_v7();
    let listed = [open.id, offered.id, ended.id, stranger, stranger];
    let plan = plan_bulk_transfer(
        vec![open.clone(), offered.clone(), ended.clone()],
        Some(&listed),
        Side::ClaimantRepresentative,
        &from,
        &to,
        at("2025-09-01T10:00:00Z"),
    );
    assert_eq!(plan.skipped, [(stranger, BulkSkip::NotFound), (ended.id, BulkSkip::Terminal)]);
    assert_eq!(plan.moves.len(), 2);
    for (before, transition) in &plan.moves {
        assert_eq!(transition.claim.claimant_representative, to);
        assert_eq!(transition.claim.version, before.version + 1);
        assert_eq!(
            transition.claim.lifecycle.deadlines, before.lifecycle.deadlines,
            "deadlines keep running"
        );
        assert_eq!(transition.claim.created_by, before.created_by);
        assert_eq!(transition.events[0].event_type.as_str(), "claim.transferred");
        assert!(transition.events[0].tell_previous_parties, "the organisation left behind is told");
        assert_eq!(transition.events[0].data["from"], "CR00001");
    }
    let (_, moved_offer) = &plan.moves[1];
    assert!(moved_offer.claim.lifecycle.transfer_offer.is_none(), "a pending offer cannot follow the claim");
    assert_eq!(
        moved_offer.transfer,
        Some(TransferNote::Closed { id: pending, outcome: TransferOutcome::Cancelled })
    );
    assert_eq!(plan.moves[0].1.transfer, None);
}

/// One step of a random claim life.
#[derive(Clone, Debug)]
enum Step {
    /// A party takes action number `.1`; `.2` varies its details (how far an extension goes).
    Act(Side, u8, u8),
    Wait(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop_oneof![Just(Side::ClaimantRepresentative), Just(Side::Compensator)], 0u8..31, 0u8..40)
            .prop_map(|(s, a, extra)| Step::Act(s, a, extra)),
        1 => (1u16..2000).prop_map(Step::Wait),
    ]
}

/// The consideration period an extension by `side` would move now, if any.
fn period_end(claim: &Claim) -> Option<NaiveDate> {
    let name = if claim.status == ClaimStatus::SettlementPackSent {
        DeadlineName::InitialConsideration
    } else {
        DeadlineName::TotalConsideration
    };
    claim.lifecycle.open_deadline(name).map(|d| d.due_date)
}

fn action_for(choice: u8, extra: u8, claim: &Claim) -> Action {
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
        // An extension of 1 to 40 business days past the period's end (any day, when no period
        // runs), and one to a calendar day that may be a weekend or holiday.
        12 => Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: period_end(claim)
                .map_or(date("2026-01-01"), |end| calendar().add_business_days(end, u32::from(extra) + 1)),
            agreed_with: "Sam".to_owned(),
        }),
        30 => Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: period_end(claim).unwrap_or(date("2026-01-01"))
                + chrono::Duration::days(i64::from(extra) - 5),
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
    fn random_lives_stay_well_formed(start in 0u8..4, steps in proptest::collection::vec(step(), 1..60)) {
        let compensators = [insurer(), compensator("CM00002", CompensatorType::Insurer, Some("northern"))];
        let mut claim = starting_point(start);
        let mut now = claim.updated_at;
        for step in steps {
            let compensator = compensators.iter().find(|c| c.code == claim.compensator).expect("known");
            let facts = Facts::new(compensator);
            let before = claim.clone();
            let result = match step {
                Step::Wait(hours) => {
                    now += chrono::Duration::hours(i64::from(hours));
                    advance_time(&claim, now).map(Ok)
                }
                Step::Act(side, choice, extra) => {
                    let action = action_for(choice, extra, &claim);
                    let kind = action.kind();
                    let predicted = allowed_actions(&claim, side, &facts).contains(&kind);
                    let result = apply(&claim, side, action, &facts, &calendar(), now);
                    let refused_by_status = matches!(result, Err(ActionError::NotAllowedInStatus { .. } | ActionError::NotAllowedNow { .. } | ActionError::WrongParty { .. }));
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
            // A status that time must be able to move on always has its deadline running, owned
            // by the party the claim waits for.
            let driving = deadline::driving_deadlines(claim.status);
            if !driving.is_empty() {
                let running: Vec<_> =
                    claim.lifecycle.deadlines.iter().filter(|d| d.is_open() && driving.contains(&d.name)).collect();
                prop_assert!(!running.is_empty(), "{:?} with no running {:?}: {:?}", claim.status, driving, claim.lifecycle.deadlines);
                if claim.status == ClaimStatus::Negotiating {
                    let turn = claim.lifecycle.current_offer().map(|o| o.by.other());
                    prop_assert!(running.iter().all(|d| Some(d.party) == turn), "the deadline is the answering party's");
                }
            }
            if claim.status == ClaimStatus::SettlementPackSent {
                let initial = claim.lifecycle.open_deadline(DeadlineName::InitialConsideration).map(|d| d.due_date);
                let total = claim.lifecycle.open_deadline(DeadlineName::TotalConsideration).map(|d| d.due_date);
                prop_assert!(
                    matches!((initial, total), (Some(i), Some(t)) if t >= calendar().add_business_days(i, 20)),
                    "the negotiation keeps 20 business days after the initial end: {:?} {:?}", initial, total
                );
            }
            prop_assert!(ClaimStatus::ALL.contains(&claim.status));
        }
    }
}

/// Where a random life starts: a new claim, or one already in Stage 2 (so that random steps
/// explore the negotiation as often as Stage 1).
fn starting_point(which: u8) -> Claim {
    let mut admitted = rta();
    admitted.status = ClaimStatus::LiabilityAdmitted;
    admitted.lifecycle.deadlines.clear();
    let pack_sent = || ok(&admitted, Side::ClaimantRepresentative, stage2::pack(900_000));
    match which {
        0 => rta(),
        1 => admitted.clone(),
        2 => pack_sent(),
        _ => ok(
            &pack_sent(),
            Side::Compensator,
            Action::RespondSettlementPack(RespondSettlementPackInput {
                response: PackResponse::CounterOffer,
                counter_offer: Some(stage2::offer(700_000)),
                reasons: None,
            }),
        ),
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
            Err(ActionError::NotAllowedNow { code: "interim_not_extendable", .. })
        ));

        let large = step(&admitted(), Side::ClaimantRepresentative, interim(250_000), "2025-05-30T10:00:00Z");
        assert_eq!(due(&large, DeadlineName::InterimPayment), date("2025-06-20"));
        let extended = step(&large, Side::Compensator, Action::ExtendInterimDeadline, "2025-06-02T10:00:00Z");
        assert_eq!(due(&extended, DeadlineName::InterimPayment), date("2025-07-11"));
        assert!(matches!(
            act(&extended, Side::Compensator, Action::ExtendInterimDeadline, "2025-06-03T10:00:00Z"),
            Err(ActionError::NotAllowedNow { code: "interim_already_extended", .. })
        ));
        // One request at a time, and at least £1,000.
        assert!(matches!(
            act(&large, Side::ClaimantRepresentative, interim(150_000), "2025-06-02T10:00:00Z"),
            Err(ActionError::NotAllowedNow { code: "interim_request_open", .. })
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
            allowed_actions(&paid, Side::ClaimantRepresentative, &Facts::new(&insurer()))[2..],
            [
                ActionKind::AcceptPartialInterim,
                ActionKind::DeclinePartialInterim,
                ActionKind::OfferTransfer,
                ActionKind::RequestErasure
            ]
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
            Err(ActionError::NotAllowedNow { code: "further_consideration_running", .. })
        ));
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-06-01"),
            agreed_with: "Sam".to_owned(),
        });
        assert!(matches!(
            act(&late, Side::Compensator, extend, "2026-05-08T10:00:00Z"),
            Err(ActionError::NotAllowedNow { code: "further_consideration_running", .. })
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

    /// An extension agreed before the pack is answered moves the total period with the initial
    /// one, so a later counter-offer still negotiates against a running period and the claim
    /// reaches `no_agreement` when it ends.
    #[test]
    fn an_extension_before_the_answer_keeps_the_negotiation_period() {
        let sent = step(&admitted(), Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        assert_eq!(due(&sent, DeadlineName::InitialConsideration), date("2026-04-14"));
        assert_eq!(due(&sent, DeadlineName::TotalConsideration), date("2026-05-13"));
        // Agreed on 1 Apr: the compensator answers by 29 May, past the original total end.
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-05-29"),
            agreed_with: "Pat".to_owned(),
        });
        let extended = act(&sent, Side::Compensator, extend, "2026-04-01T10:00:00Z").expect("accepted");
        let changed: Vec<_> = extended
            .events
            .iter()
            .filter(|e| e.event_type.as_str() == "claim.deadline_changed")
            .map(|e| (e.data["deadline"].clone(), e.data["to"].clone()))
            .collect();
        assert_eq!(
            changed,
            [
                (serde_json::json!("initial_consideration"), serde_json::json!("2026-05-29")),
                (serde_json::json!("total_consideration"), serde_json::json!("2026-06-26")),
            ]
        );
        let extended = extended.claim;
        assert_eq!(due(&extended, DeadlineName::TotalConsideration), date("2026-06-26"));
        // The original total end passes with nothing lost.
        let later = advance_time(&extended, at("2026-05-20T10:00:00Z")).map_or(extended.clone(), |t| t.claim);
        assert_eq!(later.status, ClaimStatus::SettlementPackSent);
        let answer = Action::RespondSettlementPack(RespondSettlementPackInput {
            response: PackResponse::CounterOffer,
            counter_offer: Some(offer(700_000)),
            reasons: None,
        });
        let countered = step(&later, Side::Compensator, answer, "2026-05-27T10:00:00Z");
        assert_eq!(countered.status, ClaimStatus::Negotiating);
        let total = countered.lifecycle.open_deadline(DeadlineName::TotalConsideration).expect("running");
        assert_eq!((total.due_date, total.party), (date("2026-06-26"), Side::ClaimantRepresentative));
        let ended = advance_time(&countered, at("2026-06-26T23:00:01Z")).expect("the period ends").claim;
        assert_eq!(ended.status, ClaimStatus::NoAgreement);

        // During the negotiation an extension moves the total end.
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-07-03"),
            agreed_with: "Sam".to_owned(),
        });
        let moved = step(&countered, Side::ClaimantRepresentative, extend, "2026-06-01T10:00:00Z");
        assert_eq!(due(&moved, DeadlineName::TotalConsideration), date("2026-07-03"));
    }

    #[test]
    fn an_extension_names_a_business_day_after_the_current_end() {
        let sent = step(&admitted(), Side::ClaimantRepresentative, pack(900_000), "2026-03-20T10:00:00Z");
        for (to, code) in [
            ("2026-04-14", "not_later"),
            ("2026-04-10", "not_later"),
            ("2026-04-18", "not_a_business_day"),
            ("2026-05-04", "not_a_business_day"),
        ] {
            let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
                to: date(to),
                agreed_with: "Pat".to_owned(),
            });
            match act(&sent, Side::Compensator, extend, "2026-04-01T10:00:00Z") {
                Err(ActionError::Rule { code: found, field: Some("to"), .. }) => {
                    assert_eq!(found, code, "{to}")
                }
                other => panic!("{to}: {other:?}"),
            }
        }
        // Once the period has ended (before the sweeper applied it), it cannot be extended.
        let extend = Action::ExtendConsiderationPeriod(ExtendConsiderationPeriodInput {
            to: date("2026-04-21"),
            agreed_with: "Pat".to_owned(),
        });
        assert!(matches!(
            act(&sent, Side::Compensator, extend, "2026-04-15T10:00:00Z"),
            Err(ActionError::Rule { code: "period_ended", .. })
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
        let exit = || Action::Exit(ExitInput { reason: ExitReason::Stage1CostsNotPaid, comment: None });
        // The claim shows the window before it opens; an early exit says when it opens and closes.
        let window = |claim: &Claim, today: &str| {
            exit_windows(claim, &calendar(), date(today))
                .into_iter()
                .find(|w| w.reason == ExitReason::Stage1CostsNotPaid)
        };
        let before = window(&sent, "2026-04-01").expect("a window");
        assert_eq!(
            (before.opens_on, before.closes_on, before.status),
            (date("2026-04-08"), Some(date("2026-04-21")), WindowStatus::NotYetOpen)
        );
        match act(&sent, Side::ClaimantRepresentative, exit(), "2026-04-01T10:00:00Z") {
            Err(ActionError::Conflict { code: "exit_condition_not_met", message, .. }) => {
                assert!(message.contains("2026-04-08") && message.contains("2026-04-21"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let missed = advance_time(&sent, at("2026-04-08T10:00:00Z")).expect("missed").claim;
        assert_eq!(window(&missed, "2026-04-08").map(|w| w.status), Some(WindowStatus::Open));
        assert!(act(&missed, Side::ClaimantRepresentative, exit(), "2026-04-21T10:00:00Z").is_ok());
        assert_eq!(window(&missed, "2026-04-22").map(|w| w.status), Some(WindowStatus::Closed));
        match act(&missed, Side::ClaimantRepresentative, exit(), "2026-04-22T10:00:00Z") {
            Err(ActionError::Conflict { code: "exit_condition_not_met", message, .. }) => {
                assert!(message.contains("closed") && message.contains("2026-04-21"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // Once paid, the window is gone and the refusal says so.
        let payment = Action::RecordPayment(RecordPaymentInput {
            kind: PaymentKind::Stage1Costs,
            amount_pence: 20_000,
            paid_on: date("2026-04-09"),
        });
        let paid = step(&missed, Side::Compensator, payment, "2026-04-09T10:00:00Z");
        assert!(window(&paid, "2026-04-10").is_none());
        match act(&paid, Side::ClaimantRepresentative, exit(), "2026-04-10T10:00:00Z") {
            Err(ActionError::Conflict { message, .. }) => {
                assert!(message.contains("is recorded"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refused_exit_names_the_missing_fact() {
        let exit = |reason| Action::Exit(ExitInput { reason, comment: None });
        for (reason, words) in [
            (ExitReason::LiabilityNotAdmitted, "no liability decision"),
            (ExitReason::ContributoryNegligenceAlleged, "no allegation of contributory negligence"),
            (ExitReason::InterimPaymentNotPaid, "no interim payment request"),
            (ExitReason::PartialInterimNotAccepted, "no part payment"),
            (ExitReason::SettlementPaymentNotMade, "no settlement payment is due"),
            (ExitReason::Stage1CostsNotPaid, "settlement pack has not been sent"),
        ] {
            match act(&admitted(), Side::ClaimantRepresentative, exit(reason), "2026-03-20T10:00:00Z") {
                Err(ActionError::Conflict { code: "exit_condition_not_met", message, .. }) => {
                    assert!(message.contains(words), "{reason}: {message}");
                }
                other => panic!("{reason}: {other:?}"),
            }
        }
    }

    #[test]
    fn children_settle_through_the_court() {
        let mut child = admitted();
        child.child = true;
        assert!(
            !allowed_actions(&child, Side::ClaimantRepresentative, &Facts::new(&insurer()))
                .contains(&ActionKind::RequestInterimPayment)
        );
        match act(&child, Side::ClaimantRepresentative, interim(100_000), "2026-03-20T10:00:00Z") {
            Err(ActionError::NotAllowedNow { code: "claimant_is_child", reason, .. }) => {
                assert!(reason.contains("child"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
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
            allowed_actions(&settled, Side::ClaimantRepresentative, &Facts::new(&insurer())),
            [
                ActionKind::Exit,
                ActionKind::Withdraw,
                ActionKind::SendCourtPack,
                ActionKind::OfferTransfer,
                ActionKind::RequestErasure
            ]
        );
    }
}
