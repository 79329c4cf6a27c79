//! Access tokens: Ed25519-signed JWTs, their keys and the published key set.

use std::collections::HashMap;
use std::sync::RwLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::{OrganisationKind, Role};
use claims_persistence::records::SigningKey as StoredKey;
use claims_persistence::{Database, StoreError};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use hmac::Mac;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, OctetKeyPairParameters,
    OctetKeyPairType, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// What a token says about its bearer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenClaims {
    pub iss: String,
    pub aud: String,
    /// The client id.
    pub sub: String,
    /// The client's organisation code.
    pub org: String,
    pub org_kind: OrganisationKind,
    pub roles: Vec<Role>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

/// Why a token was refused. Only logged; the client hears "invalid token".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("algorithm not accepted")]
    Algorithm,
    #[error("unknown key id")]
    UnknownKey,
    #[error("bad signature or claims")]
    Invalid,
    #[error("expired")]
    Expired,
    #[error("not yet valid")]
    NotYetValid,
    #[error("issued in the future")]
    IssuedInFuture,
}

/// How far ahead of the hub's clock a token's `nbf` and `iat` may be, for issuers whose clocks
/// run slightly fast. Expiry gets no leeway.
pub const CLOCK_SKEW_LEEWAY_SECONDS: i64 = 60;

struct PublishedKey {
    decoding: DecodingKey,
    jwk: Jwk,
}

/// The keys that sign and check tokens. The newest unretired key signs; every key in the table
/// checks, so tokens stay valid across a key rotation. Keys live in the database so that every
/// hub process shares them.
pub struct TokenKeys {
    issuer: String,
    audience: String,
    lifetime: Duration,
    signing: RwLock<Option<(String, EncodingKey)>>,
    published: RwLock<HashMap<String, PublishedKey>>,
    /// Keys that seal list cursors, derived from the signing keys (so every hub process on the
    /// database has them): the signing key's first, then the others, which still open cursors.
    cursor_keys: RwLock<Vec<[u8; 32]>>,
}

impl TokenKeys {
    pub fn new(issuer: String, audience: String, lifetime: Duration) -> Self {
        Self {
            issuer,
            audience,
            lifetime,
            signing: RwLock::new(None),
            published: RwLock::new(HashMap::new()),
            cursor_keys: RwLock::new(Vec::new()),
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Loads the keys from the database, creating the first one if there is none.
    pub async fn load_or_create(&self, db: &Database, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut keys = db.signing_keys().await?;
        if !keys.iter().any(|k| k.retired_at.is_none()) {
            let key = new_key(now).map_err(StoreError::Corrupt)?;
            match db.insert_signing_key(&key).await {
                // Another process created one at the same moment: use whatever is there.
                Ok(()) | Err(StoreError::Conflict(_)) => {}
                Err(other) => return Err(other),
            }
            keys = db.signing_keys().await?;
        }
        self.install(&keys);
        Ok(())
    }

    /// Creates a new signing key and retires the others (they keep checking tokens).
    pub async fn rotate(&self, db: &Database, now: DateTime<Utc>) -> Result<String, StoreError> {
        let key = new_key(now).map_err(StoreError::Corrupt)?;
        db.insert_signing_key(&key).await?;
        db.retire_signing_keys_except(&key.kid, now).await?;
        self.install(&db.signing_keys().await?);
        Ok(key.kid)
    }

    fn install(&self, keys: &[StoredKey]) {
        let mut published = HashMap::new();
        for key in keys {
            let x = URL_SAFE_NO_PAD.encode(&key.public_key);
            let Ok(decoding) = DecodingKey::from_ed_components(&x) else {
                continue;
            };
            published.insert(key.kid.clone(), PublishedKey { decoding, jwk: jwk_of(&key.kid, x) });
        }
        // Keys are ordered newest first.
        let signing = keys
            .iter()
            .find(|k| k.retired_at.is_none())
            .map(|k| (k.kid.clone(), EncodingKey::from_ed_der(&k.private_key)));
        let mut cursor_keys: Vec<[u8; 32]> = Vec::with_capacity(keys.len());
        let sealing = keys.iter().position(|k| k.retired_at.is_none());
        for key in sealing
            .map(|at| &keys[at])
            .into_iter()
            .chain(keys.iter().enumerate().filter(|(at, _)| Some(*at) != sealing).map(|(_, key)| key))
        {
            let mut derived = <sha2::Sha256 as sha2::Digest>::new();
            sha2::Digest::update(&mut derived, b"claims-exchange list cursors v1\0");
            sha2::Digest::update(&mut derived, &key.private_key);
            cursor_keys.push(sha2::Digest::finalize(derived).into());
        }
        *self.signing.write().unwrap_or_else(|p| p.into_inner()) = signing;
        *self.published.write().unwrap_or_else(|p| p.into_inner()) = published;
        *self.cursor_keys.write().unwrap_or_else(|p| p.into_inner()) = cursor_keys;
    }

    /// `payload` with a tag only this hub can make, as base64url (the tag first).
    pub fn seal(&self, payload: &[u8]) -> String {
        let keys = self.cursor_keys.read().unwrap_or_else(|p| p.into_inner());
        let mut sealed = keys
            .first()
            .and_then(|key| cursor_mac(key, payload))
            .map(|mac| mac.finalize().into_bytes()[..CURSOR_TAG_BYTES].to_vec())
            .unwrap_or_default();
        sealed.extend_from_slice(payload);
        URL_SAFE_NO_PAD.encode(sealed)
    }

    /// The payload of something `seal` made with one of the current keys; `None` for anything
    /// else (altered, made up, or sealed with a key since removed).
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < CURSOR_TAG_BYTES {
            return None;
        }
        let (tag, payload) = bytes.split_at(CURSOR_TAG_BYTES);
        let keys = self.cursor_keys.read().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|key| cursor_mac(key, payload))
            .any(|mac| mac.verify_truncated_left(tag).is_ok())
            .then(|| payload.to_vec())
    }

    /// The public keys as a JSON Web Key Set.
    pub fn jwks(&self) -> JwkSet {
        let published = self.published.read().unwrap_or_else(|p| p.into_inner());
        let mut keys: Vec<Jwk> = published.values().map(|k| k.jwk.clone()).collect();
        keys.sort_by(|a, b| a.common.key_id.cmp(&b.common.key_id));
        JwkSet { keys }
    }

    /// Issues a token for a client.
    pub fn issue(
        &self,
        client_id: &str,
        organisation: &OrganisationCode,
        kind: OrganisationKind,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<String, String> {
        let signing = self.signing.read().unwrap_or_else(|p| p.into_inner());
        let Some((kid, key)) = signing.as_ref() else {
            return Err("no signing key is loaded".to_owned());
        };
        let claims = TokenClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: client_id.to_owned(),
            org: organisation.to_string(),
            org_kind: kind,
            roles: vec![role],
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + self.lifetime).timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, &claims, key).map_err(|e| e.to_string())
    }

    /// Checks a token's algorithm, key, signature, issuer and audience, and its time window
    /// against the hub's real clock (never the sandbox's business clock: moving that must not
    /// expire anybody's token).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<TokenClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Algorithm);
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let published = self.published.read().unwrap_or_else(|p| p.into_inner());
        let key = published.get(&kid).ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[&self.audience]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<TokenClaims>(token, &key.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        let now = now.timestamp();
        if now >= claims.exp {
            return Err(TokenError::Expired);
        }
        if claims.nbf > now + CLOCK_SKEW_LEEWAY_SECONDS {
            return Err(TokenError::NotYetValid);
        }
        if claims.iat > now + CLOCK_SKEW_LEEWAY_SECONDS {
            return Err(TokenError::IssuedInFuture);
        }
        Ok(claims)
    }
}

type CursorMac = hmac::Hmac<sha2::Sha256>;

/// A sealed cursor's tag: the first 128 bits of its HMAC-SHA256.
const CURSOR_TAG_BYTES: usize = 16;

/// The MAC of `payload` under `key` (HMAC takes keys of any length, so this is never `None`).
fn cursor_mac(key: &[u8; 32], payload: &[u8]) -> Option<CursorMac> {
    let mut mac = CursorMac::new_from_slice(key).ok()?;
    mac.update(payload);
    Some(mac)
}

fn new_key(now: DateTime<Utc>) -> Result<StoredKey, String> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let der = key.to_pkcs8_der().map_err(|e| e.to_string())?;
    let public_key = key.verifying_key().to_bytes().to_vec();
    // The key id is derived from the public key, so it names the key and nothing else.
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&public_key);
    let kid = URL_SAFE_NO_PAD.encode(&digest[..12]);
    Ok(StoredKey { kid, private_key: der.as_bytes().to_vec(), public_key, created_at: now, retired_at: None })
}

fn jwk_of(kid: &str, x: String) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::EdDSA),
            key_id: Some(kid.to_owned()),
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
            key_type: OctetKeyPairType::OctetKeyPair,
            curve: EllipticCurve::Ed25519,
            x,
        }),
    }
}
