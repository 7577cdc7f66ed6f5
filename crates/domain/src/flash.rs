//! Flashes: what one request leaves for the next page to show (a message, a refused form to
//! fill in again), kept in the database so that any instance shows it, under the hash of a
//! random token that the browser holds in a cookie.

use crate::db::{self, Db, FlashRepository};
use crate::model::FlashBag;
use crate::tokens::{random_token, token_hash};
use crate::Result;

/// How long a flash waits for the page that shows it.
pub const FLASH_SECONDS: i64 = 300;

/// The flash left under `token`, taken (it shows once); empty when there is none.
pub async fn take(db: &Db, token: &str) -> Result<FlashBag> {
    let payload = FlashRepository::take(db, &token_hash(token)).await?;
    Ok(payload
        .and_then(|payload| serde_json::from_str(&payload).ok())
        .unwrap_or_default())
}

/// Keeps `flash` for the next page; answers the token its cookie carries.
pub async fn keep(db: &Db, flash: &FlashBag) -> Result<String> {
    let token = random_token();
    let payload = serde_json::to_string(flash).map_err(crate::Error::internal)?;
    let expires = db::now() + FLASH_SECONDS;
    FlashRepository::insert(db, &token_hash(&token), &payload, expires).await?;
    Ok(token)
}
