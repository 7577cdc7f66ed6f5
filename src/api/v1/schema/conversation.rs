//! Comments, likes and follows.

use super::*;

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
