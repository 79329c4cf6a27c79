//! Attachments of a claim: uploading (the file's type decided from its bytes, its SHA-256
//! kept), listing and downloading. Only the claim's two parties.

use actix_multipart::Multipart;
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::ClaimId;
use claims_domain::validation::{CONTROL_CHARACTER_MESSAGE, FieldErrors, has_control_characters};
use claims_persistence::records::{AttachmentInfo, NewAttachment};
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::claims::{record_read, step_records, visible_claim};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Stores a file on a claim of the caller's, from the parts of a `multipart/form-data` body
/// (`None`: the body is not multipart, `415`, after the claim was found to be the caller's). Both
/// parties get `claim.attachment_added`.
pub async fn upload(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    parts: Option<Multipart>,
) -> Result<AttachmentInfo, ApiError> {
    caller.require_claims_role()?;
    // Whose claim it is comes first: someone else's is a 404 whatever was sent.
    let (claim, _side) = visible_claim(state, caller, id).await?;
    if claim.status == claims_domain::claim_status::ClaimStatus::ErasurePending {
        return Err(ApiError::Conflict {
            code: "erasure_pending",
            detail: "the claim is held by an erasure request: nothing can be added to it".to_owned(),
            retry_after: None,
        });
    }
    let Some(parts) = parts else {
        return Err(ApiError::UnsupportedMediaType { expected: "multipart/form-data" });
    };
    let limit = state.settings.attachment_limit_bytes;
    let upload = tokio::time::timeout(state.settings.body_timeout, read_upload(parts, limit))
        .await
        .map_err(|_| ApiError::RequestTimeout)??;
    let Upload { file, file_name, title, description } = upload;
    let content = file.unwrap_or_default();
    let media_type = media_type_of(&content)
        .ok_or(ApiError::UnsupportedMediaType { expected: "a PDF, PNG, JPEG, TIFF or plain-text file" })?;
    let now = state.clock.now();
    let attachment = NewAttachment {
        id: uuid::Uuid::now_v7(),
        claim_id: claim.id,
        title: title.unwrap_or_default(),
        description: description.filter(|d| !d.is_empty()),
        file_name: file_name.unwrap_or_else(|| "attachment".to_owned()),
        media_type: media_type.to_owned(),
        sha256: format!("{:x}", Sha256::digest(&content)),
        content,
        uploaded_by: caller.organisation.clone(),
        uploaded_at: now,
    };
    let size = attachment.content.len();
    let (event, audit) = step_records(
        &claim,
        (EventType::AttachmentAdded, AuditAction::AttachmentAdded),
        caller.actor(),
        now,
        json!({
            "attachment_id": attachment.id, "media_type": media_type, "size_bytes": size, "sha256": attachment.sha256,
            "status": claim.status, "version": claim.version,
        }),
        json!({ "attachment_id": attachment.id, "sha256": attachment.sha256, "size_bytes": size }),
    );
    state.db.insert_attachment(&attachment, &event, &audit).await?;
    state.sequencer.after_write();
    tracing::info!(claim_id = %claim.id, attachment_id = %attachment.id, size, "attachment added");
    let info = AttachmentInfo {
        id: attachment.id,
        claim_id: claim.id,
        title: attachment.title,
        description: attachment.description,
        file_name: attachment.file_name,
        media_type: attachment.media_type,
        size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        sha256: attachment.sha256,
        uploaded_by: attachment.uploaded_by,
        uploaded_at: now,
    };
    Ok(info)
}

/// A claim's attachments, oldest first.
pub async fn list(state: &AppState, caller: &Caller, id: ClaimId) -> Result<Vec<AttachmentInfo>, ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, id).await?;
    Ok(state.db.attachments_of(claim.id).await?)
}

/// An attachment's description and bytes; the read is recorded in the claim's history.
pub async fn download(
    state: &AppState,
    caller: &Caller,
    claim_id: ClaimId,
    attachment_id: uuid::Uuid,
) -> Result<(AttachmentInfo, Vec<u8>), ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, claim_id).await?;
    let found = state.db.attachment(claim.id, attachment_id).await?.ok_or(ApiError::NotFound)?;
    record_read(state, caller, &claim, AuditAction::AttachmentRead).await?;
    Ok(found)
}

/// The media type of a file, from its first bytes, if it is one the hub accepts.
/// The media types of the files the hub takes (and so sends back).
pub const MEDIA_TYPES: [&str; 5] = ["application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain"];

pub fn media_type_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("image/tiff")
    } else if !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|text| {
            text.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0C'))
        })
    {
        Some("text/plain")
    } else {
        None
    }
}

/// A file name safe to store and send back: the last path component, printable, at most 200
/// characters.
fn clean_file_name(raw: Option<&str>) -> String {
    let base = raw.unwrap_or("attachment").rsplit(['/', '\\']).next().unwrap_or("attachment");
    let cleaned: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if cleaned.trim().is_empty() { "attachment".to_owned() } else { cleaned }
}

/// The parts of an upload, checked.
struct Upload {
    file: Option<Vec<u8>>,
    file_name: Option<String>,
    title: Option<String>,
    description: Option<String>,
}

/// Reads the parts of an upload (the file up to `limit` bytes, the text parts up to 4 KiB) and
/// checks them, every fault at once.
async fn read_upload(mut parts: Multipart, limit: usize) -> Result<Upload, ApiError> {
    let (mut file, mut file_name, mut title, mut description) = (None, None, None, None);
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| {
            ApiError::bad_request("malformed_multipart", "the multipart body could not be read")
        })?;
        let name = part.name().unwrap_or_default().to_owned();
        let cap = if name == "file" { limit } else { 4 * 1024 };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| {
                ApiError::bad_request("malformed_multipart", "the multipart body could not be read")
            })?;
            if bytes.len() + chunk.len() > cap {
                return Err(ApiError::PayloadTooLarge { limit: cap });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => {
                file_name = Some(clean_file_name(part.content_disposition().and_then(|d| d.get_filename())));
                file = Some(bytes);
            }
            "title" => title = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
            "description" => description = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
            _ if has_control_characters(&name) => {
                return Err(ApiError::invalid_field(
                    "body",
                    "unknown_field",
                    "has a part that is not part of an upload",
                ));
            }
            _ => return Err(ApiError::invalid_field(&name, "unknown_field", "is not a part of an upload")),
        }
    }
    let mut errors = FieldErrors::new();
    if title.as_deref().is_none_or(|t| t.is_empty() || t.chars().count() > 200) {
        errors.add("title", "invalid_length", "must be 1 to 200 characters");
    }
    for (field, text) in [("title", &title), ("description", &description)] {
        if text.as_deref().is_some_and(has_control_characters) {
            errors.add(field, "control_character", CONTROL_CHARACTER_MESSAGE);
        }
    }
    if description.as_deref().is_some_and(|d| d.chars().count() > 1000) {
        errors.add("description", "too_long", "must be at most 1000 characters");
    }
    match &file {
        None => errors.add("file", "required", "send the file in a part named file"),
        Some(bytes) if bytes.is_empty() => errors.add("file", "empty", "the file is empty"),
        _ => {}
    }
    errors.finish(Upload { file, file_name, title, description }).map_err(ApiError::Validation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(media_type_of(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(media_type_of(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(media_type_of(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(media_type_of(b"II*\0...."), Some("image/tiff"));
        assert_eq!(media_type_of("A letter, £20.\n".as_bytes()), Some("text/plain"));
        assert_eq!(media_type_of(b"MZ\x90\0\x03\0"), None, "a Windows executable");
        assert_eq!(media_type_of(b"\x7fELF\x02\x01"), None, "a Linux executable");
        assert_eq!(media_type_of(b""), None);
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        assert_eq!(clean_file_name(Some(r#"C:\docs\report "final".pdf"#)), "report final.pdf");
        assert_eq!(clean_file_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_file_name(None), "attachment");
    }
}
