//! Accounts and their public profiles.

use super::*;

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

/// Deleting one's own account needs one's password; an administrator deleting someone else's
/// sends no body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserDeleteRequest {
    pub current_password: Option<String>,
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
