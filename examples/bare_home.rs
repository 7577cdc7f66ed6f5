//! The yardstick for the home page benchmark: a bare axum handler that runs the same two SQL
//! queries as Quill's feed and formats the same cards by hand. `scripts/bench.sh` runs it
//! beside Quill. Usage: `bare_home DATABASE_URL ADDR`.

use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use quill::backend::db::{self, Db, PostRepository};
use quill::model::{avatar_url, format_date, Pagination};
use std::collections::HashMap;

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

async fn home(State(db): State<Db>, Query(query): Query<HashMap<String, String>>) -> Html<String> {
    let page = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u32)
        .max(1);
    let total = PostRepository::count(&db, None).await.unwrap_or_default();
    let pagination = Pagination {
        page,
        per_page: 5,
        total,
    };
    let posts = PostRepository::page(&db, None, pagination.offset(), 5)
        .await
        .unwrap_or_default();
    let mut html = String::with_capacity(8192);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quill - Home</title><link rel=\"stylesheet\" href=\"/pkg/quill.css\"></head><body><main class=\"container\">");
    for post in posts {
        html.push_str("<article class=\"card post\"><img class=\"avatar avatar-md\" src=\"");
        html.push_str(&avatar_url(
            post.user_id,
            post.author_avatar_etag.as_deref(),
        ));
        html.push_str("\"><div class=\"post-main\"><div class=\"post-meta\"><a class=\"post-author\" href=\"/user/");
        escape(&post.author_username, &mut html);
        html.push_str("\">");
        escape(&post.author_username, &mut html);
        html.push_str("</a><time>");
        html.push_str(&format_date(post.date_posted));
        html.push_str("</time></div><h2 class=\"post-title\"><a href=\"/post/");
        html.push_str(&post.id.to_string());
        html.push_str("\">");
        escape(&post.title, &mut html);
        html.push_str("</a></h2><p class=\"post-content\">");
        escape(&post.content, &mut html);
        html.push_str("</p></div></article>");
    }
    html.push_str("<nav class=\"pagination\">");
    for item in pagination.iter_pages(1, 1, 2, 1) {
        match item {
            Some(n) => html.push_str(&format!("<a class=\"page\" href=\"/?page={n}\">{n}</a>")),
            None => html.push_str("<span class=\"page gap\">…</span>"),
        }
    }
    html.push_str("</nav></main></body></html>");
    Html(html)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: bare_home DATABASE_URL ADDR")?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3100".to_string());
    let db = db::connect(&url).await?;
    let app = axum::Router::new().route("/", get(home)).with_state(db);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
