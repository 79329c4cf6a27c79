//! The token endpoint's request and answers (RFC 6749).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A token request (form-encoded). The client may authenticate with HTTP Basic instead of the
/// `client_id` and `client_secret` fields. Other fields (such as `scope`) are ignored: a token
/// carries the client's roles.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(example = "client_credentials")]
    pub grant_type: Option<String>,
    #[schema(example = "cr00001-sandbox")]
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    #[schema(example = 3600)]
    pub expires_in: i64,
}

/// An RFC 6749 error.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client` or `unsupported_grant_type`.
    #[schema(example = "invalid_client")]
    pub error: &'static str,
    pub error_description: &'static str,
}
