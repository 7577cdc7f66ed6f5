//! Content negotiation, in one place: what a client says it reads (`Accept`) and which
//! encodings it takes (`Accept-Encoding`).

use axum::http::{header, HeaderMap, HeaderName};

/// Whether the client names `media_type` in its `Accept` header (a browser's page load and a
/// plain form post name `text/html`; a fetch from an island or a program does not). A range
/// it refuses (`q=0`) does not count; wildcards do not count either, so a client that accepts
/// anything (`*/*`, curl's default) is not taken for a browser.
pub fn accepts(headers: &HeaderMap, media_type: &str) -> bool {
    names(headers, &header::ACCEPT, media_type)
}

/// Whether the client takes the content coding `coding` (`br`, `gzip`) by name.
pub fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    names(headers, &header::ACCEPT_ENCODING, coding)
}

/// Whether the list header `name` names `token`, with a weight above zero.
fn names(headers: &HeaderMap, name: &HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let named = parts
                .next()
                .is_some_and(|essence| essence.eq_ignore_ascii_case(token));
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            named && !refused
        })
}

/// Whether the client reads HTML: a browser loading a page or posting a plain form.
pub fn accepts_html(headers: &HeaderMap) -> bool {
    accepts(headers, "text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, value.parse().unwrap());
        headers
    }

    #[test]
    fn html_is_named_not_guessed() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(accepts_html(&accept(browser)));
        assert!(accepts_html(&accept("Text/HTML")));
        assert!(accepts_html(&accept("application/json, text/html;q=0.5")));
        assert!(!accepts_html(&accept("*/*")));
        assert!(!accepts_html(&accept("application/json")));
        assert!(!accepts_html(&accept("text/html;q=0")));
        assert!(!accepts_html(&accept("text/htmlx")));
        assert!(!accepts_html(&HeaderMap::new()));
    }

    #[test]
    fn encodings_by_name_and_weight() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, "gzip, br;q=0".parse().unwrap());
        assert!(accepts_encoding(&headers, "gzip"));
        assert!(!accepts_encoding(&headers, "br"));
        assert!(!accepts_encoding(&headers, "deflate"));
    }
}
