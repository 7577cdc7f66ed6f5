//! API bearer tokens: HS256 JWTs signed with SECRET_KEY, carrying sub, iat, exp and a jti by
//! which a token is revoked at logout. Only HS256 is accepted (`alg: none` and every other
//! algorithm are refused by the validation).

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    /// The generation of its user's tokens it belongs to: a password change or "log out
    /// everywhere" starts a new one and ends the older tokens.
    #[serde(default)]
    pub gen: i64,
}

impl Claims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// Why a token was refused; the messages say which, never whose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("Provide a valid auth token.")]
    Missing,
    #[error("Bearer token malformed.")]
    Malformed,
    #[error("Signature expired. Please log in again.")]
    Expired,
    #[error("Invalid token: its signature or algorithm is not accepted.")]
    Tampered,
    #[error("Token revoked. Please log in again.")]
    Revoked,
}

pub fn issue(
    secret: &str,
    user_id: i64,
    generation: i64,
    now: i64,
    lifetime_seconds: i64,
) -> Result<(String, Claims), jsonwebtoken::errors::Error> {
    let claims = Claims {
        sub: user_id.to_string(),
        iat: now,
        exp: now + lifetime_seconds,
        jti: super::tokens::random_token(),
        gen: generation,
    };
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )?;
    Ok((token, claims))
}

pub fn verify(secret: &str, token: &str) -> Result<Claims, TokenError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub", "iat", "jti"]);
    match decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    ) {
        Ok(data) => Ok(data.claims),
        Err(err) => Err(match err.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::InvalidSignature
            | ErrorKind::InvalidAlgorithm
            | ErrorKind::InvalidAlgorithmName => TokenError::Tampered,
            _ => TokenError::Malformed,
        }),
    }
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer(header: Option<&str>) -> Result<&str, TokenError> {
    token_in(header, &["bearer"])
}

/// The token of an `Authorization` header in one of `schemes` (lower case; RealWorld's API
/// also takes its own `Token …`).
pub fn token_in<'h>(header: Option<&'h str>, schemes: &[&str]) -> Result<&'h str, TokenError> {
    let value = header.ok_or(TokenError::Missing)?;
    let (scheme, token) = value.split_once(' ').ok_or(TokenError::Malformed)?;
    let token = token.trim();
    let known = schemes.iter().any(|s| scheme.eq_ignore_ascii_case(s));
    if !known || token.is_empty() || token.contains(' ') {
        return Err(TokenError::Malformed);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip() {
        let now = super::super::db::now();
        let (token, claims) = issue(SECRET, 7, 0, now, 60).unwrap();
        let back = verify(SECRET, &token).unwrap();
        assert_eq!(back, claims);
        assert_eq!(back.user_id(), Some(7));
        assert_eq!(back.exp - back.iat, 60);
        assert_eq!(back.gen, 0);
    }

    #[test]
    fn refusals() {
        let now = super::super::db::now();
        let (expired, _) = issue(SECRET, 7, 0, now - 120, 60).unwrap();
        assert_eq!(verify(SECRET, &expired), Err(TokenError::Expired));
        let (token, _) = issue(SECRET, 7, 0, now, 60).unwrap();
        assert_eq!(
            verify("another-secret-another-secret-1234", &token),
            Err(TokenError::Tampered)
        );
        // The same claims with `alg: none` and no signature.
        let payload = token.split('.').nth(1).unwrap();
        let none = format!(
            "{}.{payload}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
        );
        assert!(verify(SECRET, &none).is_err());
        let hs512 = format!(
            "{}.{payload}.{}",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512","typ":"JWT"}"#),
            token.split('.').nth(2).unwrap()
        );
        assert_eq!(verify(SECRET, &hs512), Err(TokenError::Tampered));
        assert_eq!(verify(SECRET, "not.a.jwt"), Err(TokenError::Malformed));
    }

    #[test]
    fn bearer_headers() {
        assert_eq!(bearer(Some("Bearer abc")), Ok("abc"));
        assert_eq!(bearer(Some("bearer abc")), Ok("abc"));
        assert_eq!(bearer(None), Err(TokenError::Missing));
        for bad in ["Bearer", "Bearer ", "Basic abc", "abc", "Bearer a b"] {
            assert_eq!(bearer(Some(bad)), Err(TokenError::Malformed), "{bad}");
        }
    }
}
