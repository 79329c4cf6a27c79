//! Deadlines: a number of business days from an anchor date, owned by the party that must act.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, deadline_instant, start_of_day};
use crate::claim::Side;

string_enum! {
    /// The deadlines of a claim.
    DeadlineName {
        /// The compensator acknowledges the CNF.
        Acknowledgement => "acknowledgement",
        /// The compensator decides liability.
        LiabilityDecision => "liability_decision",
    }
}

string_enum! {
    /// Where a deadline stands.
    DeadlineStatus {
        Open => "open",
        /// The party acted in time.
        Met => "met",
        /// It passed without the action.
        Missed => "missed",
        /// The claim moved on so it no longer applies.
        Cancelled => "cancelled",
    }
}

/// A notice sent some business days before a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub business_days_before: u32,
    pub at: DateTime<Utc>,
    pub sent: bool,
}

/// A deadline of a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub name: DeadlineName,
    pub party: Side,
    /// The date the period counts from (the event's own day never counts).
    pub anchor: NaiveDate,
    pub business_days: u32,
    pub due_date: NaiveDate,
    /// When it passes: the start of the day after `due_date` in England.
    pub due_at: DateTime<Utc>,
    pub status: DeadlineStatus,
    pub reminders: Vec<Reminder>,
}

impl Deadline {
    /// An open deadline `business_days` after `anchor`, with a reminder for each entry of
    /// `remind_before` (business days before the due date) that falls after the anchor.
    pub fn new(
        name: DeadlineName,
        party: Side,
        anchor: NaiveDate,
        business_days: u32,
        remind_before: &[u32],
        calendar: &Calendar,
    ) -> Self {
        let mut deadline = Deadline {
            name,
            party,
            anchor,
            business_days,
            due_date: anchor,
            due_at: deadline_instant(anchor),
            status: DeadlineStatus::Open,
            reminders: remind_before
                .iter()
                .map(|&days| Reminder { business_days_before: days, at: start_of_day(anchor), sent: false })
                .collect(),
        };
        deadline.reschedule(calendar);
        deadline
    }

    pub fn is_open(&self) -> bool {
        self.status == DeadlineStatus::Open
    }

    /// Recounts the due date (and the reminders) on `calendar`; returns the previous due date if it
    /// moved.
    pub fn reschedule(&mut self, calendar: &Calendar) -> Option<NaiveDate> {
        let previous = self.due_date;
        self.due_date = calendar.add_business_days(self.anchor, self.business_days);
        self.due_at = deadline_instant(self.due_date);
        let anchor_start = deadline_instant(self.anchor);
        for reminder in &mut self.reminders {
            let day = calendar.subtract_business_days(self.due_date, reminder.business_days_before);
            reminder.at = start_of_day(day);
            // A reminder that would fall on or before the anchor day is pointless: treat as sent.
            if reminder.at < anchor_start {
                reminder.sent = true;
            }
        }
        (previous != self.due_date).then_some(previous)
    }

    /// The earliest instant at which something happens to this deadline: a reminder or its end.
    pub fn next_instant(&self) -> Option<DateTime<Utc>> {
        if !self.is_open() {
            return None;
        }
        self.reminders
            .iter()
            .filter(|r| !r.sent && r.at < self.due_at)
            .map(|r| r.at)
            .chain(std::iter::once(self.due_at))
            .min()
    }

    /// What happens when the deadline passes, in words.
    pub fn on_miss(&self, rta_small_claims: bool) -> &'static str {
        match self.name {
            DeadlineName::Acknowledgement => {
                "the miss is recorded and reported to both parties; the claim continues"
            }
            DeadlineName::LiabilityDecision if rta_small_claims => "liability is treated as admitted",
            DeadlineName::LiabilityDecision => {
                "the claim exits the protocol with reason liability_response_late"
            }
        }
    }
}
