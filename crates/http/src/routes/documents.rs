//! Printable documents of a claim.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use claims_domain::ids::ClaimId;

use crate::auth::Caller;
use crate::documents::DocumentKind;
use crate::error::{ApiError, Problem};
use crate::service::documents;
use crate::state::AppState;

/// A printable document of the claim, as it stands now, as PDF.
///
/// `cnf`, `liability_response`, `interim_request` (the latest request), `settlement_pack` and
/// `court_pack`; `404` where that stage has not happened. Each print is recorded in the claim's
/// audit trail.
#[utoipa::path(
    tag = "claims",
    operation_id = "claim_document",
    params(
        ("id" = String, Path, format = Uuid, description = "The claim id"),
        ("kind" = inline(DocumentKind), Path, description = "Which document"),
    ),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, description = "No such claim or document for the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/documents/{kind}")]
pub async fn claim_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ClaimId, DocumentKind)>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = path.into_inner();
    let pdf = documents::claim_document(&state, &caller, id, kind).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}-{}.pdf\"", kind.file_stem(), id),
        ))
        .body(pdf))
}
