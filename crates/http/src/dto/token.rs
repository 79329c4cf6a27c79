//! The token endpoint's request and answers (RFC 6749).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A token request (form-encoded). The client may authenticate with HTTP Basic instead of the
/// `client_id` and `client_secret` fields. Other fields (such as `scope`) are ignored: a token
/// carries the client's roles.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Read as text so that a missing or other grant gets its RFC 6749 error, not a parse error.
    #[schema(value_type = GrantType, required = true)]
    pub grant_type: Option<String>,
    /// Required unless the client authenticates with HTTP Basic.
    #[schema(value_type = String, required = false, example = "cr00001-sandbox")]
    pub client_id: Option<String>,
    /// Required unless the client authenticates with HTTP Basic.
    #[schema(value_type = String, required = false)]
    pub client_secret: Option<String>,
}

/// The one grant the hub issues tokens for (for the OpenAPI document).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum GrantType {
    ClientCredentials,
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
