use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use validator::Validate;

use super::action::{Action, ActionKind, DecideLiabilityInput, ExitInput};
use super::deadline::{Deadline, DeadlineName, DeadlineStatus};
use super::state::{Exit, ExitReason, ExitedBy, LiabilityDecision, LiabilityOutcome, Lifecycle, Rejection};
use crate::calendar::Calendar;
use crate::claim::{Claim, ClaimStatus, ClaimType, Side};
use crate::clock::england_date;
use crate::ids::OrganisationCode;
use crate::organisation::{CompensatorType, Organisation};
use crate::validation::FieldErrors;

/// What the hub knows beyond the claim itself.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The claim's current compensator.
    pub compensator: &'a Organisation,
}

/// Something the parties are told.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainEvent {
    /// `claim.acknowledged`, `claim.deadline_missed`, …
    pub event_type: &'static str,
    /// Ids, codes, dates and the claim's status and version after the change. No personal data.
    pub data: Map<String, Value>,
    /// Also tell the parties the claim had before this change (it moved away from one of them).
    pub tell_previous_parties: bool,
}

/// An accepted change: the claim as it now is (version one higher) and the events it raises.
#[derive(Clone, Debug)]
pub struct Transition {
    pub claim: Claim,
    pub events: Vec<DomainEvent>,
    /// What the audit trail records as the change (`claim.acknowledged`, `claim.time_passed`, …).
    pub audit_action: &'static str,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// Nobody may take this action in the claim's status (409).
    #[error("{action} is not allowed while the claim is {status}")]
    NotAllowedInStatus { action: ActionKind, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// The other party takes this action now (409).
    #[error("{action} is taken by the other party")]
    WrongParty { action: ActionKind, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// A fact the hub knows rules the action out now (409).
    #[error("{message}")]
    Conflict { code: &'static str, message: String, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// The request breaks a rule of the protocol (422).
    #[error("{message}")]
    Rule { code: &'static str, field: Option<&'static str>, message: String },
    /// Fields of the request are invalid (422).
    #[error("{0}")]
    Invalid(FieldErrors),
}

const STAGE1: [ClaimStatus; 2] = [ClaimStatus::Submitted, ClaimStatus::AwaitingLiabilityDecision];
const STAGE2: [ClaimStatus; 3] =
    [ClaimStatus::LiabilityAdmitted, ClaimStatus::SettlementPackSent, ClaimStatus::Negotiating];

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

/// Which parties may take an action in the claim's current state (empty: nobody).
fn who_may(kind: ActionKind, claim: &Claim, facts: &Facts) -> &'static [Side] {
    use ClaimStatus as S;
    const CM: &[Side] = &[Side::Compensator];
    const CR: &[Side] = &[Side::ClaimantRepresentative];
    const BOTH: &[Side] = &[Side::ClaimantRepresentative, Side::Compensator];
    let status = claim.status;
    let open = !status.is_terminal();
    let allowed = match kind {
        ActionKind::Acknowledge | ActionKind::Reject | ActionKind::Reassign => status == S::Submitted,
        ActionKind::DecideLiability => STAGE1.contains(&status),
        ActionKind::DeclareArticle75 => {
            status == S::AwaitingLiabilityDecision
                && claim.claim_type == ClaimType::Rta
                && !claim.lifecycle.article_75
                && facts.compensator.compensator_type != Some(CompensatorType::Mib)
        }
        ActionKind::AllegeFraud => status == S::AwaitingLiabilityDecision || STAGE2.contains(&status),
        ActionKind::Resubmit => status == S::Rejected,
        ActionKind::Withdraw => open,
        ActionKind::Exit => open && status != S::Rejected,
        // Stage 2 periods; not reachable until settlement packs exist.
        ActionKind::ExtendConsiderationPeriod => matches!(status, S::SettlementPackSent | S::Negotiating),
    };
    if !allowed {
        return &[];
    }
    match kind {
        ActionKind::Resubmit | ActionKind::Withdraw => CR,
        ActionKind::Exit | ActionKind::ExtendConsiderationPeriod => BOTH,
        _ => CM,
    }
}

/// What `side` may do with the claim now.
pub fn allowed_actions(claim: &Claim, side: Side, facts: &Facts) -> Vec<ActionKind> {
    ActionKind::ALL.iter().copied().filter(|kind| who_may(*kind, claim, facts).contains(&side)).collect()
}

/// The lifecycle of a newly notified claim: its Stage 1 deadlines.
pub fn new_lifecycle(
    claim_type: ClaimType,
    compensator: &Organisation,
    notification_date: chrono::NaiveDate,
    calendar: &Calendar,
) -> Lifecycle {
    Lifecycle {
        deadlines: stage1_deadlines(claim_type, compensator, false, notification_date, calendar),
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
    }
}

fn stage1_deadlines(
    claim_type: ClaimType,
    compensator: &Organisation,
    article_75: bool,
    notified: chrono::NaiveDate,
    calendar: &Calendar,
) -> Vec<Deadline> {
    vec![
        Deadline::new(DeadlineName::Acknowledgement, Side::Compensator, notified, 1, &[3], calendar),
        Deadline::new(
            DeadlineName::LiabilityDecision,
            Side::Compensator,
            notified,
            liability_period(claim_type, compensator, article_75),
            &[5, 3],
            calendar,
        ),
    ]
}

/// Applies an action of `side` to the claim.
pub fn apply(
    claim: &Claim,
    side: Side,
    action: Action,
    facts: &Facts,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Result<Transition, ActionError> {
    let kind = action.kind();
    validate_input(&action)?;
    if kind == ActionKind::ExtendConsiderationPeriod && STAGE1.contains(&claim.status) {
        return Err(ActionError::Rule {
            code: "stage1_period_not_extendable",
            field: None,
            message: "the Stage 1 response period cannot be extended by anybody".to_owned(),
        });
    }
    let parties = who_may(kind, claim, facts);
    let allowed = allowed_actions(claim, side, facts);
    if parties.is_empty() {
        return Err(ActionError::NotAllowedInStatus { action: kind, status: claim.status, allowed });
    }
    if !parties.contains(&side) {
        return Err(ActionError::WrongParty { action: kind, status: claim.status, allowed });
    }

    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    let mut events = Vec::new();
    let mut change = Change { claim: &mut next, events: &mut events, now };
    match action {
        Action::Acknowledge(input) => {
            change.acknowledge(input.compensator_reference.clone());
            change.claim.status = ClaimStatus::AwaitingLiabilityDecision;
            change
                .event("claim.acknowledged", json!({ "compensator_reference": input.compensator_reference }));
        }
        Action::Reject(input) => {
            change.claim.status = ClaimStatus::Rejected;
            change.claim.lifecycle.rejection =
                Some(Rejection { reason: input.reason, comment: input.comment, rejected_at: now });
            change.close_deadlines(DeadlineStatus::Cancelled);
            change.event("claim.rejected", json!({ "reason": input.reason }));
        }
        Action::Reassign { to, .. } => {
            check_reassignment(facts.compensator, &to)?;
            let from = change.claim.compensator.clone();
            change.claim.compensator = to.code.clone();
            change.claim.cm_reference = None;
            change.moved_event(
                "claim.transferred",
                json!({ "side": Side::Compensator, "from": from, "to": to.code }),
            );
        }
        Action::DecideLiability(input) => decide_liability(&mut change, input, claim.status)?,
        Action::DeclareArticle75 => {
            change.claim.lifecycle.article_75 = true;
            change.event("claim.article_75_declared", json!({}));
            let period = liability_period(claim.claim_type, facts.compensator, true);
            change.repoint(DeadlineName::LiabilityDecision, period, calendar, "article_75");
        }
        Action::AllegeFraud(input) => {
            change.exit(ExitReason::FraudAlleged, Some(input.description), ExitedBy::Compensator);
        }
        Action::Exit(input) => {
            check_exit(claim, side, &input, &allowed)?;
            let by = match side {
                Side::ClaimantRepresentative => ExitedBy::ClaimantRepresentative,
                Side::Compensator => ExitedBy::Compensator,
            };
            change.exit(input.reason, input.comment, by);
        }
        Action::Withdraw(_) => {
            change.claim.status = ClaimStatus::Withdrawn;
            change.claim.lifecycle.withdrawn_at = Some(now);
            change.close_deadlines(DeadlineStatus::Cancelled);
            change.event("claim.withdrawn", json!({}));
        }
        Action::Resubmit { cnf, compensator } => {
            if cnf.cnf.claim.claim_type != claim.claim_type {
                return Err(ActionError::Rule {
                    code: "claim_type_changed",
                    field: Some("cnf.claim.type"),
                    message: "a resubmission keeps the claim type".to_owned(),
                });
            }
            let notified = england_date(now);
            let claim = &mut change.claim;
            claim.cr_reference = cnf.cnf.representative.case_reference.clone();
            claim.child = cnf.child;
            claim.cnf = cnf.cnf;
            claim.compensator = compensator.code.clone();
            claim.cm_reference = None;
            claim.notification_date = notified;
            claim.status = ClaimStatus::Submitted;
            claim.lifecycle = new_lifecycle(claim.claim_type, &compensator, notified, calendar);
            change.moved_event(
                "claim.resubmitted",
                json!({ "compensator": compensator.code, "notification_date": notified }),
            );
        }
        Action::ExtendConsiderationPeriod(_) => {
            // who_may admits it only in Stage 2 statuses, which nothing reaches yet.
            return Err(ActionError::NotAllowedInStatus { action: kind, status: claim.status, allowed });
        }
    }
    Ok(finish(next, events, audit_name(kind)))
}

fn audit_name(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Acknowledge => "claim.acknowledged",
        ActionKind::Reject => "claim.rejected",
        ActionKind::Resubmit => "claim.resubmitted",
        ActionKind::Reassign => "claim.reassigned",
        ActionKind::DecideLiability => "claim.liability_decided",
        ActionKind::DeclareArticle75 => "claim.article_75_declared",
        ActionKind::AllegeFraud => "claim.fraud_alleged",
        ActionKind::Exit => "claim.exited",
        ActionKind::Withdraw => "claim.withdrawn",
        ActionKind::ExtendConsiderationPeriod => "claim.consideration_period_extended",
    }
}

/// Stamps every event with the claim's status and version after the change.
fn finish(claim: Claim, mut events: Vec<DomainEvent>, audit_action: &'static str) -> Transition {
    for event in &mut events {
        event.data.insert("status".to_owned(), json!(claim.status));
        event.data.insert("version".to_owned(), json!(claim.version));
    }
    Transition { claim, events, audit_action }
}

fn validate_input(action: &Action) -> Result<(), ActionError> {
    let result = match action {
        Action::Acknowledge(input) => input.validate(),
        Action::Reject(input) => input.validate(),
        Action::DecideLiability(input) => input.validate(),
        Action::AllegeFraud(input) => input.validate(),
        Action::Exit(input) => input.validate(),
        Action::Withdraw(input) => input.validate(),
        Action::ExtendConsiderationPeriod(input) => input.validate(),
        Action::Resubmit { .. } | Action::Reassign { .. } | Action::DeclareArticle75 => Ok(()),
    };
    result.map_err(|found| {
        let mut errors = FieldErrors::new();
        errors.add_validator_errors("", &found);
        ActionError::Invalid(errors)
    })
}

fn rule(code: &'static str, field: &'static str, message: &str) -> ActionError {
    ActionError::Rule { code, field: Some(field), message: message.to_owned() }
}

fn check_reassignment(from: &Organisation, to: &Organisation) -> Result<(), ActionError> {
    if !to.is_compensator() {
        return Err(rule("not_a_compensator", "to", "claims can only be reassigned to a compensator"));
    }
    if to.code == from.code {
        return Err(rule("same_compensator", "to", "the claim is already with this compensator"));
    }
    match (&from.group, &to.group) {
        (Some(ours), Some(theirs)) if ours == theirs => Ok(()),
        _ => Err(rule(
            "outside_group",
            "to",
            "claims can only be reassigned within the compensator's group (including its TPA)",
        )),
    }
}

fn check_exit(
    claim: &Claim,
    side: Side,
    input: &ExitInput,
    allowed: &[ActionKind],
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
    let liability = claim.lifecycle.liability.as_ref();
    // Reasons that rest on a fact the hub records: refused unless the fact holds.
    let fact_holds = match input.reason {
        ExitReason::LiabilityNotAdmitted => {
            liability.is_some_and(|l| l.outcome == LiabilityOutcome::NotAdmitted)
        }
        ExitReason::ContributoryNegligenceAlleged => {
            liability.is_some_and(|l| l.outcome == LiabilityOutcome::AdmittedWithContributoryNegligence)
                && !keeps_claim_in_protocol(claim.claim_type, liability)
        }
        // Stage 2 and 3 facts: none is recorded until interim payments, costs and settlement exist.
        ExitReason::Stage1CostsNotPaid
        | ExitReason::InterimPaymentNotPaid
        | ExitReason::PartialInterimNotAccepted
        | ExitReason::SettlementPaymentNotMade => false,
        _ => true,
    };
    if fact_holds {
        Ok(())
    } else {
        Err(ActionError::Conflict {
            code: "exit_condition_not_met",
            message: format!("the hub does not record the facts that {} needs", input.reason),
            status: claim.status,
            allowed: allowed.to_vec(),
        })
    }
}

/// RTA admissions whose only allegation is the seat belt stay in the protocol.
fn keeps_claim_in_protocol(claim_type: ClaimType, liability: Option<&LiabilityDecision>) -> bool {
    liability.and_then(|l| l.contributory_negligence.as_ref()).is_some_and(|cn| cn.seat_belt_only)
        && claim_type == ClaimType::Rta
}

fn decide_liability(
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
    for (present, field) in [
        (input.repairs_offered.is_some(), "repairs_offered"),
        (input.replacement_vehicle_offered.is_some(), "replacement_vehicle_offered"),
    ] {
        if rta && !present {
            errors.add(field, "required", "is required for rta claims");
        }
        if !rta && present {
            errors.add(field, "not_applicable", "may only be given for rta claims");
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
        compensator_contact: input.compensator_contact,
        rehabilitation_offered: input.rehabilitation_offered,
        repairs_offered: input.repairs_offered,
        replacement_vehicle_offered: input.replacement_vehicle_offered,
        claimant_date_of_birth: input.claimant_date_of_birth,
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
        LiabilityOutcome::NotAdmitted => Some(ExitReason::LiabilityNotAdmitted),
    };
    change.claim.lifecycle.liability = Some(decision);
    change.meet(DeadlineName::LiabilityDecision);
    change.event("claim.liability_decided", data);
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

/// A change being built: the claim after it and the events it raises.
struct Change<'a> {
    claim: &'a mut Claim,
    events: &'a mut Vec<DomainEvent>,
    now: DateTime<Utc>,
}

impl Change<'_> {
    fn event(&mut self, event_type: &'static str, data: Value) {
        let data = match data {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        self.events.push(DomainEvent { event_type, data, tell_previous_parties: false });
    }

    fn moved_event(&mut self, event_type: &'static str, data: Value) {
        self.event(event_type, data);
        if let Some(last) = self.events.last_mut() {
            last.tell_previous_parties = true;
        }
    }

    fn acknowledge(&mut self, reference: String) {
        self.claim.cm_reference = Some(reference);
        self.claim.lifecycle.acknowledged_at = Some(self.now);
        self.meet(DeadlineName::Acknowledgement);
    }

    fn meet(&mut self, name: DeadlineName) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.status = DeadlineStatus::Met;
        }
    }

    fn close_deadlines(&mut self, status: DeadlineStatus) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            deadline.status = status;
        }
    }

    fn exit(&mut self, reason: ExitReason, comment: Option<String>, by: ExitedBy) {
        self.claim.status = ClaimStatus::Exited;
        self.claim.lifecycle.exit = Some(Exit { reason, comment, by, exited_at: self.now });
        self.close_deadlines(DeadlineStatus::Cancelled);
        self.event("claim.exited", json!({ "reason": reason, "by": by }));
    }

    /// Gives an open deadline a new length and reports the move.
    fn repoint(&mut self, name: DeadlineName, business_days: u32, calendar: &Calendar, cause: &str) {
        let mut moved = Vec::new();
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.business_days = business_days;
            if let Some(previous) = deadline.reschedule(calendar) {
                moved.push((previous, deadline.due_date, deadline.due_at));
            }
        }
        for (from, to, due_at) in moved {
            self.event(
                "claim.deadline_changed",
                json!({ "deadline": name, "from": from, "to": to, "due_at": due_at, "cause": cause }),
            );
        }
    }
}

/// What time has brought by `now`: reminders, missed deadlines and their consequences, as one
/// change by the system. `None` when nothing is due.
pub fn advance_time(claim: &Claim, now: DateTime<Utc>) -> Option<Transition> {
    if claim.lifecycle.next_due_at().is_none_or(|due| due > now) {
        return None;
    }
    let mut next = claim.clone();
    next.version += 1;
    next.updated_at = now;
    let mut events = Vec::new();
    let mut consequence = None;
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let mut notices = Vec::new();
        for deadline in change.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            for reminder in deadline.reminders.iter_mut().filter(|r| !r.sent && r.at <= now) {
                reminder.sent = true;
                if deadline.due_at > now {
                    notices.push((
                        "claim.deadline_approaching",
                        json!({
                            "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date,
                            "due_at": deadline.due_at, "business_days_left": reminder.business_days_before,
                        }),
                    ));
                }
            }
            if deadline.due_at <= now {
                deadline.status = DeadlineStatus::Missed;
                notices.push((
                    "claim.deadline_missed",
                    json!({ "deadline": deadline.name, "party": deadline.party, "due_date": deadline.due_date, "due_at": deadline.due_at }),
                ));
                if deadline.name == DeadlineName::LiabilityDecision {
                    consequence = Some(ExitReason::LiabilityResponseLate);
                }
            }
        }
        for (event_type, data) in notices {
            change.event(event_type, data);
        }
        if let Some(reason) = consequence {
            change.exit(reason, None, ExitedBy::System);
        }
    }
    Some(finish(next, events, "claim.time_passed"))
}

/// Recounts every open deadline on `calendar`; `None` when no due date moved.
pub fn recompute_deadlines(claim: &Claim, calendar: &Calendar, now: DateTime<Utc>) -> Option<Transition> {
    let mut next = claim.clone();
    let mut events = Vec::new();
    {
        let mut change = Change { claim: &mut next, events: &mut events, now };
        let names: Vec<_> = change
            .claim
            .lifecycle
            .deadlines
            .iter()
            .filter(|d| d.is_open())
            .map(|d| (d.name, d.business_days))
            .collect();
        for (name, days) in names {
            change.repoint(name, days, calendar, "calendar");
        }
    }
    if events.is_empty() {
        return None;
    }
    next.version += 1;
    next.updated_at = now;
    Some(finish(next, events, "claim.deadlines_recomputed"))
}

/// The organisations a transition's events go to.
pub fn recipients(before: &Claim, after: &Claim, event: &DomainEvent) -> Vec<OrganisationCode> {
    let mut codes = vec![after.claimant_representative.clone(), after.compensator.clone()];
    if event.tell_previous_parties {
        for code in [&before.claimant_representative, &before.compensator] {
            if !codes.contains(code) {
                codes.push(code.clone());
            }
        }
    }
    codes
}
