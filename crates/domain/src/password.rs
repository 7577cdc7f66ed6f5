//! argon2id hashing, always on the bounded hashing pool (`work.rs`), so a hash never stalls the
//! async runtime and a flood of logins cannot take every core or unbounded memory.

use super::work::{Turn, WorkError, WorkPool};
use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Mutex, OnceLock};

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
    let argon = Argon2::default();
    let output = compute(&argon, password, salt.as_salt(), Params::DEFAULT_OUTPUT_LEN)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    let params = argon
        .params()
        .try_into()
        .map_err(|e: argon2::password_hash::Error| PasswordError::Hash(e.to_string()))?;
    Ok(PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Checks a password against a stored hash. With no hash (unknown user) it checks against a
/// dummy one, so both answers take the same time and say nothing about who exists.
pub async fn verify(
    pool: &WorkPool,
    password: String,
    stored: Option<String>,
) -> Result<bool, PasswordError> {
    verify_in(pool.turn().await?, password, stored).await
}

/// [`verify`] in a turn already taken.
pub async fn verify_in(
    turn: Turn<'_>,
    password: String,
    stored: Option<String>,
) -> Result<bool, PasswordError> {
    turn.run(move || verify_blocking(&password, stored.as_deref()))
        .await
        .map_err(PasswordError::from)
}

/// The check itself, on the calling thread.
pub fn verify_blocking(password: &str, stored: Option<&str>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored.unwrap_or_else(|| dummy_hash())) else {
        return false;
    };
    let ok = matches(password, &parsed).unwrap_or(false);
    ok && stored.is_some()
}

/// Whether `password` gives the stored hash, under the stored hash's own algorithm, version and
/// parameters (as `argon2`'s `PasswordVerifier` does; the output comparison is constant-time).
fn matches(password: &str, stored: &PasswordHash) -> Result<bool, argon2::password_hash::Error> {
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(stored.algorithm)?;
    let version = stored.version.map(Version::try_from).transpose()?;
    let params = Params::try_from(stored)?;
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    Ok(compute(&argon, password, salt, expected.len())? == expected)
}

/// argon2's output for `password` and `salt`, in a memory block from the spares.
fn compute(
    argon: &Argon2,
    password: &str,
    salt: Salt,
    len: usize,
) -> Result<Output, argon2::password_hash::Error> {
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    with_memory(argon.params().block_count(), |memory| {
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password.as_bytes(), salt, out, memory)
                .map_err(Into::into)
        })
    })
}

/// Memory for hashes of the default cost (19 MiB each), kept between hashes: a fresh 19 MiB
/// per hash left the allocator holding several of them (peak RSS 91 MB under a login flood).
/// At most `HASHING_CONCURRENCY` hashes run at once (one per hashing thread), so at most that
/// many blocks are ever kept (and never more than [`MAX_SPARE`]). The seed command hashes on
/// tokio's blocking pool, one at a time.
static SPARE: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
const MAX_SPARE: usize = 8;

fn with_memory<R>(blocks: usize, f: impl FnOnce(&mut [Block]) -> R) -> R {
    let spare = SPARE.lock().ok().and_then(|mut spare| spare.pop());
    let mut memory = match spare {
        Some(memory) if memory.len() == blocks => memory,
        // A stored hash of another cost (made before a change of parameters).
        _ => vec![Block::default(); blocks],
    };
    let result = f(&mut memory);
    if blocks == Params::DEFAULT.block_count() {
        if let Ok(mut spare) = SPARE.lock() {
            if spare.len() < MAX_SPARE {
                spare.push(memory);
            }
        }
    }
    result
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
        let pool = WorkPool::new("test", 1, 4, std::time::Duration::from_secs(10)).unwrap();
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

    /// The hashes are argon2's own: made here, checked by the crate's verifier, and the other
    /// way round, including a hash of another cost.
    #[test]
    fn hashes_are_interchangeable_with_the_argon2_crate() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_blocking("correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"wrong horse", &parsed)
            .is_err());

        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .unwrap()
            .to_string();
        assert!(verify_blocking("battery staple", Some(&theirs)));
        assert!(!verify_blocking("battery stapler", Some(&theirs)));

        let cheap = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"old cost", &salt)
        .unwrap()
        .to_string();
        assert!(verify_blocking("old cost", Some(&cheap)));
        assert!(!verify_blocking("new cost", Some(&cheap)));
        // The odd-sized block was not kept.
        assert!(SPARE
            .lock()
            .unwrap()
            .iter()
            .all(|m| m.len() == Params::DEFAULT.block_count()));
    }
}
