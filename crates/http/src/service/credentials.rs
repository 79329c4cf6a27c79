//! Credentials: access tokens for client credentials (with the lockout after repeated failures),
//! and the rotation of a client's own secret. All on the hub's real clock: moving the sandbox
//! clock neither ends a lockout nor expires a secret or a token.

use std::time::Duration;

use actix_web::web;

use crate::auth::Caller;
use crate::auth::secrets;
use crate::dto::client::RotatedSecret;
use crate::error::ApiError;
use crate::state::AppState;

/// What a token request earned.
pub enum TokenOutcome {
    Issued {
        token: String,
        expires_in: i64,
    },
    /// Unknown client, wrong secret or disabled client (the three look the same).
    InvalidClient,
    /// Too many failures for this client id lately.
    Locked {
        retry_after_seconds: i64,
    },
}

/// Checks a client's secret and issues a token. Unknown and known client ids cost the same hash
/// verification; each consecutive failure answers a little later, and at the limit the client id
/// is locked for a while.
pub async fn authenticate(
    state: &AppState,
    client_id: &str,
    secret: String,
) -> Result<TokenOutcome, ApiError> {
    let now = state.real_clock.now();
    let Some(client) = state.db.client_credentials(client_id, now).await? else {
        let _ = web::block(move || secrets::verify_against_nothing(&secret)).await;
        return Ok(TokenOutcome::InvalidClient);
    };
    if let Some(until) = client.locked_until.filter(|until| *until > now) {
        return Ok(TokenOutcome::Locked { retry_after_seconds: (until - now).num_seconds().max(1) });
    }
    let hashes = client.secret_hashes.clone();
    let matched = web::block(move || secrets::verify_secret(&secret, &hashes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !matched || client.disabled {
        if !matched {
            let settings = &state.settings;
            let failures = state
                .db
                .record_failed_attempt(client_id, settings.lockout_after, now + settings.lockout_for)
                .await?;
            let delay = 250 * u64::try_from(failures.clamp(1, 8)).unwrap_or(1);
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        return Ok(TokenOutcome::InvalidClient);
    }
    // Last use is noted by the hub's clock (the sandbox's when it runs one), like every period.
    state.db.record_successful_attempt(client_id, state.clock.now(), now).await?;
    let token = state
        .tokens
        .issue(&client.client_id, &client.organisation.code, client.organisation.kind, client.role, now)
        .map_err(ApiError::Internal)?;
    Ok(TokenOutcome::Issued { token, expires_in: state.tokens.lifetime().num_seconds() })
}

/// Gives the calling client a new secret (returned once); the old one keeps working for the
/// overlap period.
pub async fn rotate_secret(state: &AppState, caller: Caller) -> Result<RotatedSecret, ApiError> {
    let secret = secrets::generate_secret();
    let hash = hash(&secret).await?;
    let now = state.real_clock.now();
    let until = now + state.settings.secret_overlap;
    state.db.rotate_secret(&caller.client_id, &hash, now, until).await?;
    tracing::info!(client_id = %caller.client_id, "client secret rotated");
    Ok(RotatedSecret {
        client_id: caller.client_id,
        client_secret: secret,
        previous_secret_valid_until: until,
    })
}

/// Hashes a secret off the request threads (Argon2id is deliberately slow).
pub async fn hash(secret: &str) -> Result<String, ApiError> {
    let secret = secret.to_owned();
    web::block(move || secrets::hash_secret(&secret))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))
}
