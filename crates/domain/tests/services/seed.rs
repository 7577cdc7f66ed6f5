//! `quill seed`: the short corpus stays what it always was, byte for byte; the blog corpus is
//! shaped like real blogs, rendered, talked about, and counted right.

use crate::common::{on_each_database, TestDomain};
use quill_domain::db::Db;
use quill_domain::markdown::Rendered;
use quill_domain::model::PostFormat;
use quill_domain::posts;
use quill_domain::seed::{self, Corpus};
use sha2::{Digest, Sha256};

/// A SHA-256 over every user and post the seed writes, field by field, in id order.
async fn fingerprint(db: &Db) -> String {
    let users: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, username, email, created_at FROM users ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    type Post = (i64, i64, String, String, String, String, String, String);
    let posts: Vec<Post> = sqlx::query_as(
        "SELECT id, user_id, title, content, format, summary, COALESCE(slug, ''), tags \
         FROM posts ORDER BY id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let rendered: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT content_html, excerpt, words, date_posted, updated_at FROM posts ORDER BY id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut hash = Sha256::new();
    let mut field = |text: &str| {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    };
    for (id, name, email, at) in users {
        for f in [id.to_string(), name, email, at.to_string()] {
            field(&f);
        }
    }
    for ((id, user, title, content, format, summary, slug, tags), (html, excerpt, w, at, up)) in
        posts.into_iter().zip(rendered)
    {
        for f in [
            id.to_string(),
            user.to_string(),
            title,
            content,
            format,
            summary,
            slug,
            tags,
        ] {
            field(&f);
        }
        for f in [html, excerpt, w.to_string(), at.to_string(), up.to_string()] {
            field(&f);
        }
    }
    format!("{:x}", hash.finalize())
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// The short corpus, the default, writes what the seed wrote before there were corpora:
    /// the fingerprint below was taken from that code. It covers what the posts render to as
    /// well, so a change of how plain text renders changes it too.
    short_corpus_is_unchanged,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let report = seed::seed(domain.db(), 3, 700, 42, Corpus::Short)
            .await
            .unwrap();
        assert_eq!((report.users, report.posts), (3, 700));
        let print = fingerprint(domain.db()).await;
        assert_eq!(
            print,
            "4d7ce3d4e462330e85a5ab74f19d708a86e10625a729d9501e41b970dad93d1c"
        );
    }
);

/// A SHA-256 over every comment, like and follow, in key order.
async fn talk_fingerprint(db: &Db) -> String {
    let comments: Vec<(i64, i64, i64, String, i64)> =
        sqlx::query_as("SELECT id, post_id, user_id, body, created_at FROM comments ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    let likes: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT user_id, post_id, created_at FROM likes ORDER BY user_id, post_id")
            .fetch_all(db)
            .await
            .unwrap();
    let follows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT follower_id, followee_id, created_at FROM follows \
         ORDER BY follower_id, followee_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut hash = Sha256::new();
    for (id, post, user, body, at) in comments {
        hash.update(format!("c {id} {post} {user} {at} {} ", body.len()));
        hash.update(body.as_bytes());
    }
    for (a, b, at) in likes {
        hash.update(format!("l {a} {b} {at} "));
    }
    for (a, b, at) in follows {
        hash.update(format!("f {a} {b} {at} "));
    }
    format!("{:x}", hash.finalize())
}

/// Rows a query finds: 0 where the query looks for what must not be.
async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(db)
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
}

/// Counters that disagree with the rows they count, each query naming its counter.
const COUNTERS: &[&str] = &[
    "SELECT COUNT(*) FROM posts p WHERE comment_count <> \
     (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)",
    "SELECT COUNT(*) FROM posts p WHERE like_count <> \
     (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id)",
    "SELECT COUNT(*) FROM users u WHERE like_count <> \
     (SELECT COUNT(*) FROM likes l WHERE l.user_id = u.id)",
    "SELECT COUNT(*) FROM users u WHERE post_count <> \
     (SELECT COUNT(*) FROM posts p WHERE p.user_id = u.id)",
    "SELECT COUNT(*) FROM users u WHERE follower_count <> \
     (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id)",
    "SELECT COUNT(*) FROM users u WHERE following_count <> \
     (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id)",
    "SELECT COUNT(*) FROM tags t WHERE post_count <> \
     (SELECT COUNT(*) FROM post_tags pt WHERE pt.tag_id = t.id)",
    "SELECT COUNT(*) FROM post_totals WHERE posts <> (SELECT COUNT(*) FROM posts)",
];

/// What must not be in a seeded conversation, each query naming it.
const NEVER: &[&str] = &[
    // A comment or a like by the post's author, or from before the post.
    "SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id \
     WHERE c.user_id = p.user_id OR c.created_at < p.date_posted",
    "SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id \
     WHERE l.user_id = p.user_id OR l.created_at < p.date_posted",
    // A comment out of its length, a post with more than eight.
    "SELECT COUNT(*) FROM comments WHERE LENGTH(body) < 40 OR LENGTH(body) > 600",
    "SELECT COUNT(*) FROM posts WHERE comment_count > 8",
    // A summary too long, a post not Markdown or not rendered by this renderer.
    "SELECT COUNT(*) FROM posts WHERE LENGTH(summary) > 200",
    "SELECT COUNT(*) FROM posts WHERE format <> 'markdown'",
    "SELECT COUNT(*) FROM posts WHERE content_html = '' OR excerpt = '' OR words = 0",
];

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    /// The blog corpus: Markdown posts of log-normal lengths, rendered with headings, lists,
    /// code and links; comments, likes and follows by others than the author, after the post,
    /// with every counter equal to a count; the same data for the same seed, other data for
    /// another.
    blog_corpus,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = domain.db();
        let report = seed::seed(db, 5, 200, 42, Corpus::Blog).await.unwrap();
        assert_eq!(
            (report.corpus, report.users, report.posts),
            (Corpus::Blog, 5, 200)
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM posts").await, 200);
        for sql in COUNTERS.iter().chain(NEVER) {
            assert_eq!(count(db, sql).await, 0, "{sql}");
        }
        assert_eq!(posts::render_stale(db).await.unwrap(), 0, "all rendered");

        // Lengths: within bounds, and spread as asked (median 3,500, mean about 5,250).
        let posts: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT content, content_html, excerpt, summary FROM posts ORDER BY id")
                .fetch_all(db)
                .await
                .unwrap();
        let mut lengths: Vec<usize> = posts.iter().map(|p| p.0.chars().count()).collect();
        lengths.sort_unstable();
        let total: usize = lengths.iter().sum();
        let (median, max) = (lengths[lengths.len() / 2], lengths[lengths.len() - 1]);
        assert_eq!(
            (report.characters, report.median_chars, report.max_chars),
            (total as u64, median, max)
        );
        assert!(
            lengths[0] >= seed::BLOG_MIN_CHARS && max <= seed::BLOG_MAX_CHARS,
            "{lengths:?}"
        );
        assert!((2_800..=4_400).contains(&median), "median {median}");
        let mean = total / lengths.len();
        assert!((4_000..=7_000).contains(&mean), "mean {mean}");
        assert!(max > 12_000, "a long tail: {max}");

        // Rendered as a real post is, with what real blogs have. Most authors write their
        // sections `##`, which Quill shows as `<h3>` (a post's `#` is its `<h2>`); some `#`.
        let has = |part: &str| posts.iter().filter(|p| p.1.contains(part)).count();
        let headed = |html: &str| html.contains("<h2") || html.contains("<h3");
        let headings = posts.iter().filter(|p| headed(&p.1)).count();
        let lists = posts
            .iter()
            .filter(|p| p.1.contains("<ul") || p.1.contains("<ol"));
        let (code, links) = (has("<pre><code"), has("<a "));
        eprintln!(
            "{backend:?}: of 200 posts {headings} have headings, {} lists, {code} code, \
             {links} links; <h2 {}, <h3 {}, <h4 {}, <blockquote {}, <strong> {}, <em> {}",
            lists.clone().count(),
            has("<h2"),
            has("<h3"),
            has("<h4"),
            has("<blockquote"),
            has("<strong>"),
            has("<em>")
        );
        assert!(headings >= 180 && lists.count() >= 130, "{headings}");
        assert!(code >= 110 && links >= 180, "{code} {links}");
        assert!(has("<h2") >= 20 && has("<h3") >= 100 && has("<h4") >= 20);
        assert!(has("<blockquote") >= 10 && has("<strong>") >= 100 && has("<em>") >= 100);
        for (content, html, _, _) in &posts {
            if content.len() >= 6_000 {
                assert!(headed(html), "a heading in\n{content}");
                for part in ["<ul", "<ol", "<pre><code>", "<a ", "<p>"] {
                    assert!(html.contains(part), "{part} in\n{content}");
                }
            }
        }
        let (first, html) = (&posts[0].0, &posts[0].1);
        assert_eq!(*html, Rendered::of(PostFormat::Markdown, first).html);
        let summaries = posts.iter().filter(|p| !p.3.is_empty()).count();
        assert!((70..=130).contains(&summaries), "{summaries} summaries");

        // Talk: a third of the posts commented, likes skewed, a third of the users followed.
        let comments = count(db, "SELECT COUNT(*) FROM comments").await;
        let likes = count(db, "SELECT COUNT(*) FROM likes").await;
        let follows = count(db, "SELECT COUNT(*) FROM follows").await;
        assert_eq!(
            (comments, likes, follows),
            (
                report.comments as i64,
                report.likes as i64,
                report.follows as i64
            )
        );
        let commented = count(db, "SELECT COUNT(*) FROM posts WHERE comment_count > 0").await;
        assert!((45..=90).contains(&commented), "{commented} commented");
        let liked = count(db, "SELECT COUNT(*) FROM posts WHERE like_count > 0").await;
        let most = count(db, "SELECT MAX(like_count) FROM posts").await;
        assert!(
            liked > 50 && liked < 190 && most == 4,
            "{liked} liked, at most {most}"
        );
        assert!(
            (2..=14).contains(&follows),
            "{follows} follows of 20 possible"
        );

        // The same seed gives the same data; another seed other data.
        let (print, talk) = (fingerprint(db).await, talk_fingerprint(db).await);
        let again = TestDomain::start(backend).await;
        seed::seed(again.db(), 5, 200, 42, Corpus::Blog)
            .await
            .unwrap();
        assert_eq!(fingerprint(again.db()).await, print);
        assert_eq!(talk_fingerprint(again.db()).await, talk);
        let other = TestDomain::start(backend).await;
        seed::seed(other.db(), 5, 200, 43, Corpus::Blog)
            .await
            .unwrap();
        assert_ne!(fingerprint(other.db()).await, print);
        assert_ne!(talk_fingerprint(other.db()).await, talk);
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a measurement: cargo test --release -p quill-domain --test services \
                seed::blog_seed_time -- --ignored --nocapture"]
    /// How long seeding 10 users and 10,000 blog posts takes, and the lengths it wrote.
    blog_seed_time,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let started = std::time::Instant::now();
        let report = seed::seed(domain.db(), 10, 10_000, 1, Corpus::Blog)
            .await
            .unwrap();
        let took = started.elapsed();
        let mut lengths: Vec<i64> = sqlx::query_scalar("SELECT LENGTH(content) FROM posts")
            .fetch_all(domain.db())
            .await
            .unwrap();
        lengths.sort_unstable();
        let at = |q: f64| lengths[((lengths.len() - 1) as f64 * q) as usize];
        eprintln!(
            "{backend:?}: seeded in {took:.2?}: {report}\n  lengths: min {}, p10 {}, median {}, \
             p90 {}, p99 {}, max {}",
            at(0.0),
            at(0.1),
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        );
        for sql in COUNTERS {
            assert_eq!(count(domain.db(), sql).await, 0, "{sql}");
        }
    }
);
