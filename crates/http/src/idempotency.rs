//! Idempotent creation: a POST sent again with the same `Idempotency-Key` gets the first
//! response again, byte for byte, instead of creating something twice.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use claims_persistence::records::{IdempotencyScope, IdempotencyState, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The longest `Idempotency-Key`.
pub const MAX_KEY_LENGTH: usize = 255;

/// The key sent with a request, if any: 1 to 255 printable ASCII characters.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default();
    if text.is_empty()
        || text.len() > MAX_KEY_LENGTH
        || !text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
    {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// What to do with a request after looking at its key.
enum Admission {
    /// Process it; with a key, `scope` must be completed (or released on failure).
    Proceed(Option<IdempotencyScope>),
    /// Answer with the stored response.
    Replay(HttpResponse),
}

/// Looks the request's key up and claims it if new.
async fn admit(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    body: &[u8],
) -> Result<Admission, ApiError> {
    let Some(key) = key_of(req)? else {
        return Ok(Admission::Proceed(None));
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(req.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    let request_hash = format!("{:x}", hasher.finalize());
    let scope = IdempotencyScope { client_id: caller.client_id.clone(), key, request_hash };
    let now = state.real_clock.now();
    let stale_before = now - state.settings.idempotency_lease;
    match state.db.acquire_idempotency(&scope, now, stale_before).await? {
        IdempotencyState::Acquired => Ok(Admission::Proceed(Some(scope))),
        IdempotencyState::Completed { request_hash, .. } | IdempotencyState::InFlight { request_hash }
            if request_hash != scope.request_hash =>
        {
            Err(ApiError::unprocessable(
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request",
            ))
        }
        IdempotencyState::Completed { response, .. } => Ok(Admission::Replay(replay(&response))),
        IdempotencyState::InFlight { .. } => Err(ApiError::Conflict {
            code: "idempotency_request_in_flight",
            detail: "a request with this Idempotency-Key is still being processed".to_owned(),
            retry_after: Some(1),
        }),
    }
}

/// Where the response to a keyed request is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saving {
    /// The work saves it in the same transaction as what it creates (claims: so a crash can
    /// never leave a created claim without its saved response).
    ByTheWork,
    /// Saved here, after the work succeeds.
    Afterwards,
}

/// Runs a creating request under its `Idempotency-Key`: replays a finished one, refuses a
/// clash, and otherwise runs `work`, giving the key back if it fails so the client may retry.
pub async fn run<Work, Fut>(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    body: &[u8],
    saving: Saving,
    work: Work,
) -> Result<HttpResponse, ApiError>
where
    Work: FnOnce(Option<IdempotencyScope>) -> Fut,
    Fut: std::future::Future<Output = Result<StoredResponse, ApiError>>,
{
    let scope = match admit(state, caller, req, body).await? {
        Admission::Replay(response) => return Ok(response),
        Admission::Proceed(scope) => scope,
    };
    let outcome = work(scope.clone()).await;
    let outcome = match (outcome, &scope, saving) {
        (Ok(response), Some(scope), Saving::Afterwards) => state
            .db
            .complete_idempotency(scope, &response, state.real_clock.now())
            .await
            .map(|()| response)
            .map_err(ApiError::from),
        (outcome, _, _) => outcome,
    };
    match outcome {
        Ok(response) => Ok(to_http(&response)),
        Err(error) => {
            if let Some(scope) = &scope
                && let Err(release) = state.db.release_idempotency(scope).await
            {
                tracing::warn!(error = %release, "could not release an idempotency key");
            }
            Err(error)
        }
    }
}

/// A JSON response in storable form.
pub fn json_response<T: serde::Serialize>(
    status: StatusCode,
    headers: Vec<(String, String)>,
    body: &T,
) -> Result<StoredResponse, ApiError> {
    let body = serde_json::to_vec(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut all = vec![("content-type".to_owned(), "application/json".to_owned())];
    all.extend(headers);
    Ok(StoredResponse { status: status.as_u16(), headers: all, body })
}

pub fn to_http(response: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    for (name, value) in &response.headers {
        builder.insert_header((name.as_str(), value.as_str()));
    }
    builder.body(response.body.clone())
}

fn replay(response: &StoredResponse) -> HttpResponse {
    let mut http = to_http(response);
    http.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    http
}
