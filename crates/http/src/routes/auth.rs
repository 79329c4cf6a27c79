//! OAuth 2.0 client credentials (RFC 6749 §4.4), the public key set, and secret rotation.

use std::net::IpAddr;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::auth::Caller;
use crate::dto::client::RotatedSecret;
use crate::dto::token::{OAuthError, TokenRequest, TokenResponse};
use crate::error::{ApiError, Problem};
use crate::json::read_limited;
use crate::service::credentials::{self, TokenOutcome};
use crate::state::AppState;

fn oauth_error(status: StatusCode, error: &'static str, description: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(OAuthError { error, error_description: description })
}

/// Get an access token (client credentials grant).
///
/// Form-encoded `grant_type=client_credentials` with `client_id` and `client_secret`, or HTTP
/// Basic. Tokens are Ed25519-signed JWTs valid for an hour; check them with
/// `/.well-known/jwks.json`. Failed attempts are limited: an address with many failures is refused
/// for a while (`429`, `Retry-After`); a client id with many failures has its attempts slowed
/// (one at a time per address), never locked, so the right secret keeps working.
#[utoipa::path(
    tag = "authentication",
    operation_id = "issue_token",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token", body = TokenResponse),
        (status = 400, description = "`invalid_request` or `unsupported_grant_type`", body = OAuthError),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret, or disabled", body = OAuthError),
        (status = 429, description = "Too many failed attempts from this address, or an attempt for this client id already under way from it; see `Retry-After`", body = OAuthError),
    )
)]
#[post("/oauth/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let form_encoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_encoded {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send application/x-www-form-urlencoded",
        ));
    }
    let body = read_limited(&mut payload, 8 * 1024).await?;
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "the form could not be read"));
    };
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only client_credentials is supported",
            ));
        }
        None => {
            return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"));
        }
    }
    let (client_id, secret) = match (basic_credentials(&req), form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "authenticate with HTTP Basic or with client_id and client_secret, not both",
            ));
        }
    };
    if client_id.chars().any(char::is_control) {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_id must not contain control characters",
        ));
    }
    let source = source_address(&req, &state.settings.trusted_proxies);
    authenticate(&state, source, &client_id, secret).await
}

/// The caller's address: the connection's, or the last `X-Forwarded-For` entry when the
/// connection comes from a trusted proxy.
fn source_address(req: &HttpRequest, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = req.peer_addr().map_or(IpAddr::from([0, 0, 0, 0]), |address| address.ip());
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    req.headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

async fn authenticate(
    state: &AppState,
    source: IpAddr,
    client_id: &str,
    secret: String,
) -> Result<HttpResponse, ApiError> {
    Ok(match credentials::authenticate(state, source, client_id, secret).await? {
        TokenOutcome::Issued { token, expires_in } => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(TokenResponse { access_token: token, token_type: "Bearer", expires_in }),
        TokenOutcome::InvalidClient => {
            oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed")
        }
        TokenOutcome::Refused { retry_after_seconds } => {
            let mut response = oauth_error(
                StatusCode::TOO_MANY_REQUESTS,
                "invalid_client",
                "too many failed attempts from here, or one already under way; try again later",
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
            response
        }
    })
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// The public keys that sign access tokens.
///
/// A JSON Web Key Set of Ed25519 keys (`OKP`), each with its `kid`. During a key rotation both
/// keys are listed.
#[utoipa::path(
    tag = "authentication",
    operation_id = "jwks",
    responses((status = 200, description = "The key set", body = Object))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "max-age=300")).json(state.tokens.jwks())
}

/// Rotate the calling client's secret.
///
/// Returns a new secret, shown once. The previous secret keeps working for the overlap period
/// (7 days by default) so systems can switch without downtime. Responses that carry a secret are
/// never stored, so this endpoint takes no `Idempotency-Key`: if the answer is lost, rotate again.
#[utoipa::path(
    tag = "authentication",
    operation_id = "rotate_secret",
    responses(
        (status = 201, description = "The new secret", body = RotatedSecret),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[post("/clients/me/secret")]
pub async fn rotate_secret(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let rotated = credentials::rotate_secret(&state, caller).await?;
    Ok(HttpResponse::Created().insert_header((header::CACHE_CONTROL, "no-store")).json(rotated))
}
