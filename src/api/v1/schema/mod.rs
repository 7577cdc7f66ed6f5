//! The API's request and response bodies. Their OpenAPI schemas are derived from these types,
//! so the document at `/api/v1/openapi.json` describes exactly what the handlers send.
//!
//! The string rules repeat those of `crate::model` (which trims before it measures), so a
//! client can check a body before it sends it; the server still checks everything itself
//! (`limits` ties each stated limit to the model's constant). The patterns say: a username is
//! 2–20 of `A-Z a-z 0-9 _ -` (surrounding spaces are trimmed); titles and posts need a visible
//! character and no control characters (a post may hold line breaks and tabs).
//!
//! A file per resource: `auth`, `users`, `posts`, `conversation`; the error responses the
//! document lists are `errors`.

use crate::domain::db::UserRecord;
use crate::domain::users;
use crate::model::{avatar_url, format_datetime, CommentView, PostFormat, PostView};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

mod accounts;
mod auth;
mod conversation;
pub mod errors;
#[cfg(test)]
mod limits;
mod posts;

pub use accounts::*;
pub use auth::*;
pub use conversation::*;
pub use posts::*;

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
