//! The post rules, shared by the pages and the API: who may change a post (checked before
//! what the change is), writing and reading one post; the lists (`lists`), tags (`tags`) and
//! search (`search`) are rooms of their own.

mod lists;
mod search;
mod tags;

pub use lists::*;
pub use search::*;
pub use tags::*;

use crate::db::{
    Backend, CardRecord, Columns, Db, LikeRepository, PostList, PostRecord, PostRepository,
    PostText, SearchRepository, TagRepository, UserRecord, MARK_END, MARK_START, RANKED,
};
use crate::error::{Error, Result};
use crate::markdown::{reading_minutes, Rendered};
use crate::model::{
    avatar_url, is_tag_name, tag_names, AuthorPage, AuthorView, FieldErrors, FieldName, Listed,
    Pagination, Paging, PostBody, PostCard, PostFormat, PostPage, PostSummary, PostTitle, PostView,
    TagCount, TagPage, Tags,
};
use crate::model::{search_words, SearchHitView, SearchPage};
use crate::users::may_change;
use crate::work::WorkPool;
use crate::Services;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Posts on a page of the site's lists.
pub const PER_PAGE: u32 = 5;

pub fn post_view(post: PostRecord) -> PostView {
    PostView {
        author: AuthorView {
            id: post.user_id,
            avatar_url: avatar_url(post.user_id, post.author_avatar_etag.as_deref()),
            username: post.author_username,
        },
        slug: post.slug.unwrap_or_else(|| post.id.to_string()),
        id: post.id,
        title: post.title,
        summary: post.summary,
        content: post.content,
        format: post.format,
        content_html: post.content_html,
        excerpt: post.excerpt,
        reading_minutes: reading_minutes(post.words),
        tags: tag_names(&post.tags),
        date_posted: post.date_posted,
        updated_at: post.updated_at,
        comment_count: super::db::count(post.comment_count),
        like_count: super::db::count(post.like_count),
        liked: false,
    }
}

pub fn card_view(post: CardRecord) -> PostCard {
    PostCard {
        author: AuthorView {
            id: post.user_id,
            avatar_url: avatar_url(post.user_id, post.author_avatar_etag.as_deref()),
            username: post.author_username,
        },
        slug: post.slug.unwrap_or_else(|| post.id.to_string()),
        id: post.id,
        title: post.title,
        summary: post.summary,
        excerpt: post.excerpt,
        tags: tag_names(&post.tags),
        date_posted: post.date_posted,
        updated_at: post.updated_at,
        comment_count: super::db::count(post.comment_count),
        like_count: super::db::count(post.like_count),
        liked: false,
    }
}

/// A post as a list gives it (a card, or the whole post for the v1 API), from the row the
/// list reads for it.
pub trait ListedPost: Listed + Sized {
    type Record: Columns;
    fn of(record: Self::Record) -> Self;
}

impl ListedPost for PostCard {
    type Record = CardRecord;
    fn of(record: CardRecord) -> Self {
        card_view(record)
    }
}

impl ListedPost for PostView {
    type Record = PostRecord;
    fn of(record: PostRecord) -> Self {
        post_view(record)
    }
}

/// Marks the posts the reader likes (one query, only for someone signed in).
pub async fn mark_liked<'a, P: Listed + 'a>(
    db: &Db,
    reader: Option<&UserRecord>,
    posts: impl IntoIterator<Item = &'a mut P>,
) -> Result<()> {
    let Some(reader) = reader else {
        return Ok(());
    };
    let mut posts: Vec<&mut P> = posts.into_iter().collect();
    let ids: Vec<i64> = posts.iter().map(|p| p.id()).collect();
    let liked = LikeRepository::liked_among(db, reader.id, &ids).await?;
    for post in &mut posts {
        let id = post.id();
        post.set_liked(liked.contains(&id));
    }
    Ok(())
}

/// A post as a form or a request gives it. `summary`, `format` and `tags` may be absent: a
/// new post is then Markdown without summary or tags, a changed one keeps its own.
pub struct PostInput<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub content: &'a str,
    pub format: Option<&'a str>,
    pub tags: Option<TagsInput<'a>>,
}

/// Tags as the form gives them (one comma-separated field, forgiving) or the API (a list,
/// exact).
#[derive(Clone, Copy)]
pub enum TagsInput<'a> {
    Field(&'a str),
    List(&'a [String]),
}

/// A title, a content, a format and tags that pass every rule, and what the content renders
/// to.
struct Draft {
    title: PostTitle,
    summary: PostSummary,
    body: PostBody,
    format: PostFormat,
    rendered: Rendered,
    tags: Option<Tags>,
}

impl Draft {
    /// `default`: the format and summary when the input names none. The content is rendered
    /// on `rendering`'s threads, not the caller's.
    async fn parse(
        rendering: &WorkPool,
        input: &PostInput<'_>,
        default: PostFormat,
        summary: &str,
    ) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let title = errors.check(FieldName::Title, PostTitle::parse(input.title));
        let summary = errors.check(
            FieldName::Summary,
            PostSummary::parse(input.summary.unwrap_or(summary)),
        );
        let body = errors.check(FieldName::Content, PostBody::parse(input.content));
        let format = match input.format {
            None => Some(default),
            Some(raw) => errors.check(FieldName::Format, PostFormat::parse(raw)),
        };
        let tags = match input.tags {
            None => Some(None),
            Some(TagsInput::Field(raw)) => {
                errors.check(FieldName::Tags, Tags::parse(raw)).map(Some)
            }
            Some(TagsInput::List(names)) => {
                errors.check(FieldName::Tags, Tags::exact(names)).map(Some)
            }
        };
        match (title, summary, body, format, tags) {
            (Some(title), Some(summary), Some(body), Some(format), Some(tags)) => {
                let rendered = render(rendering, format, body.as_str()).await?;
                Ok(Self {
                    title,
                    summary,
                    body,
                    format,
                    rendered,
                    tags,
                })
            }
            _ => Err(Error::Invalid(errors)),
        }
    }

    fn text(&self) -> PostText<'_> {
        PostText {
            title: self.title.as_str(),
            summary: self.summary.as_str(),
            content: self.body.as_str(),
        }
    }
}

/// Publishes a post as `author`; answers its id.
pub async fn create(state: &Services, author: &UserRecord, input: PostInput<'_>) -> Result<i64> {
    let draft = Draft::parse(&state.rendering, &input, PostFormat::Markdown, "").await?;
    let mut tx = super::db::begin_write(&state.db).await?;
    let id = PostRepository::insert(
        &mut *tx,
        author.id,
        &draft.text(),
        draft.format,
        &draft.rendered,
    )
    .await?;
    super::slug::assign(&mut tx, id, draft.title.as_str()).await?;
    if let Some(tags) = &draft.tags {
        TagRepository::set_for_post(&mut tx, id, tags).await?;
    }
    tx.commit().await?;
    state.tags.forget();
    Ok(id)
}

/// The longest source rendered where it is asked for: about half a millisecond of a core
/// (ammonia cleans some 10 MB of HTML a second), as long as a page takes. Longer ones go to
/// the rendering pool.
pub const RENDER_INLINE_BYTES: usize = 4 * 1024;

/// What `source` renders to. A long post takes milliseconds of a core (100,000 characters of
/// Markdown, parsed and then sanitized: about 10 ms), which the threads that answer readers do
/// not give: it is rendered on `rendering`'s threads, in turn. A short one is rendered at once
/// (64 writers at once of short posts are no flood).
async fn render(rendering: &WorkPool, format: PostFormat, source: &str) -> Result<Rendered> {
    if source.len() <= RENDER_INLINE_BYTES {
        return Ok(Rendered::of(format, source));
    }
    let source = source.to_string();
    Ok(rendering.run(move || Rendered::of(format, &source)).await?)
}

/// What a content would look like as a post: the editor's preview. Nothing is stored and
/// nothing is checked but the format and the size (an empty preview is empty).
pub async fn preview(state: &Services, content: &str, format: &str) -> Result<String> {
    let format = PostFormat::parse(format)
        .map_err(|m| Error::Invalid(FieldErrors::single(FieldName::Format, m)))?;
    if content.chars().count() > PostBody::MAX {
        return Err(Error::Invalid(FieldErrors::single(
            FieldName::Content,
            format!(
                "A post has at most {} characters.",
                crate::model::group_thousands(PostBody::MAX as u64)
            ),
        )));
    }
    Ok(render(&state.rendering, format, content).await?.html)
}

/// Renders again every post an older renderer (or none) rendered, a batch at a time: run at
/// start, so a change of the renderer reaches every stored post. Answers how many it rendered.
pub async fn render_stale(db: &Db) -> Result<u64> {
    let mut done = 0;
    let mut after = 0;
    loop {
        let batch = PostRepository::stale(db, after, 500).await?;
        let Some(last) = batch.last().map(|(id, _, _)| *id) else {
            return Ok(done);
        };
        let mut tx = super::db::begin_write(db).await?;
        for (id, format, content) in &batch {
            let rendered = Rendered::of(
                PostFormat::parse(format).unwrap_or(PostFormat::Text),
                content,
            );
            PostRepository::set_rendered(&mut *tx, *id, format, content, &rendered).await?;
            done += 1;
        }
        tx.commit().await?;
        after = last;
    }
}

/// A post `user` may change: its author's or, for an administrator, anyone's.
pub async fn editable(db: &Db, user: &UserRecord, id: i64) -> Result<PostRecord> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if may_change(user, post.user_id) {
        Ok(post)
    } else {
        Err(Error::Forbidden)
    }
}

/// Whether `user` may change the post `id`: 404 if there is no such post, 403 if it is not
/// theirs to change.
async fn check_may_change(db: &Db, user: &UserRecord, id: i64) -> Result<()> {
    let author = PostRepository::author_of(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if may_change(user, author) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Changes a post's title, content, format and tags (those absent stay as they are). Who may
/// change it is answered before what the change is (404, 403, then 422), on the pages and in
/// the API alike. The write is one transaction, and a post's author never changes, so the
/// check cannot go stale; a post deleted in between is not found.
pub async fn update(
    state: &Services,
    user: &UserRecord,
    id: i64,
    input: PostInput<'_>,
) -> Result<()> {
    let post = editable(&state.db, user, id).await?;
    let draft = Draft::parse(&state.rendering, &input, post.format, &post.summary).await?;
    let mut tx = super::db::begin_write(&state.db).await?;
    let found =
        PostRepository::update(&mut *tx, id, &draft.text(), draft.format, &draft.rendered).await?;
    if !found {
        return Err(Error::NotFound);
    }
    if let Some(tags) = &draft.tags {
        TagRepository::set_for_post(&mut tx, id, tags).await?;
    }
    tx.commit().await?;
    state.tags.forget();
    Ok(())
}

pub async fn delete(state: &Services, user: &UserRecord, id: i64) -> Result<()> {
    check_may_change(&state.db, user, id).await?;
    if PostRepository::delete(&state.db, id).await? {
        state.tags.forget();
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// A post as `reader` sees it (whether they like it).
pub async fn get(db: &Db, reader: Option<&UserRecord>, id: i64) -> Result<PostView> {
    seen_by(db, reader, PostRepository::by_id(db, id).await?).await
}

/// A post as its page shows it, as `reader` sees it (whether they like it): a Markdown post
/// without its source, a plain-text one without its HTML.
pub async fn to_show(db: &Db, reader: Option<&UserRecord>, id: i64) -> Result<PostView> {
    seen_by(db, reader, PostRepository::to_show(db, id).await?).await
}

/// The post read (if it exists) as `reader` sees it.
async fn seen_by(
    db: &Db,
    reader: Option<&UserRecord>,
    post: Option<PostRecord>,
) -> Result<PostView> {
    let mut posts = [post_view(post.ok_or(Error::NotFound)?)];
    mark_liked(db, reader, &mut posts).await?;
    let [post] = posts;
    Ok(post)
}

/// The post whose slug is `slug`.
pub async fn id_by_slug(db: &Db, slug: &str) -> Result<i64> {
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::NotFound);
    }
    PostRepository::id_by_slug(db, slug)
        .await?
        .ok_or(Error::NotFound)
}
