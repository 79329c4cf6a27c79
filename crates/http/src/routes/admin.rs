//! Operator endpoints: organisations and their API clients.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use claims_domain::ids::OrganisationCode;

use crate::auth::Caller;
use crate::dto::client::{ClientView, IssuedCredentials, NewClientRequest};
use crate::dto::organisation::{
    DirectoryQuery, InactiveOrganisations, NewOrganisationRequest, OrganisationView,
};
use crate::dto::page::Page;
use crate::error::{ApiError, Problem};
use crate::idempotency::{self, Saving};
use crate::json::Json;
use crate::service::registration::{self, OrganisationSpec};
use crate::state::AppState;

/// Register an organisation.
///
/// The hub allocates the next free code of the kind unless one is given.
#[utoipa::path(
    tag = "operator",
    operation_id = "create_organisation",
    params(("Idempotency-Key" = Option<String>, Header, description = "1 to 255 printable characters; a repeat returns the first response")),
    request_body = NewOrganisationRequest,
    responses(
        (status = 201, description = "The organisation", body = OrganisationView),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[post("/admin/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<NewOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_operator()?;
    let Json { value: request, canonical } = body;
    idempotency::run(&state, &caller, &req, &canonical, Saving::Afterwards, async |_| {
        let spec = OrganisationSpec {
            code: request.code,
            kind: request.kind,
            name: request.name,
            compensator_type: request.compensator_type,
            group: request.group,
        };
        let organisation =
            registration::create_organisation(&state.db, &state.directory, spec, state.clock.now()).await?;
        tracing::info!(organisation = %organisation.code, "organisation registered");
        idempotency::json_response(StatusCode::CREATED, Vec::new(), &OrganisationView::from(organisation))
    })
    .await
}

/// List every organisation, operators included.
#[utoipa::path(
    tag = "operator",
    operation_id = "list_all_organisations",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "A page of organisations", body = Page<OrganisationView>),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[get("/admin/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<DirectoryQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require_operator()?;
    Ok(HttpResponse::Ok().json(registration::list_organisations(&state, query.into_inner(), true).await?))
}

/// Issue an API client for an organisation.
///
/// The secret is in this response only; the hub stores a hash. Clients of operator organisations
/// get the `operator` role, others the `claims` role.
#[utoipa::path(
    tag = "operator",
    operation_id = "create_client",
    params(("code" = String, Path, description = "The organisation's code")),
    request_body = NewClientRequest,
    responses(
        (status = 201, description = "The credentials", body = IssuedCredentials),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[post("/admin/organisations/{code}/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: Json<NewClientRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_operator()?;
    let code = OrganisationCode::parse(&code).map_err(|_| ApiError::NotFound)?;
    let credentials = registration::create_client(
        &state.db,
        &state.directory,
        &code,
        body.value.label,
        None,
        state.real_clock.now(),
    )
    .await?;
    tracing::info!(client_id = %credentials.client_id, organisation = %code, "client issued");
    Ok(HttpResponse::Created().insert_header(("cache-control", "no-store")).json(credentials))
}

/// List an organisation's API clients (never their secrets).
#[utoipa::path(
    tag = "operator",
    operation_id = "list_clients",
    params(("code" = String, Path, description = "The organisation's code")),
    responses(
        (status = 200, description = "The clients", body = Vec<ClientView>),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[get("/admin/organisations/{code}/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let clients = registration::clients_of(&state, &caller, &code).await?;
    Ok(HttpResponse::Ok().json(clients.into_iter().map(ClientView::from).collect::<Vec<_>>()))
}

/// Disable an API client.
///
/// Its tokens stop working at once and it can get no new ones.
#[utoipa::path(
    tag = "operator",
    operation_id = "disable_client",
    params(("client_id" = String, Path, description = "The client id")),
    responses(
        (status = 204, description = "Disabled"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[post("/admin/clients/{client_id}/disable")]
pub async fn disable_client(
    state: web::Data<AppState>,
    caller: Caller,
    client_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registration::disable_client(&state, &caller, &client_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Place an organisation on legal hold (operator).
///
/// For an organisation terminated for a breach of the hub's terms: none of its claims is purged
/// for 6 years from now by the hub's clock (placing it again restarts them), unless the hold is
/// lifted earlier. Its claims show `legal_hold: true`, and a purge date no earlier than the
/// hold's end.
#[utoipa::path(
    tag = "operator",
    operation_id = "place_legal_hold",
    params(("code" = String, Path, description = "The organisation's code")),
    responses(
        (status = 204, description = "On hold"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[post("/admin/organisations/{code}/legal-hold")]
pub async fn place_legal_hold(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registration::set_legal_hold(&state, &caller, &code, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lift an organisation's legal hold (operator).
#[utoipa::path(
    tag = "operator",
    operation_id = "lift_legal_hold",
    params(("code" = String, Path, description = "The organisation's code")),
    responses(
        (status = 204, description = "Lifted"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[delete("/admin/organisations/{code}/legal-hold")]
pub async fn lift_legal_hold(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registration::set_legal_hold(&state, &caller, &code, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Organisations inactive for 12 months (operator).
///
/// None of their API clients got a token or made a request for 12 months by the hub's clock
/// (operator organisations are never listed). Each shows how many of its claims still hold
/// personal data: it may be removed once that is 0.
#[utoipa::path(
    tag = "operator",
    operation_id = "inactive_organisations",
    responses(
        (status = 200, description = "The inactive organisations", body = InactiveOrganisations),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[get("/admin/inactive-organisations")]
pub async fn inactive_organisations(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let found = registration::inactive_organisations(&state, &caller).await?;
    Ok(HttpResponse::Ok().json(InactiveOrganisations { items: found.into_iter().map(Into::into).collect() }))
}

/// Remove an inactive organisation (operator).
///
/// Its API clients are deleted and its name is replaced by its code; the code stays in its
/// claims' tombstones, events and audit trail. It no longer appears in the directory and cannot
/// be named on a new claim. Only an organisation inactive for 12 months, not on legal hold and
/// with every claim naming it purged, can be removed.
#[utoipa::path(
    tag = "operator",
    operation_id = "remove_organisation",
    params(("code" = String, Path, description = "The organisation's code")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still active (`organisation_active`), on legal hold (`legal_hold`), or named by claims not yet purged (`claims_not_purged`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[delete("/admin/organisations/{code}")]
pub async fn remove_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registration::remove_organisation(&state, &caller, &code).await?;
    Ok(HttpResponse::NoContent().finish())
}
