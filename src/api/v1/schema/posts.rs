//! Posts, their formats and tags.

use super::*;

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
        max_length = 100000
    )]
    pub content: String,
    /// Absent: `markdown` for a new post, the post's own format for a change.
    pub format: Option<Format>,
    /// Absent: none for a new post, the post's own for a change; `[]` removes them all.
    #[schema(max_items = 5, value_type = Option<Vec<TagName>>)]
    pub tags: Option<Vec<String>>,
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
