//! The blog corpus: Markdown posts shaped like real blogs' (headings, lists, quotes, code,
//! links), their lengths log-normal, rendered as the server renders a writer's post.

use super::*;
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
pub(super) const LAST_WORD: usize = 12;
/// Blog posts written, rendered and inserted at a time (about 11 MB of source and HTML).
const BLOG_POSTS_PER_CHUNK: usize = 1_000;
pub(super) const DAY: i64 = 86_400;

/// A draw from a log-normal spread, rounded and kept within `min..=max`.
pub(super) fn log_normal_chars(
    rng: &mut Rng,
    median: f64,
    sigma: f64,
    min: usize,
    max: usize,
) -> usize {
    let draw = median * (sigma * rng.normal()).exp();
    (draw.round() as usize).clamp(min, max)
}

/// Sentences of WORDS from a capital to a full stop, word by word, until `chars` characters
/// are written; a few words carry Markdown (`code`, *emphasis*, **strong**, a link) when
/// `markdown` is set, none in the last `LAST_PARAGRAPH` characters, so that the text ends
/// at most `LAST_WORD` characters past `chars`.
pub(super) fn prose(rng: &mut Rng, chars: usize, markdown: bool) -> String {
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
pub(super) async fn blog_posts(
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

#[cfg(test)]
mod tests {
    use super::super::talk::{COMMENT_MAX_CHARS, COMMENT_MIN_CHARS};
    use super::*;

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
