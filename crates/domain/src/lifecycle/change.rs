//! The change builder every lifecycle step writes through, and what a step produces: the
//! transition (the claim after it, its events, its audit entry) or a typed refusal. A leaf: the
//! stage modules import it; it imports none of them.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::action::ActionKind;
use super::deadline::{Deadline, DeadlineName, DeadlineStatus};
use super::small_claims::periods::PeriodOverrides;
use super::state::{Exit, ExitReason, ExitedBy};
use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::clock::england_date;
use crate::events::{AuditAction, EventType};
use crate::ids::OrganisationCode;
use crate::organisation::Organisation;
use crate::party::Side;
use crate::validation::FieldErrors;

string_enum! {
    /// How a transfer offer ended.
    TransferOutcome { Accepted => "accepted", Declined => "declined", Cancelled => "cancelled" }
}

/// A transfer offer opened or closed by a change, for the offers' own record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferNote {
    Offered { id: Uuid, from: OrganisationCode, to: OrganisationCode },
    Closed { id: Uuid, outcome: TransferOutcome },
}

/// What the hub knows beyond the claim itself.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The claim's current compensator.
    pub compensator: &'a Organisation,
    /// The small-claims periods the hub's configuration sets in place of the defaults.
    pub small_claims: PeriodOverrides,
}

impl<'a> Facts<'a> {
    /// The facts of a claim with `compensator`, every period at its default.
    pub fn new(compensator: &'a Organisation) -> Self {
        Facts { compensator, small_claims: PeriodOverrides::default() }
    }

    pub fn with_small_claims(self, small_claims: PeriodOverrides) -> Self {
        Facts { small_claims, ..self }
    }
}

/// Something the parties are told.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainEvent {
    /// `claim.acknowledged`, `claim.deadline_missed`, …
    pub event_type: EventType,
    /// Ids, codes, dates and the claim's status and version after the change. No personal data.
    pub data: Map<String, Value>,
    /// Also tell the parties the claim had before this change (it moved away from one of them).
    pub tell_previous_parties: bool,
    /// Also tell these organisations (the receiver of a transfer offer, who is not a party).
    pub also_tell: Vec<OrganisationCode>,
}

/// An accepted change: the claim as it now is (version one higher) and the events it raises.
#[derive(Clone, Debug)]
pub struct Transition {
    pub claim: Claim,
    pub events: Vec<DomainEvent>,
    /// What the audit trail records as the change (`claim.acknowledged`, `claim.time_passed`, …).
    pub audit_action: AuditAction,
    /// A transfer offer this change opened or closed.
    pub transfer: Option<TransferNote>,
}

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// Nobody may take this action in the claim's status (409).
    #[error("{action} is not allowed while the claim is {status}")]
    NotAllowedInStatus { action: ActionKind, status: ClaimStatus, allowed: Vec<ActionKind> },
    /// The action belongs to the claim's status, but a fact of the claim rules it out for
    /// everybody now (409): the code and reason say which.
    #[error("{reason}")]
    NotAllowedNow {
        action: ActionKind,
        code: &'static str,
        reason: String,
        status: ClaimStatus,
        allowed: Vec<ActionKind>,
    },
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

pub(super) fn rule(code: &'static str, field: &'static str, message: &str) -> ActionError {
    ActionError::Rule { code, field: Some(field), message: message.to_owned() }
}

/// Stamps every event with the claim's status and version after the change.
pub(super) fn finish(claim: Claim, mut events: Vec<DomainEvent>, audit_action: AuditAction) -> Transition {
    for event in &mut events {
        event.data.insert("status".to_owned(), json!(claim.status));
        event.data.insert("version".to_owned(), json!(claim.version));
    }
    Transition { claim, events, audit_action, transfer: None }
}

/// A change being built: the claim after it and the events it raises.
pub(super) struct Change<'a> {
    pub(super) claim: &'a mut Claim,
    pub(super) events: &'a mut Vec<DomainEvent>,
    pub(super) now: DateTime<Utc>,
}

impl Change<'_> {
    /// Today in England.
    pub(super) fn today(&self) -> NaiveDate {
        england_date(self.now)
    }

    /// Opens a deadline of `business_days` from today, with a reminder 3 business days before.
    pub(super) fn add_deadline(
        &mut self,
        name: DeadlineName,
        party: Side,
        business_days: u32,
        calendar: &Calendar,
    ) -> NaiveDate {
        let deadline = Deadline::new(name, party, self.today(), business_days, &[3], calendar);
        let due = deadline.due_date;
        self.claim.lifecycle.deadlines.push(deadline);
        due
    }

    pub(super) fn close_deadlines_named(&mut self, names: &[DeadlineName], status: DeadlineStatus) {
        for deadline in
            self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open() && names.contains(&d.name))
        {
            deadline.status = status;
        }
    }

    pub(super) fn event(&mut self, event_type: EventType, data: Value) {
        let data = match data {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        self.events.push(DomainEvent {
            event_type,
            data,
            tell_previous_parties: false,
            also_tell: Vec::new(),
        });
    }

    pub(super) fn moved_event(&mut self, event_type: EventType, data: Value) {
        self.event(event_type, data);
        if let Some(last) = self.events.last_mut() {
            last.tell_previous_parties = true;
        }
    }

    pub(super) fn acknowledge(&mut self, reference: String) {
        self.claim.cm_reference = Some(reference);
        self.claim.lifecycle.acknowledged_at = Some(self.now);
        self.meet(DeadlineName::Acknowledgement);
    }

    pub(super) fn meet(&mut self, name: DeadlineName) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.status = DeadlineStatus::Met;
        }
    }

    pub(super) fn close_deadlines(&mut self, status: DeadlineStatus) {
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.is_open()) {
            deadline.status = status;
        }
    }

    pub(super) fn exit(&mut self, reason: ExitReason, comment: Option<String>, by: ExitedBy) {
        self.claim.status = ClaimStatus::Exited;
        self.claim.lifecycle.exit = Some(Exit { reason, comment, by, exited_at: self.now });
        self.close_deadlines(DeadlineStatus::Cancelled);
        self.event(EventType::Exited, json!({ "reason": reason, "by": by }));
    }

    /// Gives an open deadline a new length and reports the move.
    pub(super) fn repoint(
        &mut self,
        name: DeadlineName,
        business_days: u32,
        calendar: &Calendar,
        cause: &str,
    ) {
        let mut moved = Vec::new();
        for deadline in self.claim.lifecycle.deadlines.iter_mut().filter(|d| d.name == name && d.is_open()) {
            deadline.business_days = business_days;
            if let Some(previous) = deadline.reschedule(calendar) {
                moved.push((previous, deadline.due_date, deadline.due_at));
            }
        }
        for (from, to, due_at) in moved {
            self.event(
                EventType::DeadlineChanged,
                json!({ "deadline": name, "from": from, "to": to, "due_at": due_at, "cause": cause }),
            );
        }
    }
}

/// The organisations a transition's events go to.
pub fn recipients(before: &Claim, after: &Claim, event: &DomainEvent) -> Vec<OrganisationCode> {
    let mut codes = vec![after.claimant_representative.clone(), after.compensator.clone()];
    let previous = [&before.claimant_representative, &before.compensator];
    let previous = previous.into_iter().filter(|_| event.tell_previous_parties);
    for code in previous.chain(event.also_tell.iter()) {
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    codes
}
