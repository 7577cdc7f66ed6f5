use super::Pagination;
use serde::{Deserialize, Serialize};

/// A post title: 1–100 characters once trimmed, none of them a control character.
/// No `Deserialize`: the only way to make one is `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostTitle(String);

impl PostTitle {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.chars().any(char::is_control) {
            return Err(
                "A title cannot contain control characters (such as tabs or line breaks).".into(),
            );
        }
        let title = raw.trim();
        if title.is_empty() {
            return Err("Please give your post a title.".into());
        }
        if title.chars().count() > Self::MAX {
            return Err(format!("A title has at most {} characters.", Self::MAX));
        }
        Ok(Self(title.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A post's content: 1–100,000 characters (a long-form essay of some 16,000 words), line breaks kept (as `\n`) and tabs too, no other
/// control characters.
/// No `Deserialize`: the only way to make one is `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody(String);

impl PostBody {
    pub const MAX: usize = 100_000;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let body = raw.replace("\r\n", "\n").replace('\r', "\n");
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(
                "A post cannot contain control characters other than line breaks and tabs.".into(),
            );
        }
        let body = body.trim_end();
        if body.trim().is_empty() {
            return Err("Please write something in your post.".into());
        }
        if body.chars().count() > Self::MAX {
            return Err(format!(
                "A post has at most {} characters.",
                group_thousands(Self::MAX as u64)
            ));
        }
        Ok(Self(body.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorView {
    pub id: i64,
    pub username: String,
    pub avatar_url: String,
}

/// How a post's content is written: Markdown (new posts) or plain text (every post from
/// before Markdown, shown exactly as it always was).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostFormat {
    Text,
    #[default]
    Markdown,
}

impl PostFormat {
    pub const fn as_str(self) -> &'static str {
        match self {
            PostFormat::Text => "text",
            PostFormat::Markdown => "markdown",
        }
    }

    /// What the editor calls it.
    pub const fn label(self) -> &'static str {
        match self {
            PostFormat::Text => "Plain text",
            PostFormat::Markdown => "Markdown",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "text" => Ok(PostFormat::Text),
            "markdown" => Ok(PostFormat::Markdown),
            _ => Err("The format is markdown or text.".into()),
        }
    }
}

impl TryFrom<String> for PostFormat {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub title: String,
    /// Made from the title when the post was written; it never changes. `/post/{id}` stays
    /// the post's address.
    pub slug: String,
    /// Its author's one-line summary, shown on cards instead of the excerpt (empty: none).
    pub summary: String,
    /// The source, as its author wrote it.
    pub content: String,
    pub format: PostFormat,
    /// The content rendered and sanitized (see `quill_domain::markdown`).
    pub content_html: String,
    /// Plain text of the rendered content, at most 300 characters, one line.
    pub excerpt: String,
    pub reading_minutes: u32,
    pub tags: Vec<String>,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author: AuthorView,
    pub comment_count: u64,
    pub like_count: u64,
    /// Whether the reader likes it (false for a visitor).
    pub liked: bool,
}

impl PostView {
    /// What its card says under the title: the summary, else the start of its text.
    pub fn blurb(&self) -> &str {
        if self.summary.is_empty() {
            &self.excerpt
        } else {
            &self.summary
        }
    }
}

/// A post as a list shows it: everything but its text, which a list never reads (a post may
/// be 100,000 characters; its card shows 300 of them, kept as `excerpt`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCard {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub excerpt: String,
    pub tags: Vec<String>,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author: AuthorView,
    pub comment_count: u64,
    pub like_count: u64,
    pub liked: bool,
}

impl PostCard {
    /// What the card says under the title: the summary, else the start of its text.
    pub fn blurb(&self) -> &str {
        if self.summary.is_empty() {
            &self.excerpt
        } else {
            &self.summary
        }
    }
}

impl From<PostView> for PostCard {
    /// The post's card: all of it but its text.
    fn from(post: PostView) -> Self {
        PostCard {
            id: post.id,
            title: post.title,
            slug: post.slug,
            summary: post.summary,
            excerpt: post.excerpt,
            tags: post.tags,
            date_posted: post.date_posted,
            updated_at: post.updated_at,
            author: post.author,
            comment_count: post.comment_count,
            like_count: post.like_count,
            liked: post.liked,
        }
    }
}

/// What every list of posts needs of its posts, cards or whole: which post, and whether the
/// reader likes it.
pub trait Listed {
    fn id(&self) -> i64;
    fn set_liked(&mut self, liked: bool);
}

impl Listed for PostCard {
    fn id(&self) -> i64 {
        self.id
    }

    fn set_liked(&mut self, liked: bool) {
        self.liked = liked;
    }
}

impl Listed for PostView {
    fn id(&self) -> i64 {
        self.id
    }

    fn set_liked(&mut self, liked: bool) {
        self.liked = liked;
    }
}

/// A page of a list of posts: cards on the site and in the RealWorld API, whole posts in the
/// v1 API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPage<P = PostCard> {
    pub posts: Vec<P>,
    pub pagination: Pagination,
}

/// A list of one author's posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorPage {
    pub author: AuthorView,
    pub profile: super::ProfileView,
    pub posts: PostPage,
}

/// The start of `text` as one line for a summary (a page's meta description): whitespace
/// runs made one space, at most `max` characters, cut at a word when it is long, with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max {
        return whole;
    }
    let mut out = String::new();
    for word in words {
        let len = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if len + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // One word longer than the whole excerpt.
        out = whole.chars().take(max.saturating_sub(1)).collect();
    }
    out.push('…');
    out
}

/// `YYYY-MM-DD` (UTC) for seconds since the epoch, without a date library in the bundle.
pub fn format_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339 (UTC) for seconds since the epoch: `2026-11-25T07:52:00Z`.
pub fn format_datetime(seconds: i64) -> String {
    let in_day = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(seconds),
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_line_cut_at_a_word() {
        assert_eq!(excerpt("  Short\n\ttext  ", 160), "Short text");
        assert_eq!(excerpt("one two three four", 12), "one two…");
        assert_eq!(excerpt("abcdefghijkl", 5), "abcd…");
        let long = "word ".repeat(100);
        let cut = excerpt(&long, 160);
        assert!(
            cut.chars().count() <= 160 && cut.ends_with("word…"),
            "{cut}"
        );
        assert_eq!(excerpt("", 10), "");
    }

    #[test]
    fn datetimes() {
        assert_eq!(format_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_datetime(1_795_564_800 + 7 * 3600 + 52 * 60 + 5),
            "2026-11-25T07:52:05Z"
        );
    }

    #[test]
    fn title_rules() {
        assert!(PostTitle::parse("").is_err());
        assert!(PostTitle::parse("   ").is_err());
        assert_eq!(PostTitle::parse(" Hi ").unwrap().as_str(), "Hi");
        assert!(PostTitle::parse(&"t".repeat(100)).is_ok());
        assert!(PostTitle::parse(&"t".repeat(101)).is_err());
        assert!(
            PostTitle::parse(&"é".repeat(100)).is_ok(),
            "characters, not bytes"
        );
        assert!(PostTitle::parse("a\0b").is_err());
        assert!(
            PostTitle::parse("\ttab").is_err(),
            "even where trimming would drop it"
        );
    }

    #[test]
    fn body_rules() {
        assert!(PostBody::parse("").is_err());
        assert!(PostBody::parse(" \n\t ").is_err());
        assert_eq!(PostBody::parse("a\r\nb\n").unwrap().as_str(), "a\nb");
        assert!(PostBody::parse(&"b".repeat(100_000)).is_ok());
        let err = PostBody::parse(&"b".repeat(100_001)).unwrap_err();
        assert_eq!(err, "A post has at most 100,000 characters.");
        assert_eq!(PostBody::parse("a\rb\tc").unwrap().as_str(), "a\nb\tc");
        assert!(PostBody::parse("a\0b").is_err());
        assert!(PostBody::parse("a\u{7f}").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(format_date(1_795_564_800), "2026-11-25");
        assert_eq!(format_date(-86_400), "1969-12-31");
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(10_000), "10,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
