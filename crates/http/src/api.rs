//! The route table and the OpenAPI document, built by one function so they cannot drift: every
//! handler is registered together with its description.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::routes::{
    actions, admin, attachments, auth, calculations, calendar, claims, data_protection, documents, events,
    operations, organisations, transfers,
};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Claims Exchange",
        description = "The hub through which claimant representatives and compensators exchange \
            low-value personal-injury claims in England and Wales. Get a token with the client \
            credentials grant at `/oauth/token`, then call the `/v1` endpoints with it. Errors are \
            `application/problem+json` with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers((url = "/", description = "The hub serving this document")),
    modifiers(&Security),
    tags(
        (name = "claims", description = "Claim Notification Forms and the claims they open"),
        (name = "claim actions", description = "The lifecycle: each action needs the claim's ETag in If-Match"),
        (name = "attachments", description = "Files the parties exchange about a claim"),
        (name = "transfers", description = "Moving claims between representatives or compensators"),
        (name = "events", description = "The event feed: every change to the caller's claims, in order"),
        (name = "data protection", description = "Exports of a claim's record and the requests people make about their data"),
        (name = "reference data", description = "The organisation directory"),
        (name = "authentication", description = "Tokens, keys and client secrets"),
        (name = "operator", description = "Registering organisations and API clients (operator role)"),
        (name = "sandbox", description = "The sandbox's movable clock (sandbox mode only)"),
        (name = "operations", description = "Health and metrics"),
    )
)]
struct BaseDocument;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let scopes = Scopes::from_iter([
            ("claims", "Submit, read and act on the organisation's claims"),
            ("operator", "Operator endpoints"),
        ]);
        let flow = Flow::ClientCredentials(ClientCredentials::new("/oauth/token", scopes));
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("oauth2", SecurityScheme::OAuth2(OAuth2::new([flow])));
    }
}

/// Marks every operation that names no security requirement as public (`security: []`), so
/// generators and testers need not guess. Runs after the routes are registered.
fn mark_public_operations(openapi: &mut OpenApiDoc) {
    for item in openapi.paths.paths.values_mut() {
        for (_, operation) in crate::contract::operations(item) {
            operation.security.get_or_insert_with(Vec::new);
        }
    }
}

/// Registers every endpoint. The sandbox clock exists only in sandbox mode.
fn register(config: &mut ServiceConfig, sandbox: bool) {
    config
        .service(auth::issue_token)
        .service(auth::jwks)
        .service(operations::live)
        .service(operations::ready)
        .service(operations::metrics);
    let mut v1 = utoipa_actix_web::scope("/v1")
        .service(claims::validate_claim)
        .service(claims::submit_claim)
        .service(claims::list_claims)
        .service(claims::get_claim)
        .service(claims::claim_history)
        .service(data_protection::export_claim)
        .service(data_protection::record_request)
        .service(data_protection::requests_of_claim)
        .service(data_protection::extend_request)
        .service(data_protection::close_request)
        .service(data_protection::requests_of_organisation)
        .service(data_protection::access_report)
        .service(data_protection::admin_access_report)
        .service(data_protection::admin_statistics)
        .service(data_protection::purged_claims)
        .service(documents::claim_document)
        .service(attachments::upload_attachment)
        .service(attachments::list_attachments)
        .service(attachments::download_attachment)
        .service(actions::acknowledge)
        .service(actions::reject)
        .service(actions::resubmit)
        .service(actions::reassign)
        .service(actions::decide_liability)
        .service(actions::declare_article_75)
        .service(actions::allege_fraud)
        .service(actions::exit)
        .service(actions::withdraw)
        .service(actions::extend_consideration_period)
        .service(actions::request_interim_payment)
        .service(actions::respond_interim_payment)
        .service(actions::extend_interim_deadline)
        .service(actions::accept_partial_interim)
        .service(actions::decline_partial_interim)
        .service(actions::confirm_interim_received)
        .service(actions::send_settlement_pack)
        .service(actions::respond_settlement_pack)
        .service(actions::counter_offer)
        .service(actions::accept_offer)
        .service(actions::record_payment)
        .service(actions::confirm_settlement_received)
        .service(actions::send_court_pack)
        .service(actions::respond_court_pack)
        .service(actions::offer_transfer)
        .service(actions::cancel_transfer_offer)
        .service(actions::accept_liability_decision)
        .service(actions::exit_to_court)
        .service(actions::resume_after_court)
        .service(actions::add_medical_report)
        .service(actions::set_losses)
        .service(actions::request_offer)
        .service(actions::make_offer)
        .service(actions::propose_removal)
        .service(actions::object_to_removal)
        .service(actions::request_erasure)
        .service(actions::cancel_erasure)
        .service(transfers::list_transfer_offers)
        .service(transfers::accept_transfer_offer)
        .service(transfers::decline_transfer_offer)
        .service(events::read_events)
        .service(organisations::list_organisations)
        .service(calculations::whiplash_tariff)
        .service(calculations::calculate_fixed_costs)
        .service(calendar::bank_holidays)
        .service(calendar::add_business_days)
        .service(calendar::add_bank_holiday)
        .service(calendar::remove_bank_holiday)
        .service(auth::rotate_secret)
        .service(admin::create_organisation)
        .service(admin::list_organisations)
        .service(admin::create_client)
        .service(admin::inactive_organisations)
        .service(admin::remove_organisation)
        .service(admin::list_clients)
        .service(admin::disable_client)
        .service(admin::place_legal_hold)
        .service(admin::lift_legal_hold)
        .service(transfers::bulk_transfer);
    if sandbox {
        v1 = v1.service(operations::get_sandbox_clock).service(operations::set_sandbox_clock);
    }
    config.service(v1);
}

/// The OpenAPI document of the whole API (sandbox endpoints included).
pub fn openapi() -> OpenApiDoc {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(BaseDocument::openapi())
        .configure(|config| register(config, true))
        .split_for_parts();
    let mut document = document;
    mark_public_operations(&mut document);
    crate::contract::complete(&mut document);
    document
}

/// The OpenAPI document as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = crate::contract::stable_json(&openapi());
    text.push('\n');
    text
}

/// The application: every route, the interactive reference at `/docs`, and the request wrapper.
pub fn app(
    state: web::Data<AppState>,
    document: OpenApiDoc,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let sandbox = state.sandbox_clock.is_some();
    let routes = web::Data::new(RouteTable::of(&document, sandbox));
    App::new()
        .into_utoipa_app()
        .configure(|config| register(config, sandbox))
        .into_app()
        .app_data(state)
        .app_data(web::PathConfig::default().error_handler(|_, req| unreadable_path(req).into()))
        .app_data(
            web::QueryConfig::default().error_handler(|error, _| query_error(&error.to_string()).into()),
        )
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", document))
        .route("/docs", web::get().to(|| async { redirect("/docs/") }))
        .app_data(routes)
        .default_service(web::to(unrouted))
        .wrap(from_fn(crate::middleware::observe))
}

fn redirect(to: &'static str) -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("location", to)).finish()
}

/// A request no route took: `405` with `Allow` when its path is one of the API's with other
/// methods, `404` otherwise.
async fn unrouted(req: HttpRequest, routes: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    match routes.methods_of(req.path()) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::NotFound),
    }
}

/// A path whose parameter does not parse: `405` when the path is a literal route that takes
/// other methods (`GET /v1/claims/validate` reached the claim read with id "validate"), else `404`.
fn unreadable_path(req: &HttpRequest) -> ApiError {
    let allow = req.app_data::<web::Data<RouteTable>>().and_then(|routes| routes.methods_of(req.path()));
    match allow {
        Some(allow) if !allow.split(", ").any(|method| method == req.method().as_str()) => {
            ApiError::MethodNotAllowed { allow }
        }
        _ => ApiError::NotFound,
    }
}

/// The API's paths (as templates) and their methods, read from the OpenAPI document, which lists
/// exactly the routes registered.
struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    /// The document's routes; the sandbox's only in sandbox mode (elsewhere they do not exist).
    fn of(document: &OpenApiDoc, sandbox: bool) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .filter(|(template, _)| sandbox || !template.starts_with("/v1/sandbox"))
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", &item.get),
                    ("PUT", &item.put),
                    ("POST", &item.post),
                    ("DELETE", &item.delete),
                    ("OPTIONS", &item.options),
                    ("HEAD", &item.head),
                    ("PATCH", &item.patch),
                    ("TRACE", &item.trace),
                ]
                .into_iter()
                .filter(|(_, operation)| operation.is_some())
                .map(|(name, _)| name)
                .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods of the route whose template matches `path` (`{…}` matches any one segment).
    fn methods_of(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        let matching: Vec<(usize, &Vec<&'static str>)> = self
            .routes
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s)
            })
            .map(|(template, methods)| (template.iter().filter(|t| !t.starts_with('{')).count(), methods))
            .collect();
        // A literal segment wins over a parameter, as in the router: `/v1/claims/validate` is
        // that route, not a claim whose id is "validate".
        let best = matching.iter().map(|(literal, _)| *literal).max()?;
        let mut methods: Vec<&str> = matching
            .iter()
            .filter(|(literal, _)| *literal == best)
            .flat_map(|(_, methods)| methods.iter().copied())
            .collect();
        if methods.is_empty() {
            return None;
        }
        methods.sort_unstable();
        methods.dedup();
        Some(methods.join(", "))
    }
}

/// A query-string error, naming an unknown parameter but never echoing a submitted value.
fn query_error(message: &str) -> ApiError {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let name = rest.split('`').next().unwrap_or_default();
        return ApiError::bad_request("invalid_query", format!("unknown query parameter {name}"));
    }
    ApiError::bad_request("invalid_query", "a query parameter has an invalid value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_knows_each_paths_methods() {
        let document = openapi();
        let sandbox = RouteTable::of(&document, true);
        assert_eq!(sandbox.methods_of("/v1/claims/0190a3e1/actions/acknowledge").as_deref(), Some("POST"));
        assert_eq!(sandbox.methods_of("/v1/claims").as_deref(), Some("GET, POST"));
        assert_eq!(
            sandbox.methods_of("/v1/claims/validate").as_deref(),
            Some("POST"),
            "not GET /v1/claims/{{id}}"
        );
        assert_eq!(
            sandbox.methods_of("/v1/admin/organisations/CM00001/legal-hold").as_deref(),
            Some("DELETE, POST")
        );
        assert_eq!(sandbox.methods_of("/v1/sandbox/clock").as_deref(), Some("GET, PUT"));
        assert_eq!(sandbox.methods_of("/v1/claims/a/b/c/d/e"), None);
        let production = RouteTable::of(&document, false);
        assert_eq!(production.methods_of("/v1/sandbox/clock"), None, "no sandbox clock outside the sandbox");
    }
}
