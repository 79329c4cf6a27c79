//! Transfer offers between claimant representatives, and the operator's bulk transfers.

use actix_web::{HttpResponse, get, post, web};

use crate::auth::Caller;
use crate::dto::transfer::{
    BulkTransferReport, BulkTransferRequest, SkippedClaim, TransferOffers, TransferOffersQuery,
};
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::service::{actions, transfers};
use crate::state::AppState;

/// Transfer offers to (or from) the caller's organisation.
///
/// Each offer names the claim and gives a summary without personal data: the receiver sees the
/// claim itself only once it accepts.
#[utoipa::path(
    tag = "transfers",
    operation_id = "list_transfer_offers",
    params(TransferOffersQuery),
    responses(
        (status = 200, body = TransferOffers),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/transfer-offers")]
pub async fn list_transfer_offers(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<TransferOffersQuery>,
) -> Result<HttpResponse, ApiError> {
    let offers =
        transfers::offers(&state, &caller, query.direction.as_deref(), query.status.as_deref()).await?;
    Ok(HttpResponse::Ok().json(TransferOffers { items: offers.into_iter().map(Into::into).collect() }))
}

/// Accept a transfer offer (the receiving claimant representative).
///
/// The claim becomes the caller's: it sees the claim and acts on it from now on, and the
/// representative that offered it loses sight of it (its earlier events stay in its feed).
#[utoipa::path(
    tag = "transfers",
    operation_id = "accept_transfer_offer",
    params(("id" = String, Path, format = Uuid, description = "The transfer offer id")),
    responses(
        (status = 200, description = "The claim, now the caller's", body = crate::dto::claim::ClaimView),
        (status = 404, description = "No such offer to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The offer is no longer open", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/transfer-offers/{id}/accept")]
pub async fn accept_transfer_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &caller, id.into_inner(), true).await
}

/// Decline a transfer offer (the receiving claimant representative).
#[utoipa::path(
    tag = "transfers",
    operation_id = "decline_transfer_offer",
    params(("id" = String, Path, format = Uuid, description = "The transfer offer id")),
    responses(
        (status = 204, description = "Declined; the claim stays where it was"),
        (status = 404, description = "No such offer to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The offer is no longer open", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/transfer-offers/{id}/decline")]
pub async fn decline_transfer_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &caller, id.into_inner(), false).await
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    offer: uuid::Uuid,
    accept: bool,
) -> Result<HttpResponse, ApiError> {
    match actions::answer_transfer_offer(state, caller, offer, accept).await? {
        Some(view) => Ok(HttpResponse::Ok().json(view)),
        None => Ok(HttpResponse::NoContent().finish()),
    }
}

/// Move claims from one organisation to another of the same kind (operator).
///
/// Representative to representative or compensator to compensator, never across kinds. In one
/// transaction: every open claim listed (or every open claim of `from`) moves, or none does.
/// Terminal claims are skipped and reported. Deadlines keep running and the claims' creator stays
/// recorded. The organisation a claim leaves, the one it joins and the other party each get
/// `claim.transferred` naming both organisations; the one it left can no longer see it.
#[utoipa::path(
    tag = "operator",
    operation_id = "bulk_transfer",
    request_body = BulkTransferRequest,
    responses(
        (status = 200, body = BulkTransferReport),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown organisations, or of different kinds", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[post("/admin/bulk-transfers")]
pub async fn bulk_transfer(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<BulkTransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let done = transfers::bulk_transfer(&state, &caller, body.value).await?;
    Ok(HttpResponse::Ok().json(BulkTransferReport {
        from: done.from.to_string(),
        to: done.to.to_string(),
        moved: done.moved,
        skipped: done
            .skipped
            .into_iter()
            .map(|(claim_id, reason)| SkippedClaim { claim_id, reason })
            .collect(),
        at: done.at,
    }))
}
