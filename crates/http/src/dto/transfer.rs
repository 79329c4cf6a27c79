//! Transfer offers and bulk transfers, as the API shows them.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::ids::ClaimId;
use claims_persistence::records::TransferOfferSummary;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

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

/// A bulk transfer request.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "from": "CR00001", "to": "CR00002", "claim_ids": null }))]
pub struct BulkTransferRequest {
    pub from: String,
    pub to: String,
    /// The claims to move; `null` for every open claim of `from`.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
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
