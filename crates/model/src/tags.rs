//! Tags: up to five a post, each 1–30 characters of lower-case `a-z`, `0-9` and `-`, entered
//! as one comma-separated field.

use serde::{Deserialize, Serialize};

/// A post's tags, checked: each a valid name, no repeats, at most [`Tags::MAX`], in the order
/// given. No `Deserialize`: the only way to make one is `parse` or `from_names`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX: usize = 5;
    pub const MAX_LEN: usize = 30;

    /// The tags of a comma-separated field: spaces around each are dropped, letters made
    /// lower-case, empty entries and repeats ignored.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::from_names(raw.split(','))
    }

    /// The tags of a list (the API's).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut tags: Vec<String> = Vec::new();
        for raw in names {
            let name = raw.trim().to_lowercase();
            if name.is_empty() {
                continue;
            }
            if !is_tag_name(&name) {
                return Err(format!(
                    "“{}” is not a tag: a tag is 1–{} characters of a–z, 0–9 and -.",
                    shorten(raw.trim()),
                    Self::MAX_LEN
                ));
            }
            if !tags.contains(&name) {
                tags.push(name);
            }
        }
        if tags.len() > Self::MAX {
            return Err(format!("A post has at most {} tags.", Self::MAX));
        }
        Ok(Self(tags))
    }

    /// The tags of a list as the API takes it: at most [`Tags::MAX`] items, each exactly a
    /// tag's name (what its document promises; the form is more forgiving); one given twice
    /// counts once.
    pub fn exact(names: &[String]) -> Result<Self, String> {
        if names.len() > Self::MAX {
            return Err(format!("A post has at most {} tags.", Self::MAX));
        }
        let mut tags: Vec<String> = Vec::new();
        for name in names {
            if !is_tag_name(name) {
                return Err(format!(
                    "“{}” is not a tag: a tag is 1–{} characters of a–z, 0–9 and -.",
                    shorten(name),
                    Self::MAX_LEN
                ));
            }
            if !tags.contains(name) {
                tags.push(name.clone());
            }
        }
        Ok(Self(tags))
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// As the field shows them and the database keeps them on the post: `a, b`.
    pub fn joined(&self) -> String {
        self.0.join(", ")
    }
}

/// Whether `name` is a tag's name as it is stored (and as it appears in `/tag/{name}`).
pub fn is_tag_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= Tags::MAX_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The stored list of a post's tags (`a, b`) as names.
pub fn tag_names(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// At most 40 characters of what someone typed, for a message.
fn shorten(raw: &str) -> String {
    match raw.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &raw[..end]),
        None => raw.to_string(),
    }
}

/// A page of one tag's posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPage {
    pub tag: String,
    pub posts: super::PostPage,
}

/// A tag and how many posts have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    pub name: String,
    pub posts: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized_and_checked() {
        let tags = Tags::parse(" Rust, web-dev ,, rust,2026 ").unwrap();
        assert_eq!(tags.names(), ["rust", "web-dev", "2026"]);
        assert_eq!(tags.joined(), "rust, web-dev, 2026");
        assert_eq!(Tags::parse("").unwrap(), Tags::default());
        assert_eq!(Tags::parse(" , ").unwrap(), Tags::default());
        assert!(Tags::parse("c++")
            .unwrap_err()
            .contains("“c++” is not a tag"));
        assert!(Tags::parse("two words").is_err());
        assert!(Tags::parse("été").is_err());
        assert!(Tags::parse(&"a".repeat(31)).is_err());
        assert!(Tags::parse(&"a".repeat(30)).is_ok());
        assert_eq!(
            Tags::parse("a,b,c,d,e,f").unwrap_err(),
            "A post has at most 5 tags."
        );
        assert!(
            Tags::parse("a,b,c,d,e,a").is_ok(),
            "a repeat is not a sixth"
        );
        let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(Tags::exact(&list(&["rust", "web-dev"])).is_ok());
        assert!(
            Tags::exact(&list(&["Rust"])).is_err(),
            "the API's tags are exact"
        );
        assert!(Tags::exact(&list(&[" rust"])).is_err());
        assert!(Tags::exact(&list(&[""])).is_err());
        assert_eq!(Tags::exact(&list(&["a", "a"])).unwrap().names(), ["a"]);
        assert!(
            Tags::exact(&list(&["a", "b", "c", "d", "e", "e"])).is_err(),
            "six items"
        );
        assert_eq!(tag_names("rust, web-dev"), ["rust", "web-dev"]);
        assert!(tag_names("").is_empty());
        assert!(is_tag_name("web-dev") && !is_tag_name("Web") && !is_tag_name(""));
    }
}
