//! Where a page's time goes, for the build at hand: Quill's own router, in this process, asked
//! by 64 tasks at once for as many seconds as it is told (as wrk's 64 connections ask a
//! server), without sockets or an HTTP client sharing the cores. For each part, the time a
//! request costs (1 ÷ requests a second, the figure the benchmark's ratios are made of):
//!
//! - the outer layers alone (`/healthz`, beside the site: request id, trace, timeout, metrics);
//! - the site's layers too (`/robots.txt`: the session, same-origin and server-function layers);
//! - the layout alone (`/about`: a page in the layout that reads nothing);
//! - the data reads alone: what the home page's server functions call (a page of the feed as
//!   cards and the most used tags), without HTTP or rendering;
//! - `/about` and then the data reads, in one task: the two side by side on the same cores;
//! - the home page's cards and its tag list rendered alone (Leptos' `to_html` of the same
//!   components, from data read once), without HTTP or the database;
//! - whole pages: home, home page 1000, a user's, a tag's, a post's (the longest post).
//!
//! Nothing here is reachable by a visitor: it is an example, run against a seeded database.
//!
//!     cargo run --release --features ssr --example breakdown -- sqlite://bench.db [seconds]
//!
//! `scripts/breakdown.sh` seeds a database with the blog corpus, builds and runs it.
//!
//! With `count PART N` it instead does one part N times, one after the other in one task, for
//! an instruction counter to read (`scripts/instructions.sh` runs it under callgrind with two
//! values of N: the difference over the difference of N is what one request costs, without
//! start-up, whatever else the machine is doing). PART: healthz, about, reads, cards, tags,
//! home, page1000, user, tag, post.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use leptos::prelude::*;
use quill::components::posts::{MostUsedTags, PostCard};
use quill::domain::config::Config;
use quill::domain::posts;
use quill::web::server::Application;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The server's allocator, so that what is measured here is what it runs.
#[global_allocator]
static ALLOCATOR: quill::alloc::Allocator = mimalloc::MiMalloc;

/// Requests in flight at once, as the benchmark's wrk connections.
const IN_FLIGHT: usize = 64;

#[derive(Debug, thiserror::Error)]
enum BreakdownError {
    #[error("usage: breakdown DATABASE_URL [seconds | count PART N]")]
    Usage,
    #[error(transparent)]
    Config(#[from] quill::domain::config::ConfigError),
    #[error(transparent)]
    Start(#[from] quill::web::StartError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Domain(#[from] quill::domain::Error),
    #[error("{0} answered {1}")]
    Status(String, StatusCode),
    #[error("no part named {0}")]
    Part(String),
}

/// What is rendered alone.
#[derive(Clone, Copy)]
enum Part {
    Cards,
    Tags,
}

/// Runs `call` from `IN_FLIGHT` tasks for `time`; answers microseconds a call (1 ÷ calls a
/// second).
async fn per_call<F, Fut>(time: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + time;
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (call, done) = (call.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    call().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    let calls = done.load(Ordering::Relaxed).max(1);
    started.elapsed().as_secs_f64() * 1e6 / calls as f64
}

/// Runs `call` `n` times, one after the other.
async fn repeat<F, Fut>(n: u64, call: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..n {
        call().await;
    }
}

/// A browser's GET of `path`, from a client on loopback (as the server's listener records it).
fn page_request(path: &str) -> Request<Body> {
    let mut request = Request::get(path)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap_or_default();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    request
}

#[tokio::main]
async fn main() -> Result<(), BreakdownError> {
    quill::alloc::purge_at_once();
    let mut args = std::env::args().skip(1);
    let database_url = args.next().ok_or(BreakdownError::Usage)?;
    // `count PART N`, or the seconds each part is timed.
    let (seconds, count) = match args.next().as_deref() {
        Some("count") => {
            let part = args.next().ok_or(BreakdownError::Usage)?;
            let n: u64 = args
                .next()
                .and_then(|raw| raw.parse().ok())
                .ok_or(BreakdownError::Usage)?;
            (0, Some((part, n)))
        }
        Some(raw) => (raw.parse().map_err(|_| BreakdownError::Usage)?, None),
        None => (5, None),
    };
    let time = Duration::from_secs(seconds);
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(database_url.clone()),
        "SECRET_KEY" => Some("breakdown-secret-breakdown-secret-0123".into()),
        "PUBLIC_URL" => Some(format!("http://{addr}")),
        other => std::env::var(other).ok(),
    })?;
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("quill")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let app = Application::build_on(listener, config, options).await?;
    let state = app.state().clone();
    let router = quill::web::router::router(state.clone());

    // What the pages name: a user with posts, a tag, the longest post.
    let db = &state.db;
    let (user,): (String,) =
        sqlx::query_as("SELECT username FROM users ORDER BY post_count DESC, id LIMIT 1")
            .fetch_one(db)
            .await?;
    let (tag,): (String,) =
        sqlx::query_as("SELECT name FROM tags ORDER BY post_count DESC, id LIMIT 1")
            .fetch_one(db)
            .await?;
    let (longest, chars): (i64, i64) = sqlx::query_as(
        "SELECT id, LENGTH(content) FROM posts ORDER BY LENGTH(content) DESC, id LIMIT 1",
    )
    .fetch_one(db)
    .await?;
    let (posts_count, total_chars): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(LENGTH(content)), 0) AS BIGINT) FROM posts",
    )
    .fetch_one(db)
    .await?;

    let get = |path: String| {
        let router = router.clone();
        move || {
            let router = router.clone();
            let path = path.clone();
            async move {
                let Ok(response) = router.oneshot(page_request(&path)).await;
                let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
            }
        }
    };
    // Each path answers 200 before it is timed.
    let paths = [
        ("outer layers (/healthz)", "/healthz".to_string()),
        ("site layers (/robots.txt)", "/robots.txt".to_string()),
        ("layout, no data (/about)", "/about".to_string()),
        ("home page", "/".to_string()),
        ("home page 1000", "/?page=1000".to_string()),
        ("user page", format!("/user/{user}")),
        ("tag page", format!("/tag/{tag}")),
        ("post page (the longest post)", format!("/post/{longest}")),
    ];
    for (label, path) in &paths {
        let Ok(response) = router.clone().oneshot(page_request(path)).await;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(BreakdownError::Status(label.to_string(), status));
        }
    }
    posts::feed(db, None, 1).await?;
    let data = {
        let state = state.clone();
        move || {
            let state = state.clone();
            async move {
                let _ = posts::feed(&state.db, None, 1).await;
                let _ = state.tags.get(&state.db).await;
            }
        }
    };
    // The same cards and tags every time: what rendering them costs, apart from reading them.
    let page = posts::feed(db, None, 1).await?;
    let tags = state.tags.get(db).await?;
    let render = |part: Part| {
        let (cards, tags) = (page.posts.clone(), tags.as_ref().clone());
        move || {
            let (cards, tags) = (cards.clone(), tags.clone());
            async move {
                let owner = Owner::new();
                let html = owner.with(|| match part {
                    Part::Cards => cards
                        .into_iter()
                        .map(|post| view! { <PostCard post/> })
                        .collect_view()
                        .to_html(),
                    Part::Tags => view! { <MostUsedTags tags/> }.to_html(),
                });
                std::hint::black_box(html);
            }
        }
    };

    if let Some((part, n)) = count {
        let path = |name: &str| {
            let at = match name {
                "healthz" => 0,
                "about" => 2,
                "home" => 3,
                "page1000" => 4,
                "user" => 5,
                "tag" => 6,
                "post" => 7,
                _ => return None,
            };
            Some(paths[at].1.clone())
        };
        match part.as_str() {
            "reads" => repeat(n, data).await,
            "cards" => repeat(n, render(Part::Cards)).await,
            "tags" => repeat(n, render(Part::Tags)).await,
            name => match path(name) {
                Some(path) => repeat(n, get(path)).await,
                None => return Err(BreakdownError::Part(part)),
            },
        }
        println!("{part} ×{n}");
        return Ok(());
    }

    println!(
        "Quill {}, {} posts ({} characters, the longest {chars}), {IN_FLIGHT} in flight, {seconds} s each",
        std::env::var("QUILL_COMMIT").unwrap_or_else(|_| env!("CARGO_PKG_VERSION").into()),
        posts_count,
        total_chars
    );
    println!("{:<34} {:>12}", "part", "µs a request");
    let mut figures = Vec::new();
    for (label, path) in paths.iter().take(3) {
        let us = per_call(time, get(path.clone())).await;
        println!("{label:<34} {us:>12.1}");
        figures.push(us);
    }
    let data_us = per_call(time, data.clone()).await;
    println!("{:<34} {data_us:>12.1}", "home page's data reads alone");
    // The layout's page and the same reads in one task, one after the other: what the two cost
    // side by side on the same cores, without the page's own path from one to the other.
    let both = {
        let (about, data) = (get("/about".to_string()), data.clone());
        move || {
            let (about, data) = (about.clone(), data.clone());
            async move {
                about().await;
                data().await;
            }
        }
    };
    let both_us = per_call(time, both).await;
    println!("{:<34} {both_us:>12.1}", "/about, then the reads");
    let cards_us = per_call(time, render(Part::Cards)).await;
    println!("{:<34} {cards_us:>12.1}", "its 5 cards rendered alone");
    let tags_us = per_call(time, render(Part::Tags)).await;
    println!("{:<34} {tags_us:>12.1}", "its tag list rendered alone");
    for (label, path) in paths.iter().skip(3) {
        let us = per_call(time, get(path.clone())).await;
        println!("{label:<34} {us:>12.1}");
        figures.push(us);
    }
    let (outer, site, layout, home) = (figures[0], figures[1], figures[2], figures[3]);
    println!();
    println!("The home page, by part (µs; shares of the whole)");
    let share = |us: f64| 100.0 * us / home;
    for (label, us) in [
        ("outer layers", outer),
        ("site layers", site - outer),
        ("layout", layout - site),
        ("data reads", data_us),
        ("cards", cards_us),
        ("tag list", tags_us),
        ("the rest", home - layout - data_us - cards_us - tags_us),
    ] {
        println!("  {label:<30} {us:>8.1} {:>5.0}%", share(us));
    }
    println!(
        "The layout's page and the reads cost {both_us:.1} µs together ({:.1} more than apart); \
         the home page costs {:.1} µs more than the two together.",
        both_us - layout - data_us,
        home - both_us
    );
    Ok(())
}
