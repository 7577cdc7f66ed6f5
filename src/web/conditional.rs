//! Conditional requests, in one place: every handler that answers `304 Not Modified` asks
//! `none_match` (RFC 9110, 13.1.2).

use axum::http::{header, HeaderMap};

/// Whether the client's `If-None-Match` matches `etag`, the quoted entity tag of a
/// representation that exists: `*` matches any, and a listed tag matches by the weak
/// comparison (a `W/` prefix on either side is ignored). Several headers are one list.
pub fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let ours = weak(etag.trim());
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || weak(tag) == ours)
}

/// The opaque part of an entity tag, quotes included, without its weakness.
fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::IF_NONE_MATCH, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn strong_weak_any_and_lists() {
        let etag = "\"abc\"";
        assert!(none_match(&asking(&["\"abc\""]), etag));
        assert!(none_match(&asking(&["W/\"abc\""]), etag));
        assert!(none_match(&asking(&["\"abc\""]), "W/\"abc\""));
        assert!(none_match(&asking(&["*"]), etag));
        assert!(none_match(&asking(&["\"x\", W/\"abc\""]), etag));
        assert!(none_match(&asking(&["\"x\"", "\"abc\""]), etag));
        assert!(!none_match(&asking(&["\"abcd\""]), etag));
        assert!(!none_match(&asking(&["abc"]), etag));
        assert!(!none_match(&asking(&[]), etag));
    }
}
