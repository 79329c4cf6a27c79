//! Attachments of a claim: upload (multipart), list, download. Only the claim's two parties.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use claims_domain::ids::ClaimId;

use crate::auth::Caller;
use crate::dto::attachment::{AttachmentUpload, AttachmentView, Attachments};
use crate::error::{ApiError, Problem};
use crate::service::attachments;
use crate::state::AppState;

/// Attach a file to a claim (either party).
///
/// `multipart/form-data` with `file`, `title` and optionally `description`. Larger than the limit
/// (4 MiB by default): `413`. Not a PDF, PNG, JPEG, TIFF or plain text by its bytes: `415`. Both
/// parties get `claim.attachment_added`.
#[utoipa::path(
    tag = "attachments",
    operation_id = "upload_attachment",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = AttachmentView,
            headers(("Location" = String, description = "Where to download the file"))),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a file of a type the hub does not take", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid parts", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[post("/claims/{id}/attachments")]
pub async fn upload_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<ClaimId>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let parts = multipart.then(|| Multipart::new(req.headers(), payload));
    let info = attachments::upload(&state, &caller, id.into_inner(), parts).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/claims/{}/attachments/{}", info.claim_id, info.id)))
        .json(AttachmentView::from(info)))
}

/// A claim's attachments, oldest first.
#[utoipa::path(
    tag = "attachments",
    operation_id = "list_attachments",
    params(("id" = String, Path, format = Uuid, description = "The claim id")),
    responses(
        (status = 200, body = Attachments),
        (status = 404, description = "No such claim, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ClaimId>,
) -> Result<HttpResponse, ApiError> {
    let items = attachments::list(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Attachments { items: items.into_iter().map(AttachmentView::from).collect() }))
}

/// Download an attachment's bytes.
#[utoipa::path(
    tag = "attachments",
    operation_id = "download_attachment",
    params(
        ("id" = String, Path, format = Uuid, description = "The claim id"),
        ("attachment_id" = String, Path, format = Uuid, description = "The attachment id"),
    ),
    responses(
        (status = 200, description = "The file, with its media type", content_type = "application/octet-stream"),
        (status = 404, description = "No such attachment on a claim of the caller's", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["claims"]))
)]
#[get("/claims/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ClaimId, uuid::Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (claim_id, attachment_id) = path.into_inner();
    let (info, content) = attachments::download(&state, &caller, claim_id, attachment_id).await?;
    Ok(HttpResponse::Ok()
        .content_type(info.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", info.file_name)))
        .insert_header(("x-content-type-options", "nosniff"))
        .body(content))
}
