//! The operator's management information: the anonymous facts of a period, grouped and counted.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::statistics::{DayCount, FactKind, median};
use claims_persistence::records::StatisticCount;

use crate::auth::Caller;
use crate::dto::statistics::{
    Duration, ExitCount, GroupBy, MissedCount, StatisticsGroup, StatisticsReport, StatusCount,
};
use crate::error::ApiError;
use crate::state::AppState;

/// The longest period one report covers.
const MAX_DAYS: i64 = 3_653;

/// The report for `from`..=`to` (operators only).
pub async fn report(
    state: &AppState,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
    group_by: GroupBy,
) -> Result<StatisticsReport, ApiError> {
    caller.require_operator()?;
    if to < from {
        return Err(ApiError::bad_request("invalid_period", "to must not be before from"));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(ApiError::bad_request("period_too_long", "a report covers at most ten years"));
    }
    let rows = state.db.statistics(from, to).await?;
    let periods = match group_by {
        GroupBy::Month => months(from, to),
        GroupBy::Total => vec!["total".to_owned()],
    };
    let mut groups: BTreeMap<String, Tally> = periods.into_iter().map(|p| (p, Tally::default())).collect();
    for row in rows {
        let key = match group_by {
            GroupBy::Month => row.month.clone(),
            GroupBy::Total => "total".to_owned(),
        };
        groups.entry(key).or_default().add(row);
    }
    let groups = groups.into_iter().map(|(period, tally)| tally.into_group(period)).collect();
    Ok(StatisticsReport { from, to, group_by, groups })
}

/// `YYYY-MM` of every month the period touches, oldest first.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let (mut year, mut month) = (from.year(), from.month());
    while (year, month) <= (to.year(), to.month()) {
        months.push(format!("{year:04}-{month:02}"));
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    months
}

/// One group's counts as they are added up.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<(&'static str, &'static str), (ClaimType, ClaimStatus, u64)>,
    exits: BTreeMap<(&'static str, String, String), u64>,
    missed: BTreeMap<(&'static str, String, String), u64>,
    decisions: BTreeMap<&'static str, Vec<DayCount>>,
    settlements: BTreeMap<&'static str, Vec<DayCount>>,
}

impl Tally {
    fn add(&mut self, row: StatisticCount) {
        // Rows of a type or kind this build does not know (written by a newer one) are skipped.
        let (Some(claim_type), Some(kind)) = (ClaimType::parse(&row.claim_type), FactKind::parse(&row.kind))
        else {
            return;
        };
        let t = claim_type.as_str();
        let detail = row.detail.unwrap_or_default();
        let party = row.party.unwrap_or_default();
        match kind {
            FactKind::StatusReached => {
                if let Some(status) = ClaimStatus::parse(&detail) {
                    self.statuses.entry((t, status.as_str())).or_insert((claim_type, status, 0)).2 +=
                        row.count;
                }
            }
            FactKind::Exited => *self.exits.entry((t, detail, party)).or_default() += row.count,
            FactKind::DeadlineMissed => *self.missed.entry((t, detail, party)).or_default() += row.count,
            FactKind::LiabilityDecided | FactKind::Settled => {
                let histogram =
                    if kind == FactKind::Settled { &mut self.settlements } else { &mut self.decisions };
                let business_days = row.business_days.unwrap_or(0);
                histogram.entry(t).or_default().push(DayCount { business_days, count: row.count });
            }
        }
    }

    fn into_group(self, period: String) -> StatisticsGroup {
        let track = |t: &str| ClaimType::parse(t).map_or("", |t| t.track().as_str());
        StatisticsGroup {
            period,
            statuses: self
                .statuses
                .into_values()
                .map(|(claim_type, status, count)| StatusCount {
                    claim_type,
                    track: claim_type.track().as_str(),
                    status,
                    count,
                })
                .collect(),
            exits: self
                .exits
                .into_iter()
                .filter_map(|((t, reason, by), count)| {
                    Some(ExitCount { claim_type: ClaimType::parse(t)?, track: track(t), reason, by, count })
                })
                .collect(),
            deadlines_missed: self
                .missed
                .into_iter()
                .filter_map(|((t, deadline, party), count)| {
                    Some(MissedCount {
                        claim_type: ClaimType::parse(t)?,
                        track: track(t),
                        deadline,
                        party,
                        count,
                    })
                })
                .collect(),
            liability_decision: durations(self.decisions),
            settlement: durations(self.settlements),
        }
    }
}

/// The median per claim type, then of all types together; nothing when there was nothing.
fn durations(by_type: BTreeMap<&'static str, Vec<DayCount>>) -> Vec<Duration> {
    if by_type.is_empty() {
        return Vec::new();
    }
    let of = |claim_type: Option<ClaimType>, histogram: &[DayCount]| Duration {
        claim_type,
        count: histogram.iter().map(|row| row.count).sum(),
        median_business_days: median(histogram),
    };
    let all: Vec<DayCount> = by_type.values().flatten().copied().collect();
    let mut out: Vec<Duration> =
        by_type.iter().filter_map(|(t, histogram)| Some(of(Some(ClaimType::parse(t)?), histogram))).collect();
    out.push(of(None, &all));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_lists_every_month_it_touches() {
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(
            months(day("2026-11-15"), day("2027-02-01")),
            ["2026-11", "2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(months(day("2026-03-01"), day("2026-03-31")), ["2026-03"]);
    }
}
