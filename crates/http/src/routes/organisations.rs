//! The organisation directory.

use actix_web::{HttpResponse, get, web};
use claims_persistence::records::OrganisationQuery;

use crate::auth::Caller;
use crate::dto::organisation::{DirectoryQuery, OrganisationView};
use crate::dto::page::{self, KeyCursor, Page};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The directory of organisations.
///
/// What a claimant representative uses to address a CNF: codes, names, compensator types and
/// groups. Operators are not listed here.
#[utoipa::path(
    tag = "reference data",
    operation_id = "list_organisations",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "A page of organisations", body = Page<OrganisationView>),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<DirectoryQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(directory_page(&state, query.into_inner(), false).await?))
}

/// One page of organisations matching a directory query.
pub async fn directory_page(
    state: &AppState,
    query: DirectoryQuery,
    include_operators: bool,
) -> Result<Page<OrganisationView>, ApiError> {
    let limit = page::limit(query.limit)?;
    let after = query.cursor.as_deref().map(page::decode_cursor::<KeyCursor>).transpose()?;
    let text = query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::bad_request("invalid_query", "q must be at most 100 characters"));
    }
    let rows = state
        .db
        .list_organisations(&OrganisationQuery {
            kind: query.kind,
            text,
            after_code: after.map(|c| c.after),
            limit: limit + 1,
            include_operators,
        })
        .await?;
    Ok(page::paginate(rows, limit, |o| KeyCursor { after: o.code.to_string() }, OrganisationView::from))
}
