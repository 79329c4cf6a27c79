//! Client secrets: random, shown once, kept only as Argon2id hashes.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// 32 random bytes, URL-safe base64 (43 characters).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A random suffix for client ids.
pub fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Argon2id with the crate's default (OWASP-recommended) parameters, in PHC string form.
pub fn hash_secret(secret: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(secret.as_bytes(), &salt)?.to_string())
}

/// Whether `secret` matches one of `hashes`. Every hash is checked, so the time taken does not
/// reveal which one matched.
pub fn verify_secret(secret: &str, hashes: &[String]) -> bool {
    let mut matched = false;
    for hash in hashes {
        if let Ok(parsed) = PasswordHash::new(hash) {
            matched |= Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok();
        }
    }
    matched
}

/// Spends the time of one verification, for unknown client ids, so response times do not tell
/// which client ids exist.
pub fn verify_against_nothing(secret: &str) {
    static DUMMY: std::sync::LazyLock<Option<String>> =
        std::sync::LazyLock::new(|| hash_secret("not a real secret").ok());
    if let Some(hash) = DUMMY.as_ref() {
        let _ = verify_secret(secret, std::slice::from_ref(hash));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_against_its_own_hash_only() {
        let secret = generate_secret();
        assert_eq!(secret.len(), 43);
        let hash = hash_secret(&secret).expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_secret(&secret, std::slice::from_ref(&hash)));
        assert!(!verify_secret(&generate_secret(), &[hash]));
    }
}
