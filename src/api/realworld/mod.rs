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

use super::v1::error::ApiError;
use super::v1::extract::{ApiJson, ApiUser};
use crate::domain::conversation::{self, COMMENTS_PER_PAGE};
use crate::domain::db::{PostList, UserRecord};
use crate::domain::posts::{self, PostInput, TagsInput};
use crate::domain::users::{self, AccountChange, Registration};
use crate::domain::{Error, Unauthenticated};
use crate::model::{format_datetime, CommentView, FieldName, Paging, PostCard};
use crate::web::request::ClientAddress;
use crate::web::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

mod accounts;
mod articles;
mod bodies;
mod comments;
mod error;
mod extract;
mod profiles;
mod tags;

use accounts::*;
use articles::*;
use bodies::*;
use comments::*;
use error::*;
pub use error::{method_not_allowed, not_found};
use extract::*;
use profiles::*;
use tags::*;

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
