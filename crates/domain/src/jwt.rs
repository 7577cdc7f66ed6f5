//! API bearer tokens: HS256 JWTs (RFC 7519) signed with SECRET_KEY, carrying sub, iat, exp and
//! a jti by which a token is revoked at logout. Only HS256 is accepted: a header naming any
//! other algorithm (`none` included) is refused before the signature is looked at.
//!
//! Written here on `hmac` and `sha2` (already used for reset links) rather than taken from
//! `jsonwebtoken`, whose crypto backend compiled RSA, ECDSA and EdDSA (some 30 crates) for one
//! MAC (DESIGN.md, Build and test time).

use crate::db::{RevokedTokenRepository, UserRecord};
use crate::{Error, Services};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use serde::{Deserialize, Serialize};

/// The one header Quill writes: `{"alg":"HS256","typ":"JWT"}`, encoded.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// What a token's header must say; `typ`, when there, must be `JWT`.
#[derive(Deserialize)]
struct Header {
    alg: String,
    typ: Option<String>,
}

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

/// A new token for `user`, for either API (the RealWorld API hands out the same tokens).
pub fn issue_for(services: &Services, user: &UserRecord) -> Result<String, Error> {
    let config = &services.config;
    issue(
        &config.secret_key,
        user.id,
        user.token_generation,
        crate::db::now(),
        config.api_token_seconds,
    )
    .map(|(token, _)| token)
    .map_err(Error::internal)
}

/// The user a token names and its claims, if it is valid and not revoked (for both APIs: the
/// RealWorld API sends the same tokens under its own scheme). A token of a deleted account is
/// as good as revoked.
pub async fn holder(services: &Services, token: &str) -> Result<(UserRecord, Claims), Error> {
    let claims = verify(&services.config.secret_key, token)?;
    let user_id = claims.user_id().ok_or(Error::from(TokenError::Malformed))?;
    let user = RevokedTokenRepository::live_user(&services.db, user_id, &claims.jti, claims.gen)
        .await?
        .ok_or(Error::from(TokenError::Revoked))?;
    Ok((user, claims))
}

/// Ends the token at logout: it is refused until it would have expired.
pub async fn revoke(services: &Services, claims: &Claims) -> Result<(), Error> {
    crate::users::revoke_token(&services.db, &claims.jti, claims.exp).await
}

pub fn issue(
    secret: &str,
    user_id: i64,
    generation: i64,
    now: i64,
    lifetime_seconds: i64,
) -> Result<(String, Claims), serde_json::Error> {
    let claims = Claims {
        sub: user_id.to_string(),
        iat: now,
        exp: now + lifetime_seconds,
        jti: super::tokens::random_token(),
        gen: generation,
    };
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?);
    let signed = format!("{HEADER}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(mac(secret, &signed).finalize().into_bytes());
    Ok((format!("{signed}.{signature}"), claims))
}

fn mac(secret: &str, signed: &str) -> impl Mac {
    let mut mac = super::tokens::keyed(secret);
    mac.update(signed.as_bytes());
    mac
}

/// The claims of `token` if it is an HS256 JWT signed with `secret` that has not expired
/// (`exp` is the last second it is good for; no leeway). The header is checked first, then the
/// signature (in constant time), and only then is the payload read.
pub fn verify(secret: &str, token: &str) -> Result<Claims, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let signed = &token[..header.len() + 1 + payload.len()];
    let header: Header = decode_part(header)?;
    if header.alg != "HS256" {
        return Err(TokenError::Tampered);
    }
    if header.typ.as_deref().is_some_and(|typ| typ != "JWT") {
        return Err(TokenError::Malformed);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed)?;
    mac(secret, signed)
        .verify_slice(&signature)
        .map_err(|_| TokenError::Tampered)?;
    let claims: Claims = decode_part(payload)?;
    if claims.exp < super::db::now() {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// A base64url-encoded JSON part of a token.
fn decode_part<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
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
        let now = crate::db::now();
        let (token, claims) = issue(SECRET, 7, 0, now, 60).unwrap();
        let back = verify(SECRET, &token).unwrap();
        assert_eq!(back, claims);
        assert_eq!(back.user_id(), Some(7));
        assert_eq!(back.exp - back.iat, 60);
        assert_eq!(back.gen, 0);
    }

    #[test]
    fn refusals() {
        let now = crate::db::now();
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
        assert_eq!(
            verify(SECRET, &format!("{token}.x")),
            Err(TokenError::Malformed)
        );
        assert_eq!(verify(SECRET, ""), Err(TokenError::Malformed));
        // Another user's id in the same signed token.
        let mut parts = token.split('.');
        let (header, _, signature) = (parts.next().unwrap(), parts.next(), parts.next().unwrap());
        let claims = r#"{"sub":"1","iat":0,"exp":99999999999,"jti":"x","gen":0}"#;
        let forged = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(claims));
        assert_eq!(verify(SECRET, &forged), Err(TokenError::Tampered));
        // Signed right, but a required claim is missing or the type is not a JWT.
        let signed = |header: &str, claims: &str| {
            let part = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(claims)
            );
            let signature = URL_SAFE_NO_PAD.encode(mac(SECRET, &part).finalize().into_bytes());
            format!("{part}.{signature}")
        };
        let hs256 = r#"{"alg":"HS256","typ":"JWT"}"#;
        let no_jti = r#"{"sub":"7","iat":0,"exp":99999999999}"#;
        assert_eq!(
            verify(SECRET, &signed(hs256, no_jti)),
            Err(TokenError::Malformed)
        );
        let full = r#"{"sub":"7","iat":0,"exp":99999999999,"jti":"x"}"#;
        let jwe = r#"{"alg":"HS256","typ":"JWE"}"#;
        assert_eq!(
            verify(SECRET, &signed(jwe, full)),
            Err(TokenError::Malformed)
        );
        // No `typ` and no `gen` are fine (the generation defaults to the first).
        let claims = verify(SECRET, &signed(r#"{"alg":"HS256"}"#, full)).unwrap();
        assert_eq!((claims.user_id(), claims.gen), (Some(7), 0));
        // A second past `exp` is too late.
        let exp_past = format!(r#"{{"sub":"7","iat":0,"exp":{},"jti":"x"}}"#, now - 1);
        assert_eq!(
            verify(SECRET, &signed(hs256, &exp_past)),
            Err(TokenError::Expired)
        );
    }

    /// The signature is the standard one: jwt.io's example token, signed with its secret.
    #[test]
    fn standard_signature() {
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
            eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
            SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        assert!(mac("your-256-bit-secret", signed)
            .verify_slice(&signature)
            .is_ok());
        assert!(mac("not-the-secret", signed)
            .verify_slice(&signature)
            .is_err());
        assert!(token.starts_with(HEADER));
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
