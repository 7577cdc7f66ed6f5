//! A post's source made into what pages show: Markdown (CommonMark with tables, strikethrough,
//! task lists, autolinks and fenced code) rendered by pulldown-cmark and sanitized by ammonia,
//! or plain text as it always was. Rendered once, when a post is written (and again for every
//! post when `RENDERER_VERSION` changes, `posts::render_stale`), never per request.
//!
//! Raw HTML in a post is shown as text, never passed on: an HTML block becomes a code block,
//! inline HTML escaped text. ammonia then cleans what pulldown-cmark wrote anyway: no script,
//! no event handler, no `style`, links and pictures only to http(s), mailto or this site, and
//! every link `rel="nofollow ugc noopener"`. A post's headings start at `<h2>`: its title is
//! the page's `<h1>`.

use crate::model::{excerpt, PostFormat};
use ammonia::Builder;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Bumped whenever what a source renders to changes; stored posts are rendered again at start.
pub const RENDERER_VERSION: i64 = 1;

/// A card's excerpt: at most this many characters of the rendered text.
pub const EXCERPT_CHARS: usize = 300;

/// Words read a minute, for a post's reading time.
const WORDS_PER_MINUTE: usize = 200;

/// What a post's source renders to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML of the whole post.
    pub html: String,
    /// Plain text, no markup, one line: the first `EXCERPT_CHARS` characters, cut at a word.
    pub excerpt: String,
    /// Words in the rendered text.
    pub words: i64,
}

impl Rendered {
    pub fn of(format: PostFormat, source: &str) -> Self {
        match format {
            PostFormat::Text => Self {
                html: text_html(source),
                excerpt: excerpt(source, EXCERPT_CHARS),
                words: word_count(source),
            },
            PostFormat::Markdown => {
                let text = markdown_text(source);
                Self {
                    html: markdown_html(source),
                    excerpt: excerpt(&text, EXCERPT_CHARS),
                    words: word_count(&text),
                }
            }
        }
    }
}

/// Minutes a text of `words` words takes to read, at least one.
pub fn reading_minutes(words: i64) -> u32 {
    let words = usize::try_from(words).unwrap_or(0);
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

fn word_count(text: &str) -> i64 {
    i64::try_from(text.split_whitespace().count()).unwrap_or(i64::MAX)
}

/// A plain-text post as HTML (for the API's `content_html`): paragraphs at blank lines, line
/// breaks kept, everything escaped. The site shows plain-text posts as it always did.
fn text_html(source: &str) -> String {
    let mut html = String::with_capacity(source.len() + 16);
    let normalized = source.replace("\r\n", "\n");
    for paragraph in normalized.split("\n\n").filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        for (i, line) in paragraph.trim_matches('\n').split('\n').enumerate() {
            if i > 0 {
                html.push_str("<br>\n");
            }
            crate::model::html::escape_into(line, &mut html);
        }
        html.push_str("</p>\n");
    }
    html
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// The parser's events with raw HTML made text, headings one level down, and bare http(s)
/// addresses in text made links (GitHub's autolinks).
fn events(source: &str) -> impl Iterator<Item = Event<'_>> {
    let mut in_link = 0usize;
    let mut in_code = 0usize;
    // Merged: the parser splits text where emphasis could start (`a_(b)` is three events), and
    // an address must be seen whole.
    TextMergeStream::new(Parser::new_ext(source, options())).flat_map(move |event| {
        let out: Vec<Event<'_>> = match event {
            Event::Start(Tag::HtmlBlock) => {
                in_code += 1;
                vec![Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))]
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_code = in_code.saturating_sub(1);
                vec![Event::End(TagEnd::CodeBlock)]
            }
            Event::Html(html) | Event::InlineHtml(html) => vec![Event::Text(html)],
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => vec![Event::Start(Tag::Heading {
                level: lower(level),
                id,
                classes,
                attrs,
            })],
            Event::End(TagEnd::Heading(level)) => vec![Event::End(TagEnd::Heading(lower(level)))],
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                in_link += 1;
                vec![Event::Start(tag)]
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                in_link = in_link.saturating_sub(1);
                vec![Event::End(end)]
            }
            Event::Start(tag @ Tag::CodeBlock(_)) => {
                in_code += 1;
                vec![Event::Start(tag)]
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                vec![Event::End(TagEnd::CodeBlock)]
            }
            Event::Text(text) if in_link == 0 && in_code == 0 => autolink(text),
            other => vec![other],
        };
        out
    })
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Text with each bare `http://` or `https://` address made a link. An address ends at white
/// space or `<`; trailing punctuation (`.,:;!?'"`) and a `)` it did not open stay outside.
fn autolink(text: CowStr<'_>) -> Vec<Event<'_>> {
    let source: &str = &text;
    if !source.contains("http://") && !source.contains("https://") {
        return vec![Event::Text(text)];
    }
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = find_address(rest) {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(candidate.len());
        let address = trim_address(&candidate[..end]);
        let scheme_only = address.trim_end_matches('/').ends_with(':');
        if scheme_only {
            out.push(Event::Text(CowStr::from(
                rest[..start + address.len()].to_string(),
            )));
            rest = &rest[start + address.len()..];
            continue;
        }
        if start > 0 {
            out.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        let url = CowStr::from(address.to_string());
        out.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Autolink,
            dest_url: url.clone(),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(url));
        out.push(Event::End(TagEnd::Link));
        rest = &rest[start + address.len()..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_string())));
    }
    out
}

/// Where the next address starts: `http://` or `https://` at the start or after a character
/// that is not part of a word.
fn find_address(text: &str) -> Option<usize> {
    let mut from = 0;
    while from < text.len() {
        let found = ["http://", "https://"]
            .iter()
            .filter_map(|scheme| text[from..].find(scheme).map(|i| from + i))
            .min()?;
        let after_word = text[..found]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '/');
        if !after_word {
            return Some(found);
        }
        from = found + 1;
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

fn trim_address(address: &str) -> &str {
    let mut address = address;
    loop {
        let trimmed = address.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '"']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches(')').count() > trimmed.matches('(').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == address.len() {
            return address;
        }
        address = trimmed;
    }
}

fn sanitizer() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("nofollow ugc noopener"))
            // Task lists: a checkbox that cannot be ticked.
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .set_tag_attribute_value("input", "disabled", "")
            .set_tag_attribute_value("img", "loading", "lazy")
            // Table columns keep their alignment, and no other style.
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]));
        builder
    })
}

/// Sanitized HTML of a Markdown source.
fn markdown_html(source: &str) -> String {
    let mut html = String::with_capacity(source.len() * 3 / 2 + 64);
    pulldown_cmark::html::push_html(&mut html, events(source));
    sanitizer().clean(&html).to_string()
}

/// The words a reader sees of a Markdown source, one line, no markup.
fn markdown_text(source: &str) -> String {
    let mut text = String::with_capacity(source.len());
    let mut in_image = 0usize;
    for event in events(source) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::Rule
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(source: &str) -> String {
        Rendered::of(PostFormat::Markdown, source).html
    }

    #[test]
    fn renders_commonmark_and_the_github_extensions() {
        let html = md("# Title\n\nSome *em* and **strong**, ~~gone~~, `code`.\n\n\
             | a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n\
             ```rust\nfn main() {}\n```\n\nSee https://example.org/a_(b). Or <https://example.com>.");
        for part in [
            "<h2>Title</h2>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "<del>gone</del>",
            "<code>code</code>",
            "<table>",
            "<th style=\"text-align:left\">a</th>",
            "<td style=\"text-align:right\">2</td>",
            "<input type=\"checkbox\" checked=\"\" disabled=\"\">",
            "<pre><code>fn main() {}\n</code></pre>",
            "<a href=\"https://example.org/a_(b)\" rel=\"nofollow ugc noopener\">https://example.org/a_(b)</a>.",
            "<a href=\"https://example.com\" rel=\"nofollow ugc noopener\">https://example.com</a>",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
    }

    #[test]
    fn raw_html_is_shown_never_run() {
        let html = md("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn only_safe_links_and_pictures_survive() {
        let html = md(
            "[a](javascript:alert(1)) [b](data:text/html,x) [c](/post/1) \
             ![d](https://img.example/d.png) ![e](data:image/png;base64,AAAA) \
             [f](mailto:a@example.com) [g](vbscript:x)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("vbscript:"), "{html}");
        assert!(html.contains("href=\"/post/1\""), "{html}");
        assert!(
            html.contains("<img src=\"https://img.example/d.png\" alt=\"d\" loading=\"lazy\">"),
            "{html}"
        );
        assert!(html.contains("href=\"mailto:a@example.com\""), "{html}");
    }

    #[test]
    fn text_posts_keep_their_text() {
        let text = "Line one\nline <two> & \"three\"\n\nNext *not em*";
        let rendered = Rendered::of(PostFormat::Text, text);
        assert_eq!(
            rendered.html,
            "<p>Line one<br>\nline &lt;two&gt; &amp; &quot;three&quot;</p>\n<p>Next *not em*</p>\n"
        );
        assert_eq!(rendered.words, 9);
    }

    #[test]
    fn excerpts_are_plain_text_of_what_is_shown() {
        let rendered = Rendered::of(
            PostFormat::Markdown,
            "## Hello\n\nA **bold** [link](https://x.example) and ![alt text](https://x.example/p.png).",
        );
        assert_eq!(rendered.excerpt, "Hello A bold link and .");
        let long = "word ".repeat(200);
        let rendered = Rendered::of(PostFormat::Markdown, &long);
        assert!(rendered.excerpt.chars().count() <= EXCERPT_CHARS);
        assert!(rendered.excerpt.ends_with('…'));
        assert_eq!(rendered.words, 200);
        assert_eq!(reading_minutes(rendered.words), 1);
        assert_eq!(reading_minutes(201), 2);
        assert_eq!(reading_minutes(0), 1);
    }

    #[test]
    fn autolinks_end_where_addresses_end() {
        let html =
            md("Go to https://a.example/x, then (https://b.example/y). Not xhttps://c.example.");
        assert!(html.contains("<a href=\"https://a.example/x\""), "{html}");
        assert!(html.contains("(<a href=\"https://b.example/y\""), "{html}");
        assert!(!html.contains("c.example\""), "{html}");
        assert_eq!(md("just https:// alone"), "<p>just https:// alone</p>\n");
    }
}
