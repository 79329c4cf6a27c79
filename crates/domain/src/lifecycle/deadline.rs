//! Deadlines: a number of business days from an anchor date, owned by the party that must act.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, deadline_instant, start_of_day};
use crate::claim_status::ClaimStatus;
use crate::claim_type::Track;
use crate::party::Side;

string_enum! {
    /// The deadlines of a claim.
    DeadlineName {
        /// The compensator acknowledges the CNF.
        Acknowledgement => "acknowledgement",
        /// The compensator decides liability.
        LiabilityDecision => "liability_decision",
        /// The compensator pays (or answers) an interim payment request.
        InterimPayment => "interim_payment",
        /// The compensator pays the Stage 1 fixed costs.
        Stage1Costs => "stage1_costs",
        /// The compensator answers the settlement pack.
        InitialConsideration => "initial_consideration",
        /// The parties agree within the total consideration period, or there is no agreement.
        TotalConsideration => "total_consideration",
        /// After a late offer: only acceptance, until this passes.
        FurtherConsideration => "further_consideration",
        /// The compensator pays the agreed settlement.
        SettlementPayment => "settlement_payment",
        /// The compensator comments on the court proceedings pack.
        CourtPackComments => "court_pack_comments",
        /// The compensator pays its final offer after the court proceedings pack.
        CourtPackPayment => "court_pack_payment",
        /// Small-claims track: the compensator makes its offer after the claimant asked for it.
        Offer => "offer",
        /// Small-claims track: the claimant answers the compensator's offer.
        OfferAnswer => "offer_answer",
        /// Small-claims track: the compensator answers the claimant's counter-offer.
        CounterOfferAnswer => "counter_offer_answer",
        /// Small-claims track: the claimant may object to a proposed removal until this passes.
        RemovalObjection => "removal_objection",
    }
}

/// The deadlines that move a claim on by themselves while it is in `status`: one of them is always
/// running (a property test over random claim lives holds the state machine to it). Every other
/// status waits without such a deadline, by design: `liability_admitted` and `no_agreement` wait
/// for the claimant representative's next step at its own pace (an open interim request has its
/// own payment deadline); in `settled` and `court_pack_sent` the payment and comment deadlines
/// report a miss and leave the next step to the claimant side; `rejected` waits for a
/// resubmission; terminal claims wait for nothing.
pub fn driving_deadlines(status: ClaimStatus) -> &'static [DeadlineName] {
    match status {
        ClaimStatus::Submitted | ClaimStatus::AwaitingLiabilityDecision => &[DeadlineName::LiabilityDecision],
        ClaimStatus::SettlementPackSent => &[DeadlineName::InitialConsideration],
        ClaimStatus::Negotiating => &[DeadlineName::TotalConsideration, DeadlineName::FurtherConsideration],
        _ => &[],
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
    /// Agreed extensions, oldest first. An extended deadline keeps its agreed date whatever the
    /// calendar does.
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

/// A later date the parties agreed for a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The party that recorded it.
    pub recorded_by: Side,
    /// Who at the other party agreed.
    pub agreed_with: String,
    pub recorded_at: DateTime<Utc>,
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
            extensions: Vec::new(),
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
        if let Some(extension) = self.extensions.last() {
            self.due_date = extension.to;
        } else {
            self.due_date = calendar.add_business_days(self.anchor, self.business_days);
        }
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

    /// After the deadline moved later: reminders that now fall after `now` will be sent again.
    pub fn rearm_reminders(&mut self, now: DateTime<Utc>) {
        let anchor_start = deadline_instant(self.anchor);
        for reminder in &mut self.reminders {
            if reminder.at > now && reminder.at >= anchor_start {
                reminder.sent = false;
            }
        }
    }

    /// Moves the deadline to a date the parties agreed; returns the previous due date.
    pub fn extend(&mut self, extension: Extension, calendar: &Calendar) -> Option<NaiveDate> {
        self.extensions.push(extension);
        self.reschedule(calendar)
    }

    /// What happens when the deadline passes, in words.
    pub fn on_miss(&self, track: Track) -> &'static str {
        let small = track == Track::SmallClaims;
        match self.name {
            DeadlineName::LiabilityDecision if small => {
                "liability is deemed admitted and the claim moves to liability_admitted"
            }
            DeadlineName::SettlementPayment if small => {
                "the miss is reported; the claimant representative may go to court with route payment_not_made"
            }
            DeadlineName::Acknowledgement => {
                "the miss is recorded and reported to both parties; the claim continues"
            }
            DeadlineName::LiabilityDecision => {
                "the claim exits the protocol with reason liability_response_late"
            }
            DeadlineName::InterimPayment => {
                "the miss is reported; the claimant representative may exit with reason interim_payment_not_paid"
            }
            DeadlineName::Stage1Costs => {
                "the miss is reported; for 10 business days the claimant representative may exit with reason stage1_costs_not_paid"
            }
            DeadlineName::InitialConsideration => {
                "the claim exits the protocol with reason settlement_pack_response_late"
            }
            DeadlineName::TotalConsideration | DeadlineName::FurtherConsideration => {
                "without agreement the claim moves to no_agreement"
            }
            DeadlineName::SettlementPayment => {
                "the miss is reported; the claimant representative may exit with reason settlement_payment_not_made"
            }
            DeadlineName::CourtPackComments | DeadlineName::CourtPackPayment => {
                "the miss is recorded and reported to both parties"
            }
            DeadlineName::Offer | DeadlineName::OfferAnswer | DeadlineName::CounterOfferAnswer => {
                "the miss is reported; the claim stays open and the claimant representative may go to court"
            }
            DeadlineName::RemovalObjection => "without an objection the claim is withdrawn",
        }
    }
}
