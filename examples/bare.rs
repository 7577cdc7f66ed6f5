//! The yardsticks of the page benchmarks: hand-written axum handlers on a plain `SqlitePool` or
//! `PgPool` (not Quill's `Any` pool, not its repositories), with their own SQL — the same queries the
//! pages need against the same schema — and each page's visible content (nav, cards or the
//! post, pagination bar, footer) written by hand. Only the date format and the page-number
//! arithmetic come from `quill::model`, so the pages read the same.
//!
//! - `/` and `/?page=N`: one page of the feed with its total (one query, as Quill's), under
//!   the 20 most used tags (read at most every 5 s, as Quill's `MostUsedTags`);
//! - `/post/{id}`: a post with its author, reading time, tags, like count and its first page of
//!   comments (read only when it has some, as Quill does);
//! - `/user/{name}` and `?page=N`: the author with their counters, then a page of their posts
//!   with their total;
//! - `/tag/{name}` and `?page=N`: the tag with its count, then a page of its posts.
//!
//! Cards show what Quill's do: the summary or else the excerpt, the tags, likes and comments.
//!
//! `scripts/bench.sh` runs it beside Quill, on SQLite and on PostgreSQL. Usage:
//! `bare DATABASE_URL ADDR`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use quill::model::{counted, format_date, group_thousands, tag_names, Pagination};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PER_PAGE: i64 = 5;

/// Columns 0-10 of a card's row: id, author id, title, summary, excerpt, tags, date, author
/// name, avatar tag, likes, comments.
/// A page past the end reads no index entry: SQLite is told by a limit of 0, PostgreSQL by a
/// condition on no row (Quill's `page_sql` says why each).
const FEED_SQL_SQLITE: &str = "SELECT p.id, p.user_id, p.title, p.summary, p.excerpt, p.tags, \
     p.date_posted, u.username, u.avatar_etag, p.like_count, p.comment_count, \
     (SELECT posts FROM post_totals WHERE id = 1) AS total \
     FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     ORDER BY date_posted DESC, id DESC \
     LIMIT CASE WHEN $1 < (SELECT posts FROM post_totals WHERE id = 1) THEN 5 ELSE 0 END \
     OFFSET $1) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

const FEED_SQL_POSTGRES: &str = "SELECT p.id, p.user_id, p.title, p.summary, p.excerpt, p.tags, \
     p.date_posted, u.username, u.avatar_etag, p.like_count, p.comment_count, \
     (SELECT posts FROM post_totals WHERE id = 1) AS total \
     FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     WHERE $1 < (SELECT posts FROM post_totals WHERE id = 1) \
     ORDER BY date_posted DESC, id DESC LIMIT 5 OFFSET $1) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

const AUTHOR_SQL: &str = "SELECT id, username, avatar_etag, post_count, bio, follower_count, \
     following_count, like_count FROM users WHERE lower(username) = lower($1)";

const AUTHOR_PAGE_SQL: &str = "SELECT p.id, p.user_id, p.title, p.summary, p.excerpt, p.tags, \
     p.date_posted, u.username, u.avatar_etag, p.like_count, p.comment_count \
     FROM (SELECT id AS page_id, date_posted AS page_date FROM posts \
     WHERE user_id = $2 ORDER BY date_posted DESC, id DESC LIMIT 5 OFFSET $1) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

const TAG_SQL: &str = "SELECT id, name, post_count FROM tags WHERE name = $1";

const TAG_PAGE_SQL: &str = "SELECT p.id, p.user_id, p.title, p.summary, p.excerpt, p.tags, \
     p.date_posted, u.username, u.avatar_etag, p.like_count, p.comment_count \
     FROM (SELECT post_id AS page_id, date_posted AS page_date FROM post_tags \
     WHERE tag_id = $2 ORDER BY date_posted DESC, post_id DESC LIMIT 5 OFFSET $1) page \
     JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
     ORDER BY page.page_date DESC, page.page_id DESC";

/// A Markdown post's HTML was rendered and sanitised when it was written; a plain-text post
/// is shown as its text, as Quill does.
const POST_SQL: &str = "SELECT p.id, p.user_id, p.title, p.content, p.date_posted, \
     u.username, u.avatar_etag, p.like_count, p.comment_count, p.updated_at, p.words, p.tags, \
     p.format, p.content_html \
     FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1";

const TAGS_SQL: &str = "SELECT name, post_count FROM tags WHERE post_count > 0 \
     ORDER BY post_count DESC, name LIMIT 20";

/// The first page of a post's comments (read only when it has some, as Quill does).
const COMMENTS_SQL: &str = "SELECT c.id, c.user_id, c.body, c.created_at, u.username, \
     u.avatar_etag FROM comments c JOIN users u ON u.id = c.user_id \
     WHERE c.post_id = $1 ORDER BY c.id LIMIT 50";

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
    avatar_sized(user_id, etag, "md", 56, html);
}

fn avatar_sized(user_id: i64, etag: Option<String>, size: &str, px: u32, html: &mut String) {
    html.push_str(&format!("<img class=\"avatar avatar-{size}\" src=\""));
    match etag {
        Some(etag) => html.push_str(&format!("/media/avatars/{user_id}-{etag}.png")),
        None => html.push_str("/default-avatar.svg"),
    }
    html.push_str(&format!("\" alt=\"\" width=\"{px}\" height=\"{px}\">"));
}

/// A post's tags as links, from the stored list (`a, b`).
fn tag_links(stored: &str, html: &mut String) {
    let tags = tag_names(stored);
    if tags.is_empty() {
        return;
    }
    html.push_str("<ul class=\"tags\" aria-label=\"Tags\">");
    for tag in &tags {
        html.push_str("<li><a class=\"tag\" rel=\"tag\" href=\"/tag/");
        escape(tag, html);
        html.push_str("\">#");
        escape(tag, html);
        html.push_str("</a></li>");
    }
    html.push_str("</ul>");
}

fn head(title: &str) -> String {
    let mut html = String::with_capacity(8192);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quill - ");
    escape(title, &mut html);
    html.push_str(
        "</title><link rel=\"stylesheet\" href=\"/pkg/quill.css\"></head><body>\
         <header class=\"site-header\"><nav class=\"nav container\"><a class=\"brand\" href=\"/\">\
         Quill</a><div class=\"nav-left\"><a href=\"/\">Home</a><a href=\"/about\">About</a>\
         </div><form class=\"nav-search\" action=\"/search\" method=\"get\" role=\"search\">\
         <label for=\"nav-search-q\" class=\"sr-only\">Search posts</label><input \
         id=\"nav-search-q\" type=\"search\" name=\"q\" placeholder=\"Search\" \
         maxlength=\"200\"></form><div class=\"nav-right\"><a href=\"/login\">Login</a><a href=\"/register\">\
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

/// A post's likes (a link to log in, for a visitor) and comment count.
fn counts(id: i64, likes: i64, comments: i64, html: &mut String) {
    html.push_str(&format!(
        "<div class=\"card-bar\"><a class=\"likes\" href=\"/login?next=/post/{id}\">♡ {likes}</a>\
         <a class=\"comment-count muted\" href=\"/post/{id}#comments\">{}</a></div>",
        counted(
            u64::try_from(comments).unwrap_or_default(),
            "comment",
            "comments"
        )
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

/// The pages on one database's own pool: the same code for SQLite and PostgreSQL, each with
/// its native driver.
macro_rules! pages {
    ($name:ident, $pool:ty, $row:ty, $feed:expr) => {
        mod $name {
            use super::*;

            /// Tag names and how many posts each has.
            type TagCounts = Arc<Vec<(String, i64)>>;

            /// The home page's most used tags, read at most every 5 s (Quill's `MostUsedTags`).
            #[derive(Clone)]
            struct App {
                db: $pool,
                tags: Arc<Mutex<Option<(Instant, TagCounts)>>>,
            }

            impl App {
                async fn most_used_tags(&self) -> TagCounts {
                    if let Ok(cached) = self.tags.lock() {
                        if let Some((at, tags)) = cached.as_ref() {
                            if at.elapsed() < Duration::from_secs(5) {
                                return tags.clone();
                            }
                        }
                    }
                    let rows = sqlx::query(TAGS_SQL)
                        .fetch_all(&self.db)
                        .await
                        .unwrap_or_default();
                    let tags: TagCounts = Arc::new(rows.iter().map(|r| (r.get(0), r.get(1))).collect());
                    if let Ok(mut cached) = self.tags.lock() {
                        *cached = Some((Instant::now(), tags.clone()));
                    }
                    tags
                }
            }

            /// The cards of a page of posts (rows in the columns of the feed's SQL).
            fn cards(rows: &[$row], html: &mut String) {
                for row in rows {
                    let id: i64 = row.get(0);
                    html.push_str("<article class=\"card post\">");
                    avatar(row.get(1), row.get(8), html);
                    html.push_str("<div class=\"post-main\"><div class=\"post-meta\"><a class=\"post-author\" href=\"/user/");
                    escape(row.get::<&str, _>(7), html);
                    html.push_str("\">");
                    escape(row.get::<&str, _>(7), html);
                    html.push_str("</a><time class=\"muted\">");
                    html.push_str(&format_date(row.get(6)));
                    html.push_str("</time></div><h2 class=\"post-title\"><a href=\"/post/");
                    html.push_str(&id.to_string());
                    html.push_str("\">");
                    escape(row.get::<&str, _>(2), html);
                    html.push_str("</a></h2><p class=\"post-content excerpt\">");
                    // The summary, else the start of the text (Quill's `PostCard::blurb`).
                    let summary: &str = row.get(3);
                    escape(
                        if summary.is_empty() {
                            row.get(4)
                        } else {
                            summary
                        },
                        html,
                    );
                    html.push_str("</p>");
                    tag_links(row.get(5), html);
                    counts(id, row.get(9), row.get(10), html);
                    html.push_str("</div></article>");
                }
            }

            async fn home(State(app): State<App>, Query(query): Query<HashMap<String, String>>) -> Response {
                let page = page_number(&query);
                let offset = i64::from(page - 1) * PER_PAGE;
                let rows = sqlx::query($feed)
                    .bind(offset)
                    .fetch_all(&app.db)
                    .await
                    .unwrap_or_default();
                if rows.is_empty() && page > 1 {
                    return not_found();
                }
                let tags = app.most_used_tags().await;
                let total = rows.first().map_or(0, |row| row.get::<i64, _>(11));
                let mut html = head("Home");
                html.push_str("<h1 class=\"sr-only\">Latest posts</h1>");
                if !tags.is_empty() {
                    html.push_str(
                        "<nav class=\"tag-cloud\" aria-label=\"Most used tags\"><h2 class=\"sr-only\">\
                         Most used tags</h2><ul class=\"tags\">",
                    );
                    for (name, posts) in tags.iter() {
                        html.push_str("<li><a class=\"tag\" rel=\"tag\" href=\"/tag/");
                        escape(name, &mut html);
                        html.push_str("\">#");
                        escape(name, &mut html);
                        html.push_str("</a><span class=\"muted tag-count\">");
                        html.push_str(&group_thousands(u64::try_from(*posts).unwrap_or_default()));
                        html.push_str("</span></li>");
                    }
                    html.push_str("</ul></nav>");
                }
                cards(&rows, &mut html);
                pagination_bar(&pagination(page, total), "/", &mut html);
                foot(html).into_response()
            }

            async fn user(
                State(App { db, .. }): State<App>,
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
                    .bind(i64::from(page - 1) * PER_PAGE)
                    .bind(author_id)
                    .fetch_all(&db)
                    .await
                    .unwrap_or_default();
                let username: &str = author.get(1);
                let count = |column: usize| u64::try_from(author.get::<i64, _>(column)).unwrap_or_default();
                let mut html = head(username);
                html.push_str("<header class=\"card author-head\">");
                avatar_sized(author_id, author.get(2), "lg", 96, &mut html);
                html.push_str("<div class=\"author-info\"><h1>");
                escape(username, &mut html);
                html.push_str("</h1>");
                let bio: &str = author.get(4);
                if !bio.is_empty() {
                    html.push_str("<p class=\"bio\">");
                    escape(bio, &mut html);
                    html.push_str("</p>");
                }
                html.push_str("<p class=\"muted author-counts\">");
                html.push_str(&counted(count(3), "post", "posts"));
                html.push_str(" · ");
                html.push_str(&counted(count(6), "following", "following"));
                html.push_str("</p><p class=\"follow-form\"><a class=\"button\" href=\"/login?next=/user/");
                escape(username, &mut html);
                html.push_str("\">Follow</a><span class=\"muted follower-count\">");
                html.push_str(&counted(count(5), "follower", "followers"));
                html.push_str("</span></p></div></header><nav class=\"list-tabs\" aria-label=\"");
                escape(username, &mut html);
                html.push_str("'s lists\"><a href=\"/user/");
                escape(username, &mut html);
                html.push_str("\" aria-current=\"page\">Posts</a><a href=\"/user/");
                escape(username, &mut html);
                html.push_str(&format!(
                    "/liked\">Liked ({})</a></nav>",
                    group_thousands(count(7))
                ));
                cards(&rows, &mut html);
                pagination_bar(
                    &pagination(page, total),
                    &format!("/user/{username}"),
                    &mut html,
                );
                foot(html).into_response()
            }

            async fn post(State(App { db, .. }): State<App>, Path(id): Path<i64>) -> Response {
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
                html.push_str("</a><time class=\"muted\">");
                html.push_str(&format_date(row.get(4)));
                html.push_str("</time>");
                let updated: i64 = row.get(9);
                if updated > row.get::<i64, _>(4) {
                    html.push_str("<span> (edited ");
                    html.push_str(&format_date(updated));
                    html.push_str(")</span>");
                }
                let words = usize::try_from(row.get::<i64, _>(10)).unwrap_or_default();
                html.push_str(&format!(
                    "<span class=\"muted reading-time\">{} min read</span>",
                    words.div_ceil(200).max(1)
                ));
                html.push_str("</div><h1 class=\"post-title\">");
                escape(row.get::<&str, _>(2), &mut html);
                if row.get::<&str, _>(12) == "markdown" {
                    html.push_str("</h1><div class=\"post-content markdown\">");
                    html.push_str(row.get::<&str, _>(13));
                    html.push_str("</div>");
                } else {
                    html.push_str("</h1><p class=\"post-content\">");
                    escape(row.get::<&str, _>(3), &mut html);
                    html.push_str("</p>");
                }
                tag_links(row.get(11), &mut html);
                html.push_str("</div></article>");
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

            async fn tag(
                State(App { db, .. }): State<App>,
                Path(name): Path<String>,
                Query(query): Query<HashMap<String, String>>,
            ) -> Response {
                let page = page_number(&query);
                let Ok(Some(tag)) = sqlx::query(TAG_SQL).bind(&name).fetch_optional(&db).await
                else {
                    return not_found();
                };
                let total: i64 = tag.get(2);
                let rows = sqlx::query(TAG_PAGE_SQL)
                    .bind(i64::from(page - 1) * PER_PAGE)
                    .bind(tag.get::<i64, _>(0))
                    .fetch_all(&db)
                    .await
                    .unwrap_or_default();
                if rows.is_empty() {
                    return not_found();
                }
                let name: &str = tag.get(1);
                let mut html = head(&format!("#{name}"));
                html.push_str("<header class=\"author-head\"><h1>Posts tagged #");
                escape(name, &mut html);
                html.push_str(&format!(" ({})</h1></header>", group_thousands(u64::try_from(total).unwrap_or_default())));
                cards(&rows, &mut html);
                pagination_bar(&pagination(page, total), &format!("/tag/{name}"), &mut html);
                foot(html).into_response()
            }

            pub fn router(db: $pool) -> axum::Router {
                axum::Router::new()
                    .route("/", get(home))
                    .route("/post/{id}", get(post))
                    .route("/user/{name}", get(user))
                    .route("/tag/{name}", get(tag))
                    .with_state(App {
                        db,
                        tags: Arc::default(),
                    })
            }
        }
    };
}

pages!(
    sqlite,
    sqlx::SqlitePool,
    sqlx::sqlite::SqliteRow,
    FEED_SQL_SQLITE
);
pages!(
    postgres,
    sqlx::PgPool,
    sqlx::postgres::PgRow,
    FEED_SQL_POSTGRES
);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: bare DATABASE_URL ADDR")?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3100".to_string());
    // The same pools as Quill's: their sizes, a ping before each use or not.
    let app = if url.starts_with("postgres") {
        let db = sqlx::postgres::PgPoolOptions::new()
            .max_connections(quill::domain::db::POSTGRES_CONNECTIONS)
            .test_before_acquire(quill::domain::db::POSTGRES_PING)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    sqlx::Executor::execute(conn, quill::domain::db::POSTGRES_SESSION).await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        postgres::router(db)
    } else {
        let db = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(quill::domain::db::sqlite_connections())
            .test_before_acquire(false)
            .connect(&url)
            .await?;
        sqlite::router(db)
    };
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
