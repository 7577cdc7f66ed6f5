//! argon2id hashing, always on the bounded hashing pool (`work.rs`), so a hash never stalls the
//! async runtime and a flood of logins cannot take every core or unbounded memory.

use super::work::{WorkError, WorkPool};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Work(#[from] WorkError),
}

/// argon2id with m = 19 MiB, t = 2, p = 1 (`Argon2::default()`, the OWASP figure).
pub async fn hash(pool: &WorkPool, password: String) -> Result<String, PasswordError> {
    pool.run(move || hash_blocking(&password)).await?
}

pub fn hash_blocking(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Checks a password against a stored hash. With no hash (unknown user) it checks against a
/// dummy one, so both answers take the same time and say nothing about who exists.
pub async fn verify(
    pool: &WorkPool,
    password: String,
    stored: Option<String>,
) -> Result<bool, PasswordError> {
    pool.run(move || verify_blocking(&password, stored.as_deref()))
        .await
        .map_err(PasswordError::from)
}

/// The check itself, on the calling thread.
pub fn verify_blocking(password: &str, stored: Option<&str>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored.unwrap_or_else(|| dummy_hash())) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && stored.is_some()
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not the password of anyone at all").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let pool = WorkPool::new("test", 1, 4, std::time::Duration::from_secs(10));
        let a = hash(&pool, "correct horse".into()).await.unwrap();
        let b = hash(&pool, "correct horse".into()).await.unwrap();
        assert_ne!(a, b, "salts differ");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(&pool, "correct horse".into(), Some(a.clone()))
            .await
            .unwrap());
        assert!(!verify(&pool, "wrong horse".into(), Some(a)).await.unwrap());
        assert!(!verify(&pool, "anything".into(), None).await.unwrap());
        assert!(!verify(&pool, "x".into(), Some("not a hash".into()))
            .await
            .unwrap());
    }
}
