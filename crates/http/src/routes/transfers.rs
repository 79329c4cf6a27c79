//! Transfer offers between claimant representatives, and the operator's bulk transfers.

use actix_web::{HttpResponse, get, post, web};
use claims_domain::ids::OrganisationCode;
use claims_domain::lifecycle::{self, ActionError};
use claims_domain::organisation::OrganisationKind;
use claims_domain::party::Side;
use claims_persistence::records::BulkTransfer;

use crate::auth::Caller;
use crate::claims::{self, record};
use crate::dto::transfer::{
    BulkTransferReport, BulkTransferRequest, SkippedClaim, TransferOffers, TransferOffersQuery,
};
use crate::error::{ApiError, Problem};
use crate::json::Json;
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
    caller.require_claims_role()?;
    let incoming = match query.direction.as_deref() {
        None | Some("incoming") => true,
        Some("outgoing") => false,
        Some(_) => return Err(ApiError::bad_request("invalid_query", "direction is incoming or outgoing")),
    };
    let only_open = match query.status.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(ApiError::bad_request("invalid_query", "status is open or all")),
    };
    let offers = state.db.transfer_offers_of(caller.organisation.as_str(), incoming, only_open).await?;
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
    caller.require_claims_role()?;
    let Some((claim_id, to, _status)) = state.db.transfer_offer(offer).await? else {
        return Err(ApiError::NotFound);
    };
    if to != caller.organisation.as_str() {
        return Err(ApiError::NotFound);
    }
    let claim = state.db.claim(claim_id).await?.ok_or(ApiError::NotFound)?;
    let claim = claims::settle(state, claim).await?;
    let now = state.clock.now();
    let transition = lifecycle::answer_transfer(&claim, offer, accept, now).map_err(|error| match error {
        ActionError::Conflict { code, message, .. } => {
            ApiError::Conflict { code, detail: message, retry_after: None }
        }
        other => ApiError::Internal(other.to_string()),
    })?;
    let Some(after) = record(state, &claim, transition, caller.actor(), now).await? else {
        return Err(ApiError::Conflict {
            code: "claim_changed",
            detail: "the claim changed meanwhile; try again".to_owned(),
            retry_after: Some(1),
        });
    };
    state.sequencer.after_write(&state.db).await;
    tracing::info!(claim_id = %claim_id, accept, "transfer offer answered");
    if accept {
        let view = claims::view_of(state, after, Side::ClaimantRepresentative).await?;
        Ok(HttpResponse::Ok().json(view))
    } else {
        Ok(HttpResponse::NoContent().finish())
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
    caller.require_operator()?;
    let request = body.value;
    let lookup = async |field: &str, raw: &str| {
        let unknown = || {
            ApiError::invalid_field(field, "unknown_organisation", "names no organisation known to the hub")
        };
        let code = OrganisationCode::parse(raw).map_err(|_| unknown())?;
        state.directory.get(&state.db, &code).await?.ok_or_else(unknown)
    };
    let from = lookup("from", &request.from).await?;
    let to = lookup("to", &request.to).await?;
    let side = match (from.kind, to.kind) {
        (OrganisationKind::ClaimantRepresentative, OrganisationKind::ClaimantRepresentative) => {
            Side::ClaimantRepresentative
        }
        (OrganisationKind::Compensator, OrganisationKind::Compensator) => Side::Compensator,
        _ => {
            return Err(ApiError::invalid_field(
                "to",
                "different_kind",
                "claims move between two claimant representatives or two compensators",
            ));
        }
    };
    if from.code == to.code {
        return Err(ApiError::invalid_field(
            "to",
            "same_organisation",
            "from and to are the same organisation",
        ));
    }
    let at = state.clock.now();
    let outcome = state
        .db
        .bulk_transfer(&BulkTransfer {
            from: from.code.clone(),
            to: to.code.clone(),
            side,
            claim_ids: request.claim_ids,
            actor: caller.actor(),
            at,
        })
        .await?;
    state.sequencer.after_write(&state.db).await;
    tracing::info!(from = %from.code, to = %to.code, moved = outcome.moved.len(), skipped = outcome.skipped.len(), "bulk transfer");
    Ok(HttpResponse::Ok().json(BulkTransferReport {
        from: from.code.to_string(),
        to: to.code.to_string(),
        moved: outcome.moved,
        skipped: outcome
            .skipped
            .into_iter()
            .map(|(claim_id, reason)| SkippedClaim { claim_id, reason })
            .collect(),
        at,
    }))
}
