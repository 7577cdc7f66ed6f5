//! `/profiles/{username}` and following.

use super::*;

pub(super) async fn profile(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Path(username): Path<String>,
) -> RwResult<Json<ProfileBody>> {
    let user = users::by_username(&state.db, &username).await?;
    let seen = conversation::profile(&state.db, reader.user(), &user).await?;
    Ok(Json(ProfileBody {
        profile: profile_of(&state, &user, seen.followed),
    }))
}

pub(super) async fn set_follow(
    state: &AppState,
    me: &RwUser,
    username: &str,
    on: bool,
) -> RwResult<Json<ProfileBody>> {
    let user = users::by_username(&state.db, username).await?;
    let now = conversation::set_follow(&state.db, &me.me.user, user.id, on).await?;
    let user = users::get(&state.db, user.id).await?;
    Ok(Json(ProfileBody {
        profile: profile_of(state, &user, now.on),
    }))
}

pub(super) async fn follow(
    State(state): State<AppState>,
    me: RwUser,
    Path(username): Path<String>,
) -> RwResult<Json<ProfileBody>> {
    set_follow(&state, &me, &username, true).await
}

pub(super) async fn unfollow(
    State(state): State<AppState>,
    me: RwUser,
    Path(username): Path<String>,
) -> RwResult<Json<ProfileBody>> {
    set_follow(&state, &me, &username, false).await
}
