//! `/users`, `/users/login`, `/user`: registration, sign-in, the current user and its changes.

use super::*;

#[derive(Deserialize)]
pub(super) struct NewUser {
    pub(super) username: String,
    pub(super) email: String,
    pub(super) password: String,
}

#[derive(Deserialize)]
pub(super) struct NewUserBody {
    pub(super) user: NewUser,
}

pub(super) async fn register(
    State(state): State<AppState>,
    client: ClientAddress,
    RwJson(body): RwJson<NewUserBody>,
) -> RwResult<(StatusCode, Json<UserBody>)> {
    let NewUser {
        username,
        email,
        password,
    } = body.user;
    let registration = Registration::parse(&username, &email, &password, &password)?;
    let id = users::sign_up(&state, client.0, registration).await?;
    let user = users::get(&state.db, id).await?;
    let token = crate::domain::jwt::issue_for(&state, &user)?;
    Ok((StatusCode::CREATED, user_body(&state, &user, token)))
}

#[derive(Deserialize)]
pub(super) struct LoginUser {
    pub(super) email: String,
    pub(super) password: String,
}

#[derive(Deserialize)]
pub(super) struct LoginBody {
    pub(super) user: LoginUser,
}

pub(super) async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    RwJson(body): RwJson<LoginBody>,
) -> RwResult<Json<UserBody>> {
    let user = users::authenticate(&state, client.0, &body.user.email, &body.user.password).await?;
    let token = crate::domain::jwt::issue_for(&state, &user)?;
    Ok(user_body(&state, &user, token))
}

pub(super) async fn current_user(State(state): State<AppState>, me: RwUser) -> Json<UserBody> {
    user_body(&state, &me.me.user, me.token)
}

/// RealWorld's fields, and Quill's `current_password`: changing one's own e-mail address or
/// password needs it, as everywhere in Quill (RealWorld has no such field; a client that does
/// not send it gets a 403 that says so).
#[derive(Deserialize)]
pub(super) struct UserChange {
    pub(super) email: Option<String>,
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) bio: Option<String>,
    pub(super) image: Option<String>,
    pub(super) current_password: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct UserChangeBody {
    pub(super) user: UserChange,
}

pub(super) async fn update_user(
    State(state): State<AppState>,
    me: RwUser,
    RwJson(body): RwJson<UserChangeBody>,
) -> RwResult<Json<UserBody>> {
    let change = body.user;
    let user = &me.me.user;
    // Pictures are uploaded on the site (decoded and re-encoded there); Quill fetches no
    // address it is given. The address it gave out is accepted as "unchanged".
    let current = image(
        &state,
        &crate::model::avatar_url(user.id, user.avatar_etag.as_deref()),
    );
    if change
        .image
        .as_deref()
        .is_some_and(|new| !new.is_empty() && new != current)
    {
        return Err(RwError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "image",
            "Pictures are uploaded on the account page of the site; an address cannot be set.",
        ));
    }
    let account = AccountChange {
        username: change.username.as_deref(),
        email: change.email.as_deref(),
        password: change.password.as_deref().filter(|p| !p.is_empty()),
        bio: change.bio.as_deref(),
        current_password: change.current_password.as_deref(),
        keep_token: Some(me.me.claims.jti.as_str()),
        ..AccountChange::default()
    };
    let updated = users::update_account(&state, user, user.id, account).await?;
    Ok(user_body(&state, &updated, me.token))
}
