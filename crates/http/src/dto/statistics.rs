//! Management information for the operator: counts and medians for a period, as JSON or CSV.

use chrono::NaiveDate;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The period and grouping of a statistics report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// First day (in England) of the period.
    pub from: NaiveDate,
    /// Last day (in England) of the period; at most ten years after `from`.
    pub to: NaiveDate,
    /// `month` (the default): one group per calendar month; `total`: one group for the period.
    pub group_by: Option<GroupBy>,
}

/// How a report groups its figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Month,
    Total,
}

/// Counts and medians for a period, from live and purged claims alike. Every figure is counted
/// on the day the thing happened (a claim submitted in March and settled in May counts under
/// March for `submitted` and under May for `settled`). Nothing in it identifies a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: GroupBy,
    /// Oldest first; a month with nothing in it is listed with empty figures.
    pub groups: Vec<StatisticsGroup>,
}

/// The figures of one month (or of the whole period).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsGroup {
    /// `YYYY-MM`, or `total`.
    pub period: String,
    /// Claims that reached each status (submission is reaching `submitted`), by type.
    pub statuses: Vec<StatusCount>,
    /// Claims that left the protocol, by type, reason and who ended them.
    pub exits: Vec<ExitCount>,
    /// Deadlines that passed unmet, by type, deadline and the party whose deadline it was.
    pub deadlines_missed: Vec<MissedCount>,
    /// Business days from submission to the liability decision: per type, then all types.
    pub liability_decision: Vec<Duration>,
    /// Business days from submission to settlement: per type, then all types.
    pub settlement: Vec<Duration>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    /// `portal` or `small_claims`.
    pub track: &'static str,
    pub status: ClaimStatus,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExitCount {
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub track: &'static str,
    /// The exit reason's code.
    pub reason: String,
    /// `claimant_representative`, `compensator` or `system`.
    pub by: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MissedCount {
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub track: &'static str,
    /// The deadline's name.
    pub deadline: String,
    /// `claimant_representative` or `compensator`.
    pub party: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Duration {
    /// The claim type; `null` for all types together.
    #[serde(rename = "type")]
    pub claim_type: Option<ClaimType>,
    /// How many claims the median is over.
    pub count: u64,
    /// The median in business days; `null` when there were none.
    pub median_business_days: Option<f64>,
}

impl StatisticsReport {
    /// The report as CSV, one figure per row. Every value is a code, a date or a number, so no
    /// field needs quoting.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "period,measure,type,track,status,reason,party,deadline,count,median_business_days\n",
        );
        let mut row = |period: &str, measure: &str, fields: [&str; 6], count: u64, median: Option<f64>| {
            let median = median.map(|m| m.to_string()).unwrap_or_default();
            out.push_str(&format!("{period},{measure},{},{count},{median}\n", fields.join(",")));
        };
        for group in &self.groups {
            let period = group.period.as_str();
            for s in &group.statuses {
                row(
                    period,
                    "status_reached",
                    [s.claim_type.as_str(), s.track, s.status.as_str(), "", "", ""],
                    s.count,
                    None,
                );
            }
            for e in &group.exits {
                row(
                    period,
                    "exited",
                    [e.claim_type.as_str(), e.track, "", &e.reason, &e.by, ""],
                    e.count,
                    None,
                );
            }
            for m in &group.deadlines_missed {
                row(
                    period,
                    "deadline_missed",
                    [m.claim_type.as_str(), m.track, "", "", &m.party, &m.deadline],
                    m.count,
                    None,
                );
            }
            for (measure, durations) in
                [("liability_decision", &group.liability_decision), ("settlement", &group.settlement)]
            {
                for d in durations {
                    let claim_type = d.claim_type.map_or("", ClaimType::as_str);
                    let track = d.claim_type.map_or("", |t| t.track().as_str());
                    row(
                        period,
                        measure,
                        [claim_type, track, "", "", "", ""],
                        d.count,
                        d.median_business_days,
                    );
                }
            }
        }
        out
    }
}
