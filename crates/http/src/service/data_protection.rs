//! The hub's data-protection duties towards the people a claim is about: the export of a
//! claim's whole record (access and portability).

use base64::Engine;
use claims_domain::events::AuditAction;
use claims_domain::ids::ClaimId;

use super::claims::{history_of, record_read, view_of, visible_claim};
use crate::auth::Caller;
use crate::dto::attachment::AttachmentView;
use crate::dto::claim::HistoryEntry;
use crate::dto::event::EventView;
use crate::dto::export::{ClaimExport, EXPORT_SCHEMA_VERSION, ExportedAttachment};
use crate::error::ApiError;
use crate::state::AppState;

/// The complete record of a claim of the caller's, as one document; recorded in the audit trail
/// as a read (`claim.exported`) before it is assembled, so the export holds its own entry.
pub async fn export(state: &AppState, caller: &Caller, id: ClaimId) -> Result<ClaimExport, ApiError> {
    caller.require_claims_role()?;
    let (claim, side) = visible_claim(state, caller, id).await?;
    record_read(state, caller, &claim, AuditAction::Exported).await?;
    state.sequencer.catch_up(&state.db).await?;
    let organisation = caller.organisation.to_string();
    let events = state.db.claim_events_for(claim.id, &organisation).await?;
    let history = history_of(state, claim.id).await?;
    let mut attachments = Vec::new();
    for info in state.db.attachments_of(claim.id).await? {
        let Some((info, bytes)) = state.db.attachment(claim.id, info.id).await? else { continue };
        attachments.push(ExportedAttachment {
            attachment: AttachmentView::from(info),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    Ok(ClaimExport {
        schema_version: EXPORT_SCHEMA_VERSION,
        exported_at: state.clock.now(),
        exported_by: organisation,
        claim: view_of(state, claim, side).await?,
        history: history.into_iter().map(HistoryEntry::from).collect(),
        events: events.into_iter().map(EventView::from).collect(),
        attachments,
    })
}
