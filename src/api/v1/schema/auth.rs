//! Tokens: registering, logging in, a token's status.

use super::*;

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

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

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
