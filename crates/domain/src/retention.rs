//! How long the hub keeps a claim's personal data (domain.md §9): when a claim becomes due for
//! purging, by its status, its last change and, for a child claimant, the claimant's age.

use chrono::{DateTime, Days, Months, Utc};

use crate::calendar::start_of_day;
use crate::claim::Claim;
use crate::claim_status::ClaimStatus;
use crate::clock::england_date;

/// The retention periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionRules {
    /// Calendar days a closed, exited or withdrawn claim is kept after it ended.
    pub ended_days: u64,
    /// Calendar days a rejected claim is kept untouched.
    pub rejected_days: u64,
    /// The age (years, then months) a child claimant's claim is kept until.
    pub child_years: u32,
    pub child_months: u32,
}

/// The hub's defaults.
pub const DEFAULT_RULES: RetentionRules =
    RetentionRules { ended_days: 30, rejected_days: 60, child_years: 21, child_months: 1 };

/// When the claim's personal data is to be purged, from the start of that day in England: `None`
/// while the claim is open (nothing is purged from a claim still in progress). A child claimant's
/// claim is kept at least until the claimant is 21 years and 1 month old. An erasure request
/// purges once its 14 days to cancel have passed.
pub fn purge_at(claim: &Claim, rules: &RetentionRules) -> Option<DateTime<Utc>> {
    let last_change = england_date(claim.updated_at);
    let day = match claim.status {
        // Fraud exits are ended claims like any other exit: the same period applies.
        ClaimStatus::Closed | ClaimStatus::Exited | ClaimStatus::Withdrawn => {
            last_change.checked_add_days(Days::new(rules.ended_days))?
        }
        ClaimStatus::Rejected => last_change.checked_add_days(Days::new(rules.rejected_days))?,
        ClaimStatus::ErasurePending => claim.lifecycle.erasure.as_ref()?.purge_after.succ_opt()?,
        _ => return None,
    };
    let day = if claim.child {
        let birth = claim.cnf.claimant.date_of_birth;
        let adult_enough =
            birth.checked_add_months(Months::new(rules.child_years * 12 + rules.child_months))?;
        day.max(adult_enough)
    } else {
        day
    };
    Some(start_of_day(day))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::claim_type::ClaimType;
    use crate::cnf::examples;
    use crate::ids::{ClaimId, OrganisationCode};
    use crate::lifecycle::state::Lifecycle;

    fn claim(status: ClaimStatus, updated: &str, child: bool) -> Claim {
        let at: DateTime<Utc> = updated.parse().expect("instant");
        Claim {
            id: ClaimId::new_v7(),
            claim_type: ClaimType::Rta,
            status,
            version: 5,
            claimant_representative: OrganisationCode::parse("CR00001").expect("code"),
            compensator: OrganisationCode::parse("CM00001").expect("code"),
            created_by: OrganisationCode::parse("CR00001").expect("code"),
            notification_date: NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
            child,
            cr_reference: "R/1".to_owned(),
            cm_reference: None,
            cnf: examples::rta(),
            lifecycle: Lifecycle::default(),
            submitted_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn scenario_33_an_ended_claim_is_purged_30_days_on() {
        let closed = claim(ClaimStatus::Closed, "2026-06-01T10:00:00Z", false);
        // The start of 1 Jul 2026 in England (BST).
        assert_eq!(purge_at(&closed, &DEFAULT_RULES), Some("2026-06-30T23:00:00Z".parse().expect("instant")));
        let rejected = claim(ClaimStatus::Rejected, "2026-06-01T10:00:00Z", false);
        assert_eq!(
            purge_at(&rejected, &DEFAULT_RULES),
            Some("2026-07-30T23:00:00Z".parse().expect("instant"))
        );
        assert_eq!(
            purge_at(&claim(ClaimStatus::Negotiating, "2026-06-01T10:00:00Z", false), &DEFAULT_RULES),
            None
        );
    }

    #[test]
    fn a_childs_claim_is_kept_until_21_years_and_a_month() {
        let mut child = claim(ClaimStatus::Closed, "2026-06-01T10:00:00Z", true);
        child.cnf.claimant.date_of_birth = NaiveDate::from_ymd_opt(2012, 5, 31).expect("date");
        // 21 years and 1 month after 31 May 2012: 30 Jun 2033 (the month has no 31st).
        assert_eq!(purge_at(&child, &DEFAULT_RULES), Some("2033-06-29T23:00:00Z".parse().expect("instant")));
    }
}
