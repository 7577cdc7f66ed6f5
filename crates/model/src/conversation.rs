//! The conversation: comments, likes, follows, and what a profile and a post say beyond their
//! text (a bio, a summary).

use super::{group_thousands, AuthorView, Pagination};
use serde::{Deserialize, Serialize};

/// Text that may hold line breaks and tabs but no other control characters: `\r\n` and `\r`
/// become `\n`, trailing space goes. The rule of posts, comments and bios.
fn multiline(raw: &str, what: &str) -> Result<String, String> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!(
            "{what} cannot contain control characters other than line breaks and tabs."
        ));
    }
    Ok(text.trim_end().to_string())
}

/// A comment's text: 1–2,000 characters, line breaks and tabs kept, no other control
/// characters (the rules of a post). No `Deserialize`: the only way to make one is `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub const MAX: usize = 2_000;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let body = multiline(raw, "A comment")?;
        if body.trim().is_empty() {
            return Err("Please write something in your comment.".into());
        }
        if body.chars().count() > Self::MAX {
            return Err(format!(
                "A comment has at most {} characters.",
                group_thousands(Self::MAX as u64)
            ));
        }
        Ok(Self(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A profile's bio: up to 300 characters (empty: none), line breaks kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bio(String);

impl Bio {
    pub const MAX: usize = 300;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let bio = multiline(raw, "A bio")?;
        let bio = bio.trim_start();
        if bio.chars().count() > Self::MAX {
            return Err(format!("A bio has at most {} characters.", Self::MAX));
        }
        Ok(Self(bio.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A post's summary: one line of up to 200 characters shown on its card (empty: none, the
/// card shows the start of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostSummary(String);

impl PostSummary {
    pub const MAX: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.chars().any(char::is_control) {
            return Err(
                "A summary cannot contain control characters (such as tabs or line breaks).".into(),
            );
        }
        let summary = raw.trim();
        if summary.chars().count() > Self::MAX {
            return Err(format!("A summary has at most {} characters.", Self::MAX));
        }
        Ok(Self(summary.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A comment as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub post_id: i64,
    pub body: String,
    pub created_at: i64,
    pub author: AuthorView,
    /// Whether the reader may delete it: its author, the post's author or an admin.
    pub can_delete: bool,
}

/// A page of a post's comments, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentPage {
    pub comments: Vec<CommentView>,
    pub pagination: Pagination,
}

/// What a user's page says of them beyond their posts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub bio: String,
    pub posts: u64,
    pub followers: u64,
    pub following: u64,
    pub likes: u64,
    /// Whether the reader follows them (false for a visitor).
    pub followed: bool,
    /// Whether the reader is them.
    pub is_self: bool,
}

/// A toggle's outcome (a like, a follow): on or off now, and the count (likes of the post,
/// followers of the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toggled {
    pub on: bool,
    pub count: u64,
}

/// `1 like`, `2 likes`: a count with its noun.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_rules() {
        assert!(CommentBody::parse("").is_err());
        assert!(CommentBody::parse(" \n\t").is_err());
        assert_eq!(CommentBody::parse("a\r\nb  \n").unwrap().as_str(), "a\nb");
        assert!(CommentBody::parse(&"c".repeat(2_000)).is_ok());
        assert_eq!(
            CommentBody::parse(&"c".repeat(2_001)).unwrap_err(),
            "A comment has at most 2,000 characters."
        );
        assert!(CommentBody::parse("a\0b").is_err());
        assert!(CommentBody::parse("a\u{1b}[31m").is_err());
    }

    #[test]
    fn bio_rules() {
        assert_eq!(Bio::parse("").unwrap().as_str(), "");
        assert_eq!(Bio::parse("  I write.\r\n").unwrap().as_str(), "I write.");
        assert!(Bio::parse(&"é".repeat(300)).is_ok());
        assert!(Bio::parse(&"é".repeat(301)).is_err());
        assert!(Bio::parse("a\u{7}").is_err());
    }

    #[test]
    fn summary_rules() {
        assert_eq!(PostSummary::parse("  ").unwrap().as_str(), "");
        assert_eq!(
            PostSummary::parse(" In short ").unwrap().as_str(),
            "In short"
        );
        assert!(PostSummary::parse(&"s".repeat(200)).is_ok());
        assert!(PostSummary::parse(&"s".repeat(201)).is_err());
        assert!(PostSummary::parse("two\nlines").is_err());
    }

    #[test]
    fn counts_with_nouns() {
        assert_eq!(counted(1, "like", "likes"), "1 like");
        assert_eq!(counted(0, "like", "likes"), "0 likes");
        assert_eq!(counted(1_200, "follower", "followers"), "1,200 followers");
    }
}
