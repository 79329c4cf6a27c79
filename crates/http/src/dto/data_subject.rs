//! Data-subject requests as the API takes and shows them.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::data_subject::{DsrKind, DsrOutcome};
use claims_persistence::records::DataSubjectRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// A request a person made to the caller about a claim's data.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "kind": "access", "received_on": "2026-01-31", "reference": "DSR-2026-014" }))]
pub struct RecordDsrRequest {
    pub kind: DsrKind,
    /// When the caller received it (not in the future).
    pub received_on: NaiveDate,
    /// The caller's own reference for the request.
    #[validate(length(min = 1, max = 50, code = "invalid_length"))]
    #[schema(min_length = 1, max_length = 50)]
    pub reference: String,
}

/// The one extension of a complex request, to three months after receipt.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "reason": "Records must be gathered from three claims systems." }))]
pub struct ExtendDsrRequest {
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

/// How a request was answered.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "outcome": "completed" }))]
pub struct CloseDsrRequest {
    pub outcome: DsrOutcome,
    /// The legal ground of a refusal (required with `refused`, absent otherwise).
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    #[schema(min_length = 1, max_length = 1000)]
    pub ground: Option<String>,
}

/// Filters of the organisation-wide list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDsrQuery {
    /// `true`: only open requests whose due date has passed.
    pub overdue: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A data-subject request recorded on a claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct DsrView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub claim_id: claims_domain::ids::ClaimId,
    pub kind: DsrKind,
    pub received_on: NaiveDate,
    pub reference: String,
    /// Code of the organisation that received and recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// When the answer is due: one calendar month after receipt (three once extended), on a
    /// business day.
    pub due_on: NaiveDate,
    /// `open` or `closed`.
    pub status: &'static str,
    /// Open, and its due date has passed.
    pub overdue: bool,
    pub extension_reason: Option<String>,
    pub extended_at: Option<DateTime<Utc>>,
    pub outcome: Option<DsrOutcome>,
    pub ground: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl DsrView {
    pub fn of(request: DataSubjectRequest, today: NaiveDate) -> Self {
        let open = request.closed_at.is_none();
        Self {
            id: request.id,
            claim_id: request.claim_id,
            kind: request.kind,
            received_on: request.received_on,
            reference: request.reference,
            recorded_by: request.recorded_by.to_string(),
            recorded_at: request.recorded_at,
            due_on: request.due_on,
            status: if open { "open" } else { "closed" },
            overdue: open && request.due_on < today,
            extension_reason: request.extension_reason,
            extended_at: request.extended_at,
            outcome: request.outcome,
            ground: request.ground,
            closed_at: request.closed_at,
        }
    }
}

/// A claim's data-subject requests, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DsrList {
    pub items: Vec<DsrView>,
}

/// Position in the organisation-wide list: the last item's due date and id.
#[derive(Debug, Serialize, Deserialize)]
pub struct DsrCursor {
    pub due_on: NaiveDate,
    pub id: uuid::Uuid,
}
