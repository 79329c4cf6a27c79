//! Calculators: the whiplash tariff and the fixed costs, on the same tables the hub uses when it
//! values settlement packs and settlements.

use actix_web::{HttpResponse, post, web};
use claims_domain::claim_type::ClaimType;
use claims_domain::fixed_costs::{FixedCosts, fixed_costs};
use claims_domain::tariff::{self, TariffQuestion};
use claims_domain::validation::FieldErrors;

use crate::auth::Caller;
use crate::dto::calculation::{FixedCostsRequest, TariffAnswer, TariffRequest};
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::state::AppState;

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
    if request.claim_type == ClaimType::OicRta {
        return Err(ApiError::invalid_field(
            "type",
            "no_fixed_costs",
            "the small claims track (oic_rta) pays no fixed costs",
        ));
    }
    let costs = fixed_costs(request.claim_type, request.value_band, request.london_weighting, on)
        .ok_or_else(|| {
            ApiError::invalid_field("on", "no_costs_apply", "no fixed costs table applies on that date")
        })?;
    Ok(HttpResponse::Ok().json(costs))
}
