//! Health, metrics and the sandbox clock.

use actix_web::{HttpResponse, get, put, web};

use crate::auth::Caller;
use crate::dto::operations::{Health, SandboxClockBody, SandboxClockMoved};
use crate::error::{ApiError, Problem};
use crate::json::Json;
use crate::service::{health, sandbox};
use crate::state::AppState;

/// Liveness: the process is up.
#[utoipa::path(tag = "operations", operation_id = "live", responses((status = 200, body = Health)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness: the database answers and every migration is applied.
#[utoipa::path(
    tag = "operations",
    operation_id = "ready",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "Not ready", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    health::ready(&state).await?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus metrics: requests and latency per route and status, pool usage.
#[utoipa::path(
    tag = "operations",
    operation_id = "metrics",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(health::metrics(&state))
}

/// Read the sandbox clock (sandbox mode only; elsewhere the route does not exist).
///
/// Business time: notification dates, deadlines and events follow it. Access tokens, secret
/// overlaps and lockouts follow the hub's real clock instead, so moving this clock never
/// invalidates anybody's credentials. Every sandbox process on one database shares the clock, and
/// it survives restarts.
#[utoipa::path(
    tag = "sandbox",
    operation_id = "get_sandbox_clock",
    responses(
        (status = 200, body = SandboxClockBody),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[get("/sandbox/clock")]
pub async fn get_sandbox_clock(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<HttpResponse, ApiError> {
    // Registered only in sandbox mode, where the sandbox clock exists.
    let clock = state.sandbox_clock.as_ref().ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(SandboxClockBody { now: claims_domain::Clock::now(clock.as_ref()) }))
}

/// Move the sandbox clock forward (sandbox mode only; elsewhere the route does not exist).
///
/// The clock keeps ticking from the new time. It never goes back: an earlier time gets `422`.
/// The deadline consequences due by the new time are applied, in batches, before the call
/// returns, for up to `sandbox_clock_sweep_wait_ms` (30 s by default); a longer sweep goes on in
/// the background, and `sweep_complete` says which happened. Who may
/// move it is the operator's choice (`sandbox_clock_movers`): any client of the sandbox (the
/// default), or operator clients only (`403` for others).
#[utoipa::path(
    tag = "sandbox",
    operation_id = "set_sandbox_clock",
    request_body = SandboxClockBody,
    responses(
        (status = 200, body = SandboxClockMoved),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This sandbox lets only operator clients move its clock", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Earlier than the clock's time", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[put("/sandbox/clock")]
pub async fn set_sandbox_clock(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<SandboxClockBody>,
) -> Result<HttpResponse, ApiError> {
    let moved = sandbox::move_clock(&state, &caller, body.value.now).await?;
    Ok(HttpResponse::Ok().json(moved))
}
