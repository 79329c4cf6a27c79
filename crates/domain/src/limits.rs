//! Value limits that decide whether a claim belongs in the protocol. The law changes these, so
//! each is a table of amounts with the date from which it applies: a rule change is a new row.

use chrono::NaiveDate;

use crate::claim_type::ClaimType;
use crate::money::Pence;

/// A value that applies from a date until the next row of its table.
#[derive(Clone, Copy, Debug)]
pub struct AppliesFrom<T> {
    pub from: NaiveDate,
    pub value: T,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in a limits table"),
    }
}

const fn row(from: NaiveDate, pounds: i64) -> AppliesFrom<Pence> {
    AppliesFrom { from, value: Pence::pounds(pounds) }
}

/// The row in force on a date: the latest whose start is on or before it.
pub fn in_force<T: Copy>(table: &[AppliesFrom<T>], on: NaiveDate) -> Option<T> {
    table.iter().filter(|r| r.from <= on).max_by_key(|r| r.from).map(|r| r.value)
}

/// Upper limit of a road-traffic claim, by accident date.
pub const RTA_UPPER_LIMIT: &[AppliesFrom<Pence>] =
    &[row(NaiveDate::MIN, 10_000), row(date(2013, 7, 31), 25_000)];

/// Upper limit of an employers' or public liability claim, by notification date.
pub const EL_PL_UPPER_LIMIT: &[AppliesFrom<Pence>] =
    &[row(NaiveDate::MIN, 10_000), row(date(2013, 7, 31), 25_000)];

/// Small-claims limit on injury damages for an adult driver or passenger, by accident date.
pub const RTA_OCCUPANT_SMALL_CLAIMS_LIMIT: &[AppliesFrom<Pence>] =
    &[row(NaiveDate::MIN, 1_000), row(date(2021, 5, 31), 5_000)];

/// Small-claims limit on injury damages for vulnerable road users and children, by accident date.
pub const RTA_OTHER_SMALL_CLAIMS_LIMIT: &[AppliesFrom<Pence>] = &[row(NaiveDate::MIN, 1_000)];

/// Small-claims limit on injury damages for employers' and public liability claims, by
/// notification date.
pub const EL_PL_SMALL_CLAIMS_LIMIT: &[AppliesFrom<Pence>] =
    &[row(NaiveDate::MIN, 1_000), row(date(2022, 4, 6), 1_500)];

/// The first accident date of the small-claims track (`oic_rta`).
pub const SMALL_CLAIMS_TRACK_START: NaiveDate = date(2021, 5, 31);
/// The most injury damages a small-claims-track claim may be worth.
pub const SMALL_CLAIMS_INJURY_LIMIT: Pence = Pence::pounds(5_000);
/// The most a small-claims-track claim may be worth in all (vehicle costs on credit not counted).
pub const SMALL_CLAIMS_TOTAL_LIMIT: Pence = Pence::pounds(10_000);

/// Amounts a band covers: `up_to_10000` is at most £10,000.
pub const VALUE_BAND_BOUNDARY: Pence = Pence::pounds(10_000);

/// The facts that select a claim's value window.
#[derive(Clone, Copy, Debug)]
pub struct ValueFacts {
    pub claim_type: ClaimType,
    /// An adult who was driving or a passenger in a motor vehicle (RTA only).
    pub adult_vehicle_occupant: bool,
    pub accident_date: Option<NaiveDate>,
    pub notification_date: NaiveDate,
}

/// The range a claim's value must fall in: injury damages above the small-claims limit, total at
/// most the upper limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueWindow {
    pub small_claims_limit: Pence,
    pub upper_limit: Pence,
}

pub fn value_window(facts: ValueFacts) -> ValueWindow {
    let pick = |table: &[AppliesFrom<Pence>], on: NaiveDate| {
        // Every table starts at NaiveDate::MIN, so a row is always in force.
        in_force(table, on).unwrap_or(Pence::ZERO)
    };
    match facts.claim_type {
        ClaimType::Rta => {
            let on = facts.accident_date.unwrap_or(facts.notification_date);
            let small = if facts.adult_vehicle_occupant {
                RTA_OCCUPANT_SMALL_CLAIMS_LIMIT
            } else {
                RTA_OTHER_SMALL_CLAIMS_LIMIT
            };
            ValueWindow { small_claims_limit: pick(small, on), upper_limit: pick(RTA_UPPER_LIMIT, on) }
        }
        // Checked by its own rules (`cnf::rules`): at most the small-claims limits.
        ClaimType::OicRta => {
            ValueWindow { small_claims_limit: Pence::ZERO, upper_limit: SMALL_CLAIMS_TOTAL_LIMIT }
        }
        ClaimType::ElAccident | ClaimType::ElDisease | ClaimType::Pl => ValueWindow {
            small_claims_limit: pick(EL_PL_SMALL_CLAIMS_LIMIT, facts.notification_date),
            upper_limit: pick(EL_PL_UPPER_LIMIT, facts.notification_date),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(claim_type: ClaimType, occupant: bool, accident: NaiveDate, notified: NaiveDate) -> ValueFacts {
        ValueFacts {
            claim_type,
            adult_vehicle_occupant: occupant,
            accident_date: Some(accident),
            notification_date: notified,
        }
    }

    #[test]
    fn whiplash_reform_raises_the_occupant_limit_from_31_may_2021() {
        let notified = date(2025, 1, 10);
        let before = value_window(facts(ClaimType::Rta, true, date(2021, 5, 30), notified));
        let after = value_window(facts(ClaimType::Rta, true, date(2021, 5, 31), notified));
        assert_eq!(before.small_claims_limit, Pence::pounds(1_000));
        assert_eq!(after.small_claims_limit, Pence::pounds(5_000));
    }

    #[test]
    fn vulnerable_road_users_keep_the_1000_limit() {
        let window = value_window(facts(ClaimType::Rta, false, date(2024, 5, 1), date(2024, 6, 1)));
        assert_eq!(window.small_claims_limit, Pence::pounds(1_000));
        assert_eq!(window.upper_limit, Pence::pounds(25_000));
    }

    #[test]
    fn el_and_pl_limit_follows_the_notification_date() {
        let accident = date(2022, 1, 1);
        let early = value_window(facts(ClaimType::Pl, false, accident, date(2022, 4, 5)));
        let late = value_window(facts(ClaimType::ElAccident, false, accident, date(2022, 4, 6)));
        assert_eq!(early.small_claims_limit, Pence::pounds(1_000));
        assert_eq!(late.small_claims_limit, Pence::pounds(1_500));
    }

    #[test]
    fn rta_accidents_before_31_july_2013_cap_at_10000() {
        let window = value_window(facts(ClaimType::Rta, true, date(2013, 7, 30), date(2016, 1, 4)));
        assert_eq!(window.upper_limit, Pence::pounds(10_000));
    }
}
