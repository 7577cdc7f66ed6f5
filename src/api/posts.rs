//! `/api/v1/posts` and `/api/v1/users/{id}/posts`.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser};
use super::list::{self, IdPath, PagingParams};
use super::schema::errors::{BadPaging, BodyErrors, Forbidden, NotFound, Unauthorized};
use super::schema::{MessageResponse, Post, PostListResponse, PostRequest, PostResponse, Success};
use crate::backend::{posts, users, AppState};
use crate::model::PostView;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::collections::HashMap;

fn post_response(post: &PostView) -> Json<PostResponse> {
    Json(PostResponse {
        status: Success::Success,
        data: post.into(),
    })
}

async fn post_list(
    state: &AppState,
    path: &str,
    query: &HashMap<String, String>,
    author: Option<i64>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let found = posts::page(&state.db, author, list::parse(query)?).await?;
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
#[utoipa::path(get, path = "/posts", tag = "posts", params(PagingParams),
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
#[utoipa::path(get, path = "/users/{id}/posts", tag = "posts", params(IdPath, PagingParams),
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
    let user = users::get(&state.db, list::id(&id)?).await?;
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
    let post = posts::get(&state.db, list::id(&id)?).await?;
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
    let format = body.format.map(|f| f.as_str());
    let id = posts::create(&state.db, &me.user, &body.title, &body.content, format).await?;
    let post = posts::get(&state.db, id).await?;
    Ok(super::created(
        &state,
        format!("/posts/{id}"),
        post_response(&post),
    ))
}

/// Change a post's title, content and format (its author or an administrator).
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
    let id = list::id(&id)?;
    let format = body.format.map(|f| f.as_str());
    posts::update(&state.db, &me.user, id, &body.title, &body.content, format).await?;
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
    posts::delete(&state.db, &me.user, list::id(&id)?).await?;
    Ok(Json(MessageResponse::new("The post was deleted.")))
}
