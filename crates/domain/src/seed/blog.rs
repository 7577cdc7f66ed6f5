//! The blog corpus: Markdown posts shaped like real blogs' (headings, lists, quotes, code,
//! links), their lengths log-normal, rendered as the server renders a writer's post.

use super::markdown::blog_content;
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
pub(super) const LAST_PARAGRAPH: usize = 80;
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
    use super::super::markdown::prose;
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
