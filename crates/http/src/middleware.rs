//! The request wrapper: a request id on every request and response, one log line per request
//! (ids and codes only), and the request metrics.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use crate::context::{self, RequestContext};
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A caller's request id is reused when it is sane: 1 to 128 characters of letters, digits and
/// `-_.:`. Anything else is replaced, so ids never carry arbitrary text into the logs.
fn sane_request_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= 128
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    ok.then(|| text.to_owned())
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(sane_request_id)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = req.method().as_str().to_owned();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        client_id = tracing::field::Empty,
    );
    let context = RequestContext { request_id: request_id.clone(), path: req.path().to_owned() };

    // The request runs as a task of its own, so a client that hangs up (or an early error that
    // drops sibling futures) never cancels storage work half-way: it always runs to its end.
    let work = context::scope(context, next.call(req).instrument(span.clone()));
    let mut response = match actix_web::rt::spawn(work).await {
        Ok(result) => result?,
        Err(_) => {
            span.in_scope(|| tracing::error!("request task failed"));
            return Err(actix_web::error::ErrorInternalServerError("internal error"));
        }
    };
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    span.in_scope(|| {
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request finished");
    });
    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status, elapsed.as_secs_f64());
    }
    Ok(response)
}
