//! The yardstick for the home page benchmark: a hand-written axum handler on a plain
//! `SqlitePool` (not Quill's `Any` pool, not its repositories), with its own SQL — the same two
//! queries the feed needs, a count and one page of posts joined with their authors — and the
//! page's visible content (nav, cards, pagination bar, footer) written by hand. Only the date
//! format and the page-number arithmetic come from `quill::model`, so the pages read the same.
//! `scripts/bench.sh` runs it beside Quill. Usage: `bare_home DATABASE_URL ADDR`.

use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use quill::model::{format_date, Pagination};
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;

const PER_PAGE: i64 = 5;

const PAGE_SQL: &str = "SELECT p.id, p.user_id, p.title, p.content, p.date_posted, \
     u.username, u.avatar_etag FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     ORDER BY date_posted DESC, id DESC LIMIT ?1 OFFSET ?2) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

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

async fn home(
    State(db): State<SqlitePool>,
    Query(query): Query<HashMap<String, String>>,
) -> Html<String> {
    let page = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u32)
        .max(1);
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
        .fetch_one(&db)
        .await
        .unwrap_or_default();
    let pagination = Pagination {
        page,
        per_page: PER_PAGE as u32,
        total: u64::try_from(total).unwrap_or_default(),
    };
    let offset = i64::from(page - 1) * PER_PAGE;
    let rows = sqlx::query(PAGE_SQL)
        .bind(PER_PAGE)
        .bind(offset)
        .fetch_all(&db)
        .await
        .unwrap_or_default();
    let mut html = String::with_capacity(8192);
    html.push_str(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quill - Home\
         </title><link rel=\"stylesheet\" href=\"/pkg/quill.css\"></head><body>\
         <header class=\"site-header\"><nav class=\"nav container\"><a class=\"brand\" href=\"/\">\
         Quill</a><div class=\"nav-left\"><a href=\"/\">Home</a><a href=\"/about\">About</a>\
         </div><div class=\"nav-right\"><a href=\"/login\">Login</a><a href=\"/register\">\
         Register</a></div></nav></header><main class=\"container\">",
    );
    for row in rows {
        let id: i64 = row.get(0);
        let user_id: i64 = row.get(1);
        let etag: Option<String> = row.get(6);
        html.push_str("<article class=\"card post\"><img class=\"avatar avatar-md\" src=\"");
        match etag {
            Some(etag) => html.push_str(&format!("/media/avatars/{user_id}-{etag}.png")),
            None => html.push_str("/default-avatar.svg"),
        }
        html.push_str("\"><div class=\"post-main\"><div class=\"post-meta\"><a class=\"post-author\" href=\"/user/");
        escape(row.get::<&str, _>(5), &mut html);
        html.push_str("\">");
        escape(row.get::<&str, _>(5), &mut html);
        html.push_str("</a><time>");
        html.push_str(&format_date(row.get(4)));
        html.push_str("</time></div><h2 class=\"post-title\"><a href=\"/post/");
        html.push_str(&id.to_string());
        html.push_str("\">");
        escape(row.get::<&str, _>(2), &mut html);
        html.push_str("</a></h2><p class=\"post-content\">");
        escape(row.get::<&str, _>(3), &mut html);
        html.push_str("</p></div></article>");
    }
    html.push_str("<nav class=\"pagination\">");
    for item in pagination.iter_pages(1, 1, 2, 1) {
        match item {
            Some(n) => html.push_str(&format!("<a class=\"page\" href=\"/?page={n}\">{n}</a>")),
            None => html.push_str("<span class=\"page gap\">…</span>"),
        }
    }
    html.push_str(
        "</nav></main><footer class=\"site-footer container\"><p>Quill — a self-hosted blog. \
         <a href=\"/about\">About</a></p></footer></body></html>",
    );
    Html(html)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: bare_home DATABASE_URL ADDR")?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3100".to_string());
    let db = SqlitePoolOptions::new()
        .max_connections(8)
        .connect(&url)
        .await?;
    let app = axum::Router::new().route("/", get(home)).with_state(db);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
