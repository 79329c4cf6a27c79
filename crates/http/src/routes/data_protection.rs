//! Data protection: a claim's export, and the data-subject requests recorded on claims.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use claims_domain::ids::ClaimId;

use crate::auth::Caller;
use crate::dto::access::{AccessReport, AccessReportQuery, AdminAccessReportQuery};
use crate::dto::claim::{PurgedClaimsQuery, TombstoneView};
use crate::dto::data_subject::{
    CloseDsrRequest, DsrList, DsrView, ExtendDsrRequest, ListDsrQuery, RecordDsrRequest,
};
use crate::dto::export::ClaimExport;
use crate::dto::page::Page;
use crate::dto::statistics::{StatisticsQuery, StatisticsReport};
use crate::error::{ApiError, Problem};
use crate::json::JsonBody;
use crate::service::{data_protection, statistics};
use crate::state::AppState;

/// Export a claim's whole record (either party).
///
/// For a data-subject access or portability request: one JSON document with the claim (its CNF
/// and every stage), its audit trail, the events the caller was told and every attachment with
/// its bytes (base64) and SHA-256. Recorded in the audit trail as a read (`claim.exported`).
#[utoipa::path(
    tag = "data protection",
    operation_id = "export_claim",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    responses(
        (status = 200, description = "The complete record", body = ClaimExport),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/export")]
pub async fn export_claim(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ClaimId>,
) -> Result<HttpResponse, ApiError> {
    let export = data_protection::export(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(export))
}

/// Record a data-subject request (either party).
///
/// A request the caller received from a person about the claim's data (`access`,
/// `rectification`, `erasure`, `restriction`, `portability`, `objection`). The hub computes its due
/// date: one calendar month after receipt (the month's last day when it has no such day), moved to
/// the next business day. Both parties get `claim.data_subject_request_recorded`.
#[utoipa::path(
    tag = "data protection",
    operation_id = "record_data_subject_request",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    request_body = RecordDsrRequest,
    responses(
        (status = 201, description = "Recorded", body = DsrView),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims/{id}/data-subject-requests")]
pub async fn record_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ClaimId>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let view = data_protection::record_request(&state, &caller, id.into_inner(), || body.parse()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// A claim's data-subject requests (either party), oldest first.
#[utoipa::path(
    tag = "data protection",
    operation_id = "claim_data_subject_requests",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    responses((status = 200, description = "The requests", body = DsrList), (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json")),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/data-subject-requests")]
pub async fn requests_of_claim(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ClaimId>,
) -> Result<HttpResponse, ApiError> {
    let items = data_protection::requests_of_claim(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(DsrList { items }))
}

/// Extend a complex request, once (the recording party).
///
/// The answer becomes due three months after receipt (computed the same way), with the reason
/// recorded. A second extension, or one of a closed request, is a `409`.
#[utoipa::path(
    tag = "data protection",
    operation_id = "extend_data_subject_request",
    params(
        ("id" = String, Path, format = Uuid, description = "The claim id"),
        ("request_id" = String, Path, format = Uuid, description = "The request id"),
    ),
    request_body = ExtendDsrRequest,
    responses(
        (status = 200, description = "Extended", body = DsrView),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already extended or closed, or recorded by the other party", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims/{id}/data-subject-requests/{request_id}/extend")]
pub async fn extend_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ClaimId, uuid::Uuid)>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let (id, request_id) = path.into_inner();
    Ok(HttpResponse::Ok()
        .json(data_protection::extend_request(&state, &caller, id, request_id, || body.parse()).await?))
}

/// Close a request with its outcome (the recording party).
///
/// `completed`, `refused` (with the legal ground) or `withdrawn`. Erasure, rectification and
/// restriction are carried out through the claim's own flows.
#[utoipa::path(
    tag = "data protection",
    operation_id = "close_data_subject_request",
    params(
        ("id" = String, Path, format = Uuid, description = "The claim id"),
        ("request_id" = String, Path, format = Uuid, description = "The request id"),
    ),
    request_body = CloseDsrRequest,
    responses(
        (status = 200, description = "Closed", body = DsrView),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed, or recorded by the other party", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims/{id}/data-subject-requests/{request_id}/close")]
pub async fn close_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ClaimId, uuid::Uuid)>,
    body: JsonBody,
) -> Result<HttpResponse, ApiError> {
    let (id, request_id) = path.into_inner();
    Ok(HttpResponse::Ok()
        .json(data_protection::close_request(&state, &caller, id, request_id, || body.parse()).await?))
}

/// The data-subject requests on the caller organisation's claims, by due date.
///
/// `overdue=true`: only open requests whose due date has passed.
#[utoipa::path(
    tag = "data protection",
    operation_id = "data_subject_requests",
    params(ListDsrQuery),
    responses(
        (status = 200, description = "A page of requests", body = Page<DsrView>),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/data-subject-requests")]
pub async fn requests_of_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListDsrQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(data_protection::requests_of_organisation(&state, &caller, query.into_inner()).await?))
}

/// The caller organisation's access report.
///
/// Its API clients (created, last used, disabled, role) and, for the days `from` to `to` (in
/// England), which of its clients and acting users read or changed which claims, oldest first.
#[utoipa::path(
    tag = "data protection",
    operation_id = "access_report",
    params(AccessReportQuery),
    responses(
        (status = 200, description = "The report", body = AccessReport),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[get("/organisations/me/access-report")]
pub async fn access_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<AccessReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = data_protection::access_report(
        &state,
        Some(caller.organisation.clone()),
        q.from,
        q.to,
        q.limit,
        q.cursor.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Any organisation's access report, or every organisation's (operator).
#[utoipa::path(
    tag = "operator",
    operation_id = "admin_access_report",
    params(AdminAccessReportQuery),
    responses(
        (status = 200, description = "The report", body = AccessReport),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[get("/admin/access-report")]
pub async fn admin_access_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<AdminAccessReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = data_protection::operator_access_report(
        &state,
        &caller,
        q.organisation.as_deref(),
        q.from,
        q.to,
        q.limit,
        q.cursor.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Management information for a period (operator).
///
/// Counts by claim type, track and status reached, exits by reason and by who ended the claim,
/// missed deadlines by party, and the median business days from submission to the liability
/// decision and to settlement. Purged claims count as before: the figures come from anonymous
/// facts kept when a claim's personal data goes. `Accept: text/csv` gives the same figures as
/// CSV, one figure per row.
#[utoipa::path(
    tag = "operator",
    operation_id = "admin_statistics",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The figures", content(
            (StatisticsReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[get("/admin/statistics")]
pub async fn admin_statistics(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let report = statistics::report(&state, &caller, q.from, q.to, q.group_by.unwrap_or_default()).await?;
    let wants_csv = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|item| item.trim().starts_with("text/csv")));
    if wants_csv {
        return Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").body(report.to_csv()));
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The caller's purged claims (either party).
///
/// Claims are left out of `GET /v1/claims` once their personal data is purged; this lists what
/// is left of those the caller was a party to: anonymous tombstones, latest purge first.
#[utoipa::path(
    tag = "data protection",
    operation_id = "purged_claims",
    params(PurgedClaimsQuery),
    responses(
        (status = 200, description = "A page of tombstones", body = Page<TombstoneView>),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/purged-claims")]
pub async fn purged_claims(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PurgedClaimsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = data_protection::purged_claims(&state, &caller, q.limit, q.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(page))
}
