//! Search: what a query is made of, and what a page of results holds.

use super::{Pagination, PostCard};
use serde::{Deserialize, Serialize};

/// The longest query taken, in characters.
pub const SEARCH_MAX_CHARS: usize = 200;
/// Words of a query searched for; the rest are ignored.
pub const SEARCH_MAX_WORDS: usize = 10;

/// The words of what someone typed, as the search engines are given them: runs of letters and
/// digits, lower-cased, at most [`SEARCH_MAX_WORDS`], space-separated. Quotes, operators,
/// `*`, NUL and every other character only separate words, so no input is a syntax error.
/// An error for a query longer than [`SEARCH_MAX_CHARS`].
pub fn search_words(raw: &str) -> Result<String, String> {
    if raw.chars().count() > SEARCH_MAX_CHARS {
        return Err(format!(
            "A search is at most {SEARCH_MAX_CHARS} characters."
        ));
    }
    Ok(raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(SEARCH_MAX_WORDS)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" "))
}

/// A post that matched, with its snippet as HTML: the text around the matches, escaped, the
/// matched words in `<mark>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHitView<P = PostCard> {
    pub post: P,
    pub snippet_html: String,
}

/// A page of results for a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage<P = PostCard> {
    /// The query as typed.
    pub query: String,
    /// More posts match than are ranked (the newest 1,000): `pagination.total` is that many.
    pub more: bool,
    pub hits: Vec<SearchHitView<P>>,
    pub pagination: Pagination,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_input_is_words() {
        assert_eq!(search_words("Rust  web").unwrap(), "rust web");
        assert_eq!(search_words("\"unbalanced").unwrap(), "unbalanced");
        assert_eq!(search_words("AND").unwrap(), "and");
        assert_eq!(search_words("*").unwrap(), "");
        assert_eq!(search_words("a\0b").unwrap(), "a b");
        assert_eq!(search_words("NEAR(a b) OR c*").unwrap(), "near a b or c");
        assert_eq!(search_words("café ünïcode").unwrap(), "café ünïcode");
        assert_eq!(
            search_words(&"w ".repeat(20)).unwrap(),
            "w w w w w w w w w w"
        );
        assert!(search_words(&"x".repeat(201)).is_err());
    }
}
