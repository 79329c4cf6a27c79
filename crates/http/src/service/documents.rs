//! Printing a claim's documents: PDFs rendered from the claim as it stands.

use claims_domain::events::AuditAction;
use claims_domain::ids::ClaimId;

use super::claims::{organisation, record_read, visible_claim};
use crate::auth::Caller;
use crate::documents::{self, DocumentKind, Parties};
use crate::error::ApiError;
use crate::state::AppState;

/// The document of `kind` of a claim of the caller's, as a PDF (`NotFound` where that stage has not
/// happened). The printing is recorded in the claim's history.
pub async fn claim_document(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    kind: DocumentKind,
) -> Result<Vec<u8>, ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, id).await?;
    let claimant_representative = organisation(state, &claim.claimant_representative).await?;
    let compensator = organisation(state, &claim.compensator).await?;
    let parties = Parties { claimant_representative: &claimant_representative, compensator: &compensator };
    let pdf = documents::render(kind, &claim, &parties).ok_or(ApiError::NotFound)?;
    record_read(state, caller, &claim, AuditAction::DocumentPrinted).await?;
    Ok(pdf)
}
