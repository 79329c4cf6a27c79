//! `/v1/claims`: submit, validate, read and list claims.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use claims_domain::claim_type::ClaimType;
use claims_domain::events::AuditAction;
use claims_domain::ids::ClaimId;

use crate::auth::Caller;
use crate::dto::claim::*;
use crate::dto::page::Page;
use crate::error::{ApiError, Problem};
use crate::idempotency::{self, Saving};
use crate::json::Json;
use crate::service::claims::{self, etag};
use crate::state::AppState;

/// Submit a Claim Notification Form.
///
/// Only claimant representatives submit. The claim starts in `submitted` with the notification
/// date set to today's date in England. Send an `Idempotency-Key` so that a retry after a timeout
/// can never create a second claim.
#[utoipa::path(
    tag = "claims",
    operation_id = "submit_claim",
    params(("Idempotency-Key" = Option<String>, Header, description = "1 to 255 printable characters; a repeat returns the first response")),
    request_body(content = SubmitClaimRequest, examples(
        ("rta" = (summary = "Road traffic accident", value = json!(crate::examples::submit_claim(ClaimType::Rta)))),
        ("el_accident" = (summary = "Accident at work", value = json!(crate::examples::submit_claim(ClaimType::ElAccident)))),
        ("el_disease" = (summary = "Industrial disease", value = json!(crate::examples::submit_claim(ClaimType::ElDisease)))),
        ("pl" = (summary = "Public liability", value = json!(crate::examples::submit_claim(ClaimType::Pl)))),
        ("oic_rta" = (summary = "Small road traffic claim (whiplash, small-claims track)", value = json!(crate::examples::submit_claim(ClaimType::OicRta)))),
    )),
    responses(
        (status = 201, description = "The claim was created", body = ClaimView,
            headers(("Location" = String, description = "The claim's URL"), ("ETag" = String, description = "The claim's version"))),
        (status = 400, description = "Malformed JSON or header", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a claimant representative", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is in flight", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid form: every invalid field is listed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims")]
pub async fn submit_claim(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<SubmitClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    require_claimant_representative(&caller)?;
    let Json { value, canonical } = body;
    idempotency::run(&state, &caller, &req, &canonical, Saving::ByTheWork, async |scope| {
        let valid = claims::validate_cnf(&state, value.cnf).await?;
        claims::submit(&state, &caller, valid, scope.as_ref(), |view| {
            let location = format!("/v1/claims/{}", view.id);
            idempotency::json_response(
                StatusCode::CREATED,
                vec![("location".to_owned(), location), ("etag".to_owned(), etag(view.version))],
                view,
            )
        })
        .await
    })
    .await
}

/// Check a Claim Notification Form without storing it.
///
/// Runs every check a submission would: `200 {"valid": true}`, or the `422` the submission
/// would get, listing every invalid field.
#[utoipa::path(
    tag = "claims",
    operation_id = "validate_claim",
    request_body(content = SubmitClaimRequest, examples(
        ("rta" = (summary = "Road traffic accident", value = json!(crate::examples::submit_claim(ClaimType::Rta)))),
        ("el_accident" = (summary = "Accident at work", value = json!(crate::examples::submit_claim(ClaimType::ElAccident)))),
        ("el_disease" = (summary = "Industrial disease", value = json!(crate::examples::submit_claim(ClaimType::ElDisease)))),
        ("pl" = (summary = "Public liability", value = json!(crate::examples::submit_claim(ClaimType::Pl)))),
        ("oic_rta" = (summary = "Small road traffic claim (whiplash, small-claims track)", value = json!(crate::examples::submit_claim(ClaimType::OicRta)))),
    )),
    responses(
        (status = 200, description = "The form is valid", body = ValidationResult),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a claimant representative", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid form: every invalid field is listed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims/validate")]
pub async fn validate_claim(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<SubmitClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    require_claimant_representative(&caller)?;
    claims::validate_cnf(&state, body.value.cnf).await?;
    Ok(HttpResponse::Ok().json(ValidationResult { valid: true }))
}

/// Read one claim.
///
/// Only the claim's current claimant representative and compensator can see it; anyone else gets
/// `404`. Every read is recorded in the claim's audit trail. The `ETag` is the claim's version;
/// send it back in `If-None-Match` to get `304` when nothing changed.
#[utoipa::path(
    tag = "claims",
    operation_id = "get_claim",
    params(
        ("id" = String, Path, format = Uuid, description = "The claim id"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag the caller holds, such as \"3\": `304` while it is current"),
    ),
    responses(
        (status = 200, description = "The claim", body = ClaimView, headers(("ETag" = String, description = "The claim's version"))),
        (status = 304, description = "Unchanged since the `If-None-Match` version"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}")]
pub async fn get_claim(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<ClaimId>,
) -> Result<HttpResponse, ApiError> {
    caller.require_claims_role()?;
    let (claim, side) = claims::visible_claim(&state, &caller, id.into_inner()).await?;
    let tag = etag(claim.version);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == tag));
    if unchanged {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, tag)).finish());
    }
    claims::record_read(&state, &caller, &claim, AuditAction::Read).await?;
    let view = claims::view_of(&state, claim, side).await?;
    let mut response = HttpResponse::Ok().json(view);
    if let Ok(value) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// List the caller's claims, newest update first.
///
/// Items are summaries without personal data; read a claim for its form. Walk the pages with
/// `cursor`.
#[utoipa::path(
    tag = "claims",
    operation_id = "list_claims",
    params(ListClaimsQuery),
    responses(
        (status = 200, description = "A page of claims", body = Page<ClaimSummary>),
        (status = 400, description = "Bad filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims")]
pub async fn list_claims(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListClaimsQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(claims::list(&state, &caller, query.into_inner()).await?))
}

fn require_claimant_representative(caller: &Caller) -> Result<(), ApiError> {
    match caller.require_claims_role()? {
        claims_domain::party::Side::ClaimantRepresentative => Ok(()),
        claims_domain::party::Side::Compensator => {
            Err(ApiError::Forbidden("only claimant representatives submit claims"))
        }
    }
}

/// The claim's audit trail.
///
/// Every change (who made it, from which status to which), every deadline consequence applied
/// by the hub (actor `system`), every transfer, and every read of the claim, oldest first. Reading
/// the trail is itself recorded.
#[utoipa::path(
    tag = "claims",
    operation_id = "claim_history",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    responses(
        (status = 200, description = "The audit trail", body = History),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/history")]
pub async fn claim_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ClaimId>,
) -> Result<HttpResponse, ApiError> {
    let entries = claims::history(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(History { items: entries.into_iter().map(HistoryEntry::from).collect() }))
}
