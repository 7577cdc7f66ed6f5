//! What Quill tells crawlers: `/robots.txt`, and `/sitemap.xml`, a sitemap index of parts
//! (`/sitemap/posts-N.xml`, `/sitemap/users-N.xml`) that each list the pages of up to
//! `PART_IDS` consecutive ids with their last change (the rules are `domain::sitemap`'s; this
//! writes them as XML).

use super::error::PlainError;
use super::AppState;
use crate::domain::sitemap::{self, Kind, PART_IDS};
use crate::domain::Error;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// How long a crawler (or nginx) may keep an answer.
const MAX_AGE: &str = "public, max-age=300";

fn answer(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE)),
        ],
        body,
    )
        .into_response()
}

fn base(state: &AppState) -> &str {
    state.config.public_url.trim_end_matches('/')
}

/// `/robots.txt`: everything public may be crawled; forms, accounts, server functions and
/// the API may not; the sitemap is named.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\n\
         Disallow: /_fn/\n\
         Disallow: /api/\n\
         Disallow: /account\n\
         Disallow: /post/new\n\
         Disallow: /reset_password\n\
         Allow: /\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        base(&state)
    );
    answer("text/plain; charset=utf-8", body)
}

/// `/sitemap.xml`: the parts there are, as a sitemap index.
pub async fn index(State(state): State<AppState>) -> Result<Response, PlainError> {
    let (users, posts) = sitemap::part_counts(&state.db).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base = crate::model::html::escape(base(&state));
    for (kind, count) in [(Kind::Users, users), (Kind::Posts, posts)] {
        for part in 1..=count {
            let _ = writeln!(
                xml,
                "<sitemap><loc>{base}/sitemap/{}-{part}.xml</loc></sitemap>",
                kind.name()
            );
        }
    }
    xml.push_str("</sitemapindex>\n");
    Ok(answer("application/xml; charset=utf-8", xml))
}

/// Which part a file name asks for: `posts-3.xml` → (posts, 3).
fn part_of(file: &str) -> Option<(Kind, i64)> {
    let (kind, rest) = file.strip_suffix(".xml")?.split_once('-')?;
    let n: i64 = rest
        .parse()
        .ok()
        .filter(|n| *n >= 1 && *n <= i64::MAX / PART_IDS)?;
    let kind = match kind {
        "posts" => Kind::Posts,
        "users" => Kind::Users,
        _ => return None,
    };
    (rest == n.to_string()).then_some((kind, n))
}

/// `/sitemap/{kind}-{n}.xml`: the posts (or the user pages of the users with posts) whose
/// ids fall in part `n`, with their last change (a user page's: its newest post's).
pub async fn part(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PlainError> {
    let (kind, n) = part_of(&file).ok_or(Error::NotFound)?;
    let rows = sitemap::part(&state.db, kind, n).await?;
    let base = crate::model::html::escape(base(&state));
    let mut xml = String::with_capacity(64 + rows.len() * 110);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if kind == Kind::Users && n == 1 {
        let _ = writeln!(xml, "<url><loc>{base}/</loc></url>");
        let _ = writeln!(xml, "<url><loc>{base}/about</loc></url>");
    }
    let path = if kind == Kind::Posts { "post" } else { "user" };
    for (key, changed) in rows {
        let _ = writeln!(
            xml,
            "<url><loc>{base}/{path}/{}</loc><lastmod>{}</lastmod></url>",
            crate::model::html::escape(&key),
            crate::model::format_datetime(changed)
        );
    }
    xml.push_str("</urlset>\n");
    Ok(answer("application/xml; charset=utf-8", xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names() {
        assert_eq!(part_of("posts-1.xml"), Some((Kind::Posts, 1)));
        assert_eq!(part_of("users-12.xml"), Some((Kind::Users, 12)));
        for bad in [
            "posts-0.xml",
            "posts-01.xml",
            "posts-+1.xml",
            "posts-1",
            "tags-1.xml",
            "posts-99999999999999999999.xml",
            "posts-1.xml.gz",
        ] {
            assert_eq!(part_of(bad), None, "{bad}");
        }
    }
}
