//! The password reset by e-mail: a signed link bound to the current password hash, mailed off
//! the request path, throttled per client and per address.

use super::db::{self, SessionRepository, UserRecord, UserRepository};
use super::error::{Error, Result, Unauthenticated};
use super::throttle::Attempt;
use super::users::{new_password, send_later};
use super::{password, tokens, Services};
use crate::model::{Email, FieldErrors, FieldName};
use std::net::IpAddr;

/// Sends a reset link if the address belongs to someone. The caller answers the same either way.
/// Throttled per client address and per address asked for (known or not), so nobody can
/// mail-bomb a user.
pub async fn request(state: &Services, client: IpAddr, email: &str) -> Result<()> {
    let email = Email::parse(email).map_err(|m| Error::invalid(FieldName::Email, m))?;
    state.throttle.client(Attempt::ResetRequest, client)?;
    state
        .throttle
        .account(Attempt::ResetRequest, email.as_str())?;
    let Some(user) = UserRepository::by_email(&state.db, email.as_str()).await? else {
        tracing::info!("password reset asked for an unknown address");
        return Ok(());
    };
    let expires = db::now() + state.config.reset_token_minutes * 60;
    let token = tokens::make_reset_token(
        &state.config.secret_key,
        user.id,
        &user.password_hash,
        expires,
    );
    let link = format!("{}/reset_password/{token}", state.config.public_url);
    let body = format!(
        "Hello {},\n\nTo reset your Quill password, visit the following link:\n\n{link}\n\n\
         The link works once and expires in {} minutes.\n\
         If you did not ask for this, ignore this message and nothing will change.\n",
        user.username, state.config.reset_token_minutes
    );
    // Off the request path: the answer takes the same time, and cannot fail differently, for
    // a known address and an unknown one.
    send_later(state, user.email, "Password reset request", body);
    Ok(())
}

/// The user a reset link was made for, if it is still good.
pub async fn link_user(state: &Services, token: &str) -> Result<UserRecord> {
    let claims = tokens::verify_reset_token(&state.config.secret_key, token, db::now())
        .map_err(|_| Unauthenticated::ResetLink)?;
    match UserRepository::by_id(&state.db, claims.user_id).await? {
        Some(user) if claims.matches_password(&user.password_hash) => Ok(user),
        _ => Err(Unauthenticated::ResetLink.into()),
    }
}

/// Sets a new password from a reset link and ends every web session and API token of that
/// user, in one transaction. Reset links made for the old password stop working too: they are bound to
/// the password hash.
pub async fn set_password(
    state: &Services,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<UserRecord> {
    let user = link_user(state, token).await?;
    let mut errors = FieldErrors::new();
    let password = new_password(&mut errors, password, confirm);
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let hash = password::hash(&state.hashing, password.expose().to_string()).await?;
    let mut tx = super::db::begin_write(&state.db).await?;
    UserRepository::set_password_hash(&mut *tx, user.id, &hash).await?;
    SessionRepository::delete_for_user(&mut *tx, user.id).await?;
    UserRepository::new_token_generation(&mut *tx, user.id, None).await?;
    tx.commit().await?;
    Ok(user)
}
