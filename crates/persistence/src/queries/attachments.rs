//! Attachments.

use claims_domain::ids::ClaimId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use super::claims::insert_audit;
use super::claims::insert_event;
use crate::error::StoreError;
use crate::models::{AttachmentInfoRow, NewAttachmentRow};
use crate::records::{AttachmentInfo, NewAttachment, NewAudit, NewEvent};
use crate::schema::attachments;
use crate::sql_types::DbUuid;

/// Stores an attachment with its `claim.attachment_added` event and audit entry.
pub(crate) async fn insert_attachment(
    conn: &mut Conn,
    attachment: &NewAttachment,
    event: &NewEvent,
    audit: &NewAudit,
) -> Result<(), StoreError> {
    let row = NewAttachmentRow {
        id: DbUuid(attachment.id),
        claim_id: DbUuid(attachment.claim_id.as_uuid()),
        title: attachment.title.clone(),
        description: attachment.description.clone(),
        file_name: attachment.file_name.clone(),
        media_type: attachment.media_type.clone(),
        size_bytes: i64::try_from(attachment.content.len()).unwrap_or(i64::MAX),
        sha256: attachment.sha256.clone(),
        content: attachment.content.clone(),
        uploaded_by: attachment.uploaded_by.to_string(),
        uploaded_at: attachment.uploaded_at.into(),
    };
    transaction!(conn, async |conn| {
        diesel::insert_into(attachments::table).values(&row).execute(conn).await?;
        insert_event(conn, event).await?;
        insert_audit(conn, audit).await
    })
}

pub(crate) async fn attachments_of(
    conn: &mut Conn,
    claim: ClaimId,
) -> Result<Vec<AttachmentInfo>, StoreError> {
    attachments::table
        .filter(attachments::claim_id.eq(DbUuid(claim.as_uuid())))
        .order(attachments::uploaded_at.asc())
        .select(AttachmentInfoRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(AttachmentInfoRow::into_info)
        .collect()
}

/// An attachment of a claim with its bytes.
pub(crate) async fn attachment(
    conn: &mut Conn,
    claim: ClaimId,
    id: uuid::Uuid,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
    let found: Option<(AttachmentInfoRow, Vec<u8>)> = attachments::table
        .filter(attachments::id.eq(DbUuid(id)))
        .filter(attachments::claim_id.eq(DbUuid(claim.as_uuid())))
        .select((AttachmentInfoRow::as_select(), attachments::content))
        .first(conn)
        .await
        .optional()?;
    found.map(|(info, content)| Ok((info.into_info()?, content))).transpose()
}
