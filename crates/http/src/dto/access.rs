//! Access review: who of an organisation read or changed which claims.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::events::AuditAction;
use claims_persistence::records::AccessEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::client::ClientView;
use super::event::ActorView;

/// The period and page of an organisation's own access report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccessReportQuery {
    /// First day (in England) of the period.
    pub from: NaiveDate,
    /// Last day (in England) of the period.
    pub to: NaiveDate,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The operator's access report: one organisation's, or every organisation's.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdminAccessReportQuery {
    /// An organisation's code (every organisation when absent).
    pub organisation: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// An organisation's API clients and, for a period, their reads and changes of claims.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessReport {
    /// The organisation's clients (empty in an operator's report of every organisation).
    pub clients: Vec<ClientView>,
    /// Reads and changes of claims, oldest first.
    pub items: Vec<AccessEntryView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One read or change of a claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntryView {
    #[schema(value_type = String, format = Uuid)]
    pub claim_id: claims_domain::ids::ClaimId,
    pub action: AuditAction,
    pub occurred_at: DateTime<Utc>,
    pub actor: ActorView,
}

impl From<AccessEntry> for AccessEntryView {
    fn from(entry: AccessEntry) -> Self {
        Self {
            claim_id: entry.claim_id,
            action: entry.entry.action,
            occurred_at: entry.entry.occurred_at,
            actor: ActorView::from(&entry.entry.actor),
        }
    }
}

/// Position in an access report: the last entry's id.
#[derive(Debug, Serialize, Deserialize)]
pub struct AccessCursor {
    pub after: i64,
}
