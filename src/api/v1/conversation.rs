//! `/api/v1`: comments, likes, follows, the following feed and a user's liked posts.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeApiUser};
use super::list::{self, IdPath, PagingParams};
use super::schema::errors::{BadPaging, BodyErrors, Forbidden, NotFound, Unauthorized};
use super::schema::{
    Comment, CommentListResponse, CommentRequest, CommentResponse, FollowResponse, LikeResponse,
    MessageResponse, PostListResponse, Success,
};
use crate::domain::conversation;
use crate::domain::db::PostList;
use crate::domain::users;
use crate::model::Paging;
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::collections::HashMap;
use utoipa::IntoParams;

/// A comment's path: the post's id and the comment's.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // only its description is used
pub struct CommentPath {
    #[param(minimum = 1)]
    id: i64,
    #[param(minimum = 1)]
    comment_id: i64,
}

/// A post's comments, oldest first (50 a page unless `per_page` says otherwise).
#[utoipa::path(get, path = "/posts/{id}/comments", tag = "conversation", params(IdPath, PagingParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of comments.", body = CommentListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many comments the post has."))),
        BadPaging, NotFound, Unauthorized,
    ))]
pub async fn list_comments(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<CommentListResponse>), ApiError> {
    let id = list::id(&id)?;
    let paging = Paging::parse(
        query.get("page").map(String::as_str),
        query.get("per_page").map(String::as_str),
        conversation::COMMENTS_PER_PAGE,
    )
    .map_err(|errors| ApiError::from(crate::domain::Error::Invalid(errors)))?;
    let page = conversation::comments(&state.db, viewer.0.as_ref(), id, paging).await?;
    let body = CommentListResponse {
        status: Success::Success,
        data: page.comments.iter().map(Comment::from).collect(),
        page: page.pagination.page,
        per_page: page.pagination.per_page,
        total: page.pagination.total,
    };
    let headers = list::headers(&state, &format!("/posts/{id}/comments"), &page.pagination);
    Ok((headers, Json(body)))
}

/// Comment on a post as the token's user.
#[utoipa::path(post, path = "/posts/{id}/comments", tag = "conversation", params(IdPath),
    request_body = CommentRequest, security(("bearer" = [])),
    responses(
        (status = 201, description = "The new comment.", body = CommentResponse,
            headers(("Location" = String, description = "The post's comments.")),
            links(("DeleteComment" = (operation_id = "delete_comment", parameters(
                ("id" = "$response.body#/data/post_id"), ("comment_id" = "$response.body#/data/id")))))),
        BodyErrors, Unauthorized, NotFound,
    ))]
pub async fn create_comment(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentRequest>,
) -> Result<(StatusCode, HeaderMap, Json<CommentResponse>), ApiError> {
    let id = list::id(&id)?;
    let comment = conversation::add_comment(&state.db, &me.user, id, &body.content).await?;
    let body = Json(CommentResponse {
        status: Success::Success,
        data: Comment::from(&comment),
    });
    Ok(super::created(
        &state,
        format!("/posts/{id}/comments"),
        body,
    ))
}

/// Delete a comment (its author, the post's author or an administrator).
#[utoipa::path(delete, path = "/posts/{id}/comments/{comment_id}", tag = "conversation",
    params(CommentPath), security(("bearer" = [])),
    responses((status = 200, description = "The comment is gone.", body = MessageResponse),
        Unauthorized, Forbidden, NotFound))]
pub async fn delete_comment(
    State(state): State<AppState>,
    me: ApiUser,
    Path((id, comment_id)): Path<(String, String)>,
) -> Result<Json<MessageResponse>, ApiError> {
    let (id, comment_id) = (list::id(&id)?, list::id(&comment_id)?);
    conversation::delete_comment(&state.db, &me.user, id, comment_id).await?;
    Ok(Json(MessageResponse::new("The comment was deleted.")))
}

async fn like(
    state: &AppState,
    me: &ApiUser,
    id: &str,
    on: bool,
) -> Result<Json<LikeResponse>, ApiError> {
    let now = conversation::set_like(&state.db, &me.user, list::id(id)?, on).await?;
    Ok(Json(LikeResponse {
        status: Success::Success,
        liked: now.on,
        like_count: now.count,
    }))
}

/// Like a post (liking it again changes nothing).
#[utoipa::path(put, path = "/posts/{id}/like", tag = "conversation", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The token's user likes the post.", body = LikeResponse),
        Unauthorized, NotFound))]
pub async fn like_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<LikeResponse>, ApiError> {
    like(&state, &me, &id, true).await
}

/// Stop liking a post (when it is not liked, nothing changes).
#[utoipa::path(delete, path = "/posts/{id}/like", tag = "conversation", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The token's user does not like the post.", body = LikeResponse),
        Unauthorized, NotFound))]
pub async fn unlike_post(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<LikeResponse>, ApiError> {
    like(&state, &me, &id, false).await
}

async fn follow(
    state: &AppState,
    me: &ApiUser,
    id: &str,
    on: bool,
) -> Result<Json<FollowResponse>, ApiError> {
    let now = conversation::set_follow(&state.db, &me.user, list::id(id)?, on).await?;
    Ok(Json(FollowResponse {
        status: Success::Success,
        followed: now.on,
        followers: now.count,
    }))
}

/// Follow a user (following again changes nothing; nobody follows themselves).
#[utoipa::path(put, path = "/users/{id}/follow", tag = "conversation", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The token's user follows them.", body = FollowResponse),
        (status = 409, description = "The user is the token's own: nobody follows themselves.", body = super::schema::ErrorResponse),
        Unauthorized, NotFound))]
pub async fn follow_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<FollowResponse>, ApiError> {
    follow(&state, &me, &id, true).await
}

/// Stop following a user.
#[utoipa::path(delete, path = "/users/{id}/follow", tag = "conversation", params(IdPath),
    security(("bearer" = [])),
    responses((status = 200, description = "The token's user does not follow them.", body = FollowResponse),
        Unauthorized, NotFound))]
pub async fn unfollow_user(
    State(state): State<AppState>,
    me: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<FollowResponse>, ApiError> {
    follow(&state, &me, &id, false).await
}

/// The posts of the users the token's user follows, newest first.
#[utoipa::path(get, path = "/feed", tag = "conversation", params(PagingParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts the followed users have."))),
        BadPaging, Unauthorized,
    ))]
pub async fn feed(
    State(state): State<AppState>,
    me: ApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let list = PostList::Following(me.user.id);
    super::posts::post_list(&state, Some(&me.user), "/feed", &query, list).await
}

/// The posts a user likes, the latest like first.
#[utoipa::path(get, path = "/users/{id}/liked", tag = "conversation", params(IdPath, PagingParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts the user likes."))),
        BadPaging, NotFound, Unauthorized,
    ))]
pub async fn liked_posts(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let user = users::get(&state.db, list::id(&id)?).await?;
    let path = format!("/users/{}/liked", user.id);
    super::posts::post_list(
        &state,
        viewer.0.as_ref(),
        &path,
        &query,
        PostList::Liked(user.id),
    )
    .await
}
