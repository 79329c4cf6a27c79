//! The request wrapper: a request id on every request and response, one log line per request
//! (ids and codes only), and the request metrics.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use tracing::Instrument;

use actix_web::ResponseError;
use claims_domain::validation::has_control_characters;

use crate::context::{self, RequestContext};
use crate::error::ApiError;
use crate::limits::Allowance;
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

/// A request whose path or query carries control characters, refused before any handler sees
/// it: no resource is named so (`404`), and no query value may hold them (`400`).
fn control_characters_in(req: &ServiceRequest) -> Option<ApiError> {
    if decoded(req.path()).chars().any(char::is_control) {
        return Some(ApiError::NotFound);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let (name, _) =
        pairs.iter().find(|(name, value)| has_control_characters(name) || has_control_characters(value))?;
    let detail = if has_control_characters(name) {
        "a query parameter name holds control characters".to_owned()
    } else {
        format!("query parameter {name} must not contain control characters other than tab and newline")
    };
    Some(ApiError::bad_request("invalid_query", detail))
}

/// A percent-encoded path as text (invalid UTF-8 shown as replacement characters).
fn decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the caller stands against its rate (`RateLimit-Policy`, `RateLimit`), on every response
/// to an authenticated request: the allowance the caller check left, or the refusal's.
fn add_rate_limit_headers<B>(response: &mut ServiceResponse<B>) {
    let allowance = response.request().extensions().get::<Allowance>().copied().or_else(|| {
        match response.response().error().and_then(|e| e.as_error::<ApiError>()) {
            Some(ApiError::RateLimited(allowance)) => Some(*allowance),
            _ => None,
        }
    });
    for (name, value) in allowance.map(|allowance| allowance.headers()).into_iter().flatten() {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(HeaderName::from_static(name), value);
        }
    }
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
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        client_id = tracing::field::Empty,
    );
    let context = RequestContext { request_id: request_id.clone(), path: req.path().to_owned() };

    // A client that hangs up (or an early error that drops sibling futures) must never cut
    // storage work off half-way where that is unsafe: `run_to_end` gives the request a task of
    // its own on SQLite.
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let work = context::scope(
        context,
        async move {
            if let Some(refusal) = control_characters_in(&req) {
                return Ok(req.into_response(refusal.error_response()).map_into_boxed_body());
            }
            next.call(req).await.map(ServiceResponse::map_into_boxed_body)
        }
        .instrument(span.clone()),
    );
    let finished = match &state {
        Some(state) => state.run_to_end(work).await,
        None => Some(work.await),
    };
    let mut response = match finished {
        Some(result) => result?,
        None => {
            span.in_scope(|| tracing::error!("request task failed"));
            return Err(actix_web::error::ErrorInternalServerError("internal error"));
        }
    };
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    add_rate_limit_headers(&mut response);
    span.in_scope(|| {
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request finished");
    });
    if let Some(metrics) = state.as_ref().map(|state| &state.metrics) {
        metrics.observe(&method, &route, status, elapsed.as_secs_f64());
    }
    Ok(response)
}
