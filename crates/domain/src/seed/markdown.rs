//! The blog corpus's Markdown: prose, headings, lists, quotes, code and links, as blogs write
//! them.

use super::blog::{LAST_PARAGRAPH, LAST_WORD};
use super::*;

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
pub(super) fn blog_content(rng: &mut Rng, chars: usize) -> String {
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
