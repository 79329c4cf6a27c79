//! Credentials: access tokens for client credentials (guarded against secret guessing),
//! and the rotation of a client's own secret. All on the hub's real clock: moving the sandbox
//! clock neither ends a lockout nor expires a secret or a token.

use std::net::IpAddr;

use actix_web::web;

use crate::auth::Caller;
use crate::auth::secrets;
use crate::dto::client::RotatedSecret;
use crate::error::ApiError;
use crate::limits::Refused;
use crate::state::AppState;

/// What a token request earned.
pub enum TokenOutcome {
    Issued {
        token: String,
        expires_in: i64,
    },
    /// Unknown client, wrong secret or disabled client (the three look the same).
    InvalidClient,
    /// Too many failures from this address lately, or an attempt for a client id being guessed
    /// at while this address already has one under way (see `limits::TokenGuard`).
    Refused {
        retry_after_seconds: i64,
    },
}

/// Checks a client's secret and issues a token. The guard counts the attempt as a failure as it
/// arrives and refuses addresses over their limit; a client id being guessed at is slowed, never
/// locked, so the right secret keeps working. Unknown and known client ids cost the same hash
/// verification, and verifications run a few at a time.
pub async fn authenticate(
    state: &AppState,
    source: IpAddr,
    client_id: &str,
    secret: String,
) -> Result<TokenOutcome, ApiError> {
    let now = state.real_clock.now();
    let attempt = match state.token_guard.admit(source, client_id, now).await {
        Ok(attempt) => attempt,
        Err(Refused { retry_after_seconds }) => return Ok(TokenOutcome::Refused { retry_after_seconds }),
    };
    let client = state.db.client_credentials(client_id, now).await?;
    let hashes = client.as_ref().map(|client| client.secret_hashes.clone());
    let matched = state
        .token_guard
        .verify(move || match hashes {
            Some(hashes) => secrets::verify_secret(&secret, &hashes),
            None => {
                secrets::verify_against_nothing(&secret);
                false
            }
        })
        .await
        .ok_or_else(|| ApiError::Internal("secret verification failed".to_owned()))?;
    let Some(client) = client.filter(|client| matched && !client.disabled) else {
        return Ok(TokenOutcome::InvalidClient);
    };
    attempt.succeeded();
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
