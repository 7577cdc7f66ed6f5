//! The account rules, in one place for the web pages and the API alike.

use super::db::{
    self, AvatarRepository, Db, NewUser, SessionRepository, Taken, UserRecord, UserRepository,
    WriteError,
};
use super::images::{self, ImageError};
use super::password::{self, PasswordError};
use super::tokens::{self, ResetTokenError};
use super::AppState;
use crate::error::AppError;
use crate::model::{avatar_url, Email, FieldErrors, Password, UserView, Username};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A username or e-mail that belongs to someone else.
    #[error("already taken")]
    Taken(FieldErrors),
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("reset link: {0}")]
    ResetToken(#[from] ResetTokenError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Mail(#[from] super::mail::MailError),
}

impl From<WriteError> for ServiceError {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::Taken(taken) => ServiceError::Taken(taken_errors(&[taken])),
            WriteError::Db(err) => ServiceError::Db(err),
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(errors) | ServiceError::Taken(errors) => {
                AppError::Invalid(errors)
            }
            ServiceError::BadCredentials => {
                AppError::Invalid(FieldErrors::single(FieldErrors::FORM, BAD_CREDENTIALS))
            }
            ServiceError::ResetToken(_) => {
                AppError::Invalid(FieldErrors::single(FieldErrors::FORM, RESET_LINK_INVALID))
            }
            other => {
                tracing::error!(error = %other, "request failed");
                AppError::Internal
            }
        }
    }
}

pub const BAD_CREDENTIALS: &str = "Login unsuccessful. Please check your e-mail and password.";
pub const RESET_LINK_INVALID: &str =
    "That reset link is invalid or has expired. Please ask for a new one.";

fn taken_errors(taken: &[Taken]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for t in taken {
        match t {
            Taken::Username => {
                errors.add("username", "That username is taken. Please choose another.")
            }
            Taken::Email => errors.add("email", "That e-mail address is already registered."),
        }
    }
    errors
}

/// The one rule of ownership, for posts and accounts alike: a user may change (and see the
/// private side of) what is theirs, and an administrator may do so for anyone's.
pub fn may_change(user: &UserRecord, owner_id: i64) -> bool {
    user.id == owner_id || user.is_admin
}

pub fn user_view(user: &UserRecord) -> UserView {
    UserView {
        id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        is_admin: user.is_admin,
        avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
    }
}

/// A new password and its confirmation, each broken rule recorded under its field.
fn new_password(errors: &mut FieldErrors, password: &str, confirm: &str) -> Option<Password> {
    let parsed = errors.check("password", Password::parse(password));
    errors.check(
        "confirm_password",
        Password::confirm(
            parsed.as_ref().map(Password::expose).unwrap_or_default(),
            confirm,
        ),
    );
    parsed
}

pub struct Registration {
    pub username: Username,
    pub email: Email,
    pub password: Password,
}

impl Registration {
    /// Checks every field and reports every broken rule at once.
    pub fn parse(
        username: &str,
        email: &str,
        password: &str,
        confirm: &str,
    ) -> Result<Self, ServiceError> {
        let mut errors = FieldErrors::new();
        let username = errors.check("username", Username::parse(username));
        let email = errors.check("email", Email::parse(email));
        let password = new_password(&mut errors, password, confirm);
        match (username, email, password) {
            (Some(username), Some(email), Some(password)) if errors.is_empty() => Ok(Self {
                username,
                email,
                password,
            }),
            _ => Err(ServiceError::Invalid(errors)),
        }
    }
}

pub async fn register(db: &Db, reg: Registration, is_admin: bool) -> Result<i64, ServiceError> {
    let taken = UserRepository::taken(db, reg.username.as_str(), reg.email.as_str(), None).await?;
    if !taken.is_empty() {
        return Err(ServiceError::Taken(taken_errors(&taken)));
    }
    let hash = password::hash(reg.password.expose().to_string()).await?;
    let id = UserRepository::insert(
        db,
        NewUser {
            username: reg.username.as_str(),
            email: reg.email.as_str(),
            password_hash: &hash,
            is_admin,
        },
    )
    .await?;
    Ok(id)
}

/// Finds the user for a pair of credentials. Every failure is the same failure.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<UserRecord, ServiceError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() || password.chars().count() > Password::MAX {
        return Err(ServiceError::BadCredentials);
    }
    let user = UserRepository::by_email(db, &email).await?;
    let ok = password::verify(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok => Ok(user),
        _ => Err(ServiceError::BadCredentials),
    }
}

pub const SESSION_SECONDS: i64 = 24 * 60 * 60;
pub const REMEMBER_SECONDS: i64 = 30 * 24 * 60 * 60;

/// Starts a session; returns the cookie token (only its hash is stored).
pub async fn start_session(db: &Db, user_id: i64, remember: bool) -> Result<String, ServiceError> {
    let token = tokens::random_token();
    let lifetime = if remember {
        REMEMBER_SECONDS
    } else {
        SESSION_SECONDS
    };
    SessionRepository::insert(
        db,
        &tokens::token_hash(&token),
        user_id,
        db::now() + lifetime,
        remember,
    )
    .await?;
    Ok(token)
}

pub async fn end_session(db: &Db, session_id: &str) -> Result<(), ServiceError> {
    SessionRepository::delete(db, session_id).await?;
    Ok(())
}

pub async fn update_profile(
    db: &Db,
    user: &UserRecord,
    username: &str,
    email: &str,
) -> Result<(), ServiceError> {
    let mut errors = FieldErrors::new();
    let username = errors.check("username", Username::parse(username));
    let email = errors.check("email", Email::parse(email));
    let (Some(username), Some(email)) = (username, email) else {
        return Err(ServiceError::Invalid(errors));
    };
    let taken = UserRepository::taken(db, username.as_str(), email.as_str(), Some(user.id)).await?;
    if !taken.is_empty() {
        return Err(ServiceError::Taken(taken_errors(&taken)));
    }
    UserRepository::update_profile(db, user.id, username.as_str(), email.as_str()).await?;
    Ok(())
}

pub fn check_avatar(
    file_name: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<db::Avatar, ServiceError> {
    images::avatar_from_upload(file_name, bytes, max_bytes).map_err(|e: ImageError| {
        ServiceError::Invalid(FieldErrors::single("picture", e.to_string()))
    })
}

pub async fn set_avatar(db: &Db, user_id: i64, avatar: &db::Avatar) -> Result<(), ServiceError> {
    AvatarRepository::put(db, user_id, avatar).await?;
    Ok(())
}

/// Sends a reset link if the address belongs to someone. The caller answers the same either way.
pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), ServiceError> {
    let email =
        Email::parse(email).map_err(|m| ServiceError::Invalid(FieldErrors::single("email", m)))?;
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
    state
        .mailer
        .send(&user.email, "Password reset request", body)
        .await?;
    Ok(())
}

/// The user a reset link was made for, if it is still good.
pub async fn reset_link_user(state: &AppState, token: &str) -> Result<UserRecord, ServiceError> {
    let claims = tokens::verify_reset_token(&state.config.secret_key, token, db::now())?;
    match UserRepository::by_id(&state.db, claims.user_id).await? {
        Some(user) if claims.matches_password(&user.password_hash) => Ok(user),
        _ => Err(ServiceError::ResetToken(ResetTokenError::Invalid)),
    }
}

/// Sets a new password from a reset link and ends every session of that user.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    confirm: &str,
) -> Result<UserRecord, ServiceError> {
    let user = reset_link_user(state, token).await?;
    let mut errors = FieldErrors::new();
    let password = new_password(&mut errors, password, confirm);
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    set_password(&state.db, user.id, &password).await?;
    Ok(user)
}

/// Stores a new password and ends the user's web sessions (reset links made for the old one
/// stop working too: they are bound to the password hash).
pub async fn set_password(db: &Db, user_id: i64, password: &Password) -> Result<(), ServiceError> {
    let hash = password::hash(password.expose().to_string()).await?;
    UserRepository::set_password_hash(db, user_id, &hash).await?;
    SessionRepository::delete_for_user(db, user_id).await?;
    Ok(())
}
