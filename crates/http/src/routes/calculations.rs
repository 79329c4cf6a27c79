//! Calculators: the whiplash tariff and the fixed costs, on the same tables the hub uses when it
//! values settlement packs and settlements.

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use claims_domain::claim_type::{ClaimType, ValueBand};
use claims_domain::fixed_costs::{FixedCosts, fixed_costs};
use claims_domain::tariff::{self, TariffQuestion};
use claims_domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::state::AppState;

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
    /// 0 to 20 (exceptional circumstances).
    #[serde(default)]
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

/// Value a whiplash injury on the tariff.
///
/// The regulations are chosen by accident date (the 2021 table for accidents from 31 May 2021,
/// the 2025 table from 31 May 2025); the band is the shortest whose end (the accident date plus
/// that many calendar months) is on or after the prognosis end date. Beyond 24 months: `422`
/// `outside_tariff`; an uplift above 20%: `422` `uplift_too_high`.
#[utoipa::path(
    tag = "reference data",
    operation_id = "whiplash_tariff",
    request_body = TariffRequest,
    responses(
        (status = 200, body = TariffAnswer),
        (status = 422, description = "Outside the tariff, or too high an uplift", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[post("/calculations/whiplash-tariff")]
pub async fn whiplash_tariff(_caller: Caller, body: Json<TariffRequest>) -> Result<HttpResponse, ApiError> {
    let request = body.value;
    let answer = tariff::value(TariffQuestion {
        accident_date: request.accident_date,
        prognosis_end_date: request.prognosis_end_date,
        minor_psychological_injury: request.minor_psychological_injury,
        uplift_percent: request.uplift_percent,
    })
    .map_err(|error| {
        let mut errors = FieldErrors::new();
        errors.add(error.field(), error.code(), error.to_string());
        ApiError::RuleBroken { code: error.code(), detail: error.to_string(), errors }
    })?;
    Ok(HttpResponse::Ok().json(TariffAnswer {
        regulations: answer.regulations,
        band: answer.band,
        tariff_pence: answer.tariff_pence.get(),
        uplift_pence: answer.uplift_pence.get(),
        total_pence: answer.total_pence.get(),
    }))
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

/// The fixed costs of a claim, in pence, excluding VAT.
#[utoipa::path(
    tag = "reference data",
    operation_id = "fixed_costs",
    request_body = FixedCostsRequest,
    responses(
        (status = 200, body = FixedCosts),
        (status = 422, description = "No costs apply on that date", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[post("/calculations/fixed-costs")]
pub async fn calculate_fixed_costs(
    state: web::Data<AppState>,
    _caller: Caller,
    body: Json<FixedCostsRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.value;
    let on = request.on.unwrap_or_else(|| state.clock.today());
    let costs = fixed_costs(request.claim_type, request.value_band, request.london_weighting, on)
        .ok_or_else(|| {
            ApiError::invalid_field("on", "no_costs_apply", "no fixed costs table applies on that date")
        })?;
    Ok(HttpResponse::Ok().json(costs))
}
