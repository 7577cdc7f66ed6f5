//! What Quill tells crawlers: `/robots.txt`, and `/sitemap.xml`, a sitemap index of parts
//! (`/sitemap/posts-N.xml`, `/sitemap/users-N.xml`) that each list the pages of up to
//! `PART_IDS` consecutive ids with their last change. Parts by id range are one index range
//! each, however many posts there are (an OFFSET would walk every earlier one), and stay valid
//! when posts are deleted (a part may then list fewer).

use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Ids a part of the sitemap covers (the protocol allows 50,000 addresses a file).
pub const PART_IDS: i64 = 10_000;

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

/// A database failure is a 500, logged.
fn or_500(result: Result<Response, sqlx::Error>) -> Response {
    result.unwrap_or_else(|err| {
        tracing::error!(error = %err, "sitemap failed");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    })
}

/// `/sitemap.xml`: the parts there are, as a sitemap index.
pub async fn index(State(state): State<AppState>) -> Response {
    or_500(index_of(&state).await)
}

async fn index_of(state: &AppState) -> Result<Response, sqlx::Error> {
    let (posts, users): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM posts), (SELECT COALESCE(MAX(id), 0) FROM users)",
    )
    .fetch_one(&state.db)
    .await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base = crate::model::html::escape(base(state));
    for (kind, max_id) in [("users", users), ("posts", posts)] {
        for part in 1..=parts(max_id) {
            let _ = writeln!(
                xml,
                "<sitemap><loc>{base}/sitemap/{kind}-{part}.xml</loc></sitemap>"
            );
        }
    }
    xml.push_str("</sitemapindex>\n");
    Ok(answer("application/xml; charset=utf-8", xml))
}

/// How many parts cover ids 1 to `max_id` (at least one, so the index is never empty).
fn parts(max_id: i64) -> i64 {
    ((max_id + PART_IDS - 1) / PART_IDS).max(1)
}

/// Which part a file name asks for: `posts-3.xml` → ("posts", 3).
fn part_of(file: &str) -> Option<(&str, i64)> {
    let (kind, rest) = file.strip_suffix(".xml")?.split_once('-')?;
    let n: i64 = rest
        .parse()
        .ok()
        .filter(|n| *n >= 1 && *n <= i64::MAX / PART_IDS)?;
    (rest == n.to_string() && matches!(kind, "posts" | "users")).then_some((kind, n))
}

/// `/sitemap/{kind}-{n}.xml`: the posts (or the user pages of the users with posts) whose
/// ids fall in part `n`, with their last change (a user page's: its newest post's).
pub async fn part(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match part_of(&file) {
        Some((kind, n)) => or_500(part_of_kind(&state, kind, n).await),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn part_of_kind(state: &AppState, kind: &str, n: i64) -> Result<Response, sqlx::Error> {
    let (first, last) = ((n - 1) * PART_IDS + 1, n * PART_IDS);
    let rows: Vec<(String, i64)> = match kind {
        "posts" => {
            sqlx::query_as(
                "SELECT CAST(id AS TEXT), updated_at FROM posts WHERE id BETWEEN $1 AND $2 \
                 ORDER BY id",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&state.db)
            .await?
        }
        _ => sqlx::query_as(
            "SELECT u.username, (SELECT MAX(p.updated_at) FROM posts p WHERE p.user_id = u.id) \
                 FROM users u WHERE u.id BETWEEN $1 AND $2 AND u.post_count > 0 ORDER BY u.id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&state.db)
        .await?,
    };
    if rows.is_empty() && n > 1 {
        let max: i64 = match kind {
            "posts" => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM posts"),
            _ => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users"),
        }
        .fetch_one(&state.db)
        .await?;
        if n > parts(max) {
            return Ok(StatusCode::NOT_FOUND.into_response());
        }
    }
    let base = crate::model::html::escape(base(state));
    let mut xml = String::with_capacity(64 + rows.len() * 110);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if kind == "users" && n == 1 {
        let _ = writeln!(xml, "<url><loc>{base}/</loc></url>");
        let _ = writeln!(xml, "<url><loc>{base}/about</loc></url>");
    }
    let path = if kind == "posts" { "post" } else { "user" };
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
        assert_eq!(part_of("posts-1.xml"), Some(("posts", 1)));
        assert_eq!(part_of("users-12.xml"), Some(("users", 12)));
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
        assert_eq!(parts(0), 1);
        assert_eq!(parts(10_000), 1);
        assert_eq!(parts(10_001), 2);
    }
}
