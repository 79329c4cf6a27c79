//! API clients and their credentials.

use chrono::{DateTime, Utc};
use claims_domain::organisation::Role;
use claims_persistence::records::ClientSummary;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// A new client's credentials. The secret is shown this once; the hub keeps only its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCredentials {
    #[schema(example = "cm00001-5f2c9a1b03de")]
    pub client_id: String,
    #[schema(example = "q2D6yqS0p4b8mTbZc3b0f2s1d7k9ZyXw0aBcDeFgHiJ")]
    pub client_secret: String,
    #[schema(example = "CM00001")]
    pub organisation: String,
    pub role: Role,
}

/// A rotated secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    pub client_id: String,
    /// The new secret, shown this once.
    pub client_secret: String,
    /// Until when the previous secret keeps working.
    pub previous_secret_valid_until: DateTime<Utc>,
}

/// An API client, without secrets.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    pub client_id: String,
    pub organisation: String,
    pub role: Role,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why it was disabled: `operator`, or `unused` (no token or request for 90 days).
    pub disabled_reason: Option<String>,
    /// When it last got a token or made a request (to the hour, by the hub's clock).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<ClientSummary> for ClientView {
    fn from(client: ClientSummary) -> Self {
        Self {
            client_id: client.client_id,
            organisation: client.organisation.to_string(),
            role: client.role,
            label: client.label,
            created_at: client.created_at,
            disabled_at: client.disabled_at,
            disabled_reason: client.disabled_reason,
            last_used_at: client.last_used_at,
        }
    }
}

/// A new client of an organisation.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "label": "claims platform, production" }))]
pub struct NewClientRequest {
    /// A note for the operator, such as the system that will use the client.
    #[schema(max_length = 100)]
    pub label: Option<String>,
}
