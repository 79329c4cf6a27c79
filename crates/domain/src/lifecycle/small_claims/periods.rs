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
