//! The RealWorld ("Conduit") API at `/api`, version 1.1.0 of its OpenAPI document: the one
//! public spec that many front ends speak, mapped onto Quill's own services. An article is a
//! post (`description` its summary, `body` its content, `tagList` its tags), a favorite a like,
//! a profile a user, a comment a comment. Nothing here decides a rule: who may change what, what
//! a valid title or comment is, and how tokens are checked and revoked are Quill's, so an
//! article written here is a post on the site and the other way round.
//!
//! Tokens are Quill's API tokens, sent as `Authorization: Token <jwt>` (RealWorld's scheme;
//! `Bearer` works too). Errors have RealWorld's shape, `{"errors": {"field": ["message"]}}`,
//! with its status codes: 401, 403, 404, 422 (a taken username or e-mail address is a 422
//! here, as RealWorld clients expect).

use super::auth::token_for;
use super::error::ApiError;
use super::extract::{ApiJson, ApiUser};
use crate::domain::conversation::{self, COMMENTS_PER_PAGE};
use crate::domain::db::{PostList, UserRecord, UserRepository};
use crate::domain::posts::{self, PostInput, TagsInput};
use crate::domain::users::{self, AccountChange, Registration};
use crate::domain::{Error, Unauthenticated};
use crate::model::{format_datetime, CommentView, FieldName, Paging, PostView};
use crate::web::request::ClientAddress;
use crate::web::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The most comments `GET /articles/{slug}/comments` answers with (RealWorld lists a post's
/// comments without paging), oldest first.
pub const MAX_COMMENTS: u32 = 500;
/// The tags `GET /tags` answers with: the most used.
pub const MAX_TAGS: u32 = 100;
/// Articles a list answers with at most (`limit`).
pub const MAX_LIMIT: u32 = 100;

/// The routes, under `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", post(register))
        .route("/users/login", post(login))
        .route("/user", get(current_user).put(update_user))
        .route("/profiles/{username}", get(profile))
        .route("/profiles/{username}/follow", post(follow).delete(unfollow))
        .route("/articles", get(list_articles).post(create_article))
        .route("/articles/feed", get(feed))
        .route(
            "/articles/{slug}",
            get(get_article).put(update_article).delete(delete_article),
        )
        .route(
            "/articles/{slug}/favorite",
            post(favorite).delete(unfavorite),
        )
        .route("/articles/{slug}/comments", get(comments).post(add_comment))
        .route(
            "/articles/{slug}/comments/{id}",
            axum::routing::delete(delete_comment),
        )
        .route("/tags", get(tags))
}

// ---------------------------------------------------------------------------------------
// Errors

/// An error in RealWorld's shape.
#[derive(Debug)]
pub struct RwError {
    status: StatusCode,
    errors: BTreeMap<String, Vec<String>>,
    retry_after: Option<u64>,
}

impl RwError {
    fn new(status: StatusCode, key: &str, message: impl Into<String>) -> Self {
        let mut errors = BTreeMap::new();
        errors.insert(key.to_string(), vec![message.into()]);
        Self {
            status,
            errors,
            retry_after: None,
        }
    }
}

/// RealWorld's name for a Quill field.
fn field_name(field: FieldName) -> &'static str {
    match field {
        FieldName::Content => "body",
        FieldName::Summary => "description",
        FieldName::Tags => "tagList",
        FieldName::Form | FieldName::All => "body",
        other => other.as_str(),
    }
}

impl From<Error> for RwError {
    fn from(err: Error) -> Self {
        let fields = |status, errors: crate::model::FieldErrors| RwError {
            status,
            errors: errors
                .0
                .into_iter()
                .map(|(field, message)| (field_name(field).to_string(), vec![message]))
                .collect(),
            retry_after: None,
        };
        match err {
            Error::Invalid(errors) | Error::Conflict(errors) => {
                fields(StatusCode::UNPROCESSABLE_ENTITY, errors)
            }
            Error::NotConfirmed(errors) => fields(StatusCode::FORBIDDEN, errors),
            Error::NotFound => RwError::new(StatusCode::NOT_FOUND, "body", "Not found."),
            Error::Forbidden => {
                RwError::new(StatusCode::FORBIDDEN, "body", "You may not change this.")
            }
            Error::Unauthenticated(Unauthenticated::BadCredentials) => {
                RwError::new(StatusCode::UNAUTHORIZED, "email or password", "is invalid")
            }
            Error::Unauthenticated(reason) => {
                RwError::new(StatusCode::UNAUTHORIZED, "token", reason.to_string())
            }
            Error::TooManyRequests { retry_after } => RwError {
                retry_after: Some(retry_after),
                ..RwError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "body",
                    "Too many attempts; try again later.",
                )
            },
            Error::Unavailable { retry_after } => RwError {
                retry_after: Some(retry_after),
                ..RwError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "body",
                    "The server is busy; try again soon.",
                )
            },
            Error::Internal(source) => {
                tracing::error!(error = %source, "RealWorld API request failed");
                RwError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "body",
                    "Something went wrong on our side.",
                )
            }
        }
    }
}

impl From<ApiError> for RwError {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Domain(err) => err.into(),
            other => {
                let status = other.status();
                RwError::new(status, "body", other.to_string())
            }
        }
    }
}

impl IntoResponse for RwError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorsBody {
                errors: self.errors,
            }),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
        }
        response
    }
}

#[derive(Serialize)]
struct ErrorsBody {
    errors: BTreeMap<String, Vec<String>>,
}

type RwResult<T> = Result<T, RwError>;

/// What no route answers: RealWorld's 404.
pub async fn not_found() -> RwError {
    Error::NotFound.into()
}

pub async fn method_not_allowed() -> RwError {
    RwError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "body",
        "Method not allowed.",
    )
}

// ---------------------------------------------------------------------------------------
// Requests

/// A JSON body, refused in RealWorld's shape.
struct RwJson<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for RwJson<T> {
    type Rejection = RwError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(body)| RwJson(body))
            .map_err(RwError::from)
    }
}

/// The token's user, with the token itself (RealWorld answers with it).
struct RwUser {
    me: ApiUser,
    token: String,
}

impl FromRequestParts<AppState> for RwUser {
    type Rejection = RwError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> RwResult<Self> {
        // `Token …` is RealWorld's scheme; `Bearer …` works too.
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or(""));
        let token = crate::domain::jwt::token_in(header, &["token", "bearer"])
            .map_err(Error::from)?
            .to_string();
        let me = ApiUser::of_token(state, &token).await?;
        Ok(RwUser { me, token })
    }
}

/// The token's user when a token is sent; a bad one is still refused.
struct MaybeRwUser(Option<RwUser>);

impl FromRequestParts<AppState> for MaybeRwUser {
    type Rejection = RwError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> RwResult<Self> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(MaybeRwUser(None));
        }
        RwUser::from_request_parts(parts, state)
            .await
            .map(|user| MaybeRwUser(Some(user)))
    }
}

impl MaybeRwUser {
    fn user(&self) -> Option<&UserRecord> {
        self.0.as_ref().map(|u| &u.me.user)
    }
}

// ---------------------------------------------------------------------------------------
// Bodies

/// RealWorld's times: RFC 3339 with milliseconds (its test suite asks for a fraction).
fn timestamp(seconds: i64) -> String {
    let plain = format_datetime(seconds);
    format!("{}.000Z", plain.trim_end_matches('Z'))
}

/// An avatar's absolute address (RealWorld clients show it as they get it).
fn image(state: &AppState, path: &str) -> String {
    if path.starts_with('/') {
        format!("{}{path}", state.config.public_url)
    } else {
        path.to_string()
    }
}

#[derive(Serialize)]
struct UserOut {
    email: String,
    token: String,
    username: String,
    bio: String,
    image: String,
}

#[derive(Serialize)]
struct UserBody {
    user: UserOut,
}

fn user_body(state: &AppState, user: &UserRecord, token: String) -> Json<UserBody> {
    let avatar = crate::model::avatar_url(user.id, user.avatar_etag.as_deref());
    Json(UserBody {
        user: UserOut {
            email: user.email.clone(),
            token,
            username: user.username.clone(),
            bio: user.bio.clone(),
            image: image(state, &avatar),
        },
    })
}

#[derive(Serialize, Clone)]
struct ProfileOut {
    username: String,
    bio: String,
    image: String,
    following: bool,
}

#[derive(Serialize)]
struct ProfileBody {
    profile: ProfileOut,
}

fn profile_of(state: &AppState, user: &UserRecord, following: bool) -> ProfileOut {
    let avatar = crate::model::avatar_url(user.id, user.avatar_etag.as_deref());
    ProfileOut {
        username: user.username.clone(),
        bio: user.bio.clone(),
        image: image(state, &avatar),
        following,
    }
}

/// The profiles of `ids` as `reader` sees them (whether they follow each): two queries.
async fn profiles(
    state: &AppState,
    reader: Option<&UserRecord>,
    ids: &[i64],
) -> RwResult<HashMap<i64, ProfileOut>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let users = UserRepository::by_ids(&state.db, &ids)
        .await
        .map_err(Error::from)?;
    let followed = conversation::followed_among(&state.db, reader, &ids).await?;
    Ok(users
        .iter()
        .map(|u| (u.id, profile_of(state, u, followed.contains(&u.id))))
        .collect())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArticleOut {
    slug: String,
    title: String,
    description: String,
    /// Not in lists (RealWorld 1.1.0 leaves it out there).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    tag_list: Vec<String>,
    created_at: String,
    updated_at: String,
    favorited: bool,
    favorites_count: u64,
    author: ProfileOut,
}

#[derive(Serialize)]
struct ArticleBody {
    article: ArticleOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArticlesBody {
    articles: Vec<ArticleOut>,
    articles_count: u64,
}

fn article_of(post: PostView, author: ProfileOut, with_body: bool) -> ArticleOut {
    // In name order: RealWorld clients and its test suite expect a stable order.
    let mut tags = post.tags;
    tags.sort();
    ArticleOut {
        slug: post.slug,
        title: post.title,
        description: post.summary,
        body: with_body.then_some(post.content),
        tag_list: tags,
        created_at: timestamp(post.date_posted),
        updated_at: timestamp(post.updated_at),
        favorited: post.liked,
        favorites_count: post.like_count,
        author,
    }
}

/// One article, read again as `reader` sees it.
async fn article(
    state: &AppState,
    reader: Option<&UserRecord>,
    id: i64,
) -> RwResult<Json<ArticleBody>> {
    let post = posts::get(&state.db, reader, id).await?;
    let author = profiles(state, reader, &[post.author.id])
        .await?
        .remove(&post.author.id)
        .ok_or(Error::NotFound)?;
    Ok(Json(ArticleBody {
        article: article_of(post, author, true),
    }))
}

async fn articles(
    state: &AppState,
    reader: Option<&UserRecord>,
    posts: Vec<PostView>,
    total: u64,
) -> RwResult<Json<ArticlesBody>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.author.id).collect();
    let authors = profiles(state, reader, &ids).await?;
    let articles = posts
        .into_iter()
        .filter_map(|post| {
            let author = authors.get(&post.author.id)?.clone();
            Some(article_of(post, author, false))
        })
        .collect();
    Ok(Json(ArticlesBody {
        articles,
        articles_count: total,
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommentOut {
    id: i64,
    created_at: String,
    updated_at: String,
    body: String,
    author: ProfileOut,
}

fn comment_of(comment: CommentView, author: ProfileOut) -> CommentOut {
    CommentOut {
        id: comment.id,
        created_at: timestamp(comment.created_at),
        // Comments are never edited.
        updated_at: timestamp(comment.created_at),
        body: comment.body,
        author,
    }
}

// ---------------------------------------------------------------------------------------
// Users

#[derive(Deserialize)]
struct NewUser {
    username: String,
    email: String,
    password: String,
}

#[derive(Deserialize)]
struct NewUserBody {
    user: NewUser,
}

async fn register(
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
    let token = token_for(&state, &user)?;
    Ok((StatusCode::CREATED, user_body(&state, &user, token)))
}

#[derive(Deserialize)]
struct LoginUser {
    email: String,
    password: String,
}

#[derive(Deserialize)]
struct LoginBody {
    user: LoginUser,
}

async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    RwJson(body): RwJson<LoginBody>,
) -> RwResult<Json<UserBody>> {
    let user = users::authenticate(&state, client.0, &body.user.email, &body.user.password).await?;
    let token = token_for(&state, &user)?;
    Ok(user_body(&state, &user, token))
}

async fn current_user(State(state): State<AppState>, me: RwUser) -> Json<UserBody> {
    user_body(&state, &me.me.user, me.token)
}

/// RealWorld's fields, and Quill's `current_password`: changing one's own e-mail address or
/// password needs it, as everywhere in Quill (RealWorld has no such field; a client that does
/// not send it gets a 403 that says so).
#[derive(Deserialize)]
struct UserChange {
    email: Option<String>,
    username: Option<String>,
    password: Option<String>,
    bio: Option<String>,
    image: Option<String>,
    current_password: Option<String>,
}

#[derive(Deserialize)]
struct UserChangeBody {
    user: UserChange,
}

async fn update_user(
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

// ---------------------------------------------------------------------------------------
// Profiles

async fn profile(
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

async fn set_follow(
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

async fn follow(
    State(state): State<AppState>,
    me: RwUser,
    Path(username): Path<String>,
) -> RwResult<Json<ProfileBody>> {
    set_follow(&state, &me, &username, true).await
}

async fn unfollow(
    State(state): State<AppState>,
    me: RwUser,
    Path(username): Path<String>,
) -> RwResult<Json<ProfileBody>> {
    set_follow(&state, &me, &username, false).await
}

// ---------------------------------------------------------------------------------------
// Articles

/// `limit` (1–100, default 20) and `offset` (from 0, default 0).
fn window(query: &HashMap<String, String>) -> RwResult<(u64, u32)> {
    let mut errors = crate::model::FieldErrors::new();
    let limit = match query.get("limit") {
        None => 20,
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => {
                errors.add(FieldName::PerPage, "limit is a whole number from 1.");
                20
            }
        },
    };
    let offset = match query.get("offset") {
        None => 0,
        Some(raw) => raw.parse::<u32>().map(u64::from).unwrap_or_else(|_| {
            errors.add(FieldName::Page, "offset is a whole number from 0.");
            0
        }),
    };
    errors
        .into_result((offset, limit))
        .map_err(|errors| RwError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: errors
                .0
                .into_iter()
                .map(|(field, message)| {
                    let name = if field == FieldName::PerPage {
                        "limit"
                    } else {
                        "offset"
                    };
                    (name.to_string(), vec![message])
                })
                .collect(),
            retry_after: None,
        })
}

/// Recent articles, or those of one `tag`, one `author` or `favorited` by one user (one filter
/// at a time). A filter that names nothing (no such tag or user) finds nothing.
async fn list_articles(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Query(query): Query<HashMap<String, String>>,
) -> RwResult<Json<ArticlesBody>> {
    let (offset, limit) = window(&query)?;
    let filters: Vec<(&str, &String)> = ["tag", "author", "favorited"]
        .into_iter()
        .filter_map(|name| query.get(name).map(|value| (name, value)))
        .collect();
    let found = |r: Result<i64, Error>| match r {
        Ok(id) => Ok(Some(id)),
        Err(Error::NotFound) => Ok(None),
        Err(err) => Err(err),
    };
    let list = match filters.as_slice() {
        [] => Some(PostList::All),
        [("tag", name)] => found(posts::tag_id(&state.db, name).await)?.map(PostList::Tag),
        [("author", name)] => {
            found(users::by_username(&state.db, name).await.map(|u| u.id))?.map(PostList::Author)
        }
        [("favorited", name)] => {
            found(users::by_username(&state.db, name).await.map(|u| u.id))?.map(PostList::Liked)
        }
        _ => {
            return Err(RwError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "query",
                "Filter by one of tag, author and favorited at a time.",
            ))
        }
    };
    let Some(list) = list else {
        return articles(&state, reader.user(), Vec::new(), 0).await;
    };
    let (found, total) = posts::window(&state.db, reader.user(), list, offset, limit).await?;
    articles(&state, reader.user(), found, total).await
}

/// The articles of the users the token's user follows, newest first.
async fn feed(
    State(state): State<AppState>,
    me: RwUser,
    Query(query): Query<HashMap<String, String>>,
) -> RwResult<Json<ArticlesBody>> {
    let (offset, limit) = window(&query)?;
    let user = &me.me.user;
    let list = PostList::Following(user.id);
    let (found, total) = posts::window(&state.db, Some(user), list, offset, limit).await?;
    articles(&state, Some(user), found, total).await
}

async fn get_article(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    article(&state, reader.user(), id).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewArticle {
    title: String,
    #[serde(default)]
    description: Option<String>,
    body: String,
    #[serde(default)]
    tag_list: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct NewArticleBody {
    article: NewArticle,
}

async fn create_article(
    State(state): State<AppState>,
    me: RwUser,
    RwJson(body): RwJson<NewArticleBody>,
) -> RwResult<(StatusCode, Json<ArticleBody>)> {
    let new = body.article;
    let input = PostInput {
        title: &new.title,
        summary: new.description.as_deref(),
        content: &new.body,
        format: None,
        tags: new.tag_list.as_deref().map(TagsInput::List),
    };
    let user = &me.me.user;
    let id = posts::create(&state, user, input).await?;
    Ok((StatusCode::CREATED, article(&state, Some(user), id).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArticleChange {
    title: Option<String>,
    description: Option<String>,
    body: Option<String>,
    tag_list: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ArticleChangeBody {
    article: ArticleChange,
}

async fn update_article(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
    RwJson(body): RwJson<ArticleChangeBody>,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let user = &me.me.user;
    // What the change leaves out stays as it is (the post is public: reading it first tells
    // nobody anything).
    let current = posts::get(&state.db, None, id).await?;
    let change = body.article;
    let input = PostInput {
        title: change.title.as_deref().unwrap_or(&current.title),
        summary: change.description.as_deref(),
        content: change.body.as_deref().unwrap_or(&current.content),
        format: None,
        tags: change.tag_list.as_deref().map(TagsInput::List),
    };
    posts::update(&state, user, id, input).await?;
    article(&state, Some(user), id).await
}

async fn delete_article(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<StatusCode> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    posts::delete(&state, &me.me.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_favorite(
    state: &AppState,
    me: &RwUser,
    slug: &str,
    on: bool,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, slug).await?;
    conversation::set_like(&state.db, &me.me.user, id, on).await?;
    article(state, Some(&me.me.user), id).await
}

async fn favorite(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    set_favorite(&state, &me, &slug, true).await
}

async fn unfavorite(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    set_favorite(&state, &me, &slug, false).await
}

// ---------------------------------------------------------------------------------------
// Comments

#[derive(Serialize)]
struct CommentsBody {
    comments: Vec<CommentOut>,
}

async fn comments(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<CommentsBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let paging = Paging {
        page: 1,
        per_page: MAX_COMMENTS.max(COMMENTS_PER_PAGE),
    };
    let page = conversation::comments(&state.db, reader.user(), id, paging).await?;
    let ids: Vec<i64> = page.comments.iter().map(|c| c.author.id).collect();
    let authors = profiles(&state, reader.user(), &ids).await?;
    let comments = page
        .comments
        .into_iter()
        .filter_map(|c| {
            let author = authors.get(&c.author.id)?.clone();
            Some(comment_of(c, author))
        })
        .collect();
    Ok(Json(CommentsBody { comments }))
}

#[derive(Deserialize)]
struct NewComment {
    body: String,
}

#[derive(Deserialize)]
struct NewCommentBody {
    comment: NewComment,
}

#[derive(Serialize)]
struct CommentBody {
    comment: CommentOut,
}

async fn add_comment(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
    RwJson(body): RwJson<NewCommentBody>,
) -> RwResult<Json<CommentBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let user = &me.me.user;
    let comment = conversation::add_comment(&state.db, user, id, &body.comment.body).await?;
    let author = profile_of(&state, user, false);
    Ok(Json(CommentBody {
        comment: comment_of(comment, author),
    }))
}

async fn delete_comment(
    State(state): State<AppState>,
    me: RwUser,
    Path((slug, comment)): Path<(String, String)>,
) -> RwResult<StatusCode> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let comment = crate::model::parse_id(&comment).ok_or(Error::NotFound)?;
    conversation::delete_comment(&state.db, &me.me.user, id, comment).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// Tags

#[derive(Serialize)]
struct TagsBody {
    tags: Vec<String>,
}

async fn tags(State(state): State<AppState>) -> RwResult<Json<TagsBody>> {
    let (tags, _) = posts::tags_page(&state.db, Paging::first(MAX_TAGS)).await?;
    Ok(Json(TagsBody {
        tags: tags.into_iter().map(|t| t.name).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_have_milliseconds() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn field_names_are_realworlds() {
        assert_eq!(field_name(FieldName::Content), "body");
        assert_eq!(field_name(FieldName::Summary), "description");
        assert_eq!(field_name(FieldName::Tags), "tagList");
        assert_eq!(field_name(FieldName::Email), "email");
    }
}
