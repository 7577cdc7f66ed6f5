//! `quill seed`: realistic demo data, the same for the same seed value, written in batched
//! multi-row inserts inside a few large transactions. Two corpora: the short one, the default,
//! a few sentences of plain text a post; and one shaped like real blogs, for benchmarks:
//! Markdown posts of a few thousand characters (some of tens of thousands) with headings,
//! lists, code and links, and comments, likes and follows among their authors.

use super::db::{Db, UserRepository};
use super::password;
use crate::markdown::{Rendered, RENDERER_VERSION};
use crate::model::{group_thousands, PostFormat, PostSummary};

/// Every demo account logs in with this password.
pub const DEMO_PASSWORD: &str = "quill-demo-password";

/// Rows per INSERT statement (at most 12 binds a row, 6,000 a statement: well under both
/// databases' limits, SQLite's 32,766 and PostgreSQL's 65,535).
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

/// What a seed wrote, as a benchmark describes what it ran on. Lengths count characters of
/// the posts' sources (Markdown or plain text) as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub corpus: Corpus,
    pub users: usize,
    pub posts: usize,
    /// Characters of all the posts together.
    pub characters: u64,
    /// The middle post's length (of two middle ones, the longer).
    pub median_chars: usize,
    pub max_chars: usize,
    /// The id of a post of `max_chars` characters (a benchmark reads its page).
    pub longest_post: Option<i64>,
    pub comments: usize,
    pub likes: usize,
    pub follows: usize,
}

impl SeedReport {
    /// The figures of `lengths`, the posts' lengths in any order.
    fn of(corpus: Corpus, users: usize, mut lengths: Vec<usize>, talk: Talk) -> Self {
        lengths.sort_unstable();
        Self {
            corpus,
            users,
            posts: lengths.len(),
            characters: lengths.iter().map(|&n| n as u64).sum(),
            median_chars: lengths.get(lengths.len() / 2).copied().unwrap_or(0),
            max_chars: lengths.last().copied().unwrap_or(0),
            longest_post: None,
            comments: talk.comments,
            likes: talk.likes,
            follows: talk.follows,
        }
    }

    /// The posts' mean length in characters (0 without posts).
    pub fn mean_chars(&self) -> f64 {
        self.characters as f64 / self.posts.max(1) as f64
    }
}

/// One line: `blog corpus: 10 users, 10,000 posts of 52,270,167 characters (median 3,538,
/// mean 5,227, longest 59,998), 14,790 comments, 20,761 likes, 26 follows`.
impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: usize| group_thousands(n as u64);
        write!(
            f,
            "{} corpus: {} users, {} posts of {} characters (median {}, mean {}, longest {}), \
             {} comments, {} likes, {} follows",
            self.corpus.as_str(),
            n(self.users),
            n(self.posts),
            group_thousands(self.characters),
            n(self.median_chars),
            n(self.mean_chars().round() as usize),
            n(self.max_chars),
            n(self.comments),
            n(self.likes),
            n(self.follows),
        )
    }
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

/// Writes `posts` short posts by `authors`, the `i`th at `start + i * step` plus up to a
/// `step` more, in batched inserts. Answers each post's length.
async fn short_posts(
    db: &Db,
    rng: &mut Rng,
    authors: &[i64],
    posts: usize,
    (start, step): (i64, i64),
    slug_for: &mut impl FnMut(&str) -> String,
) -> Result<Vec<usize>, SeedError> {
    let mut lengths = Vec::with_capacity(posts);
    let mut written = 0;
    while written < posts {
        let mut tx = super::db::begin_write(db).await?;
        let chunk_end = (written + ROWS_PER_TRANSACTION).min(posts);
        while written < chunk_end {
            let batch_end = (written + ROWS_PER_INSERT).min(chunk_end);
            let rows: Vec<(i64, String, String, i64, String)> = (written..batch_end)
                .map(|i| {
                    let author = authors[rng.below(authors.len())];
                    let title = sentence(rng, 3, 9);
                    let body = content(rng);
                    let at = start + i as i64 * step + rng.below(step as usize) as i64;
                    let slug = slug_for(&title);
                    (author, title, body, at, slug)
                })
                .collect();
            lengths.extend(rows.iter().map(|(_, _, body, _, _)| body.chars().count()));
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
    Ok(lengths)
}

/// Blog posts' lengths in characters are log-normal: this median and spread (a mean of
/// about 5,250, the median times e^(σ²/2)), kept within the bounds below.
const BLOG_MEDIAN_CHARS: f64 = 3_500.0;
const BLOG_SIGMA: f64 = 0.9;
/// The shortest blog post, in characters.
pub const BLOG_MIN_CHARS: usize = 300;
/// The longest blog post, in characters. The seed writes its rows itself, past the rules a
/// writer's post is checked against: this may be more than `PostBody::MAX` allows them.
pub const BLOG_MAX_CHARS: usize = 60_000;
/// A post ends with a paragraph that brings it to its length: a block is added before it
/// only if this much room stays for it.
const LAST_PARAGRAPH: usize = 80;
/// The last word can take a text this far past the length asked for: a sentence's end
/// (`. `), the word, a full stop.
const LAST_WORD: usize = 12;
/// Blog posts written, rendered and inserted at a time (about 11 MB of source and HTML).
const BLOG_POSTS_PER_CHUNK: usize = 1_000;
/// Comments' lengths: log-normal around this median, kept within the bounds.
const COMMENT_MEDIAN_CHARS: f64 = 160.0;
const COMMENT_SIGMA: f64 = 0.8;
/// The shortest and the longest comment of the blog corpus, in characters.
const COMMENT_MIN_CHARS: usize = 40;
const COMMENT_MAX_CHARS: usize = 600;
/// The most likes a post gets (fewer when there are fewer other users).
const MOST_LIKES: usize = 20;
const DAY: i64 = 86_400;

/// A draw from a log-normal spread, rounded and kept within `min..=max`.
fn log_normal_chars(rng: &mut Rng, median: f64, sigma: f64, min: usize, max: usize) -> usize {
    let draw = median * (sigma * rng.normal()).exp();
    (draw.round() as usize).clamp(min, max)
}

/// Sentences of WORDS from a capital to a full stop, word by word, until `chars` characters
/// are written; a few words carry Markdown (`code`, *emphasis*, **strong**, a link) when
/// `markdown` is set, none in the last `LAST_PARAGRAPH` characters, so that the text ends
/// at most `LAST_WORD` characters past `chars`.
fn prose(rng: &mut Rng, chars: usize, markdown: bool) -> String {
    let mut text = String::with_capacity(chars + LAST_WORD);
    loop {
        let words = 6 + rng.below(11);
        for i in 0..words {
            let word = rng.pick(WORDS);
            if i > 0 {
                text.push(' ');
            }
            let marked = markdown && i > 0 && text.len() + LAST_PARAGRAPH < chars;
            match if marked { rng.below(60) } else { 60 } {
                0..=2 => {
                    text.push('`');
                    text.push_str(rng.pick(NOUNS));
                    text.push_str(["()", "_", "::new", ".len()", ""][rng.below(5)]);
                    text.push('`');
                }
                3 => text.push_str(&format!("*{word}*")),
                4 => text.push_str(&format!("**{word}**")),
                5 => {
                    let label = phrase(rng, 1, 3);
                    text.push_str(&format!("[{label}]({})", address(rng)));
                }
                _ if i == 0 => {
                    let mut first = word.to_string();
                    first[..1].make_ascii_uppercase();
                    text.push_str(&first);
                }
                _ => text.push_str(word),
            }
            if text.len() >= chars {
                text.push('.');
                return text;
            }
        }
        text.push_str(". ");
    }
}

/// `min` to `max` WORDS, as they come (a sentence's middle).
fn phrase(rng: &mut Rng, min: usize, max: usize) -> String {
    let len = min + rng.below(max - min + 1);
    (0..len)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An address on example.org, as a link in a post has.
fn address(rng: &mut Rng) -> String {
    format!(
        "https://example.org/{}/{}-{}",
        rng.pick(NOUNS),
        rng.pick(ADJECTIVES),
        rng.below(1000)
    )
}

/// A heading `level` deep (`#` is 1): two to six words, the first one capitalized.
fn heading(rng: &mut Rng, level: usize) -> String {
    format!("{} {}", "#".repeat(level), sentence(rng, 2, 6))
}

/// A paragraph of 120 to 600 characters; `linked` ends it with a sentence that links.
fn paragraph(rng: &mut Rng, linked: bool) -> String {
    let chars = 120 + rng.below(480);
    let mut text = prose(rng, chars, true);
    if linked {
        let lead = ["See", "More in", "I wrote about this in", "Compare"][rng.below(4)];
        let label = phrase(rng, 2, 5);
        text.push_str(&format!(" {lead} [{label}]({}).", address(rng)));
    }
    text
}

/// A bulleted (`- `) or numbered (`1. `) list of three to seven short items.
fn list(rng: &mut Rng, numbered: bool) -> String {
    let items = 3 + rng.below(5);
    (1..=items)
        .map(|n| {
            let marker = if numbered {
                format!("{n}.")
            } else {
                "-".into()
            };
            let item = match rng.below(4) {
                0 => format!("`{}` {}", rng.pick(NOUNS), phrase(rng, 2, 8)),
                _ => sentence(rng, 3, 12),
            };
            format!("{marker} {item}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A block quote of one to three sentences.
fn quote(rng: &mut Rng) -> String {
    (0..1 + rng.below(3))
        .map(|_| format!("> {}.", sentence(rng, 5, 14)))
        .collect::<Vec<_>>()
        .join("\n>\n")
}

/// A fenced code block: a Rust function or a shell session of three to fourteen lines, a
/// Cargo.toml or an SQL query.
fn code(rng: &mut Rng) -> String {
    let lines = 3 + rng.below(12);
    let (language, body): (&str, Vec<String>) = match rng.below(4) {
        0 | 1 => {
            let name = format!("{}_{}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
            let mut body = vec![format!("fn {name}({}: &[u32]) -> u32 {{", rng.pick(NOUNS))];
            for _ in 3..lines {
                body.push(match rng.below(4) {
                    0 => format!(
                        "    let {} = {}.iter().sum::<u32>();",
                        rng.pick(NOUNS),
                        rng.pick(NOUNS)
                    ),
                    1 => format!("    // {}", phrase(rng, 3, 9)),
                    2 => format!(
                        "    let mut {} = Vec::with_capacity({});",
                        rng.pick(NOUNS),
                        rng.below(1024)
                    ),
                    _ => format!("    println!(\"{{}}\", {});", rng.pick(NOUNS)),
                });
            }
            body.push(format!("    {}", rng.below(100)));
            body.push("}".into());
            ("rust", body)
        }
        2 => {
            let body = (0..lines)
                .map(|_| match rng.below(8) {
                    0 => format!(
                        "$ cargo {}",
                        ["build --release", "test", "run"][rng.below(3)]
                    ),
                    1 => format!("$ git commit -am \"{}\"", sentence(rng, 3, 8)),
                    2 => format!("$ curl -s {} | jq .{}", address(rng), rng.pick(NOUNS)),
                    3 => format!("$ grep -rn {} src/", rng.pick(NOUNS)),
                    4 => format!("$ ls -la ~/{}", rng.pick(NOUNS)),
                    5 => format!("$ systemctl status {}", rng.pick(NOUNS)),
                    6 => format!("$ du -sh /var/lib/{}", rng.pick(NOUNS)),
                    _ => format!("{} {}", rng.pick(NOUNS), rng.below(100_000)),
                })
                .collect();
            ("sh", body)
        }
        _ if rng.below(2) == 0 => {
            let mut body = vec![
                "[package]".to_string(),
                format!("name = \"{}-{}\"", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
                format!("version = \"0.{}.0\"", rng.below(20)),
                String::new(),
                "[dependencies]".to_string(),
            ];
            for _ in 5..lines.max(6) {
                body.push(format!(
                    "{} = \"{}.{}\"",
                    rng.pick(NOUNS),
                    rng.below(5),
                    rng.below(30)
                ));
            }
            ("toml", body)
        }
        _ => {
            let (table, a, b) = (rng.pick(NOUNS), rng.pick(ADJECTIVES), rng.pick(ADJECTIVES));
            let body = vec![
                format!("SELECT {a}, {b}, COUNT(*)"),
                format!("FROM {table}s"),
                format!("WHERE {a} > {}", rng.below(1000)),
                format!("GROUP BY {a}, {b}"),
                format!("ORDER BY COUNT(*) DESC LIMIT {};", 1 + rng.below(50)),
            ];
            ("sql", body)
        }
    };
    format!("```{language}\n{}\n```", body.join("\n"))
}

/// The blocks that are not paragraphs; each post has every one of the first three once
/// before any is repeated.
#[derive(Clone, Copy)]
enum Block {
    Code,
    Bullets,
    Numbered,
    Quote,
}

/// A section: a heading `level` deep, a paragraph, one other block, then more paragraphs,
/// sometimes under a heading one deeper. The first section's first paragraph ends with a
/// link.
fn section(rng: &mut Rng, level: usize, first: bool, unused: &mut Vec<Block>) -> Vec<String> {
    let mut blocks = vec![heading(rng, level), paragraph(rng, first)];
    let block = if unused.is_empty() {
        [
            Block::Code,
            Block::Bullets,
            Block::Numbered,
            Block::Code,
            Block::Bullets,
            Block::Quote,
        ][rng.below(6)]
    } else {
        unused.remove(rng.below(unused.len()))
    };
    blocks.push(match block {
        Block::Code => code(rng),
        Block::Bullets => list(rng, false),
        Block::Numbered => list(rng, true),
        Block::Quote => quote(rng),
    });
    if rng.below(3) == 0 {
        blocks.push(paragraph(rng, false));
    }
    if rng.below(4) == 0 {
        blocks.push(heading(rng, level + 1));
        blocks.push(paragraph(rng, false));
    }
    let linked = rng.below(3) == 0;
    blocks.push(paragraph(rng, linked));
    blocks
}

/// A blog post's Markdown source of `chars` characters or up to `LAST_WORD` more: an
/// introduction, then sections as long as they fit, then a last paragraph to the length.
fn blog_content(rng: &mut Rng, chars: usize) -> String {
    let mut text = String::with_capacity(chars + LAST_WORD);
    let mut unused = vec![Block::Code, Block::Bullets, Block::Numbered];
    // Most authors write their sections `##`, as blogs whose title is the page's `#` do, which
    // Quill shows as `<h3>` (a post's `#` is its `<h2>`); one in four writes them `#`.
    let level = if rng.below(4) == 0 { 1 } else { 2 };
    let mut intro: Vec<String> = (0..1 + rng.below(2))
        .map(|_| paragraph(rng, false))
        .collect();
    let mut sections = 0;
    'sections: loop {
        let blocks = match sections {
            0 => std::mem::take(&mut intro),
            n => section(rng, level, n == 1, &mut unused),
        };
        sections += 1;
        for block in blocks {
            if text.len() + 2 + block.len() + LAST_PARAGRAPH > chars {
                break 'sections;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&block);
        }
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let rest = chars.saturating_sub(text.len());
    text.push_str(&prose(rng, rest, true));
    text
}

/// One blog post, as written, then rendered.
struct BlogPost {
    author: i64,
    title: String,
    summary: String,
    content: String,
    at: i64,
    slug: String,
    /// Filled by `render`.
    rendered: Option<Rendered>,
}

/// A blog post's summary: one sentence, at most `PostSummary::MAX` characters.
fn summary(rng: &mut Rng) -> String {
    let text = format!("{}.", sentence(rng, 8, 20));
    text.chars().take(PostSummary::MAX).collect()
}

/// Writes `posts` blog posts by `authors`, the `i`th at `start + i * step` plus up to a
/// `step` more, a chunk at a time: written, rendered on every core (so that `render_stale`
/// finds none of them to render), inserted. A chunk is rendered while the one before it is
/// inserted: the database's work and the renderer's overlap. Answers each post's length.
async fn blog_posts(
    db: &Db,
    rng: &mut Rng,
    authors: &[i64],
    posts: usize,
    (start, step): (i64, i64),
    slug_for: &mut impl FnMut(&str) -> String,
) -> Result<Vec<usize>, SeedError> {
    let mut lengths = Vec::with_capacity(posts);
    let mut rendering: Option<tokio::task::JoinHandle<Vec<BlogPost>>> = None;
    let mut written = 0;
    loop {
        let next = (written < posts).then(|| {
            let chunk_end = (written + BLOG_POSTS_PER_CHUNK).min(posts);
            let mut chunk: Vec<BlogPost> = (written..chunk_end)
                .map(|i| blog_post(rng, authors, start + i as i64 * step, step, slug_for))
                .collect();
            lengths.extend(chunk.iter().map(|post| post.content.chars().count()));
            written = chunk_end;
            tokio::task::spawn_blocking(move || {
                render(&mut chunk);
                chunk
            })
        });
        if let Some(rendered) = rendering.take() {
            let chunk = rendered
                .await
                .map_err(|err| SeedError::Render(err.to_string()))?;
            insert_blog_posts(db, chunk).await?;
        }
        match next {
            Some(next) => rendering = Some(next),
            None => return Ok(lengths),
        }
    }
}

/// A blog post by one of `authors` at `at` plus up to `step` seconds, not yet rendered.
fn blog_post(
    rng: &mut Rng,
    authors: &[i64],
    at: i64,
    step: i64,
    slug_for: &mut impl FnMut(&str) -> String,
) -> BlogPost {
    let author = authors[rng.below(authors.len())];
    let title = sentence(rng, 3, 9);
    let chars = log_normal_chars(
        rng,
        BLOG_MEDIAN_CHARS,
        BLOG_SIGMA,
        BLOG_MIN_CHARS,
        BLOG_MAX_CHARS - LAST_WORD,
    );
    let content = blog_content(rng, chars);
    let summary = match rng.below(2) {
        0 => summary(rng),
        _ => String::new(),
    };
    let at = at + rng.below(step as usize) as i64;
    let slug = slug_for(&title);
    BlogPost {
        author,
        title,
        summary,
        content,
        at,
        slug,
        rendered: None,
    }
}

/// Inserts rendered blog posts; one `render` missed is rendered here.
async fn insert_blog_posts(db: &Db, posts: Vec<BlogPost>) -> Result<(), sqlx::Error> {
    insert_rows(
        db,
        "INSERT INTO posts (user_id, title, content, format, summary, content_html, excerpt, \
         words, rendered_by, date_posted, updated_at, slug) VALUES ",
        12,
        posts,
        |query, post| {
            let rendered = post
                .rendered
                .unwrap_or_else(|| Rendered::of(PostFormat::Markdown, &post.content));
            query
                .bind(post.author)
                .bind(post.title)
                .bind(post.content)
                .bind(PostFormat::Markdown.as_str())
                .bind(post.summary)
                .bind(rendered.html)
                .bind(rendered.excerpt)
                .bind(rendered.words)
                .bind(RENDERER_VERSION)
                .bind(post.at)
                .bind(post.at)
                .bind(post.slug)
        },
    )
    .await
}

/// Renders the posts on every core: each thread takes the next few posts until none are
/// left, so that a thread with long posts does not hold up the others.
fn render(posts: &mut [BlogPost]) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = std::sync::Mutex::new(posts.chunks_mut(8));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = parts.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some(part) = next else { return };
                for post in part {
                    post.rendered = Some(Rendered::of(PostFormat::Markdown, &post.content));
                }
            });
        }
    });
}

/// How many comments, likes and follows a seed wrote.
#[derive(Debug, Clone, Copy, Default)]
struct Talk {
    comments: usize,
    likes: usize,
    follows: usize,
}

/// Comments, likes and follows among the `users` on the posts after id `after`, each dated
/// after what it is about and no later than `end`: comments on a third of the posts (one to
/// eight each, by others than the author), likes of each post by up to `MOST_LIKES` others
/// (most posts get few), and each user following about a third of the others. The triggers
/// of migration 0009 count them as they are inserted.
async fn talk(
    db: &Db,
    rng: &mut Rng,
    users: &[i64],
    after: i64,
    (start, end): (i64, i64),
) -> Result<Talk, SeedError> {
    let posts: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, user_id, date_posted FROM posts WHERE id > $1 ORDER BY id")
            .bind(after)
            .fetch_all(db)
            .await?;
    let mut comments: Vec<(i64, i64, String, i64)> = Vec::new();
    let mut likes: Vec<(i64, i64, i64)> = Vec::new();
    let most_likes = MOST_LIKES.min(users.len().saturating_sub(1));
    let mut others: Vec<i64> = Vec::with_capacity(users.len());
    for &(post, author, at) in &posts {
        others.clear();
        others.extend(users.iter().copied().filter(|&user| user != author));
        if others.is_empty() {
            continue;
        }
        if rng.below(3) == 0 {
            let mut when = at;
            for _ in 0..1 + rng.below(8) {
                when += 60 + rng.below(2 * DAY as usize) as i64;
                let by = others[rng.below(others.len())];
                let chars = log_normal_chars(
                    rng,
                    COMMENT_MEDIAN_CHARS,
                    COMMENT_SIGMA,
                    COMMENT_MIN_CHARS,
                    COMMENT_MAX_CHARS - LAST_WORD,
                );
                comments.push((post, by, prose(rng, chars, false), when.min(end).max(at)));
            }
        }
        // The cube of a uniform draw: a post gets fewer than a fifth of the most likes
        // more than half the time, and the most now and then.
        let count = ((most_likes + 1) as f64 * rng.unit().powi(3)) as usize;
        for i in 0..count.min(most_likes) {
            // The first `i` places hold the likers so far; the next is one of the rest.
            let j = i + rng.below(others.len() - i);
            others.swap(i, j);
            let when = (at + 60 + rng.below(30 * DAY as usize) as i64)
                .min(end)
                .max(at);
            likes.push((others[i], post, when));
        }
    }
    // Comment ids grow with time, as the comments' index expects of real ones.
    comments.sort_by_key(|&(post, _, _, when)| (when, post));
    let first_follow = start + users.len() as i64;
    let mut follows: Vec<(i64, i64, i64)> = Vec::new();
    for &follower in users {
        for &followee in users {
            if follower != followee && rng.below(3) == 0 {
                let when = first_follow + rng.below((end - first_follow).max(1) as usize) as i64;
                follows.push((follower, followee, when));
            }
        }
    }
    let done = Talk {
        comments: comments.len(),
        likes: likes.len(),
        follows: follows.len(),
    };
    insert_rows(
        db,
        "INSERT INTO comments (post_id, user_id, body, created_at) VALUES ",
        4,
        comments,
        |query, (post, user, body, when)| query.bind(post).bind(user).bind(body).bind(when),
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO likes (user_id, post_id, created_at) VALUES ",
        3,
        likes,
        |query, (user, post, when)| query.bind(user).bind(post).bind(when),
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ",
        3,
        follows,
        |query, (follower, followee, when)| query.bind(follower).bind(followee).bind(when),
    )
    .await?;
    Ok(done)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Inserts `rows` by `head` (`INSERT INTO t (a, b) VALUES `) with `width` values a row,
/// `ROWS_PER_INSERT` rows a statement and `ROWS_PER_TRANSACTION` a transaction; `bind` binds
/// one row's values in the order of the columns.
async fn insert_rows<R>(
    db: &Db,
    head: &str,
    width: usize,
    rows: Vec<R>,
    bind: for<'q> fn(AnyQuery<'q>, R) -> AnyQuery<'q>,
) -> Result<(), sqlx::Error> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut tx = super::db::begin_write(db).await?;
        for _ in 0..ROWS_PER_TRANSACTION / ROWS_PER_INSERT {
            let batch: Vec<R> = rows.by_ref().take(ROWS_PER_INSERT).collect();
            if batch.is_empty() {
                break;
            }
            // `$n` placeholders, which both databases accept through the Any driver.
            let mut sql = String::from(head);
            for i in 0..batch.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for k in 1..=width {
                    if k > 1 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${}", i * width + k));
                }
                sql.push(')');
            }
            let mut insert = sqlx::query(&sql);
            for row in batch {
                insert = bind(insert, row);
            }
            insert.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
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

    #[test]
    fn blog_lengths_are_log_normal() {
        let mut rng = Rng(2);
        let draw = |rng: &mut Rng| {
            log_normal_chars(
                rng,
                BLOG_MEDIAN_CHARS,
                BLOG_SIGMA,
                BLOG_MIN_CHARS,
                BLOG_MAX_CHARS,
            )
        };
        let mut lengths: Vec<usize> = (0..100_000).map(|_| draw(&mut rng)).collect();
        lengths.sort_unstable();
        let median = lengths[lengths.len() / 2];
        let mean = lengths.iter().sum::<usize>() / lengths.len();
        let p90 = lengths[lengths.len() * 9 / 10];
        assert!((3_400..=3_600).contains(&median), "{median}");
        assert!((5_100..=5_400).contains(&mean), "{mean}");
        // e^(1.2816 σ) times the median.
        assert!((10_500..=11_300).contains(&p90), "{p90}");
        assert_eq!(
            (lengths[0], lengths[lengths.len() - 1]),
            (BLOG_MIN_CHARS, BLOG_MAX_CHARS)
        );
    }

    #[test]
    fn blog_posts_are_as_long_as_drawn() {
        let mut rng = Rng(3);
        for chars in [
            0, 1, 79, 80, 81, 300, 301, 500, 1_000, 3_500, 20_000, 59_988,
        ] {
            for _ in 0..20 {
                let text = blog_content(&mut rng, chars);
                assert!(text.is_ascii(), "characters are bytes");
                assert!(
                    (chars..=chars + LAST_WORD).contains(&text.len()),
                    "{chars}: {}",
                    text.len()
                );
                assert!(!text.contains("\n\n\n") && text.ends_with('.'), "{text}");
            }
        }
        for chars in [COMMENT_MIN_CHARS, 100, COMMENT_MAX_CHARS - LAST_WORD] {
            let text = prose(&mut rng, chars, false);
            assert!((chars..=chars + LAST_WORD).contains(&text.len()), "{text}");
            assert!(!text.contains(['`', '*', '[']), "plain: {text}");
        }
    }

    #[test]
    fn blog_posts_are_markdown_as_blogs_write_it() {
        let mut rng = Rng(4);
        let text = blog_content(&mut rng, 20_000);
        let html = Rendered::of(PostFormat::Markdown, &text).html;
        for part in [
            "<p>",
            "<h3>",
            "<h4>",
            "<ul>",
            "<ol>",
            "<pre><code>",
            "<code>",
            "<em>",
            "<strong>",
            "<a href=\"https://example.org/",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        let summary = summary(&mut rng);
        assert!(summary.len() <= PostSummary::MAX && summary.ends_with('.'));
    }
}
