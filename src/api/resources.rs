//! `/api/v1/users` and `/api/v1/posts`.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeApiUser};
use super::list;
use crate::backend::db::{PostRepository, SessionRepository, UserRecord, UserRepository};
use crate::backend::posts::{self, Draft, PostError};
use crate::backend::services::{self, Registration};
use crate::backend::{password, AppState};
use crate::model::{avatar_url, format_datetime, FieldErrors, Password, PostView};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

/// A user as others see them; the e-mail only for themselves and admins.
fn user_json(user: &UserRecord, viewer: Option<&UserRecord>) -> Value {
    let mut value = json!({
        "id": user.id,
        "username": user.username,
        "avatar_url": avatar_url(user.id, user.avatar_etag.as_deref()),
        "registered_on": format_datetime(user.created_at),
    });
    if viewer.is_some_and(|v| v.id == user.id || v.is_admin) {
        value["email"] = json!(user.email);
        value["admin"] = json!(user.is_admin);
    }
    value
}

fn post_json(post: &PostView) -> Value {
    json!({
        "id": post.id,
        "title": post.title,
        "content": post.content,
        "date_posted": format_datetime(post.date_posted),
        "updated_at": format_datetime(post.updated_at),
        "author": { "id": post.author.id, "username": post.author.username, "avatar_url": post.author.avatar_url },
    })
}

fn may_manage(viewer: &UserRecord, user_id: i64) -> bool {
    viewer.id == user_id || viewer.is_admin
}

impl From<PostError> for ApiError {
    fn from(err: PostError) -> Self {
        match err {
            PostError::NotFound => ApiError::NotFound,
            PostError::Forbidden => ApiError::Forbidden,
            PostError::Service(err) => err.into(),
        }
    }
}

type Listed = (HeaderMap, Json<Value>);

fn listed(
    state: &AppState,
    path: &str,
    pagination: &crate::model::Pagination,
    data: Vec<Value>,
) -> Listed {
    let base = format!("{}/api/v1{path}", state.config.public_url);
    (
        list::headers(&base, pagination),
        Json(json!({
            "status": "success",
            "data": data,
            "page": pagination.page,
            "per_page": pagination.per_page,
            "total": pagination.total,
        })),
    )
}

pub async fn list_users(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Listed, ApiError> {
    let total = UserRepository::count(&state.db).await?;
    let pagination = list::parse(&query, total)?;
    let users = UserRepository::page(&state.db, pagination.offset(), pagination.per_page).await?;
    let data = users
        .iter()
        .map(|u| user_json(u, viewer.0.as_ref()))
        .collect();
    Ok(listed(&state, "/users", &pagination, data))
}

pub async fn get_user(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(
        json!({ "status": "success", "data": user_json(&user, viewer.0.as_ref()) }),
    ))
}

#[derive(Deserialize)]
pub struct NewUserBody {
    pub username: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub admin: bool,
}

/// The administrator's way to create an account.
pub async fn create_user(
    State(state): State<AppState>,
    me: ApiUser,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if !me.user.is_admin {
        return Err(ApiError::Forbidden);
    }
    let registration =
        Registration::parse(&body.username, &body.email, &body.password, &body.password)?;
    let id = services::register(&state.db, registration, body.admin).await?;
    let user = UserRepository::by_id(&state.db, id)
        .await?
        .ok_or(ApiError::Internal)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "status": "success", "data": user_json(&user, Some(&me.user)) })),
    ))
}

#[derive(Deserialize)]
pub struct UpdateUserBody {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
}

pub async fn update_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateUserBody>,
) -> Result<Json<Value>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_manage(&me.user, user.id) {
        return Err(ApiError::Forbidden);
    }
    let new_password = match &body.password {
        Some(raw) => Some(
            Password::parse(raw)
                .map_err(|m| ApiError::Invalid(FieldErrors::single("password", m)))?,
        ),
        None => None,
    };
    let username = body.username.as_deref().unwrap_or(&user.username);
    let email = body.email.as_deref().unwrap_or(&user.email);
    services::update_profile(&state.db, &user, username, email).await?;
    if let Some(password) = new_password {
        let hash = password::hash(password.expose().to_string())
            .await
            .map_err(|e| ApiError::from(services::ServiceError::from(e)))?;
        UserRepository::set_password_hash(&state.db, user.id, &hash).await?;
        SessionRepository::delete_for_user(&state.db, user.id).await?;
    }
    let user = UserRepository::by_id(&state.db, user.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(
        json!({ "status": "success", "data": user_json(&user, Some(&me.user)) }),
    ))
}

pub async fn delete_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_manage(&me.user, user.id) {
        return Err(ApiError::Forbidden);
    }
    UserRepository::delete(&state.db, user.id).await?;
    Ok(Json(
        json!({ "status": "success", "message": "The user and their posts were deleted." }),
    ))
}

async fn post_list(
    state: &AppState,
    path: &str,
    query: &HashMap<String, String>,
    author: Option<i64>,
) -> Result<Listed, ApiError> {
    let total = match author {
        Some(id) => PostRepository::count_by_author(&state.db, id).await?,
        None => PostRepository::count(&state.db).await?,
    };
    let pagination = list::parse(query, total)?;
    let rows = match author {
        Some(id) => {
            PostRepository::page_by_author(&state.db, id, pagination.offset(), pagination.per_page)
                .await?
        }
        None => PostRepository::page(&state.db, pagination.offset(), pagination.per_page).await?,
    };
    let data = rows
        .into_iter()
        .map(|p| post_json(&posts::post_view(p)))
        .collect();
    Ok(listed(state, path, &pagination, data))
}

pub async fn list_posts(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Listed, ApiError> {
    post_list(&state, "/posts", &query, None).await
}

pub async fn user_posts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Listed, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    post_list(
        &state,
        &format!("/users/{}/posts", user.id),
        &query,
        Some(user.id),
    )
    .await
}

pub async fn get_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let post = posts::get(&state.db, id_of(&id)?).await?;
    Ok(Json(
        json!({ "status": "success", "data": post_json(&post) }),
    ))
}

#[derive(Deserialize)]
pub struct PostBodyJson {
    pub title: String,
    pub content: String,
}

pub async fn create_post(
    State(state): State<AppState>,
    me: ApiUser,
    ApiJson(body): ApiJson<PostBodyJson>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let draft = Draft::parse(&body.title, &body.content)?;
    let id = posts::create(&state.db, &me.user, draft).await?;
    let post = posts::get(&state.db, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "status": "success", "data": post_json(&post) })),
    ))
}

pub async fn update_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PostBodyJson>,
) -> Result<Json<Value>, ApiError> {
    let id = id_of(&id)?;
    // Who may change it is answered before what the change is (403/404 before 422).
    posts::editable(&state.db, &me.user, id).await?;
    let draft = Draft::parse(&body.title, &body.content)?;
    PostRepository::update(&state.db, id, draft.title.as_str(), draft.body.as_str()).await?;
    let post = posts::get(&state.db, id).await?;
    Ok(Json(
        json!({ "status": "success", "data": post_json(&post) }),
    ))
}

pub async fn delete_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    posts::delete(&state.db, &me.user, id_of(&id)?).await?;
    Ok(Json(
        json!({ "status": "success", "message": "The post was deleted." }),
    ))
}
