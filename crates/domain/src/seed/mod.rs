//! `quill seed`: realistic demo data, the same for the same seed value, written in batched
//! multi-row inserts inside a few large transactions. Two corpora: the short one, the default,
//! a few sentences of plain text a post; and one shaped like real blogs, for benchmarks:
//! Markdown posts of a few thousand characters (some of tens of thousands) with headings,
//! lists, code and links, and comments, likes and follows among their authors.

use super::db::{Db, UserRepository};
use super::password;
use crate::markdown::{Rendered, RENDERER_VERSION};
use crate::model::{group_thousands, PostFormat, PostSummary};

mod blog;
mod markdown;
mod report;
mod rows;
mod short;
mod talk;

use blog::blog_posts;
pub use blog::{BLOG_MAX_CHARS, BLOG_MIN_CHARS};
pub use report::SeedReport;
use rows::{insert_rows, ROWS_PER_INSERT, ROWS_PER_TRANSACTION};
use short::short_posts;
use talk::{talk, Talk};

/// Every demo account logs in with this password.
pub const DEMO_PASSWORD: &str = "quill-demo-password";

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

    /// A uniform draw from (0, 1]: 53 random bits, never 0 (a logarithm's argument).
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal draw, by Box–Muller (the pair's second value is not kept). `ln` and
    /// `cos` (and the caller's `exp`) are the platform's: on another system a draw may differ
    /// in its last bit and, rarely, a length rounded from it, and with it all that follows.
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// What the seeded posts are like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Corpus {
    /// A few sentences of plain text a post (about 450 characters), tags, and nothing else:
    /// what `quill seed` has always written, the same for the same seed value.
    #[default]
    Short,
    /// Posts shaped like real blogs': Markdown of a log-normal length (median 3,500
    /// characters, mean about 5,250, within 300 to 60,000) with headings, paragraphs, lists,
    /// code blocks, links, emphasis and the odd quote; a summary on half of them; tags as the
    /// short corpus has; comments on a third of the posts, likes and follows.
    Blog,
}

impl Corpus {
    /// The corpus a name (`short` or `blog`) stands for.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "short" => Some(Self::Short),
            "blog" => Some(Self::Blog),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Short => "short",
            Self::Blog => "blog",
        }
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
        // The tag's rows and the posts' own list of their tags, for the same posts.
        for sql in [
            "INSERT INTO post_tags (post_id, tag_id, date_posted) \
             SELECT p.id, t.id, p.date_posted FROM posts p, tags t \
             WHERE t.name = $1 AND p.id > $2 AND (p.id + $3) % $4 = 0",
            "UPDATE posts SET tags = CASE WHEN tags = '' THEN $1 ELSE tags || ', ' || $1 END \
             WHERE id > $2 AND (id + $3) % $4 = 0",
        ] {
            sqlx::query(sql)
                .bind(name)
                .bind(after)
                .bind(offset)
                .bind(step)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}

/// Adds `users` accounts and `posts` posts of `corpus` spread over the year before 2026-11-01
/// (UTC), and for the blog corpus their comments, likes and follows.
pub async fn seed(
    db: &Db,
    users: usize,
    posts: usize,
    seed: u64,
    corpus: Corpus,
) -> Result<SeedReport, SeedError> {
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
        return Ok(SeedReport {
            corpus,
            ..SeedReport::default()
        });
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
    let lengths = match corpus {
        Corpus::Short => {
            short_posts(db, &mut rng, &user_ids, posts, (start, step), &mut slug_for).await?
        }
        Corpus::Blog => {
            blog_posts(db, &mut rng, &user_ids, posts, (start, step), &mut slug_for).await?
        }
    };
    tag(db, first_post).await?;
    // What each post renders to, as any post written by the old renderer: the short corpus's
    // plain text; the blog corpus's posts were rendered as they were written.
    super::posts::render_stale(db)
        .await
        .map_err(|err| SeedError::Render(err.to_string()))?;
    super::slug::assign_missing(db)
        .await
        .map_err(|err| SeedError::Render(err.to_string()))?;
    let talk = match corpus {
        Corpus::Short => Talk::default(),
        Corpus::Blog => talk(db, &mut rng, &user_ids, first_post, (start, end)).await?,
    };
    // PostgreSQL plans from statistics and walks an index without visiting the table only
    // where the visibility map says it may, both of which autovacuum brings only some time
    // after a bulk load; until then a fresh demo database answers from estimates for an empty
    // table, and a deep page visits every post it skips. SQLite's planner keeps its built-in
    // guesses.
    if super::db::Backend::of_pool(db) == super::db::Backend::Postgres {
        sqlx::query("VACUUM ANALYZE").execute(db).await?;
    }
    let longest: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM posts WHERE id > $1 ORDER BY LENGTH(content) DESC, id LIMIT 1",
    )
    .bind(first_post)
    .fetch_optional(db)
    .await?;
    let mut report = SeedReport::of(corpus, users, lengths, talk);
    report.longest_post = longest;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::short::content;
    use super::*;
    #[test]
    fn the_same_seed_gives_the_same_text() {
        let (mut a, mut b, mut c) = (Rng(7), Rng(7), Rng(8));
        let (ta, tb, tc) = (content(&mut a), content(&mut b), content(&mut c));
        assert_eq!(ta, tb);
        assert_ne!(ta, tc);
        assert!(ta.ends_with('.'));
    }
    #[test]
    fn corpora_have_names() {
        assert_eq!(Corpus::default(), Corpus::Short);
        for corpus in [Corpus::Short, Corpus::Blog] {
            assert_eq!(Corpus::parse(corpus.as_str()), Some(corpus));
        }
        assert_eq!(Corpus::parse("Blog"), None);
    }
    #[test]
    fn normal_draws_are_standard() {
        let mut rng = Rng(1);
        let draws: Vec<f64> = (0..100_000).map(|_| rng.normal()).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(
            mean.abs() < 0.02 && (variance - 1.0).abs() < 0.03,
            "{mean} {variance}"
        );
    }
}
