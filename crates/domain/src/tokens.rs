//! Random tokens for cookies, and signed, expiring password-reset tokens.
//!
//! A reset token is `user_id.expires_at.fingerprint.signature`, all HMAC-SHA256 signed with the
//! secret key. The fingerprint is taken from the user's current password hash, so a token dies
//! the moment the password changes: it works once, with no table to keep.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a cookie token: its SHA-256, so a database leak yields no live session.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResetTokenError {
    #[error("the link is malformed or has been tampered with")]
    Invalid,
    #[error("the link has expired")]
    Expired,
}

/// The claims inside a reset token that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetClaims {
    pub user_id: i64,
    fingerprint: String,
}

impl ResetClaims {
    /// Whether the token was made for the password the user has now.
    pub fn matches_password(&self, password_hash: &str) -> bool {
        use subtle::ConstantTimeEq;
        let current = fingerprint(password_hash);
        bool::from(current.as_bytes().ct_eq(self.fingerprint.as_bytes()))
    }
}

fn fingerprint(password_hash: &str) -> String {
    hex(&Sha256::digest(password_hash.as_bytes())[..12])
}

/// HMAC-SHA256 keyed with `secret` (reset links here, API tokens in `jwt`).
pub(super) fn keyed(secret: &str) -> HmacSha256 {
    // new_from_slice accepts keys of any length for HMAC.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

fn mac(secret: &str, purpose: &str, payload: &str) -> HmacSha256 {
    let mut mac = keyed(secret);
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(payload.as_bytes());
    mac
}

const RESET: &str = "password-reset";

pub fn make_reset_token(
    secret: &str,
    user_id: i64,
    password_hash: &str,
    expires_at: i64,
) -> String {
    let payload = format!("{user_id}.{expires_at}.{}", fingerprint(password_hash));
    let signature = mac(secret, RESET, &payload).finalize().into_bytes();
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(signature))
}

pub fn verify_reset_token(
    secret: &str,
    token: &str,
    now: i64,
) -> Result<ResetClaims, ResetTokenError> {
    let (payload, signature) = token.rsplit_once('.').ok_or(ResetTokenError::Invalid)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| ResetTokenError::Invalid)?;
    mac(secret, RESET, payload)
        .verify_slice(&signature)
        .map_err(|_| ResetTokenError::Invalid)?;
    let mut parts = payload.split('.');
    let (Some(user_id), Some(expires_at), Some(fingerprint), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ResetTokenError::Invalid);
    };
    let user_id = user_id.parse().map_err(|_| ResetTokenError::Invalid)?;
    let expires_at: i64 = expires_at.parse().map_err(|_| ResetTokenError::Invalid)?;
    if now >= expires_at {
        return Err(ResetTokenError::Expired);
    }
    Ok(ResetClaims {
        user_id,
        fingerprint: fingerprint.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn reset_token_round_trip() {
        let token = make_reset_token(SECRET, 7, "$argon2id$hash", 1_000);
        let claims = verify_reset_token(SECRET, &token, 999).unwrap();
        assert_eq!(claims.user_id, 7);
        assert!(claims.matches_password("$argon2id$hash"));
        assert!(!claims.matches_password("$argon2id$other"));
    }

    #[test]
    fn reset_token_expires() {
        let token = make_reset_token(SECRET, 7, "h", 1_000);
        assert_eq!(
            verify_reset_token(SECRET, &token, 1_000),
            Err(ResetTokenError::Expired)
        );
        assert_eq!(
            verify_reset_token(SECRET, &token, 5_000),
            Err(ResetTokenError::Expired)
        );
    }

    #[test]
    fn reset_token_tampering_is_caught() {
        let token = make_reset_token(SECRET, 7, "h", 1_000);
        let forged_user = token.replacen("7.", "8.", 1);
        assert_eq!(
            verify_reset_token(SECRET, &forged_user, 0),
            Err(ResetTokenError::Invalid)
        );
        let forged_time = token.replacen(".1000.", ".9000.", 1);
        assert_eq!(
            verify_reset_token(SECRET, &forged_time, 0),
            Err(ResetTokenError::Invalid)
        );
        let other_key = "fedcba9876543210fedcba9876543210";
        assert_eq!(
            verify_reset_token(other_key, &token, 0),
            Err(ResetTokenError::Invalid)
        );
        for junk in ["", "abc", "1.2.3", "a.b.c.d", "7.1000.ff.!!!"] {
            assert_eq!(
                verify_reset_token(SECRET, junk, 0),
                Err(ResetTokenError::Invalid)
            );
        }
        let mut flipped = token.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(
            verify_reset_token(SECRET, &flipped, 0),
            Err(ResetTokenError::Invalid)
        );
    }
}
