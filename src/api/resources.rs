//! `/api/v1/users` and `/api/v1/posts`.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeApiUser};
use super::list::{self, IdPath, Paging};
use super::schema::errors::{BadPaging, BodyErrors, Forbidden, NotFound, Unauthorized};
use super::schema::{
    ErrorResponse, MessageResponse, NewUserRequest, Post, PostListResponse, PostRequest,
    PostResponse, Success, User, UserListResponse, UserResponse, UserUpdateRequest,
};
use crate::backend::db::{PostRepository, UserRecord, UserRepository};
use crate::backend::posts::{self, Draft, PostError};
use crate::backend::services::{self, Registration};
use crate::backend::AppState;
use crate::model::{FieldErrors, Pagination, Password, PostView};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::Json;
use std::collections::HashMap;

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
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

fn user_response(user: &UserRecord, viewer: Option<&UserRecord>) -> Json<UserResponse> {
    Json(UserResponse {
        status: Success::Success,
        data: User::new(user, viewer),
    })
}

fn post_response(post: &PostView) -> Json<PostResponse> {
    Json(PostResponse {
        status: Success::Success,
        data: post.into(),
    })
}

/// A `201 Created` with the new resource's address in `Location`.
fn created<T>(state: &AppState, path: String, body: T) -> (StatusCode, HeaderMap, T) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("{}/api/v1{path}", state.config.public_url)) {
        headers.insert(header::LOCATION, value);
    }
    (StatusCode::CREATED, headers, body)
}

/// The public profiles, oldest account first. With a token, the caller's own entry (every
/// entry, for an administrator) has `email` and `admin`.
#[utoipa::path(get, path = "/users", tag = "users", params(Paging),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of users.", body = UserListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many users there are."))),
        BadPaging, Unauthorized,
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<UserListResponse>), ApiError> {
    let (page, per_page) = list::parse(&query)?;
    let pagination = Pagination {
        page,
        per_page,
        total: UserRepository::count(&state.db).await?,
    };
    let users = UserRepository::page(&state.db, pagination.offset(), per_page).await?;
    let body = UserListResponse {
        status: Success::Success,
        data: users
            .iter()
            .map(|u| User::new(u, viewer.0.as_ref()))
            .collect(),
        page: pagination.page,
        per_page: pagination.per_page,
        total: pagination.total,
    };
    Ok((list::headers(&state, "/users", &pagination), Json(body)))
}

/// One user's profile.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(IdPath),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The user.", body = UserResponse), NotFound, Unauthorized))]
pub async fn get_user(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(user_response(&user, viewer.0.as_ref()))
}

/// Create an account (administrators only).
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new account.", body = UserResponse,
            headers(("Location" = String, description = "The new user's address.")),
            links(
                ("GetUser" = (operation_id = "get_user", parameters(("id" = "$response.body#/data/id")))),
                ("UpdateUser" = (operation_id = "update_user", parameters(("id" = "$response.body#/data/id")))),
                ("DeleteUser" = (operation_id = "delete_user", parameters(("id" = "$response.body#/data/id")))),
            )),
        (status = 409, description = "The e-mail address or username is taken.", body = ErrorResponse),
        BodyErrors, Unauthorized, Forbidden,
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    me: ApiUser,
    ApiJson(body): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, HeaderMap, Json<UserResponse>), ApiError> {
    if !me.user.is_admin {
        return Err(ApiError::Forbidden);
    }
    let registration =
        Registration::parse(&body.username, &body.email, &body.password, &body.password)?;
    let id = services::register(&state.db, registration, body.admin).await?;
    let user = UserRepository::by_id(&state.db, id)
        .await?
        .ok_or(ApiError::Internal)?;
    Ok(created(
        &state,
        format!("/users/{id}"),
        user_response(&user, Some(&me.user)),
    ))
}

/// Change a user's username, e-mail address or password (the user or an administrator).
#[utoipa::path(put, path = "/users/{id}", tag = "users", params(IdPath), request_body = UserUpdateRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed user.", body = UserResponse),
        (status = 409, description = "The e-mail address or username is taken.", body = ErrorResponse),
        BodyErrors, Unauthorized, Forbidden, NotFound,
    ))]
pub async fn update_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserUpdateRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !services::may_change(&me.user, user.id) {
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
        services::set_password(&state.db, user.id, &password).await?;
    }
    let user = UserRepository::by_id(&state.db, user.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(user_response(&user, Some(&me.user)))
}

/// Delete an account and its posts (the user or an administrator). Its tokens stop working.
#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The user is gone.", body = MessageResponse),
        Unauthorized, Forbidden, NotFound))]
pub async fn delete_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<MessageResponse>, ApiError> {
    let user = UserRepository::by_id(&state.db, id_of(&id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !services::may_change(&me.user, user.id) {
        return Err(ApiError::Forbidden);
    }
    UserRepository::delete(&state.db, user.id).await?;
    Ok(Json(MessageResponse::new(
        "The user and their posts were deleted.",
    )))
}

async fn post_list(
    state: &AppState,
    path: &str,
    query: &HashMap<String, String>,
    author: Option<i64>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let (page, per_page) = list::parse(query)?;
    let found = posts::page(&state.db, author, page, per_page).await?;
    let pagination = found.pagination;
    let body = PostListResponse {
        status: Success::Success,
        data: found.posts.iter().map(Post::from).collect(),
        page: pagination.page,
        per_page: pagination.per_page,
        total: pagination.total,
    };
    Ok((list::headers(state, path, &pagination), Json(body)))
}

/// All posts, newest first.
#[utoipa::path(get, path = "/posts", tag = "posts", params(Paging),
    responses(
        (status = 200, description = "A page of posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts there are."))),
        BadPaging,
    ))]
pub async fn list_posts(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    post_list(&state, "/posts", &query, None).await
}

/// One user's posts, newest first.
#[utoipa::path(get, path = "/users/{id}/posts", tag = "posts", params(IdPath, Paging),
    responses(
        (status = 200, description = "A page of the user's posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts the user has."))),
        BadPaging, NotFound,
    ))]
pub async fn user_posts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
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

/// One post.
#[utoipa::path(get, path = "/posts/{id}", tag = "posts", params(IdPath),
    responses((status = 200, description = "The post.", body = PostResponse), NotFound))]
pub async fn get_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PostResponse>, ApiError> {
    let post = posts::get(&state.db, id_of(&id)?).await?;
    Ok(post_response(&post))
}

/// Publish a post as the token's user.
#[utoipa::path(post, path = "/posts", tag = "posts", request_body = PostRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new post.", body = PostResponse,
            headers(("Location" = String, description = "The new post's address.")),
            links(
                ("GetPost" = (operation_id = "get_post", parameters(("id" = "$response.body#/data/id")))),
                ("UpdatePost" = (operation_id = "update_post", parameters(("id" = "$response.body#/data/id")))),
                ("DeletePost" = (operation_id = "delete_post", parameters(("id" = "$response.body#/data/id")))),
            )),
        BodyErrors, Unauthorized,
    ))]
pub async fn create_post(
    State(state): State<AppState>,
    me: ApiUser,
    ApiJson(body): ApiJson<PostRequest>,
) -> Result<(StatusCode, HeaderMap, Json<PostResponse>), ApiError> {
    let draft = Draft::parse(&body.title, &body.content)?;
    let id = posts::create(&state.db, &me.user, draft).await?;
    let post = posts::get(&state.db, id).await?;
    Ok(created(
        &state,
        format!("/posts/{id}"),
        post_response(&post),
    ))
}

/// Change a post's title and content (its author or an administrator).
#[utoipa::path(put, path = "/posts/{id}", tag = "posts", params(IdPath), request_body = PostRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed post.", body = PostResponse),
        BodyErrors, Unauthorized, Forbidden, NotFound,
    ))]
pub async fn update_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PostRequest>,
) -> Result<Json<PostResponse>, ApiError> {
    let id = id_of(&id)?;
    // Who may change it is answered before what the change is (403/404 before 422).
    posts::editable(&state.db, &me.user, id).await?;
    let draft = Draft::parse(&body.title, &body.content)?;
    PostRepository::update(&state.db, id, draft.title.as_str(), draft.body.as_str()).await?;
    let post = posts::get(&state.db, id).await?;
    Ok(post_response(&post))
}

/// Delete a post (its author or an administrator).
#[utoipa::path(delete, path = "/posts/{id}", tag = "posts", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The post is gone.", body = MessageResponse),
        Unauthorized, Forbidden, NotFound))]
pub async fn delete_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<MessageResponse>, ApiError> {
    posts::delete(&state.db, &me.user, id_of(&id)?).await?;
    Ok(Json(MessageResponse::new("The post was deleted.")))
}
