//! `quill seed`: the short corpus stays what it always was, byte for byte; the blog corpus is
//! shaped like real blogs, rendered, talked about, and counted right.

use crate::common::{on_each_database, TestDomain};
use quill_domain::db::Db;
use quill_domain::seed;
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
    /// the fingerprint below was taken from that code.
    short_corpus_is_unchanged,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let report = seed::seed(domain.db(), 3, 700, 42).await.unwrap();
        assert_eq!((report.users, report.posts), (3, 700));
        let print = fingerprint(domain.db()).await;
        assert_eq!(
            print,
            "4d7ce3d4e462330e85a5ab74f19d708a86e10625a729d9501e41b970dad93d1c"
        );
    }
);
