//! The yardsticks of the page benchmarks: hand-written axum handlers on a plain `SqlitePool`
//! (not Quill's `Any` pool, not its repositories), with their own SQL — the same queries the
//! pages need against the same schema — and each page's visible content (nav, cards or the
//! post, pagination bar, footer) written by hand. Only the date format and the page-number
//! arithmetic come from `quill::model`, so the pages read the same.
//!
//! - `/` and `/?page=N`: one page of the feed with its total (one query, as Quill's);
//! - `/post/{id}`: a post with its author, its like count and its first page of comments (read
//!   only when it has some, as Quill does);
//! - `/user/{name}` and `?page=N`: the author, then a page of their posts with their total.
//!
//! `scripts/bench.sh` runs it beside Quill. Usage: `bare DATABASE_URL ADDR`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use quill::model::{format_date, group_thousands, Pagination};
use sqlx::sqlite::{SqlitePoolOptions, SqliteRow};
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;

const PER_PAGE: i64 = 5;

/// Columns 0-8 of a post row: id, author id, title, content, date, author name, avatar tag,
/// likes, comments.
const FEED_SQL: &str = "SELECT p.id, p.user_id, p.title, p.content, p.date_posted, \
     u.username, u.avatar_etag, p.like_count, p.comment_count, \
     (SELECT posts FROM post_totals WHERE id = 1) AS total \
     FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     ORDER BY date_posted DESC, id DESC \
     LIMIT CASE WHEN ?2 < (SELECT posts FROM post_totals WHERE id = 1) THEN ?1 ELSE 0 END \
     OFFSET ?2) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

const AUTHOR_SQL: &str = "SELECT id, username, avatar_etag, post_count FROM users \
     WHERE lower(username) = lower(?1)";

const AUTHOR_PAGE_SQL: &str = "SELECT p.id, p.user_id, p.title, p.content, p.date_posted, \
     u.username, u.avatar_etag, p.like_count, p.comment_count FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     WHERE user_id = ?3 ORDER BY date_posted DESC, id DESC LIMIT ?1 OFFSET ?2) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

const POST_SQL: &str = "SELECT p.id, p.user_id, p.title, p.content, p.date_posted, \
     u.username, u.avatar_etag, p.like_count, p.comment_count, p.updated_at \
     FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = ?1";

/// The first page of a post's comments (read only when it has some, as Quill does).
const COMMENTS_SQL: &str = "SELECT c.id, c.user_id, c.body, c.created_at, u.username, \
     u.avatar_etag FROM comments c JOIN users u ON u.id = c.user_id \
     WHERE c.post_id = ?1 ORDER BY c.id LIMIT 50";

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn avatar(user_id: i64, etag: Option<String>, html: &mut String) {
    html.push_str("<img class=\"avatar avatar-md\" src=\"");
    match etag {
        Some(etag) => html.push_str(&format!("/media/avatars/{user_id}-{etag}.png")),
        None => html.push_str("/default-avatar.svg"),
    }
    html.push_str("\" alt=\"\" width=\"56\" height=\"56\">");
}

fn head(title: &str) -> String {
    let mut html = String::with_capacity(8192);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quill - ");
    escape(title, &mut html);
    html.push_str(
        "</title><link rel=\"stylesheet\" href=\"/pkg/quill.css\"></head><body>\
         <header class=\"site-header\"><nav class=\"nav container\"><a class=\"brand\" href=\"/\">\
         Quill</a><div class=\"nav-left\"><a href=\"/\">Home</a><a href=\"/about\">About</a>\
         </div><div class=\"nav-right\"><a href=\"/login\">Login</a><a href=\"/register\">\
         Register</a></div></nav></header><main class=\"container\">",
    );
    html
}

fn foot(mut html: String) -> Html<String> {
    html.push_str(
        "</main><footer class=\"site-footer container\"><p>Quill — a self-hosted blog. \
         <a href=\"/about\">About</a></p></footer></body></html>",
    );
    Html(html)
}

/// The cards of a page of posts (rows in the columns of `FEED_SQL`).
fn cards(rows: &[SqliteRow], html: &mut String) {
    for row in rows {
        let id: i64 = row.get(0);
        html.push_str("<article class=\"card post\">");
        avatar(row.get(1), row.get(6), html);
        html.push_str("<div class=\"post-main\"><div class=\"post-meta\"><a class=\"post-author\" href=\"/user/");
        escape(row.get::<&str, _>(5), html);
        html.push_str("\">");
        escape(row.get::<&str, _>(5), html);
        html.push_str("</a><time>");
        html.push_str(&format_date(row.get(4)));
        html.push_str("</time></div><h2 class=\"post-title\"><a href=\"/post/");
        html.push_str(&id.to_string());
        html.push_str("\">");
        escape(row.get::<&str, _>(2), html);
        html.push_str("</a></h2><p class=\"post-content\">");
        escape(row.get::<&str, _>(3), html);
        html.push_str("</p>");
        counts(id, row.get(7), row.get(8), html);
        html.push_str("</div></article>");
    }
}

/// A post's likes (a link to log in, for a visitor) and comment count.
fn counts(id: i64, likes: i64, comments: i64, html: &mut String) {
    html.push_str(&format!(
        "<div class=\"card-bar\"><a class=\"likes\" href=\"/login?next=/post/{id}\">♡ {likes}</a>\
         <a class=\"comment-count\" href=\"/post/{id}#comments\">{comments} comments</a></div>"
    ));
}

fn pagination_bar(pagination: &Pagination, base: &str, html: &mut String) {
    html.push_str("<nav class=\"pagination\">");
    for item in pagination.iter_pages(1, 1, 2, 1) {
        match item {
            Some(n) => html.push_str(&format!(
                "<a class=\"page\" href=\"{base}?page={n}\">{n}</a>"
            )),
            None => html.push_str("<span class=\"page gap\">…</span>"),
        }
    }
    html.push_str("</nav>");
}

fn page_number(query: &HashMap<String, String>) -> u32 {
    query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u32)
        .max(1)
}

fn pagination(page: u32, total: i64) -> Pagination {
    Pagination {
        page,
        per_page: PER_PAGE as u32,
        total: u64::try_from(total).unwrap_or_default(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, foot(head("Not Found"))).into_response()
}

async fn home(
    State(db): State<SqlitePool>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let page = page_number(&query);
    let offset = i64::from(page - 1) * PER_PAGE;
    let rows = sqlx::query(FEED_SQL)
        .bind(PER_PAGE)
        .bind(offset)
        .fetch_all(&db)
        .await
        .unwrap_or_default();
    if rows.is_empty() && page > 1 {
        return not_found();
    }
    let total = rows.first().map_or(0, |row| row.get::<i64, _>(9));
    let mut html = head("Home");
    cards(&rows, &mut html);
    pagination_bar(&pagination(page, total), "/", &mut html);
    foot(html).into_response()
}

async fn user(
    State(db): State<SqlitePool>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let page = page_number(&query);
    let Ok(Some(author)) = sqlx::query(AUTHOR_SQL)
        .bind(&name)
        .fetch_optional(&db)
        .await
    else {
        return not_found();
    };
    let author_id: i64 = author.get(0);
    let total: i64 = author.get(3);
    let rows = sqlx::query(AUTHOR_PAGE_SQL)
        .bind(PER_PAGE)
        .bind(i64::from(page - 1) * PER_PAGE)
        .bind(author_id)
        .fetch_all(&db)
        .await
        .unwrap_or_default();
    let username: &str = author.get(1);
    let mut html = head(username);
    html.push_str("<header class=\"author-head\">");
    avatar(author_id, author.get(2), &mut html);
    html.push_str("<h1>Posts by ");
    escape(username, &mut html);
    html.push_str(" (");
    html.push_str(&group_thousands(u64::try_from(total).unwrap_or_default()));
    html.push_str(")</h1></header>");
    cards(&rows, &mut html);
    pagination_bar(
        &pagination(page, total),
        &format!("/user/{username}"),
        &mut html,
    );
    foot(html).into_response()
}

async fn post(State(db): State<SqlitePool>, Path(id): Path<i64>) -> Response {
    let Ok(Some(row)) = sqlx::query(POST_SQL).bind(id).fetch_optional(&db).await else {
        return not_found();
    };
    let mut html = head(row.get::<&str, _>(2));
    html.push_str("<article class=\"card post post-full\">");
    avatar(row.get(1), row.get(6), &mut html);
    html.push_str(
        "<div class=\"post-main\"><div class=\"post-meta\"><a class=\"post-author\" href=\"/user/",
    );
    escape(row.get::<&str, _>(5), &mut html);
    html.push_str("\">");
    escape(row.get::<&str, _>(5), &mut html);
    html.push_str("</a><time>");
    html.push_str(&format_date(row.get(4)));
    html.push_str("</time>");
    let updated: i64 = row.get(9);
    if updated > row.get::<i64, _>(4) {
        html.push_str("<span> (edited ");
        html.push_str(&format_date(updated));
        html.push_str(")</span>");
    }
    html.push_str("</div><h1 class=\"post-title\">");
    escape(row.get::<&str, _>(2), &mut html);
    html.push_str("</h1><p class=\"post-content\">");
    escape(row.get::<&str, _>(3), &mut html);
    html.push_str("</p></div></article>");
    let comment_count: i64 = row.get(8);
    html.push_str(&format!(
        "<div class=\"post-bar\"><a class=\"likes\" href=\"/login?next=/post/{id}\">♡ {}</a></div>\
         <section class=\"card\" id=\"comments\"><h2>{comment_count} Comments</h2><ol class=\"comments\">",
        row.get::<i64, _>(7)
    ));
    if comment_count > 0 {
        let comments = sqlx::query(COMMENTS_SQL)
            .bind(id)
            .fetch_all(&db)
            .await
            .unwrap_or_default();
        for c in &comments {
            html.push_str(&format!(
                "<li class=\"comment\" id=\"comment-{}\">",
                c.get::<i64, _>(0)
            ));
            avatar(c.get(1), c.get(5), &mut html);
            html.push_str("<div class=\"comment-main\"><a href=\"/user/");
            escape(c.get::<&str, _>(4), &mut html);
            html.push_str("\">");
            escape(c.get::<&str, _>(4), &mut html);
            html.push_str("</a><time>");
            html.push_str(&format_date(c.get(3)));
            html.push_str("</time><p class=\"comment-body\">");
            escape(c.get::<&str, _>(2), &mut html);
            html.push_str("</p></div></li>");
        }
    }
    html.push_str(&format!(
        "</ol><p><a href=\"/login?next=/post/{id}\">Log in</a> to comment.</p></section>"
    ));
    foot(html).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: bare DATABASE_URL ADDR")?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3100".to_string());
    // The same pool as Quill's (`db::sqlite_connections`): two connections a core, 4 to 16,
    // no ping before each use.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let db = SqlitePoolOptions::new()
        .max_connections(u32::try_from(cores * 2).unwrap_or(u32::MAX).clamp(4, 16))
        .test_before_acquire(false)
        .connect(&url)
        .await?;
    let app = axum::Router::new()
        .route("/", get(home))
        .route("/post/{id}", get(post))
        .route("/user/{name}", get(user))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
