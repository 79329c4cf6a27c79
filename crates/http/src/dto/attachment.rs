//! Attachments as the API shows them, and the parts of an upload.

use chrono::{DateTime, Utc};
use claims_persistence::records::AttachmentInfo;
use serde::Serialize;
use utoipa::ToSchema;

/// An attachment, without its bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub title: String,
    pub description: Option<String>,
    pub file_name: String,
    pub size_bytes: i64,
    /// Decided from the bytes: `application/pdf`, `image/png`, `image/jpeg`, `image/tiff` or
    /// `text/plain`.
    pub media_type: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    /// Code of the uploading organisation.
    pub uploaded_by: String,
}

impl From<AttachmentInfo> for AttachmentView {
    fn from(info: AttachmentInfo) -> Self {
        Self {
            id: info.id,
            title: info.title,
            description: info.description,
            file_name: info.file_name,
            size_bytes: info.size_bytes,
            media_type: info.media_type,
            sha256: info.sha256,
            uploaded_at: info.uploaded_at,
            uploaded_by: info.uploaded_by.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attachments {
    pub items: Vec<AttachmentView>,
}

/// The parts of an upload (for the OpenAPI document).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// The file (at most 4 MiB by default): PDF, PNG, JPEG, TIFF or plain text, decided from its
    /// bytes whatever its name or declared type says.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// 1 to 200 characters (leading and trailing white space is trimmed).
    // Trimmed: 1 to 200 characters, none of them control characters.
    #[schema(
        pattern = r"^[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]{0,198}[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub title: String,
    /// Up to 1,000 characters (leading and trailing white space is trimmed).
    // Trimmed: up to 1,000 characters, none of them control characters.
    #[schema(
        pattern = r"^[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]{0,998}[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub description: Option<String>,
}
