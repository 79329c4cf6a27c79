//! The periods of the small-claims track. The liability response (30 business days, 40 for the
//! MIB) is the protocol's; the others are the hub's defaults, because the protocol's own figures
//! for them could not be confirmed from public sources. Each row applies to claims notified from
//! its date, so a change is a new row.

use chrono::NaiveDate;

use crate::limits::{AppliesFrom, in_force};

/// Business days each step of the track allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SmallClaimsPeriods {
    /// The compensator's offer after the claimant asks for it (hub default).
    pub offer: u32,
    /// The claimant's answer to an offer (hub default).
    pub offer_answer: u32,
    /// The compensator's answer to a counter-offer (hub default).
    pub counter_offer_answer: u32,
    /// Payment of the agreed damages after agreement (hub default).
    pub settlement_payment: u32,
    /// The claimant's objection to a proposed removal (hub default).
    pub removal_objection: u32,
}

/// Periods set by the hub's configuration in place of the defaults (each `None`: the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodOverrides {
    pub offer: Option<u32>,
    pub offer_answer: Option<u32>,
    pub counter_offer_answer: Option<u32>,
    pub settlement_payment: Option<u32>,
    pub removal_objection: Option<u32>,
}

impl PeriodOverrides {
    /// The periods of a claim notified on `notified`, with these overrides applied.
    pub fn periods(&self, notified: NaiveDate) -> SmallClaimsPeriods {
        let base = periods(notified);
        SmallClaimsPeriods {
            offer: self.offer.unwrap_or(base.offer),
            offer_answer: self.offer_answer.unwrap_or(base.offer_answer),
            counter_offer_answer: self.counter_offer_answer.unwrap_or(base.counter_offer_answer),
            settlement_payment: self.settlement_payment.unwrap_or(base.settlement_payment),
            removal_objection: self.removal_objection.unwrap_or(base.removal_objection),
        }
    }
}

/// The hub's defaults, by notification date.
pub const PERIODS: &[AppliesFrom<SmallClaimsPeriods>] = &[AppliesFrom {
    from: NaiveDate::MIN,
    value: SmallClaimsPeriods {
        offer: 20,
        offer_answer: 20,
        counter_offer_answer: 20,
        settlement_payment: 20,
        removal_objection: 10,
    },
}];

/// Calendar days without an action after which a small claim is dormant (the claim is dormant
/// from the start of the next day in England).
pub const DORMANT_AFTER_DAYS: u64 = 30;

/// When a claim last acted on (or notified) on `last` becomes dormant.
pub fn dormancy_instant(last: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    crate::calendar::start_of_day(last + chrono::Days::new(DORMANT_AFTER_DAYS + 1))
}

/// The periods of a claim notified on `notified`.
pub fn periods(notified: NaiveDate) -> SmallClaimsPeriods {
    in_force(PERIODS, notified).unwrap_or(PERIODS[0].value)
}
