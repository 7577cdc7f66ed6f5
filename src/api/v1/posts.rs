//! `/api/v1/posts` and `/api/v1/users/{id}/posts`.

use super::error::ApiError;
use super::extract::{ApiJson, ApiUser, MaybeApiUser};
use super::list::{self, IdPath, PagingParams};
use super::schema::errors::{BadPaging, BodyErrors, Forbidden, NotFound, Unauthorized};
use super::schema::{
    MessageResponse, Post, PostListResponse, PostRequest, PostResponse, Success, Tag,
    TagListResponse,
};
use crate::domain::db::{PostList, UserRecord};
use crate::domain::posts::{PostInput, TagsInput};
use crate::domain::{posts, users, Error};
use crate::model::{is_tag_name, FieldName, Pagination, PostView};
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::collections::HashMap;
use utoipa::IntoParams;

fn post_response(post: &PostView) -> Json<PostResponse> {
    Json(PostResponse {
        status: Success::Success,
        data: post.into(),
    })
}

pub(super) async fn post_list(
    state: &AppState,
    viewer: Option<&UserRecord>,
    path: &str,
    query: &HashMap<String, String>,
    list: PostList,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let found = posts::page::<PostView>(&state.db, viewer, list, list::parse(query)?).await?;
    let posts: Vec<&PostView> = found.posts.iter().collect();
    Ok(list_answer(state, path, &posts, found.pagination))
}

/// A page of posts as the API answers it: the body and the paging headers.
fn list_answer(
    state: &AppState,
    path: &str,
    posts: &[&PostView],
    pagination: Pagination,
) -> (HeaderMap, Json<PostListResponse>) {
    let body = PostListResponse {
        status: Success::Success,
        data: posts.iter().map(|post| Post::from(*post)).collect(),
        page: pagination.page,
        per_page: pagination.per_page,
        total: pagination.total,
    };
    (list::headers(state, path, &pagination), Json(body))
}

fn input(body: &PostRequest) -> PostInput<'_> {
    PostInput {
        title: &body.title,
        summary: body.summary.as_deref(),
        content: &body.content,
        format: body.format.map(|f| f.as_str()),
        tags: body.tags.as_deref().map(TagsInput::List),
    }
}

/// All posts, newest first; those with a tag; or those that match a search, best first.
#[utoipa::path(get, path = "/posts", tag = "posts", params(PagingParams, PostFilter),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts there are."))),
        BadPaging, Unauthorized,
    ))]
pub async fn list_posts(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let viewer = viewer.0.as_ref();
    let paging = list::parse(&query)?;
    let tag = match query.get("tag") {
        Some(name) => Some((name, tag_filter(&state, name).await?)),
        None => None,
    };
    if let Some(q) = query.get("q") {
        let mut path = format!("/posts?q={}", encode_query(q));
        if let Some((name, _)) = tag {
            path.push_str(&format!("&tag={name}"));
        }
        // A tag no post has: nothing can match (-1 is no tag's id).
        let within = tag.map(|(_, id)| id.unwrap_or(-1));
        let found = posts::search::<PostView>(&state, viewer, q, within, paging).await?;
        let posts: Vec<&PostView> = found.hits.iter().map(|hit| &hit.post).collect();
        return Ok(list_answer(&state, &path, &posts, found.pagination));
    }
    match tag {
        None => post_list(&state, viewer, "/posts", &query, PostList::All).await,
        Some((name, Some(id))) => {
            post_list(
                &state,
                viewer,
                &format!("/posts?tag={name}"),
                &query,
                PostList::Tag(id),
            )
            .await
        }
        // A tag no post has: an empty list, as a filter that matches nothing.
        Some((name, None)) => {
            let pagination = Pagination::new(paging, 0);
            Ok(list_answer(
                &state,
                &format!("/posts?tag={name}"),
                &[],
                pagination,
            ))
        }
    }
}

/// The tag a `?tag=` names: its id, or `None` when no post has it; a 422 when it is not a
/// tag's name at all.
async fn tag_filter(state: &AppState, tag: &str) -> Result<Option<i64>, ApiError> {
    if !is_tag_name(tag) {
        return Err(Error::invalid(
            FieldName::Tags,
            "tag is a tag's name: 1–30 characters of a–z, 0–9 and -.",
        )
        .into());
    }
    Ok(posts::find_tag(&state.db, tag).await?)
}

/// A query string's value, percent-encoded.
fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The filter of the post list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only its description is used
pub struct PostFilter {
    /// Full-text search: the posts with every word of it (letters and digits; anything else
    /// separates words), best first; with `tag`, among that tag's posts.
    #[param(max_length = 200, nullable = false)]
    q: Option<String>,
    /// Only the posts with this tag (none when no post has it).
    #[param(
        pattern = r"^[a-z0-9-]{1,30}$",
        min_length = 1,
        max_length = 30,
        nullable = false
    )]
    tag: Option<String>,
}

/// All tags some post has, most used first (then by name).
#[utoipa::path(get, path = "/tags", tag = "posts", params(PagingParams),
    responses(
        (status = 200, description = "A page of tags.", body = TagListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many tags there are."))),
        BadPaging,
    ))]
pub async fn list_tags(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<TagListResponse>), ApiError> {
    let (tags, pagination) = posts::tags_page(&state.db, list::parse(&query)?).await?;
    let body = TagListResponse {
        status: Success::Success,
        data: tags
            .into_iter()
            .map(|t| Tag {
                name: t.name,
                posts: t.posts,
            })
            .collect(),
        page: pagination.page,
        per_page: pagination.per_page,
        total: pagination.total,
    };
    Ok((list::headers(&state, "/tags", &pagination), Json(body)))
}

/// One user's posts, newest first.
#[utoipa::path(get, path = "/users/{id}/posts", tag = "posts", params(IdPath, PagingParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of the user's posts.", body = PostListResponse, headers(
            ("Link" = String, description = "`first`, `prev`, `next` and `last` pages (RFC 8288)."),
            ("X-Total-Count" = u64, description = "How many posts the user has."))),
        BadPaging, NotFound, Unauthorized,
    ))]
pub async fn user_posts(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<(HeaderMap, Json<PostListResponse>), ApiError> {
    let user = users::get(&state.db, list::id(&id)?).await?;
    post_list(
        &state,
        viewer.0.as_ref(),
        &format!("/users/{}/posts", user.id),
        &query,
        PostList::Author(user.id),
    )
    .await
}

/// One post.
#[utoipa::path(get, path = "/posts/{id}", tag = "posts", params(IdPath),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The post.", body = PostResponse), NotFound, Unauthorized))]
pub async fn get_post(
    State(state): State<AppState>,
    viewer: MaybeApiUser,
    Path(id): Path<String>,
) -> Result<Json<PostResponse>, ApiError> {
    let post = posts::get(&state.db, viewer.0.as_ref(), list::id(&id)?).await?;
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
    let id = posts::create(&state, &me.user, input(&body)).await?;
    let post = posts::get(&state.db, Some(&me.user), id).await?;
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
    posts::update(&state, &me.user, id, input(&body)).await?;
    let post = posts::get(&state.db, Some(&me.user), id).await?;
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
    posts::delete(&state, &me.user, list::id(&id)?).await?;
    Ok(Json(MessageResponse::new("The post was deleted.")))
}
