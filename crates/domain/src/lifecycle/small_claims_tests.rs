//! The small-claims track's state machine: its periods and refusals, and random lives of small
//! claims checked against the track's permission table.

use proptest::prelude::*;

use super::action::*;
use super::deadline::{DeadlineName, DeadlineStatus};
use super::state::*;
use super::tests::{at, calendar, compensator, date, insurer};
use super::*;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::claim_type::ClaimType;
use crate::cnf::{InjuryKind, examples};
use crate::ids::{ClaimId, OrganisationCode};
use crate::losses::{LossHead, LossLineInput};
use crate::money::Percentage;
use crate::organisation::{CompensatorType, Organisation};
use crate::party::Side;

const CR: Side = Side::ClaimantRepresentative;
const CM: Side = Side::Compensator;

fn elsewhere() -> Organisation {
    compensator("CM00004", CompensatorType::Insurer, Some("southern"))
}

/// A small claim notified at `notified` to `with`, its accident on `accident`.
fn small_claim(notified: &str, with: &Organisation, accident: &str) -> Claim {
    let now = at(notified);
    let today = crate::clock::england_date(now);
    let mut cnf = examples::oic_rta();
    if let Some(a) = cnf.accident.as_mut() {
        a.date = date(accident);
    }
    Claim {
        id: ClaimId::new_v7(),
        claim_type: ClaimType::OicRta,
        status: ClaimStatus::Submitted,
        version: 1,
        claimant_representative: OrganisationCode::parse("CR00001").expect("code"),
        compensator: with.code.clone(),
        created_by: OrganisationCode::parse("CR00001").expect("code"),
        notification_date: today,
        child: false,
        cr_reference: "R/1".to_owned(),
        cm_reference: None,
        cnf,
        lifecycle: new_lifecycle(ClaimType::OicRta, with, today, &calendar()),
        submitted_at: now,
        updated_at: now,
    }
}

fn act(claim: &Claim, side: Side, action: Action, now: &str) -> Result<Transition, ActionError> {
    let with = if claim.compensator == elsewhere().code { elsewhere() } else { insurer() };
    apply(claim, side, action, &Facts::new(&with), &calendar(), at(now))
}

fn ok(claim: &Claim, side: Side, action: Action, now: &str) -> Claim {
    act(claim, side, action, now).unwrap_or_else(|e| panic!("accepted: {e:?}")).claim
}

fn decide(outcome: LiabilityOutcome) -> Action {
    Action::DecideLiability(DecideLiabilityInput {
        outcome,
        contributory_negligence: (outcome == LiabilityOutcome::AdmittedInPart).then(|| {
            ContributoryNegligence { percent: Percentage::from_hundredths(2_500), seat_belt_only: false }
        }),
        reasons: None,
        compensator_reference: Some("CM/OIC/1".to_owned()),
        compensator_contact: CompensatorContact {
            name: "Pat Adjuster".to_owned(),
            telephone: "0161 496 0000".to_owned(),
            email: "pat@example.test".to_owned(),
        },
        rehabilitation_offered: false,
        repairs_offered: None,
        replacement_vehicle_offered: None,
        claimant_date_of_birth: date("1985-06-14"),
        version_of_events: (outcome == LiabilityOutcome::Denied)
            .then(|| "Our insured was parked.".to_owned()),
        statement_of_truth: (outcome == LiabilityOutcome::Denied).then_some(true),
    })
}

fn report(injuries: &[(InjuryKind, u32)]) -> Action {
    Action::AddMedicalReport(AddMedicalReportInput {
        attachment_id: uuid::Uuid::now_v7(),
        report_date: date("2025-08-01"),
        expert_reference: "MEDCO-1".to_owned(),
        injuries: injuries
            .iter()
            .map(|(kind, months)| ReportedInjury { kind: *kind, prognosis_months: *months })
            .collect(),
    })
}

fn tariff_line(stated: Option<i64>) -> LossLineInput {
    LossLineInput {
        head: LossHead::WhiplashTariff,
        gross_pence: stated,
        contributory_negligence_percent: None,
        evidence_attached: true,
        comment: None,
        tariff: None,
    }
}

fn make_offer(stated: Option<i64>, disputed: Option<u32>) -> Action {
    Action::MakeOffer(MakeOfferInput {
        losses: vec![tariff_line(stated)],
        disputed_prognosis_months: disputed,
    })
}

#[test]
fn the_response_period_is_30_business_days_and_40_for_the_mib_and_silence_admits() {
    let claim = small_claim("2026-03-02T10:00:00Z", &insurer(), "2025-06-02");
    let due = claim.lifecycle.open_deadline(DeadlineName::LiabilityDecision).expect("running");
    assert_eq!(due.due_date, date("2026-04-15"));
    assert_eq!(claim.lifecycle.deadlines.len(), 1, "no acknowledgement deadline");
    let mib = compensator("CM00003", CompensatorType::Mib, None);
    let to_mib = small_claim("2026-03-02T10:00:00Z", &mib, "2025-06-02");
    assert_eq!(
        to_mib.lifecycle.open_deadline(DeadlineName::LiabilityDecision).map(|d| d.due_date),
        Some(date("2026-04-29"))
    );

    assert!(
        advance_time(&claim, at("2026-04-15T22:59:59Z"))
            .is_none_or(|t| t.claim.status == ClaimStatus::Submitted)
    );
    let deemed = advance_time(&claim, at("2026-04-15T23:00:01Z")).expect("time passed");
    assert_eq!(deemed.claim.status, ClaimStatus::LiabilityAdmitted);
    let liability = deemed.claim.lifecycle.liability.as_ref().expect("recorded");
    assert!(liability.deemed);
    assert_eq!(liability.outcome, LiabilityOutcome::Admitted);
    assert!(deemed.events.iter().any(|e| e.event_type == crate::events::EventType::LiabilityDecided));
}

#[test]
fn offers_wait_for_medical_evidence_and_the_tariff_values_them() {
    let claim = small_claim("2025-08-22T09:00:00Z", &insurer(), "2025-06-02");
    let admitted = ok(&claim, CM, decide(LiabilityOutcome::Admitted), "2025-08-22T10:00:00Z");
    let early = act(&admitted, CM, make_offer(None, None), "2025-08-22T10:00:00Z");
    assert!(matches!(early, Err(ActionError::Rule { code: "pre_medical_offer", .. })), "{early:?}");
    let asked = act(&admitted, CR, Action::RequestOffer, "2025-08-22T10:00:00Z");
    assert!(matches!(asked, Err(ActionError::Rule { code: "medical_report_required", .. })), "{asked:?}");

    let reported = ok(
        &admitted,
        CR,
        report(&[(InjuryKind::Whiplash, 8), (InjuryKind::MinorPsychological, 8)]),
        "2025-08-22T10:00:00Z",
    );
    let requested = ok(&reported, CR, Action::RequestOffer, "2025-08-22T10:00:00Z");
    let mismatch = act(&requested, CM, make_offer(Some(96_500), None), "2025-08-22T10:00:00Z");
    let Err(ActionError::Invalid(errors)) = mismatch else { panic!("refused: {mismatch:?}") };
    assert_eq!(errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["tariff_mismatch"]);
    let offered = ok(&requested, CM, make_offer(Some(102_500), None), "2025-08-22T10:00:00Z");
    assert_eq!(offered.lifecycle.offers[0].gross_pence.get(), 102_500);
    let disputed = ok(&requested, CM, make_offer(None, Some(5)), "2025-08-22T10:00:00Z");
    assert_eq!(disputed.lifecycle.offers[0].gross_pence.get(), 59_500);
}

#[test]
fn reassignment_reaches_any_compensator_before_the_decision_only() {
    let claim = small_claim("2025-08-22T09:00:00Z", &insurer(), "2025-06-02");
    let moved = ok(&claim, CM, Action::Reassign { to: elsewhere(), reason: None }, "2025-08-22T10:00:00Z");
    assert_eq!(moved.compensator, elsewhere().code);
    assert_eq!(moved.lifecycle.deadlines, claim.lifecycle.deadlines, "the clock runs on");
    let decided = ok(&moved, CM, decide(LiabilityOutcome::Admitted), "2025-08-22T10:00:00Z");
    let again = act(&decided, CM, Action::Reassign { to: insurer(), reason: None }, "2025-08-22T10:00:00Z");
    assert!(matches!(again, Err(ActionError::NotAllowedInStatus { .. })), "{again:?}");
}

/// One step of a random small claim's life.
#[derive(Clone, Debug)]
enum Step {
    Act(Side, u8),
    Wait(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop_oneof![Just(CR), Just(CM)], 0u8..24).prop_map(|(s, a)| Step::Act(s, a)),
        1 => (1u16..1500).prop_map(Step::Wait),
    ]
}

fn action_for(choice: u8) -> Action {
    let losses = || vec![tariff_line(None)];
    match choice {
        0 => decide(LiabilityOutcome::Admitted),
        1 => decide(LiabilityOutcome::AdmittedInPart),
        2 => decide(LiabilityOutcome::AdmittedCausationDisputed),
        3 => decide(LiabilityOutcome::Denied),
        4 => Action::Reassign { to: elsewhere(), reason: None },
        5 => Action::AcceptLiabilityDecision,
        6 => Action::ExitToCourt(ExitToCourtInput { route: CourtRoute::LiabilityDenied, comment: None }),
        7 => Action::ExitToCourt(ExitToCourtInput {
            route: CourtRoute::LiabilityAdmittedInPart,
            comment: None,
        }),
        8 => Action::ExitToCourt(ExitToCourtInput { route: CourtRoute::Quantum, comment: None }),
        9 => Action::ResumeAfterCourt(ResumeAfterCourtInput {
            liability_established: true,
            contributory_negligence_percent: Some(Percentage::from_hundredths(2_000)),
        }),
        10 => Action::ResumeAfterCourt(ResumeAfterCourtInput {
            liability_established: false,
            contributory_negligence_percent: None,
        }),
        11 => report(&[(InjuryKind::Whiplash, 7)]),
        12 => Action::SetLosses(SetLossesInput { losses: losses() }),
        13 => Action::RequestOffer,
        14 => make_offer(None, None),
        15 => make_offer(None, Some(3)),
        16 => Action::CounterOffer(CounterOfferInput {
            losses: losses(),
            gross_pence: 120_000,
            cru_deduction_pence: None,
            disbursements_pence: None,
        }),
        17 => Action::AcceptOffer,
        18 => Action::RecordPayment(RecordPaymentInput {
            kind: PaymentKind::Settlement,
            amount_pence: 84_000,
            paid_on: date("2025-08-22"),
        }),
        19 => Action::ConfirmSettlementReceived,
        20 => {
            Action::ProposeRemoval(ProposeRemovalInput { reason: RemovalReason::NotPursued, comment: None })
        }
        21 => Action::ObjectToRemoval,
        22 => Action::Withdraw(WithdrawInput::default()),
        // A portal step, never this track's.
        _ => Action::Acknowledge(AcknowledgeInput { compensator_reference: "CM/1".to_owned() }),
    }
}

/// The statuses a small claim can be in.
const TRACK_STATUSES: [ClaimStatus; 10] = [
    ClaimStatus::Submitted,
    ClaimStatus::LiabilityAdmitted,
    ClaimStatus::LiabilityDenied,
    ClaimStatus::OfferRequested,
    ClaimStatus::OfferMade,
    ClaimStatus::CounterOfferMade,
    ClaimStatus::Settled,
    ClaimStatus::Closed,
    ClaimStatus::Exited,
    ClaimStatus::Withdrawn,
];

/// Where a random life starts, so that random steps reach every stage as often as the first.
fn starting_point(which: u8) -> Claim {
    const AT: &str = "2025-08-22T10:00:00Z";
    let submitted = small_claim("2025-08-22T09:00:00Z", &insurer(), "2025-06-02");
    let admitted = ok(&submitted, CM, decide(LiabilityOutcome::Admitted), AT);
    let reported = || ok(&admitted, CR, report(&[(InjuryKind::Whiplash, 7)]), AT);
    let requested = || ok(&reported(), CR, Action::RequestOffer, AT);
    let offered = || ok(&requested(), CM, make_offer(None, None), AT);
    let countered = || ok(&offered(), CR, action_for(16), AT);
    match which {
        0 => submitted,
        1 => ok(&submitted, CM, decide(LiabilityOutcome::Denied), AT),
        2 => reported(),
        3 => requested(),
        4 => offered(),
        5 => countered(),
        _ => ok(&countered(), CM, Action::AcceptOffer, AT),
    }
}

/// The statuses an accepted action may lead to, written from the table of domain.md §4.4
/// independently of the permission table (empty: the action must be refused).
fn expected_after(status: ClaimStatus, side: Side, kind: ActionKind) -> Vec<ClaimStatus> {
    use ActionKind as A;
    use ClaimStatus as S;
    let offer_stage = [S::OfferRequested, S::OfferMade, S::CounterOfferMade];
    let open = !status.is_terminal();
    match (kind, side) {
        (A::DecideLiability, CM) if status == S::Submitted => vec![S::LiabilityAdmitted, S::LiabilityDenied],
        (A::Reassign, CM) if status == S::Submitted => vec![S::Submitted],
        (A::AcceptLiabilityDecision, CR) if matches!(status, S::LiabilityDenied | S::LiabilityAdmitted) => {
            vec![S::LiabilityAdmitted]
        }
        (A::ExitToCourt, CR)
            if matches!(status, S::LiabilityDenied | S::LiabilityAdmitted | S::Settled)
                || offer_stage.contains(&status) =>
        {
            vec![S::Exited]
        }
        (A::ResumeAfterCourt, CR) if status == S::Exited => vec![S::LiabilityAdmitted, S::Closed],
        (A::AddMedicalReport, CR) if status == S::LiabilityAdmitted || offer_stage.contains(&status) => {
            vec![status]
        }
        (A::SetLosses, CR) if status == S::LiabilityAdmitted => vec![status],
        (A::RequestOffer, CR) if status == S::LiabilityAdmitted => vec![S::OfferRequested],
        (A::MakeOffer, CM) if matches!(status, S::OfferRequested | S::CounterOfferMade) => vec![S::OfferMade],
        (A::CounterOffer, CR) if status == S::OfferMade => vec![S::CounterOfferMade],
        (A::AcceptOffer, CR) if status == S::OfferMade => vec![S::Settled],
        (A::AcceptOffer, CM) if status == S::CounterOfferMade => vec![S::Settled],
        (A::RecordPayment, CM) if status == S::Settled => vec![S::Settled],
        (A::ConfirmSettlementReceived, CR) if status == S::Settled => vec![S::Closed],
        (A::Withdraw, CR) if open => vec![S::Withdrawn],
        (A::ProposeRemoval, CM) | (A::ObjectToRemoval, CR) if open => vec![status],
        _ => Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random lives of small claims: `allowed_actions` predicts exactly what passes the status and
    /// party checks; every accepted change raises the version by one and tells somebody; a claim
    /// never takes a portal status; ended claims keep no open deadline and accept nothing (but a
    /// claim in court over liability may resume); an open claim waiting for the liability
    /// response, an offer or an answer always has that deadline running.
    #[test]
    fn random_small_claim_lives_stay_well_formed(start in 0u8..7, steps in proptest::collection::vec(step(), 1..60)) {
        let mut claim = starting_point(start);
        let mut now = claim.updated_at;
        for step in steps {
            let with = if claim.compensator == elsewhere().code { elsewhere() } else { insurer() };
            let facts = Facts::new(&with);
            let before = claim.clone();
            let result = match step {
                Step::Wait(hours) => {
                    now += chrono::Duration::hours(i64::from(hours));
                    let passed = advance_time(&claim, now);
                    if let Some(after) = passed.as_ref().map(|t| t.claim.status) {
                        // Time admits liability, withdraws an unopposed removal, or changes nothing.
                        let deemed = before.status == ClaimStatus::Submitted && after == ClaimStatus::LiabilityAdmitted;
                        let removed = !before.status.is_terminal() && after == ClaimStatus::Withdrawn;
                        prop_assert!(after == before.status || deemed || removed, "time took {:?} to {:?}", before.status, after);
                    }
                    passed.map(Ok)
                }
                Step::Act(side, choice) => {
                    let action = action_for(choice);
                    let kind = action.kind();
                    let predicted = allowed_actions(&claim, side, &facts).contains(&kind);
                    let result = apply(&claim, side, action, &facts, &calendar(), now);
                    let refused_by_status = matches!(result, Err(ActionError::NotAllowedInStatus { .. } | ActionError::NotAllowedNow { .. } | ActionError::WrongParty { .. }));
                    let barred_by_law = matches!(result, Err(ActionError::Rule { code: "pre_medical_offer", .. }));
                    prop_assert_eq!(predicted, !refused_by_status && !barred_by_law, "{:?} by {:?} in {:?}", kind, side, claim.status);
                    if before.status.is_terminal() && kind != ActionKind::ResumeAfterCourt {
                        prop_assert!(result.is_err(), "an ended claim accepted {:?}", kind);
                    }
                    if let Ok(transition) = &result {
                        let expected = expected_after(before.status, side, kind);
                        prop_assert!(
                            expected.contains(&transition.claim.status),
                            "{:?} by {:?} took {:?} to {:?}; the protocol allows {:?}", kind, side, before.status, transition.claim.status, expected
                        );
                    }
                    Some(result)
                }
            };
            if let Some(Ok(transition)) = result {
                prop_assert_eq!(transition.claim.version, before.version + 1);
                prop_assert!(!transition.events.is_empty());
                claim = transition.claim;
            }
            prop_assert!(TRACK_STATUSES.contains(&claim.status), "{:?}", claim.status);
            let lifecycle = &claim.lifecycle;
            if claim.status.is_terminal() {
                prop_assert!(lifecycle.deadlines.iter().all(|d| !d.is_open()));
                prop_assert!(lifecycle.dormant_at.is_none());
            }
            let waiting_for = match claim.status {
                ClaimStatus::Submitted => Some(DeadlineName::LiabilityDecision),
                ClaimStatus::OfferRequested => Some(DeadlineName::Offer),
                ClaimStatus::OfferMade => Some(DeadlineName::OfferAnswer),
                ClaimStatus::CounterOfferMade => Some(DeadlineName::CounterOfferAnswer),
                _ => None,
            };
            if let Some(name) = waiting_for {
                // Running, or passed and reported (late answers end nothing by themselves).
                prop_assert!(
                    lifecycle.deadlines.iter().any(|d| d.name == name && matches!(d.status, DeadlineStatus::Open | DeadlineStatus::Missed)),
                    "{:?} without its {:?} deadline: {:?}", claim.status, name, lifecycle.deadlines
                );
            }
            if claim.status == ClaimStatus::Settled {
                prop_assert!(lifecycle.settlement.is_some());
            }
        }
    }
}
