//! Management information (domain.md §9): the anonymous facts a change of a claim adds to the
//! hub's statistics, and the figures an operator asks for. A fact names a claim type, a day and a
//! code (a status, an exit reason, a deadline, a party), never a person, and it outlives the
//! claim's purge, so purging never changes past figures.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Calendar;
use crate::claim::Claim;
use crate::claim_type::ClaimType;
use crate::clock::england_date;
use crate::events::EventType;
use crate::lifecycle::DomainEvent;
use crate::lifecycle::deadline::DeadlineStatus;

string_enum! {
    /// What a statistic counts.
    FactKind {
        /// The claim reached a status (`detail`); submission is reaching `submitted`.
        StatusReached => "status_reached",
        /// The claim left the protocol (`detail` the reason, `party` who ended it).
        Exited => "exited",
        /// A deadline passed unmet (`detail` the deadline, `party` whose it was).
        DeadlineMissed => "deadline_missed",
        /// Liability was decided (`business_days` since submission).
        LiabilityDecided => "liability_decided",
        /// The claim settled (`business_days` since submission).
        Settled => "settled",
    }
}

/// One anonymous fact about a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub kind: FactKind,
    pub claim_type: ClaimType,
    /// The day in England it happened.
    pub on: NaiveDate,
    pub detail: Option<&'static str>,
    pub party: Option<&'static str>,
    pub business_days: Option<u32>,
}

impl Fact {
    fn new(kind: FactKind, claim: &Claim, on: NaiveDate) -> Self {
        Self { kind, claim_type: claim.claim_type, on, detail: None, party: None, business_days: None }
    }
}

/// The facts of a new claim.
pub fn of_submission(claim: &Claim) -> Vec<Fact> {
    let mut fact = Fact::new(FactKind::StatusReached, claim, england_date(claim.submitted_at));
    fact.detail = Some(claim.status.as_str());
    vec![fact]
}

/// The facts a change from `before` to `after` at `now` adds, with its `events`.
pub fn of_change(
    before: &Claim,
    after: &Claim,
    events: &[DomainEvent],
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Vec<Fact> {
    let today = england_date(now);
    let since_submission = calendar.business_days_between(england_date(after.submitted_at), today);
    let mut facts = Vec::new();
    if after.status != before.status {
        let mut fact = Fact::new(FactKind::StatusReached, after, today);
        fact.detail = Some(after.status.as_str());
        facts.push(fact);
    }
    for event in events {
        let kind = match event.event_type {
            EventType::LiabilityDecided => FactKind::LiabilityDecided,
            EventType::Settled => FactKind::Settled,
            _ => continue,
        };
        let mut fact = Fact::new(kind, after, today);
        fact.business_days = Some(since_submission);
        facts.push(fact);
    }
    if let (None, Some(exit)) = (&before.lifecycle.exit, &after.lifecycle.exit) {
        let mut fact = Fact::new(FactKind::Exited, after, england_date(exit.exited_at));
        fact.detail = Some(exit.reason.as_str());
        fact.party = Some(exit.by.as_str());
        facts.push(fact);
    }
    let was_missed = |name, due_at| {
        before
            .lifecycle
            .deadlines
            .iter()
            .any(|d| d.name == name && d.due_at == due_at && d.status == DeadlineStatus::Missed)
    };
    for deadline in &after.lifecycle.deadlines {
        if deadline.status == DeadlineStatus::Missed && !was_missed(deadline.name, deadline.due_at) {
            // Counted on the day it passed, however late time was applied to the claim.
            let mut fact = Fact::new(FactKind::DeadlineMissed, after, england_date(deadline.due_at));
            fact.detail = Some(deadline.name.as_str());
            fact.party = Some(deadline.party.as_str());
            facts.push(fact);
        }
    }
    facts
}

/// How many facts of one kind and detail fell on one business-day count (a row of the
/// histogram the store answers with).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayCount {
    pub business_days: u32,
    pub count: u64,
}

/// The median of a histogram of business-day counts (the mean of the two middle values when the
/// number of facts is even); `None` for no facts.
pub fn median(histogram: &[DayCount]) -> Option<f64> {
    let mut sorted = histogram.to_vec();
    sorted.sort_by_key(|row| row.business_days);
    let total: u64 = sorted.iter().map(|row| row.count).sum();
    if total == 0 {
        return None;
    }
    // The values at 0-based positions (total - 1) / 2 and total / 2.
    let value_at = |position: u64| {
        let mut seen = 0;
        sorted.iter().find_map(|row| {
            seen += row.count;
            (seen > position).then_some(row.business_days)
        })
    };
    let low = value_at((total - 1) / 2)?;
    let high = value_at(total / 2)?;
    Some(f64::from(low + high) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(values: &[(u32, u64)]) -> Vec<DayCount> {
        values.iter().map(|&(business_days, count)| DayCount { business_days, count }).collect()
    }

    #[test]
    fn the_median_of_a_histogram_is_the_median_of_its_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&rows(&[(7, 1)])), Some(7.0));
        // 3, 5, 5, 9: the middle two are 5 and 5.
        assert_eq!(median(&rows(&[(9, 1), (3, 1), (5, 2)])), Some(5.0));
        // 2, 4: halfway.
        assert_eq!(median(&rows(&[(4, 1), (2, 1)])), Some(3.0));
        // 1, 1, 1, 10, 10: the third value.
        assert_eq!(median(&rows(&[(10, 2), (1, 3)])), Some(1.0));
        assert_eq!(median(&rows(&[(10, 0)])), None);
    }
}
