//! A claim as the hub holds it, and the claimant's age rules. The words a claim is described in
//! live in their own modules: [`crate::claim_type`], [`crate::claim_status`], [`crate::party`].

use chrono::{DateTime, NaiveDate, Utc};

use crate::claim_status::ClaimStatus;
use crate::claim_type::ClaimType;
use crate::ids::{ClaimId, OrganisationCode};
use crate::party::Side;

/// A submitted claim as the hub holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: ClaimId,
    pub claim_type: ClaimType,
    pub status: ClaimStatus,
    pub version: i64,
    pub claimant_representative: OrganisationCode,
    pub compensator: OrganisationCode,
    pub created_by: OrganisationCode,
    pub notification_date: NaiveDate,
    pub child: bool,
    pub cr_reference: String,
    pub cm_reference: Option<String>,
    pub cnf: crate::cnf::Cnf,
    pub lifecycle: crate::lifecycle::state::Lifecycle,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Claim {
    /// The side the organisation is on, or `None` when it is not a party (and so may not learn
    /// that the claim exists).
    pub fn side_of(&self, organisation: &OrganisationCode) -> Option<Side> {
        if *organisation == self.claimant_representative {
            Some(Side::ClaimantRepresentative)
        } else if *organisation == self.compensator {
            Some(Side::Compensator)
        } else {
            None
        }
    }
}

/// Whether the claimant is a child on a date: under 18 on that date.
pub fn is_child_on(date_of_birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(date_of_birth, on) < 18
}

/// Age in whole years on a date (a person born on 29 February becomes a year older on 1 March in
/// common years).
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_claimant_turns_eighteen_on_the_birthday() {
        assert!(is_child_on(date("2007-08-23"), date("2025-08-22")));
        assert!(!is_child_on(date("2007-08-22"), date("2025-08-22")));
    }

    #[test]
    fn leap_day_birthdays_count_from_the_first_of_march() {
        assert_eq!(age_on(date("2008-02-29"), date("2026-02-28")), 17);
        assert_eq!(age_on(date("2008-02-29"), date("2026-03-01")), 18);
    }
}
