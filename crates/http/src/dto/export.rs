//! The export of a claim's whole record, for a data-subject access or portability request.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::attachment::AttachmentView;
use super::claim::{ClaimView, HistoryEntry};
use super::event::EventView;

/// The version of the export's shape; it grows when a member changes meaning or goes away.
pub const EXPORT_SCHEMA_VERSION: u32 = 1;

/// A claim's complete record as one machine-readable document: the claim with its form and every
/// stage, its audit trail, the events the exporting party was told, and every attachment with its
/// bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimExport {
    #[schema(example = 1)]
    pub schema_version: u32,
    pub exported_at: DateTime<Utc>,
    /// Code of the exporting organisation (one of the claim's two parties).
    #[schema(example = "CR00001")]
    pub exported_by: String,
    /// The claim as the exporting party sees it: the CNF and every stage.
    pub claim: ClaimView,
    /// The audit trail, oldest first (this export is its last entry).
    pub history: Vec<HistoryEntry>,
    /// The claim's events the exporting organisation was told, oldest first.
    pub events: Vec<EventView>,
    pub attachments: Vec<ExportedAttachment>,
}

/// An attachment with its bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAttachment {
    #[serde(flatten)]
    pub attachment: AttachmentView,
    /// The file's bytes, base64 (standard alphabet, padded); their SHA-256 is `sha256`.
    pub content_base64: String,
}
