//! The one error type of the API and its problem+json form (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::lifecycle::action::ActionKind;
use claims_domain::validation::{FieldError, FieldErrors};
use claims_persistence::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::context;

/// Base of the `type` URIs of problems; each code's page documents it.
pub const PROBLEM_TYPE_BASE: &str = "https://claims-exchange.example/problems/";

/// A problem report (RFC 9457) with the hub's stable `code` and the request id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "https://claims-exchange.example/problems/validation_failed")]
    #[serde(rename = "type")]
    pub problem_type: String,
    #[schema(example = "The request is not valid")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    /// Stable machine-readable code.
    #[schema(example = "validation_failed")]
    pub code: String,
    #[schema(example = "1 field is invalid")]
    pub detail: String,
    /// The path of the request.
    #[schema(example = "/v1/claims")]
    pub instance: String,
    /// The request's `X-Request-Id`, under which the hub logged it.
    pub request_id: String,
    /// Every invalid field (validation failures only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The claim's status when an action is refused (`409`) or its `If-Match` is stale (`412`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<ClaimStatus>,
    /// The claim's version (its ETag without quotes) in those same problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// What the caller may do to the claim now, in those same problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<ActionKind>>,
    /// What is left of a purged claim (`410`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::dto::claim::TombstoneView>)]
    pub tombstone: Option<serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("not authenticated: {0}")]
    Unauthenticated(&'static str),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    /// The path exists but not with this method (405); `allow` lists the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// A purged claim (410), with its anonymous tombstone.
    #[error("purged")]
    Gone { tombstone: serde_json::Value },
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String, retry_after: Option<u64> },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },
    #[error("{0}")]
    Validation(FieldErrors),
    #[error("unprocessable: {detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// An action refused because of the claim's state (409) or a stale `If-Match` (412); the body
    /// says where the claim stands and what the caller may do.
    #[error("{detail}")]
    ClaimState {
        status: u16,
        code: &'static str,
        detail: String,
        current_status: ClaimStatus,
        current_version: i64,
        allowed_actions: Vec<ActionKind>,
    },
    /// An action without `If-Match` (428).
    #[error("If-Match is required")]
    PreconditionRequired,
    /// A rule of the protocol broken by the request (422), with the fields concerned if any.
    #[error("{detail}")]
    RuleBroken { code: &'static str, detail: String, errors: FieldErrors },
    /// The request body did not arrive in time (408).
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    /// The client made more requests than its rate allows (429).
    #[error("rate limit exceeded")]
    RateLimited(crate::limits::Allowance),
    #[error("the database is unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest { code, detail: detail.into() }
    }

    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Unprocessable { code, detail: detail.into() }
    }

    /// A single invalid field.
    pub fn invalid_field(field: &str, code: &str, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        ApiError::Validation(errors)
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::Gone { .. } => "purged",
            ApiError::Conflict { code, .. } => code,
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unprocessable { code, .. } => code,
            ApiError::ClaimState { code, .. } | ApiError::RuleBroken { code, .. } => code,
            ApiError::PreconditionRequired => "if_match_required",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::Unavailable => "service_unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "The request is malformed",
            ApiError::Unauthenticated(_) => "Authentication is required",
            ApiError::Forbidden(_) => "This client may not do that",
            ApiError::NotFound => "Not found",
            ApiError::MethodNotAllowed { .. } => "The method is not allowed here",
            ApiError::Gone { .. } => "The claim's data has been purged",
            ApiError::Conflict { .. } => "The request conflicts with the current state",
            ApiError::PayloadTooLarge { .. } => "The request body is too large",
            ApiError::UnsupportedMediaType { .. } => "The media type is not supported",
            ApiError::Validation(_) => "The request is not valid",
            ApiError::Unprocessable { .. } => "The request cannot be processed",
            ApiError::ClaimState { status: 412, .. } => "The claim has changed",
            ApiError::ClaimState { .. } => "The action is not allowed now",
            ApiError::PreconditionRequired => "If-Match is required",
            ApiError::RuleBroken { .. } => "The request breaks a rule of the protocol",
            ApiError::RequestTimeout => "The request took too long to arrive",
            ApiError::RateLimited(_) => "Too many requests",
            ApiError::Unavailable => "The service is temporarily unavailable",
            ApiError::Internal(_) => "Internal error",
        }
    }

    /// What the client is told. Internal causes are logged, never sent.
    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest { detail, .. }
            | ApiError::Conflict { detail, .. }
            | ApiError::Unprocessable { detail, .. }
            | ApiError::ClaimState { detail, .. }
            | ApiError::RuleBroken { detail, .. } => detail.clone(),
            ApiError::PreconditionRequired => "send the claim's ETag in If-Match".to_owned(),
            ApiError::Unauthenticated(why) | ApiError::Forbidden(why) => (*why).to_owned(),
            ApiError::NotFound => "no such resource".to_owned(),
            ApiError::MethodNotAllowed { allow } => format!("this path takes {allow}"),
            ApiError::Gone { .. } => {
                "the retention period passed (or an erasure request took effect): only the anonymous tombstone is kept"
                    .to_owned()
            }
            ApiError::PayloadTooLarge { limit } => {
                format!("the body must be at most {limit} bytes")
            }
            ApiError::UnsupportedMediaType { expected } => format!("send {expected}"),
            ApiError::Validation(errors) if errors.len() == 1 => "1 field is invalid".to_owned(),
            ApiError::Validation(errors) => format!("{} fields are invalid", errors.len()),
            ApiError::RequestTimeout => "the whole body must arrive within the hub's time limit".to_owned(),
            ApiError::RateLimited(allowance) => format!(
                "this client may make {} requests at once, refilled over {} s; see Retry-After",
                allowance.quota, allowance.window_seconds
            ),
            ApiError::Unavailable => "retry later".to_owned(),
            ApiError::Internal(_) => "the error was logged under the request id".to_owned(),
        }
    }

    /// The problem body of this error.
    pub fn problem(&self) -> Problem {
        let context = context::current();
        let code = self.code();
        let (current_status, current_version, allowed_actions) = match self {
            ApiError::ClaimState { current_status, current_version, allowed_actions, .. } => {
                (Some(*current_status), Some(*current_version), Some(allowed_actions.clone()))
            }
            _ => (None, None, None),
        };
        Problem {
            problem_type: format!("{PROBLEM_TYPE_BASE}{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            code: code.to_owned(),
            detail: self.detail(),
            instance: context.as_ref().map(|c| c.path.clone()).unwrap_or_default(),
            request_id: context.map(|c| c.request_id).unwrap_or_default(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::RuleBroken { errors, .. } => {
                    errors.clone().into_sorted()
                }
                _ => Vec::new(),
            },
            current_status,
            current_version,
            allowed_actions,
            tombstone: match self {
                ApiError::Gone { tombstone } => Some(tombstone.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) | ApiError::Unprocessable { .. } | ApiError::RuleBroken { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::ClaimState { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::CONFLICT)
            }
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
        let mut response = problem_response(self.status_code(), &self.problem());
        let retry_after = match self {
            ApiError::Unavailable => Some(2),
            ApiError::Conflict { retry_after, .. } => *retry_after,
            ApiError::RateLimited(allowance) => allowance.retry_after,
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let ApiError::MethodNotAllowed { allow } = self
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.headers_mut().insert(header::ALLOW, value);
        }
        if let ApiError::Unauthenticated(_) = self {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"claims-exchange\""),
            );
        }
        response
    }
}

/// A problem+json response.
pub fn problem_response(status: StatusCode, problem: &Problem) -> HttpResponse {
    HttpResponse::build(status).content_type("application/problem+json").json(problem)
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}
