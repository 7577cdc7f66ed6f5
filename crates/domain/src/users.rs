//! The account rules, in one place for the web pages and the API alike: who may change an
//! account, registration, sign-in, sessions, changes of profile, password and picture, and
//! deletion. Every write is one transaction. (The password reset is `reset.rs`; API tokens are
//! `jwt.rs`.)

use super::db::{
    self, Avatar, AvatarRepository, Db, NewUser, RevokedTokenRepository, SessionRepository,
    UniqueKey, UserRecord, UserRepository, WriteError,
};
use super::error::{Error, Result, Unauthenticated};
use super::throttle::Attempt;
use super::{images, password, tokens, Services};
use crate::model::{
    avatar_url, Bio, Email, FieldErrors, FieldName, Pagination, Paging, Password, UserView,
    Username,
};
use std::net::IpAddr;

impl From<WriteError> for Error {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::Taken(key) => taken(&[key]),
            WriteError::Db(err) => Error::internal(err),
        }
    }
}

/// The conflict for values that belong to someone else, each under its field.
fn taken(keys: &[UniqueKey]) -> Error {
    let mut errors = FieldErrors::new();
    for key in keys {
        match key {
            UniqueKey::Username => errors.add(
                FieldName::Username,
                "That username is taken. Please choose another.",
            ),
            UniqueKey::Email => errors.add(
                FieldName::Email,
                "That e-mail address is already registered.",
            ),
            UniqueKey::Slug => errors.add(FieldName::Title, "Another post has this address."),
        }
    }
    Error::Conflict(errors)
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
        bio: user.bio.clone(),
    }
}

/// A new password and its confirmation, each broken rule recorded under its field.
pub(super) fn new_password(
    errors: &mut FieldErrors,
    password: &str,
    confirm: &str,
) -> Option<Password> {
    let parsed = errors.check(FieldName::Password, Password::parse(password));
    // Compared with what was typed: a short password typed twice alike is one mistake, not
    // two.
    errors.check(
        FieldName::ConfirmPassword,
        Password::confirm(password, confirm),
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
    pub fn parse(username: &str, email: &str, password: &str, confirm: &str) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let username = errors.check(FieldName::Username, Username::parse(username));
        let email = errors.check(FieldName::Email, Email::parse(email));
        let password = new_password(&mut errors, password, confirm);
        match (username, email, password) {
            (Some(username), Some(email), Some(password)) if errors.is_empty() => Ok(Self {
                username,
                email,
                password,
            }),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

pub async fn register(state: &Services, reg: Registration, is_admin: bool) -> Result<i64> {
    let db = &state.db;
    let collisions =
        UserRepository::taken(db, reg.username.as_str(), reg.email.as_str(), None).await?;
    if !collisions.is_empty() {
        return Err(taken(&collisions));
    }
    let hash = password::hash(&state.hashing, reg.password.expose().to_string()).await?;
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

/// A registration from the public forms (web and API), throttled per client address.
pub async fn sign_up(state: &Services, client: IpAddr, reg: Registration) -> Result<i64> {
    state.throttle.client(Attempt::Register, client)?;
    register(state, reg, false).await
}

/// Finds the user for a pair of credentials. Every failure is the same failure.
///
/// Throttled per client address and per account before any password is checked: a throttled
/// client gets `TooManyRequests` for a right password as for a wrong one.
pub async fn authenticate(
    state: &Services,
    client: IpAddr,
    email: &str,
    password: &str,
) -> Result<UserRecord> {
    state.throttle.client(Attempt::Login, client)?;
    state.throttle.account(Attempt::Login, email)?;
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() || password.chars().count() > Password::MAX {
        return Err(Unauthenticated::BadCredentials.into());
    }
    // The turn at hashing first: when its queue is full the answer (503) costs no lookup.
    let turn = state.hashing.turn().await?;
    let user = UserRepository::by_email(&state.db, &email).await?;
    let ok = password::verify_in(
        turn,
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok => Ok(user),
        _ => Err(Unauthenticated::BadCredentials.into()),
    }
}

pub const SESSION_SECONDS: i64 = 24 * 60 * 60;
pub const REMEMBER_SECONDS: i64 = 30 * 24 * 60 * 60;

/// Starts a session; returns the cookie token (only its hash is stored).
pub async fn start_session(db: &Db, user_id: i64, remember: bool) -> Result<String> {
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

pub async fn end_session(db: &Db, session_id: &str) -> Result<()> {
    SessionRepository::delete(db, session_id).await?;
    Ok(())
}

/// The user whose name is `username` (any case).
pub async fn by_username(db: &Db, username: &str) -> Result<UserRecord> {
    UserRepository::by_username(db, username)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn get(db: &Db, id: i64) -> Result<UserRecord> {
    UserRepository::by_id(db, id).await?.ok_or(Error::NotFound)
}

/// The accounts among `ids` (those that exist), in no particular order.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<UserRecord>> {
    Ok(UserRepository::by_ids(db, ids).await?)
}

/// The user signed in with the session whose cookie holds `token`, if it is live.
pub async fn session_user(db: &Db, token: &str) -> Result<Option<db::SessionUser>> {
    Ok(SessionRepository::user(db, &tokens::token_hash(token)).await?)
}

/// A user's picture, if it has one.
pub async fn avatar(db: &Db, user_id: i64) -> Result<Option<Avatar>> {
    Ok(AvatarRepository::get(db, user_id).await?)
}

/// A page of accounts in sign-up order. Past the last page the list is empty.
pub async fn page(db: &Db, paging: Paging) -> Result<(Vec<UserRecord>, Pagination)> {
    let pagination = Pagination::new(paging, UserRepository::count(db).await?);
    let users = if pagination.is_past_the_end() {
        Vec::new()
    } else {
        UserRepository::page(db, pagination.offset(), paging.per_page).await?
    };
    Ok((users, pagination))
}

/// A picture upload as the account form sends it, decoded and re-encoded on the bounded
/// picture pool, or the message that says why it cannot be one.
pub async fn check_avatar(state: &Services, file_name: String, bytes: Vec<u8>) -> Result<Avatar> {
    let max = state.config.max_avatar_bytes;
    let side = state.config.limits.image_max_side;
    state
        .pictures
        .run(move || images::avatar_from_upload(&file_name, &bytes, max, side))
        .await?
        .map_err(|e| Error::invalid(FieldName::Picture, e.to_string()))
}

/// A change to an account. What is `None` stays as it is; what is given is checked, every
/// rule at once.
#[derive(Default)]
pub struct AccountChange<'a> {
    pub username: Option<&'a str>,
    pub bio: Option<&'a str>,
    pub email: Option<&'a str>,
    pub password: Option<&'a str>,
    /// The new password typed again, where a form asks for it.
    pub confirm_password: Option<&'a str>,
    /// Needed to change one's own e-mail address or password (not an administrator's change
    /// of someone else's account).
    pub current_password: Option<&'a str>,
    pub avatar: Option<Avatar>,
    /// The API token that makes the change: it stays valid when the password changes.
    pub keep_token: Option<&'a str>,
}

/// Changes the account `id` as `actor` (the account's owner or an administrator), in one
/// transaction. A new password ends every web session and every API token of the account but
/// `keep_token`; a new e-mail address is told to the old one. Answers the account as it is now.
pub async fn update_account(
    state: &Services,
    actor: &UserRecord,
    id: i64,
    change: AccountChange<'_>,
) -> Result<UserRecord> {
    let db = &state.db;
    let user = get(db, id).await?;
    if !may_change(actor, user.id) {
        return Err(Error::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let username = errors.check(
        FieldName::Username,
        Username::parse(change.username.unwrap_or(&user.username)),
    );
    let email = errors.check(
        FieldName::Email,
        Email::parse(change.email.unwrap_or(&user.email)),
    );
    let bio = errors.check(FieldName::Bio, Bio::parse(change.bio.unwrap_or(&user.bio)));
    let password = change
        .password
        .and_then(|raw| errors.check(FieldName::Password, Password::parse(raw)));
    if let (Some(new), Some(confirm)) = (change.password, change.confirm_password) {
        errors.check(FieldName::ConfirmPassword, Password::confirm(new, confirm));
    }
    let email_changes = email.as_ref().is_some_and(|e| e.as_str() != user.email);
    let needs_current = actor.id == user.id && (email_changes || change.password.is_some());
    let current = change.current_password.filter(|p| !p.is_empty());
    if needs_current && current.is_none() {
        errors.add(
            FieldName::CurrentPassword,
            "Please enter your current password to change your e-mail address or password.",
        );
    }
    let (Some(username), Some(email), Some(bio)) = (username, email, bio) else {
        return Err(Error::Invalid(errors));
    };
    if errors
        .0
        .keys()
        .any(|field| *field != FieldName::CurrentPassword)
    {
        return Err(Error::Invalid(errors));
    }
    if !errors.is_empty() {
        return Err(Error::NotConfirmed(errors));
    }
    if let (true, Some(current)) = (needs_current, current) {
        let stored = Some(user.password_hash.clone());
        if !password::verify(&state.hashing, current.to_string(), stored).await? {
            return Err(Error::NotConfirmed(FieldErrors::single(
                FieldName::CurrentPassword,
                "That is not your current password.",
            )));
        }
    }
    let collisions =
        UserRepository::taken(db, username.as_str(), email.as_str(), Some(user.id)).await?;
    if !collisions.is_empty() {
        return Err(taken(&collisions));
    }
    // Hashing takes a while: before the transaction, not inside it.
    let hash = match &password {
        Some(password) => {
            Some(password::hash(&state.hashing, password.expose().to_string()).await?)
        }
        None => None,
    };
    let mut tx = super::db::begin_write(db).await?;
    UserRepository::update_profile(&mut *tx, user.id, username.as_str(), email.as_str()).await?;
    if bio.as_str() != user.bio {
        UserRepository::set_bio(&mut *tx, user.id, bio.as_str()).await?;
    }
    if let Some(hash) = &hash {
        UserRepository::set_password_hash(&mut *tx, user.id, hash).await?;
        SessionRepository::delete_for_user(&mut *tx, user.id).await?;
        UserRepository::new_token_generation(&mut *tx, user.id, change.keep_token).await?;
    }
    if let Some(avatar) = &change.avatar {
        AvatarRepository::put(&mut tx, user.id, avatar).await?;
    }
    tx.commit().await?;
    if email_changes {
        let body = format!(
            "Hello {},\n\nThe e-mail address of your Quill account was changed to {}.\n\n\
             If you did not do this, reset your password and write to the site's administrator.\n",
            user.username,
            email.as_str()
        );
        send_later(
            state,
            user.email.clone(),
            "Your e-mail address was changed",
            body,
        );
    }
    get(db, user.id).await
}

/// Ends one API token (a logout), until it would have expired anyway.
pub async fn revoke_token(db: &Db, jti: &str, expires_at: i64) -> Result<()> {
    RevokedTokenRepository::revoke(db, jti, expires_at).await?;
    Ok(())
}

/// Ends every web session and every API token of the account.
pub async fn log_out_everywhere(db: &Db, user_id: i64) -> Result<()> {
    let mut tx = super::db::begin_write(db).await?;
    SessionRepository::delete_for_user(&mut *tx, user_id).await?;
    UserRepository::new_token_generation(&mut *tx, user_id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the account `id` and, by cascade, everything of it: posts (with their comments and
/// likes), comments, likes, follows both ways, picture, sessions; its API tokens stop working
/// with it. Someone deleting their own account confirms it with their password
/// (`current_password`, checked on the hashing pool and counted against the account's login
/// throttle, as a login is); an administrator deleting
/// someone else's does not. The last administrator cannot be deleted.
pub async fn delete(
    state: &Services,
    actor: &UserRecord,
    id: i64,
    current_password: Option<&str>,
) -> Result<()> {
    let db = &state.db;
    let user = get(db, id).await?;
    if !may_change(actor, user.id) {
        return Err(Error::Forbidden);
    }
    if actor.id == user.id {
        let Some(current) = current_password.filter(|p| !p.is_empty()) else {
            return Err(Error::NotConfirmed(FieldErrors::single(
                FieldName::CurrentPassword,
                "Please enter your password to delete your account.",
            )));
        };
        // Guesses at the password here share the account's login budget.
        state.throttle.account(Attempt::Login, &user.email)?;
        let stored = Some(user.password_hash.clone());
        if current.chars().count() > Password::MAX
            || !password::verify(&state.hashing, current.to_string(), stored).await?
        {
            return Err(Error::NotConfirmed(FieldErrors::single(
                FieldName::CurrentPassword,
                "That is not your password.",
            )));
        }
    }
    if !UserRepository::delete(db, user.id).await? {
        return Err(Error::Conflict(FieldErrors::single(
            FieldName::Form,
            "The last administrator cannot be deleted: make another administrator first.",
        )));
    }
    Ok(())
}

/// Sends a mail off the request path: the answer neither waits for the mail server nor
/// differs when it fails (the failure is logged).
pub(super) fn send_later(state: &Services, to: String, subject: &'static str, body: String) {
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&to, subject, body).await {
            tracing::error!(error = %err, subject, "could not send a mail");
        }
    });
}
