//! The API's request and response bodies. Their OpenAPI schemas are derived from these types,
//! so the document at `/api/v1/openapi.json` describes exactly what the handlers send.
//!
//! The string rules repeat those of `crate::model` (which trims before it measures), so a
//! client can check a body before it sends it; the server still checks everything itself.

use crate::domain::db::UserRecord;
use crate::domain::users;
use crate::model::{avatar_url, format_datetime, CommentView, PostFormat, PostView};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The `status` of every successful answer.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Success {
    #[default]
    Success,
}

/// The `status` of every error.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fail {
    #[default]
    Fail,
}

/// Every error: a message for people and, for invalid input, one message per field.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "fail", "message": "Some fields are invalid.",
    "errors": {"username": "A username is 2 to 20 characters long."}}))]
pub struct ErrorResponse {
    pub status: Fail,
    pub message: String,
    /// For 422 answers: the field (or `body`, `page`, `per_page`) and what is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors: Option<BTreeMap<String, String>>,
}

/// A done deed, said in words.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    pub status: Success,
    pub message: String,
}

impl MessageResponse {
    pub fn new(message: &str) -> Self {
        MessageResponse {
            status: Success::Success,
            message: message.to_string(),
        }
    }
}

/// A new bearer token (an HS256 JWT). Send it as `Authorization: Bearer <auth_token>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub status: Success,
    pub message: String,
    pub auth_token: String,
}

/// The account a token belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOwner {
    #[schema(minimum = 1)]
    pub user_id: i64,
    pub username: String,
    #[schema(format = Email)]
    pub email: String,
    pub admin: bool,
    #[schema(format = DateTime)]
    pub registered_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    pub status: Success,
    pub data: TokenOwner,
}

/// A user's public profile. `email` and `admin` are there only for the user themselves and
/// for administrators.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    #[schema(minimum = 1)]
    pub id: i64,
    pub username: String,
    /// A path on this site.
    pub avatar_url: String,
    #[schema(format = DateTime)]
    pub registered_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Email, nullable = false)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub admin: Option<bool>,
    /// Up to 300 characters; empty: none.
    #[schema(max_length = 300)]
    pub bio: String,
    pub posts: u64,
    pub followers: u64,
    pub following: u64,
    /// How many posts they like.
    pub likes: u64,
    /// With a token: whether its user follows them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub followed: Option<bool>,
}

impl User {
    pub fn new(user: &UserRecord, viewer: Option<&UserRecord>) -> Self {
        let private = viewer.is_some_and(|v| users::may_change(v, user.id));
        let n = |v: i64| u64::try_from(v).unwrap_or_default();
        User {
            id: user.id,
            username: user.username.clone(),
            avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
            registered_on: format_datetime(user.created_at),
            email: private.then(|| user.email.clone()),
            admin: private.then_some(user.is_admin),
            bio: user.bio.clone(),
            posts: n(user.post_count),
            followers: n(user.follower_count),
            following: n(user.following_count),
            likes: n(user.like_count),
            followed: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub status: Success,
    pub data: User,
}

/// The author of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct Author {
    #[schema(minimum = 1)]
    pub id: i64,
    pub username: String,
    pub avatar_url: String,
}

/// How a post's `content` is written: `markdown` (CommonMark with GitHub's tables,
/// strikethrough, task lists and autolinks; raw HTML is shown as text) or `text` (plain text,
/// line breaks kept: every post from before Markdown).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        PostFormat::from(self).as_str()
    }
}

impl From<Format> for PostFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => PostFormat::Text,
            Format::Markdown => PostFormat::Markdown,
        }
    }
}

impl From<PostFormat> for Format {
    fn from(format: PostFormat) -> Self {
        match format {
            PostFormat::Text => Format::Text,
            PostFormat::Markdown => Format::Markdown,
        }
    }
}

/// A post. `content` is its source as written (line breaks are `\n`), `content_html` what
/// the site shows of it (rendered and sanitized), `excerpt` the start of its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct Post {
    #[schema(minimum = 1)]
    pub id: i64,
    pub title: String,
    /// Made from the title when the post was written; it never changes.
    #[schema(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    /// One line shown in lists instead of the excerpt; empty: none.
    #[schema(max_length = 200)]
    pub summary: String,
    pub content: String,
    pub format: Format,
    pub content_html: String,
    #[schema(max_length = 300)]
    pub excerpt: String,
    #[schema(minimum = 1)]
    pub reading_minutes: u32,
    /// Its tags, at most five.
    #[schema(max_items = 5, value_type = Vec<TagName>)]
    pub tags: Vec<String>,
    #[schema(format = DateTime)]
    pub date_posted: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub author: Author,
    pub comment_count: u64,
    pub like_count: u64,
    /// Whether the token's user likes it (false without a token).
    pub liked: bool,
}

impl From<&PostView> for Post {
    fn from(post: &PostView) -> Self {
        Post {
            id: post.id,
            title: post.title.clone(),
            slug: post.slug.clone(),
            summary: post.summary.clone(),
            content: post.content.clone(),
            format: post.format.into(),
            content_html: post.content_html.clone(),
            excerpt: post.excerpt.clone(),
            reading_minutes: post.reading_minutes,
            tags: post.tags.clone(),
            date_posted: format_datetime(post.date_posted),
            updated_at: format_datetime(post.updated_at),
            author: Author {
                id: post.author.id,
                username: post.author.username.clone(),
                avatar_url: post.author.avatar_url.clone(),
            },
            comment_count: post.comment_count,
            like_count: post.like_count,
            liked: post.liked,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostResponse {
    pub status: Success,
    pub data: Post,
}

/// One page of users, oldest account first.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserListResponse {
    pub status: Success,
    pub data: Vec<User>,
    #[schema(minimum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// How many there are on all pages together.
    pub total: u64,
}

/// One page of posts, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostListResponse {
    pub status: Success,
    pub data: Vec<Post>,
    #[schema(minimum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// How many there are on all pages together.
    pub total: u64,
}

// Request bodies. The patterns say: a username is 2–20 of `A-Z a-z 0-9 _ -` (surrounding
// spaces are trimmed); titles and posts need a visible character and no control characters (a
// post may hold line breaks and tabs).

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse", "username": "ada"}))]
pub struct RegisterRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(pattern = r"^\s*[A-Za-z0-9_-]{2,20}\s*$")]
    pub username: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// An account made by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUserRequest {
    #[schema(pattern = r"^\s*[A-Za-z0-9_-]{2,20}\s*$")]
    pub username: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    /// Whether the new account is an administrator.
    #[serde(default)]
    pub admin: bool,
}

/// The fields to change; those left out (or `null`) stay as they are. A new password ends the
/// user's web sessions and every API token but the one making the change. Changing one's own
/// e-mail address or password needs `current_password` (an administrator changing someone
/// else's account does not); the old address is told of a new one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserUpdateRequest {
    #[schema(pattern = r"^\s*[A-Za-z0-9_-]{2,20}\s*$")]
    pub username: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[schema(min_length = 8, max_length = 128)]
    pub password: Option<String>,
    pub current_password: Option<String>,
    /// Up to 300 characters (line breaks and tabs allowed, no other control characters);
    /// empty removes it.
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 300
    )]
    pub bio: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"title": "Hello", "content": "My *first* post.\n\n- one\n- two", "format": "markdown"}))]
pub struct PostRequest {
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$",
        max_length = 100
    )]
    pub title: String,
    /// One line of up to 200 characters. Absent: none for a new post, the post's own for a
    /// change; `""` removes it.
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub summary: Option<String>,
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 10000
    )]
    pub content: String,
    /// Absent: `markdown` for a new post, the post's own format for a change.
    pub format: Option<Format>,
    /// Absent: none for a new post, the post's own for a change; `[]` removes them all.
    #[schema(max_items = 5, value_type = Option<Vec<TagName>>)]
    pub tags: Option<Vec<String>>,
}

/// A comment on a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    #[schema(minimum = 1)]
    pub id: i64,
    #[schema(minimum = 1)]
    pub post_id: i64,
    /// Plain text; line breaks are `\n`.
    pub content: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub author: Author,
    /// Whether the token's user may delete it (its author, the post's author, an admin).
    pub can_delete: bool,
}

impl From<&CommentView> for Comment {
    fn from(comment: &CommentView) -> Self {
        Comment {
            id: comment.id,
            post_id: comment.post_id,
            content: comment.body.clone(),
            created_at: format_datetime(comment.created_at),
            author: Author {
                id: comment.author.id,
                username: comment.author.username.clone(),
                avatar_url: comment.author.avatar_url.clone(),
            },
            can_delete: comment.can_delete,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentResponse {
    pub status: Success,
    pub data: Comment,
}

/// A page of a post's comments, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentListResponse {
    pub status: Success,
    pub data: Vec<Comment>,
    #[schema(minimum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// How many comments the post has.
    pub total: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"content": "Thank you, this helped."}))]
pub struct CommentRequest {
    /// 1–2,000 characters with a visible one; line breaks and tabs allowed, no other control
    /// characters.
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 2000
    )]
    pub content: String,
}

/// Whether the token's user likes the post now, and how many do.
#[derive(Debug, Serialize, ToSchema)]
pub struct LikeResponse {
    pub status: Success,
    pub liked: bool,
    pub like_count: u64,
}

/// Whether the token's user follows the user now, and how many do.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowResponse {
    pub status: Success,
    pub followed: bool,
    pub followers: u64,
}

/// A tag's name: 1–30 characters of lower-case a–z, 0–9 and `-`.
#[derive(ToSchema)]
#[schema(
    pattern = r"^[a-z0-9-]{1,30}$",
    min_length = 1,
    max_length = 30,
    example = "rust"
)]
#[allow(dead_code)] // only its description is used
pub struct TagName(String);

/// A tag and how many posts have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tag {
    #[schema(value_type = TagName)]
    pub name: String,
    #[schema(minimum = 1)]
    pub posts: u64,
}

/// A page of tags, most used first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagListResponse {
    pub status: Success,
    pub data: Vec<Tag>,
    #[schema(minimum = 1)]
    pub page: u32,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u32,
    /// How many tags some post has.
    pub total: u64,
}

/// Error responses as the document lists them. Only their descriptions are used: the bodies
/// are made by `ApiError`.
#[allow(dead_code)]
pub mod errors {
    use super::ErrorResponse;
    use utoipa::IntoResponses;

    /// What can be wrong with a request's JSON body.
    #[derive(IntoResponses)]
    pub enum BodyErrors {
        #[response(status = 400, description = "The body is not well-formed JSON.")]
        Malformed(ErrorResponse),
        #[response(
            status = 413,
            description = "The body is larger than the server accepts."
        )]
        TooLarge(ErrorResponse),
        #[response(status = 415, description = "The body is not `application/json`.")]
        NotJson(ErrorResponse),
        #[response(
            status = 422,
            description = "A field is missing, has the wrong type or breaks a rule; `errors` says which."
        )]
        Invalid(ErrorResponse),
    }

    /// A refused bearer token.
    #[derive(IntoResponses)]
    #[response(
        status = 401,
        description = "The token is missing, malformed, expired, tampered with or revoked; the message says which.",
        headers(("WWW-Authenticate" = String, description = "`Bearer`"))
    )]
    pub struct Unauthorized(pub ErrorResponse);

    #[derive(IntoResponses)]
    #[response(
        status = 403,
        description = "The token's user may not do this (or, changing their own e-mail address or password, did not give the right `current_password`)."
    )]
    pub struct Forbidden(pub ErrorResponse);

    #[derive(IntoResponses)]
    #[response(status = 404, description = "There is nothing with this id.")]
    pub struct NotFound(pub ErrorResponse);

    #[derive(IntoResponses)]
    #[response(
        status = 422,
        description = "`page` or `per_page` is not a whole number from 1 to 2147483647."
    )]
    pub struct BadPaging(pub ErrorResponse);

    /// Logins and registrations are throttled per client (and logins per account).
    #[derive(IntoResponses)]
    #[response(
        status = 429,
        description = "Too many attempts from this client or on this account; try again after `Retry-After` seconds.",
        headers(("Retry-After" = u64, description = "Seconds to wait."))
    )]
    pub struct Throttled(pub ErrorResponse);

    /// Operations that hash a password wait for a turn at a bounded queue.
    #[derive(IntoResponses)]
    #[response(
        status = 503,
        description = "Too many passwords are being checked right now; try again after `Retry-After` seconds.",
        headers(("Retry-After" = u64, description = "Seconds to wait."))
    )]
    pub struct Busy(pub ErrorResponse);
}

/// The limits the document states are the model's: each written as a literal above (the
/// `schema` attributes take literals), each tied here to the constant the server enforces.
#[cfg(test)]
mod limits_are_the_models {
    use crate::domain::markdown::EXCERPT_CHARS;
    use crate::model::{
        Bio, CommentBody, Email, Paging, Password, PostBody, PostSummary, PostTitle, Tags, Username,
    };
    use serde_json::Value;

    fn document() -> Value {
        serde_json::to_value(super::super::openapi()).unwrap()
    }

    fn property<'a>(doc: &'a Value, schema: &str, field: &str) -> &'a Value {
        let found = &doc["components"]["schemas"][schema]["properties"][field];
        assert!(!found.is_null(), "{schema}.{field} is in the document");
        // An optional field is `oneOf` its type and null, or carries its keywords itself.
        found
    }

    fn number(value: &Value, keyword: &str, at: &str) -> usize {
        value[keyword]
            .as_u64()
            .unwrap_or_else(|| panic!("{at} has {keyword}: {value}")) as usize
    }

    #[test]
    fn every_stated_limit_is_the_enforced_one() {
        let doc = document();
        let max = |schema: &str, field: &str| {
            number(
                property(&doc, schema, field),
                "maxLength",
                &format!("{schema}.{field}"),
            )
        };
        let min = |schema: &str, field: &str| {
            number(
                property(&doc, schema, field),
                "minLength",
                &format!("{schema}.{field}"),
            )
        };
        for schema in ["RegisterRequest", "NewUserRequest", "UserUpdateRequest"] {
            assert_eq!(max(schema, "email"), Email::MAX, "{schema}.email");
            assert_eq!(min(schema, "password"), Password::MIN, "{schema}.password");
            assert_eq!(max(schema, "password"), Password::MAX, "{schema}.password");
            let pattern = property(&doc, schema, "username")["pattern"]
                .as_str()
                .unwrap_or_default();
            let lengths = format!("{{{},{}}}", Username::MIN, Username::MAX);
            assert!(pattern.contains(&lengths), "{schema}.username: {pattern}");
        }
        assert_eq!(max("UserUpdateRequest", "bio"), Bio::MAX);
        assert_eq!(max("User", "bio"), Bio::MAX);
        assert_eq!(max("PostRequest", "title"), PostTitle::MAX);
        assert_eq!(max("PostRequest", "summary"), PostSummary::MAX);
        assert_eq!(max("PostRequest", "content"), PostBody::MAX);
        assert_eq!(max("Post", "summary"), PostSummary::MAX);
        assert_eq!(max("Post", "excerpt"), EXCERPT_CHARS);
        assert_eq!(max("CommentRequest", "content"), CommentBody::MAX);
        for (schema, field) in [("PostRequest", "tags"), ("Post", "tags")] {
            let tags = property(&doc, schema, field);
            assert_eq!(number(tags, "maxItems", schema), Tags::MAX, "{schema}.tags");
        }
        let tag = &doc["components"]["schemas"]["TagName"];
        assert_eq!(number(tag, "maxLength", "TagName"), Tags::MAX_LEN);
        let pattern = tag["pattern"].as_str().unwrap_or_default();
        assert!(
            pattern.contains(&format!("{{1,{}}}", Tags::MAX_LEN)),
            "{pattern}"
        );
        for schema in [
            "UserListResponse",
            "PostListResponse",
            "CommentListResponse",
            "TagListResponse",
        ] {
            let per_page = &doc["components"]["schemas"][schema]["properties"]["per_page"];
            assert_eq!(
                number(per_page, "maximum", schema),
                Paging::MAX_PER_PAGE as usize,
                "{schema}.per_page"
            );
        }
    }
}
