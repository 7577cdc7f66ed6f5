//! A writer's export: one zip of everything of theirs, written into `out` as it is read, a
//! batch of rows at a time, so that an author of 10,000 posts exports without the zip (or the
//! posts) ever being held whole. The web streams `out` to the browser; a reader who stops
//! reading stops the writing (the pipe fills), one who leaves ends it (the pipe breaks).
//!
//! What is in it:
//! - `profile.json`: the account (username, e-mail address, bio, dates) and the name of
//!   its picture, `avatar.png` or `avatar.jpg`, when it has one;
//! - `posts/YYYY-MM-DD-slug.md`: each post as Markdown with YAML front matter (title, slug,
//!   date, updated, status, visibility, format, tags, summary), the Jekyll and Hugo convention;
//! - `posts.json`: the same posts as one JSON array;
//! - `comments.json`, `likes.json`: the writer's comments and likes, with the posts they are on;
//! - `follows.json`: who the writer follows and who follows them, by username.
//!
//! Every post is published and public until posts have other states; the fields are there so
//! that an import can tell.

use crate::db::{AvatarRepository, Db, ExportPost, ExportRepository, UserRecord};
use crate::error::{Error, Result};
use crate::model::{format_datetime, tag_names};
use async_zip::tokio::write::ZipFileWriter;
use async_zip::{Compression, ZipDateTime, ZipDateTimeBuilder, ZipEntryBuilder};
use serde::Serialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio_util::compat::FuturesAsyncWriteCompatExt;

/// Rows read a query.
const BATCH: i64 = 200;

/// The format and version `profile.json` names, for an import to recognise.
pub const FORMAT: &str = "quill-export";
pub const VERSION: u32 = 1;

fn zip_error(err: async_zip::error::ZipError) -> Error {
    Error::internal(err)
}

fn io_error(err: std::io::Error) -> Error {
    Error::internal(err)
}

/// A zip entry's date from seconds since the epoch (UTC).
fn zip_date(seconds: i64) -> ZipDateTime {
    let stamp = format_datetime(seconds);
    let part = |range: std::ops::Range<usize>| stamp.get(range).and_then(|s| s.parse().ok());
    ZipDateTimeBuilder::new()
        .year(part(0..4).unwrap_or(1980) as i32)
        .month(part(5..7).unwrap_or(1))
        .day(part(8..10).unwrap_or(1))
        .hour(part(11..13).unwrap_or(0))
        .minute(part(14..16).unwrap_or(0))
        .second(part(17..19).unwrap_or(0))
        .build()
}

fn entry(name: String, seconds: i64) -> ZipEntryBuilder {
    ZipEntryBuilder::new(name.into(), Compression::Deflate)
        .last_modification_date(zip_date(seconds))
        .unix_permissions(0o644)
}

/// The post's slug, or its id for a post from before slugs.
fn slug_of(post: &ExportPost) -> String {
    post.slug.clone().unwrap_or_else(|| post.id.to_string())
}

/// The post's file name: its date and slug, with nothing a file system could read as a path.
pub fn post_file_name(post: &ExportPost) -> String {
    let slug: String = post
        .slug
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(100)
        .collect();
    let slug = if slug.is_empty() {
        post.id.to_string()
    } else {
        slug
    };
    let date = format_datetime(post.date_posted);
    format!("posts/{}-{slug}.md", date.get(..10).unwrap_or("1970-01-01"))
}

/// A YAML double-quoted scalar: JSON's string syntax, which YAML 1.2 reads as the same string.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The post as Markdown with its front matter.
pub fn post_markdown(post: &ExportPost) -> String {
    let tags: Vec<String> = tag_names(&post.tags)
        .iter()
        .map(|t| yaml_string(t))
        .collect();
    let slug = slug_of(post);
    let mut out = String::with_capacity(post.content.len() + 300);
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(&post.title)));
    out.push_str(&format!("slug: {}\n", yaml_string(&slug)));
    out.push_str(&format!("date: {}\n", format_datetime(post.date_posted)));
    out.push_str(&format!("updated: {}\n", format_datetime(post.updated_at)));
    out.push_str("status: published\nvisibility: public\n");
    out.push_str(&format!("format: {}\n", yaml_string(&post.format)));
    out.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    out.push_str(&format!("summary: {}\n", yaml_string(&post.summary)));
    out.push_str("---\n");
    out.push_str(&post.content);
    if !post.content.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct PostJson<'a> {
    id: i64,
    slug: String,
    title: &'a str,
    summary: &'a str,
    content: &'a str,
    format: &'a str,
    tags: Vec<String>,
    date: String,
    updated: String,
    status: &'static str,
    visibility: &'static str,
    file: String,
}

fn post_json(post: &ExportPost) -> PostJson<'_> {
    PostJson {
        id: post.id,
        slug: slug_of(post),
        title: &post.title,
        summary: &post.summary,
        content: &post.content,
        format: &post.format,
        tags: tag_names(&post.tags),
        date: format_datetime(post.date_posted),
        updated: format_datetime(post.updated_at),
        status: "published",
        visibility: "public",
        file: post_file_name(post),
    }
}

/// The key before every row's.
const START: (i64, i64) = (i64::MIN, i64::MIN);

/// The key to read the next batch after, unless `rows` was the last one (a short batch).
fn next_key<T, K>(rows: &[T], key: impl Fn(&T) -> K) -> Option<K> {
    match rows.last() {
        Some(last) if rows.len() as i64 == BATCH => Some(key(last)),
        _ => None,
    }
}

type Entry<'a, W> = tokio_util::compat::Compat<async_zip::tokio::write::EntryStreamWriter<'a, W>>;

/// A JSON array written an element at a time into a streamed entry of the zip.
struct JsonArray<'a, W: AsyncWrite + Unpin> {
    out: Entry<'a, W>,
    first: bool,
}

impl<'a, W: AsyncWrite + Unpin> JsonArray<'a, W> {
    async fn start(zip: &'a mut ZipFileWriter<W>, name: &str, now: i64) -> Result<Self> {
        let stream = zip
            .write_entry_stream(entry(name.to_string(), now))
            .await
            .map_err(zip_error)?;
        let mut out = stream.compat_write();
        out.write_all(b"[").await.map_err(io_error)?;
        Ok(Self { out, first: true })
    }

    async fn push(&mut self, value: &impl Serialize) -> Result<()> {
        let mut bytes = if self.first {
            Vec::new()
        } else {
            b",\n".to_vec()
        };
        self.first = false;
        serde_json::to_writer(&mut bytes, value).map_err(Error::internal)?;
        self.out.write_all(&bytes).await.map_err(io_error)
    }

    async fn finish(mut self) -> Result<()> {
        self.out.write_all(b"]\n").await.map_err(io_error)?;
        self.out.into_inner().close().await.map_err(zip_error)
    }
}

/// Writes `user`'s export into `out`, and answers `out` once the zip is complete.
pub async fn write_zip<W: AsyncWrite + Unpin>(db: &Db, user: &UserRecord, out: W) -> Result<W> {
    let now = crate::db::now();
    let mut zip = ZipFileWriter::with_tokio(out);

    let avatar = AvatarRepository::get(db, user.id).await?;
    let avatar_name = avatar.as_ref().map(|a| match a.content_type.as_str() {
        "image/png" => "avatar.png",
        _ => "avatar.jpg",
    });
    let profile = serde_json::json!({
        "format": FORMAT,
        "version": VERSION,
        "exported": format_datetime(now),
        "username": user.username,
        "email": user.email,
        "bio": user.bio,
        "created": format_datetime(user.created_at),
        "avatar": avatar_name,
    });
    let profile = serde_json::to_vec_pretty(&profile).map_err(Error::internal)?;
    zip.write_entry_whole(entry("profile.json".into(), now), &profile)
        .await
        .map_err(zip_error)?;
    if let (Some(avatar), Some(name)) = (&avatar, avatar_name) {
        let picture = ZipEntryBuilder::new(name.to_string().into(), Compression::Stored)
            .last_modification_date(zip_date(now))
            .unix_permissions(0o644);
        zip.write_entry_whole(picture, &avatar.bytes)
            .await
            .map_err(zip_error)?;
    }

    // Each post as Markdown, one entry each.
    let post_key = |post: &ExportPost| (post.date_posted, post.id);
    let mut after = Some(START);
    while let Some(key) = after {
        let posts = ExportRepository::posts_after(db, user.id, key, BATCH).await?;
        after = next_key(&posts, post_key);
        for post in &posts {
            let name = entry(post_file_name(post), post.updated_at);
            zip.write_entry_whole(name, post_markdown(post).as_bytes())
                .await
                .map_err(zip_error)?;
        }
    }

    // The same posts as JSON, read again: one batch in memory at a time.
    let mut array = JsonArray::start(&mut zip, "posts.json", now).await?;
    let mut after = Some(START);
    while let Some(key) = after {
        let posts = ExportRepository::posts_after(db, user.id, key, BATCH).await?;
        after = next_key(&posts, post_key);
        for post in &posts {
            array.push(&post_json(post)).await?;
        }
    }
    array.finish().await?;

    let mut array = JsonArray::start(&mut zip, "comments.json", now).await?;
    let mut after = Some(i64::MIN);
    while let Some(key) = after {
        let comments = ExportRepository::comments_after(db, user.id, key, BATCH).await?;
        after = next_key(&comments, |c| c.id);
        for c in &comments {
            let comment = serde_json::json!({
                "post_id": c.post_id,
                "post_title": c.post_title,
                "post_author": c.post_author,
                "content": c.body,
                "date": format_datetime(c.created_at),
            });
            array.push(&comment).await?;
        }
    }
    array.finish().await?;

    let mut array = JsonArray::start(&mut zip, "likes.json", now).await?;
    let mut after = Some(START);
    while let Some(key) = after {
        let likes = ExportRepository::likes_after(db, user.id, key, BATCH).await?;
        after = next_key(&likes, |l| (l.created_at, l.post_id));
        for like in &likes {
            let like = serde_json::json!({
                "post_id": like.post_id,
                "post_title": like.post_title,
                "post_author": like.post_author,
                "date": format_datetime(like.created_at),
            });
            array.push(&like).await?;
        }
    }
    array.finish().await?;

    let follows = serde_json::json!({
        "following": ExportRepository::follows(db, user.id, true).await?,
        "followers": ExportRepository::follows(db, user.id, false).await?,
    });
    let follows = serde_json::to_vec_pretty(&follows).map_err(Error::internal)?;
    zip.write_entry_whole(entry("follows.json".into(), now), &follows)
        .await
        .map_err(zip_error)?;

    let mut out = zip.close().await.map_err(zip_error)?.into_inner();
    out.flush().await.map_err(io_error)?;
    Ok(out)
}
