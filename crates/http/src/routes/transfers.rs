//! Transfer offers between claimant representatives, and the operator's bulk transfers.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle::{self, ActionError};
use claims_domain::organisation::OrganisationKind;
use claims_domain::party::Side;
use claims_persistence::records::{BulkTransfer, TransferOfferSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Caller;
use crate::claims::{self, record};
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::state::AppState;

/// A transfer offer as both representatives see it: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOfferView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub claim_id: ClaimId,
    #[schema(example = "CR00001")]
    pub from: String,
    #[schema(example = "CR00002")]
    pub to: String,
    /// `open`, `accepted`, `declined` or `cancelled`.
    #[schema(example = "open")]
    pub status: String,
    pub offered_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    #[serde(rename = "claim_type")]
    pub claim_type: ClaimType,
    pub claim_status: ClaimStatus,
    pub notification_date: NaiveDate,
}

impl From<TransferOfferSummary> for TransferOfferView {
    fn from(offer: TransferOfferSummary) -> Self {
        Self {
            id: offer.id,
            claim_id: offer.claim_id,
            from: offer.from.to_string(),
            to: offer.to.to_string(),
            status: offer.status,
            offered_at: offer.offered_at,
            answered_at: offer.answered_at,
            claim_type: offer.claim_type,
            claim_status: offer.claim_status,
            notification_date: offer.notification_date,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOffers {
    pub items: Vec<TransferOfferView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransferOffersQuery {
    /// `incoming` (offers to the caller, the default) or `outgoing` (offers it made).
    pub direction: Option<String>,
    /// `open` (the default) or `all`.
    pub status: Option<String>,
}

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

/// A bulk transfer request.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "from": "CR00001", "to": "CR00002", "claim_ids": null }))]
pub struct BulkTransferRequest {
    pub from: String,
    pub to: String,
    /// The claims to move; `null` for every open claim of `from`.
    #[schema(value_type = Option<Vec<String>>)]
    pub claim_ids: Option<Vec<ClaimId>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedClaim {
    #[schema(value_type = String, format = Uuid)]
    pub claim_id: ClaimId,
    /// `terminal` (closed, exited or withdrawn), `not_found` (not a claim of `from`) or `changed`.
    pub reason: &'static str,
}

/// What a bulk transfer did.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkTransferReport {
    pub from: String,
    pub to: String,
    #[schema(value_type = Vec<String>)]
    pub moved: Vec<ClaimId>,
    pub skipped: Vec<SkippedClaim>,
    pub at: DateTime<Utc>,
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
