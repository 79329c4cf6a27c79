//! The organisation directory.

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::dto::organisation::{DirectoryQuery, OrganisationView};
use crate::dto::page::Page;
use crate::error::{ApiError, Problem};
use crate::service::registration;
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
    Ok(HttpResponse::Ok().json(registration::list_organisations(&state, query.into_inner(), false).await?))
}
