//! Who is calling: the bearer token checked on every request, and the roles it grants.

pub mod keys;
pub mod secrets;
pub mod standing;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::{OrganisationKind, Role};
use claims_domain::party::Side;
use claims_persistence::records::Actor;
use futures_util::future::LocalBoxFuture;

use crate::error::ApiError;
use crate::state::AppState;

/// Longest `Acting-User` accepted.
const ACTING_USER_MAX: usize = 64;

/// An authenticated API client.
#[derive(Clone, Debug)]
pub struct Caller {
    pub client_id: String,
    pub organisation: OrganisationCode,
    pub kind: OrganisationKind,
    pub role: Role,
    /// The person in the caller's own system, from the `Acting-User` header.
    pub acting_user: Option<String>,
}

impl Caller {
    /// The caller as recorded in audit entries and events.
    pub fn actor(&self) -> Actor {
        Actor {
            organisation: Some(self.organisation.clone()),
            client_id: Some(self.client_id.clone()),
            acting_user: self.acting_user.clone(),
        }
    }

    /// Refuses callers without the `claims` role (operators use the admin endpoints).
    pub fn require_claims_role(&self) -> Result<Side, ApiError> {
        match (self.role, self.kind) {
            (Role::Claims, OrganisationKind::ClaimantRepresentative) => Ok(Side::ClaimantRepresentative),
            (Role::Claims, OrganisationKind::Compensator) => Ok(Side::Compensator),
            _ => Err(ApiError::Forbidden("this endpoint needs a client with the claims role")),
        }
    }

    pub fn require_operator(&self) -> Result<(), ApiError> {
        if self.role == Role::Operator {
            Ok(())
        } else {
            Err(ApiError::Forbidden("this endpoint needs a client with the operator role"))
        }
    }
}

/// How stale a client's last-use stamp may be before a request renews it.
const USE_STAMP: chrono::Duration = chrono::Duration::hours(1);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let acting_user = acting_user(req);
        let request = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("application state missing".to_owned()))?;
            let token =
                token.ok_or(ApiError::Unauthenticated("send a bearer token from POST /oauth/token"))?;
            let acting_user = acting_user?;
            let claims = state.tokens.verify(&token, state.real_clock.now()).map_err(|reason| {
                tracing::info!(%reason, "token refused");
                ApiError::Unauthenticated("the token is invalid or expired")
            })?;
            // A disabled client loses access at once, whatever tokens it holds (its standing is
            // remembered for a second, and forgotten when this process changes it). Extractors of
            // the same request may fail first and drop this future, so the lookup runs to its end.
            // In the sandbox the clock is read again too: another process may have moved it.
            let client = match state.standings.get(&claims.sub) {
                // Known from a moment ago, and its use stamp needs no renewal.
                Some(known) if known.last_used_at + USE_STAMP >= state.clock.now() && !known.disabled => {
                    if state.sandbox_clock.is_some() {
                        let lookup = state.clone();
                        state
                            .run_to_end(async move {
                                match &lookup.sandbox_clock {
                                    Some(clock) => clock.refresh(&lookup.db).await,
                                    None => Ok(()),
                                }
                            })
                            .await
                            .ok_or_else(|| ApiError::Internal("sandbox clock lookup failed".to_owned()))??;
                    }
                    Some(known)
                }
                _ => {
                    let lookup = state.clone();
                    let subject = claims.sub.clone();
                    let client = state
                        .run_to_end(async move {
                            if let Some(clock) = &lookup.sandbox_clock {
                                clock.refresh(&lookup.db).await?;
                            }
                            let mut client = lookup.db.client_status(&subject).await?;
                            // Use keeps a client enabled (see `sweeper::disable_idle_clients`):
                            // noted by the hub's clock, at most once an hour.
                            let now = lookup.clock.now();
                            if let Some(client) =
                                client.as_mut().filter(|c| !c.disabled && c.last_used_at + USE_STAMP < now)
                            {
                                lookup.db.touch_client(&client.client_id, now).await?;
                                client.last_used_at = now;
                            }
                            Ok::<_, claims_persistence::StoreError>(client)
                        })
                        .await
                        .ok_or_else(|| ApiError::Internal("client lookup failed".to_owned()))??;
                    if let Some(client) = &client {
                        state.standings.put(client.clone());
                    }
                    client
                }
            };
            let client = match client {
                Some(client) if !client.disabled && client.organisation.as_str() == claims.org => client,
                _ => return Err(ApiError::Unauthenticated("the client is disabled")),
            };
            tracing::Span::current().record("client_id", client.client_id.as_str());
            if let Some(allowance) = state.rate_limits.take(&client.client_id, state.real_clock.now()) {
                if allowance.retry_after.is_some() {
                    return Err(ApiError::RateLimited(allowance));
                }
                request.extensions_mut().insert(allowance);
            }
            Ok(Caller {
                client_id: client.client_id,
                organisation: client.organisation,
                kind: client.organisation_kind,
                role: client.role,
                acting_user,
            })
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

fn acting_user(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("acting-user") else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default();
    let printable = value.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if value.is_empty() || value.len() > ACTING_USER_MAX || !printable {
        return Err(ApiError::bad_request(
            "invalid_acting_user",
            "Acting-User must be 1 to 64 printable ASCII characters",
        ));
    }
    Ok(Some(value.to_owned()))
}
