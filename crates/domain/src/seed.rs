//! `quill seed`: realistic demo data, the same for the same seed value, written in batched
//! multi-row inserts inside a few large transactions.

use super::db::{Db, UserRepository};
use super::password;

/// Every demo account logs in with this password.
pub const DEMO_PASSWORD: &str = "quill-demo-password";

/// Rows per INSERT statement (4 binds each: well under both databases' limits).
const ROWS_PER_INSERT: usize = 500;
/// Rows per transaction.
const ROWS_PER_TRANSACTION: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already has a user named {0}: seed into a fresh database or use another --seed")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("could not render the posts: {0}")]
    Render(String),
}

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const ADJECTIVES: &[&str] = &[
    "quiet", "bright", "curious", "gentle", "bold", "amber", "swift", "clever", "lucky", "sunny",
    "misty", "brave", "calm", "eager", "fuzzy", "golden", "happy", "jolly", "keen", "lively",
];
const NOUNS: &[&str] = &[
    "otter", "falcon", "maple", "river", "comet", "badger", "harbor", "meadow", "pixel", "lantern",
    "cedar", "willow", "sparrow", "canyon", "ember", "fjord", "glacier", "heron", "island",
    "juniper",
];
const WORDS: &[&str] = &[
    "the",
    "a",
    "garden",
    "code",
    "morning",
    "coffee",
    "notes",
    "on",
    "why",
    "how",
    "I",
    "learned",
    "to",
    "stop",
    "worrying",
    "and",
    "love",
    "rust",
    "weekend",
    "trip",
    "mountains",
    "recipe",
    "for",
    "bread",
    "thoughts",
    "about",
    "writing",
    "small",
    "tools",
    "that",
    "last",
    "reading",
    "list",
    "winter",
    "light",
    "city",
    "walks",
    "building",
    "a",
    "shed",
    "from",
    "scratch",
    "lessons",
    "first",
    "year",
    "of",
    "running",
    "open",
    "source",
    "quiet",
    "places",
    "music",
];

fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
    let len = min + rng.below(max - min + 1);
    let mut words: Vec<&str> = (0..len).map(|_| rng.pick(WORDS)).collect();
    let mut text = words.remove(0).to_string();
    if let Some(first) = text.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    for word in words {
        text.push(' ');
        text.push_str(word);
    }
    text
}

fn content(rng: &mut Rng) -> String {
    let paragraphs = 1 + rng.below(3);
    (0..paragraphs)
        .map(|_| {
            let sentences = 2 + rng.below(4);
            (0..sentences)
                .map(|_| format!("{}.", sentence(rng, 6, 16)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub struct SeedReport {
    pub users: usize,
    pub posts: usize,
}

/// The demo posts' tags: tag `i` goes to every post whose id plus `i` is a multiple of
/// `i + 3` (a third of the posts have `rust`, a tenth `gardening`; some have none).
const TAGS: &[&str] = &[
    "rust",
    "web",
    "travel",
    "cooking",
    "books",
    "music",
    "photography",
    "gardening",
];

/// Tags the posts after id `after`, one statement per tag (the triggers count them).
async fn tag(db: &Db, after: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::db::begin_write(db).await?;
    for (i, name) in TAGS.iter().enumerate() {
        let (offset, step) = (i as i64, i as i64 + 3);
        sqlx::query("INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO post_tags (post_id, tag_id, date_posted) \
             SELECT p.id, t.id, p.date_posted FROM posts p, tags t \
             WHERE t.name = $1 AND p.id > $2 AND (p.id + $3) % $4 = 0",
        )
        .bind(name)
        .bind(after)
        .bind(offset)
        .bind(step)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE posts SET tags = CASE WHEN tags = '' THEN $1 ELSE tags || ', ' || $1 END \
             WHERE id > $2 AND (id + $3) % $4 = 0",
        )
        .bind(name)
        .bind(after)
        .bind(offset)
        .bind(step)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Adds `users` accounts and `posts` posts spread over the year before 2026-11-01 (UTC).
pub async fn seed(db: &Db, users: usize, posts: usize, seed: u64) -> Result<SeedReport, SeedError> {
    let mut rng = Rng(seed);
    let names: Vec<String> = (1..=users)
        .map(|i| {
            let name = format!("{}_{}{i}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
            name.chars().take(20).collect()
        })
        .collect();
    for name in names.iter().take(1) {
        if UserRepository::by_username(db, name).await?.is_some() {
            return Err(SeedError::Exists(name.clone()));
        }
    }
    // One hash for every demo user; a command line tool, so no pool to wait for.
    let hash = tokio::task::spawn_blocking(|| password::hash_blocking(DEMO_PASSWORD))
        .await
        .map_err(|e| password::PasswordError::Hash(e.to_string()))??;
    let end: i64 = 1_793_491_200; // 2026-11-01T00:00:00Z
    let start = end - 365 * 86_400;

    let mut tx = super::db::begin_write(db).await?;
    let mut user_ids = Vec::with_capacity(users);
    for (i, name) in names.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, 0, $4) RETURNING id",
        )
        .bind(name)
        .bind(format!("{}@example.com", name.to_lowercase()))
        .bind(&hash)
        .bind(start + i as i64)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match super::db::UniqueKey::violated(&e).is_some() {
            true => SeedError::Exists(name.clone()),
            false => SeedError::Db(e),
        })?;
        user_ids.push(id);
    }
    tx.commit().await?;
    if user_ids.is_empty() {
        return Ok(SeedReport { users: 0, posts: 0 });
    }

    let first_post: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM posts")
        .fetch_one(db)
        .await?;

    // Each post's slug is written with it (naming 100,000 posts afterwards, a row update
    // each, cost the PostgreSQL seed a minute): the title's, numbered past the first use.
    let mut slugs: std::collections::HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT slug FROM posts WHERE slug IS NOT NULL")
            .fetch_all(db)
            .await?
            .into_iter()
            .collect();
    let mut slug_for = |title: &str| {
        let base = super::slug::slugify(title);
        let slug = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|s| !slugs.contains(s))
            .unwrap_or(base);
        slugs.insert(slug.clone());
        slug
    };

    // Posts in time order, so ids and dates agree as they would in real life.
    let step = ((end - start) / posts.max(1) as i64).max(1);
    let mut written = 0;
    while written < posts {
        let mut tx = super::db::begin_write(db).await?;
        let chunk_end = (written + ROWS_PER_TRANSACTION).min(posts);
        while written < chunk_end {
            let batch_end = (written + ROWS_PER_INSERT).min(chunk_end);
            let rows: Vec<(i64, String, String, i64, String)> = (written..batch_end)
                .map(|i| {
                    let author = user_ids[rng.below(user_ids.len())];
                    let title = sentence(&mut rng, 3, 9);
                    let body = content(&mut rng);
                    let at = start + i as i64 * step + rng.below(step as usize) as i64;
                    let slug = slug_for(&title);
                    (author, title, body, at, slug)
                })
                .collect();
            // `$n` placeholders, which both databases accept through the Any driver.
            let mut sql = String::from(
                "INSERT INTO posts (user_id, title, content, date_posted, updated_at, slug) VALUES ",
            );
            for i in 0..rows.len() {
                let n = i * 5;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 4,
                    n + 5
                ));
            }
            let mut insert = sqlx::query(&sql);
            for (author, title, body, at, slug) in rows {
                insert = insert
                    .bind(author)
                    .bind(title)
                    .bind(body)
                    .bind(at)
                    .bind(slug);
            }
            insert.execute(&mut *tx).await?;
            written = batch_end;
        }
        tx.commit().await?;
    }
    tag(db, first_post).await?;
    // What each post renders to (plain text here), as any post written by the old renderer.
    super::posts::render_stale(db)
        .await
        .map_err(|err| SeedError::Render(err.to_string()))?;
    super::slug::assign_missing(db)
        .await
        .map_err(|err| SeedError::Render(err.to_string()))?;
    // PostgreSQL plans from statistics that autovacuum gathers only some time after a bulk
    // load; until then a fresh demo database answers the home page and search from
    // estimates for an empty table. SQLite's planner keeps its built-in guesses.
    if super::db::Backend::of_pool(db) == super::db::Backend::Postgres {
        sqlx::query("ANALYZE").execute(db).await?;
    }
    Ok(SeedReport { users, posts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_text() {
        let (mut a, mut b, mut c) = (Rng(7), Rng(7), Rng(8));
        let (ta, tb, tc) = (content(&mut a), content(&mut b), content(&mut c));
        assert_eq!(ta, tb);
        assert_ne!(ta, tc);
        assert!(ta.ends_with('.'));
    }
}
