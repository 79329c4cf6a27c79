//! The calculators' requests and answers.

use chrono::NaiveDate;
use claims_domain::claim_type::{ClaimType, ValueBand};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "accident_date": "2025-05-31",
    "prognosis_end_date": "2025-12-31",
    "minor_psychological_injury": true,
    "uplift_percent": 20
}))]
pub struct TariffRequest {
    pub accident_date: NaiveDate,
    /// When the longest whiplash injury is expected to end.
    pub prognosis_end_date: NaiveDate,
    #[serde(default)]
    pub minor_psychological_injury: bool,
    /// 0 to 20 (exceptional circumstances; a percentage: more than 100 is not read at all).
    #[serde(default)]
    #[schema(maximum = 100)]
    pub uplift_percent: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TariffAnswer {
    /// `2021` or `2025`, chosen by the accident date.
    #[schema(example = "2025")]
    pub regulations: &'static str,
    #[schema(example = "more_than_6_up_to_9_months")]
    pub band: &'static str,
    #[schema(example = 102500)]
    pub tariff_pence: i64,
    #[schema(example = 20500)]
    pub uplift_pence: i64,
    #[schema(example = 123000)]
    pub total_pence: i64,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "type": "rta", "value_band": "up_to_10000", "london_weighting": false }))]
pub struct FixedCostsRequest {
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub value_band: ValueBand,
    /// The claimant lives in London and instructs a London representative (+12.5% on Stage 1,
    /// Stage 2 and the Stage 3 legal representative's costs).
    #[serde(default)]
    pub london_weighting: bool,
    /// The date the costs apply on (default: today).
    pub on: Option<NaiveDate>,
}
