//! The post rules, shared by the pages and the API: who may change a post (checked before
//! what the change is), how lists page, what a page past the end is.

use super::db::{
    Backend, Db, LikeRepository, PostList, PostRecord, PostRepository, PostText, SearchRepository,
    TagRepository, UserRecord, MARK_END, MARK_START, RANKED,
};
use super::error::{Error, Result};
use super::markdown::{reading_minutes, Rendered};
use super::users::may_change;
use super::Services;
use crate::model::{
    avatar_url, is_tag_name, tag_names, AuthorPage, AuthorView, FieldErrors, FieldName, Pagination,
    Paging, PostBody, PostFormat, PostPage, PostSummary, PostTitle, PostView, TagCount, TagPage,
    Tags,
};
use crate::model::{search_words, SearchHitView, SearchPage};
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

/// Marks the posts the reader likes (one query, only for someone signed in).
pub async fn mark_liked<'a>(
    db: &Db,
    reader: Option<&UserRecord>,
    posts: impl IntoIterator<Item = &'a mut PostView>,
) -> Result<()> {
    let Some(reader) = reader else {
        return Ok(());
    };
    let mut posts: Vec<&mut PostView> = posts.into_iter().collect();
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let liked = LikeRepository::liked_among(db, reader.id, &ids).await?;
    for post in &mut posts {
        post.liked = liked.contains(&post.id);
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
    /// `default`: the format and summary when the input names none.
    fn parse(input: &PostInput<'_>, default: PostFormat, summary: &str) -> Result<Self> {
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
                let rendered = Rendered::of(format, body.as_str());
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
    let draft = Draft::parse(&input, PostFormat::Markdown, "")?;
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

/// What a content would look like as a post: the editor's preview. Nothing is stored and
/// nothing is checked but the format and the size (an empty preview is empty).
pub fn preview(content: &str, format: &str) -> Result<String> {
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
    Ok(Rendered::of(format, content).html)
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
    let draft = Draft::parse(&input, post.format, &post.summary)?;
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
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut posts = [post_view(post)];
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

/// One page of a list of posts, as `reader` sees it (which they like). Past the last page the
/// list is empty.
pub async fn page(
    db: &Db,
    reader: Option<&UserRecord>,
    list: PostList,
    paging: Paging,
) -> Result<PostPage> {
    let (posts, total) = window(db, reader, list, paging.offset(), paging.per_page).await?;
    Ok(PostPage {
        posts,
        pagination: Pagination::new(paging, total),
    })
}

/// Up to `limit` posts of a list after the first `offset`, as `reader` sees them, and how many
/// the list has (the RealWorld API pages by offset).
pub async fn window(
    db: &Db,
    reader: Option<&UserRecord>,
    list: PostList,
    offset: u64,
    limit: u32,
) -> Result<(Vec<PostView>, u64)> {
    let (posts, total) = PostRepository::page(db, list, offset, limit).await?;
    let mut posts: Vec<PostView> = posts.into_iter().map(post_view).collect();
    mark_liked(db, reader, &mut posts).await?;
    Ok((posts, total))
}

/// A page of a list on the site: a page past the last one does not exist.
async fn site_page(
    db: &Db,
    reader: Option<&UserRecord>,
    list: PostList,
    number: u32,
) -> Result<PostPage> {
    let paging = Paging {
        page: number,
        per_page: PER_PAGE,
    };
    let posts = page(db, reader, list, paging).await?;
    if posts.pagination.is_past_the_end() {
        return Err(Error::NotFound);
    }
    Ok(posts)
}

/// A page of the home feed.
pub async fn feed(db: &Db, reader: Option<&UserRecord>, number: u32) -> Result<PostPage> {
    site_page(db, reader, PostList::All, number).await
}

/// A page of the posts of the authors `reader` follows (the home page's "Following").
pub async fn following(db: &Db, reader: &UserRecord, number: u32) -> Result<PostPage> {
    site_page(db, Some(reader), PostList::Following(reader.id), number).await
}

/// Which of an author's lists a user page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorList {
    Posts,
    Liked,
}

/// A page of one author's posts (or of the posts they liked), found by username, with their
/// profile as `reader` sees it.
pub async fn by_author(
    db: &Db,
    reader: Option<&UserRecord>,
    username: &str,
    which: AuthorList,
    number: u32,
) -> Result<AuthorPage> {
    let user = super::users::by_username(db, username).await?;
    let list = match which {
        AuthorList::Posts => PostList::Author(user.id),
        AuthorList::Liked => PostList::Liked(user.id),
    };
    let posts = site_page(db, reader, list, number).await?;
    let profile = super::conversation::profile(db, reader, &user).await?;
    Ok(AuthorPage {
        author: AuthorView {
            id: user.id,
            avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
            username: user.username,
        },
        profile,
        posts,
    })
}

/// The tag whose name is `name`, for the API's `?tag=` (404 when no post has it).
pub async fn tag_id(db: &Db, name: &str) -> Result<i64> {
    if !is_tag_name(name) {
        return Err(Error::NotFound);
    }
    Ok(TagRepository::by_name(db, name)
        .await?
        .ok_or(Error::NotFound)?
        .id)
}

/// A page of one tag's posts; an unknown tag (or one no post has) is not found.
pub async fn by_tag(
    db: &Db,
    reader: Option<&UserRecord>,
    name: &str,
    number: u32,
) -> Result<TagPage> {
    let id = tag_id(db, name).await?;
    let posts = site_page(db, reader, PostList::Tag(id), number).await?;
    Ok(TagPage {
        tag: name.to_string(),
        posts,
    })
}

/// A page of all tags, most used first (the API's `/tags`).
pub async fn tags_page(db: &Db, paging: Paging) -> Result<(Vec<TagCount>, Pagination)> {
    let total = TagRepository::count(db).await?;
    let tags = TagRepository::most_used(db, paging.offset(), paging.per_page).await?;
    Ok((
        tags.into_iter().map(TagCount::from).collect(),
        Pagination::new(paging, total),
    ))
}

/// How many of the most used tags the home page shows.
pub const HOME_TAGS: u32 = 20;

/// The most used tags, as the home page shows them: read at most every few seconds, and
/// again at once after a post is written through this process (another instance's writes
/// show within `FRESH`). Every home page asking the database would cost each one a query.
#[derive(Default)]
pub struct MostUsedTags {
    cached: Mutex<Option<(Instant, Arc<Vec<TagCount>>)>>,
}

impl MostUsedTags {
    const FRESH: Duration = Duration::from_secs(5);

    pub async fn get(&self, db: &Db) -> Result<Arc<Vec<TagCount>>> {
        if let Ok(cached) = self.cached.lock() {
            if let Some((at, tags)) = cached.as_ref() {
                if at.elapsed() < Self::FRESH {
                    return Ok(tags.clone());
                }
            }
        }
        let tags: Arc<Vec<TagCount>> = Arc::new(
            TagRepository::most_used(db, 0, HOME_TAGS)
                .await?
                .into_iter()
                .map(TagCount::from)
                .collect(),
        );
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((Instant::now(), tags.clone()));
        }
        Ok(tags)
    }

    /// Drops the cached list: the next home page reads it again.
    pub fn forget(&self) {
        if let Ok(mut cached) = self.cached.lock() {
            *cached = None;
        }
    }
}

/// A page of the posts that have every word of `query` (and the tag `tag`, when one is
/// named), best first. A query with no word in it (only punctuation, say) finds nothing; one
/// past `SEARCH_MAX_CHARS` is refused.
pub async fn search(
    state: &Services,
    reader: Option<&UserRecord>,
    query: &str,
    tag: Option<i64>,
    paging: Paging,
) -> Result<SearchPage> {
    let words = search_words(query)
        .map_err(|m| Error::Invalid(FieldErrors::single(FieldName::Query, m)))?;
    let (hits, total) = if words.is_empty() {
        (Vec::new(), 0)
    } else {
        let backend = Backend::of(&state.config.database_url);
        SearchRepository::search(
            &state.db,
            backend,
            &words,
            tag,
            paging.offset(),
            paging.per_page,
        )
        .await?
    };
    // Only the newest `RANKED` matches are ranked and paged; past them the count says "more".
    let ranked = u64::try_from(RANKED).unwrap_or(u64::MAX);
    let mut hits: Vec<SearchHitView> = hits
        .into_iter()
        .map(|hit| SearchHitView {
            snippet_html: marked(&hit.snippet),
            post: post_view(hit.post),
        })
        .collect();
    mark_liked(&state.db, reader, hits.iter_mut().map(|hit| &mut hit.post)).await?;
    Ok(SearchPage {
        query: query.to_string(),
        more: total > ranked,
        hits,
        pagination: Pagination::new(paging, total.min(ranked)),
    })
}

/// A snippet as HTML: its text escaped, the engine's marks made `<mark>` elements (always
/// closed, whatever marks the text itself held).
fn marked(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 32);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            MARK_START if !open => {
                html.push_str("<mark>");
                open = true;
            }
            MARK_END if open => {
                html.push_str("</mark>");
                open = false;
            }
            MARK_START | MARK_END => {}
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked() {
        assert_eq!(
            marked("a <b>\u{E000}rust\u{E001}</b> & \u{E001}x\u{E000}y"),
            "a &lt;b&gt;<mark>rust</mark>&lt;/b&gt; &amp; x<mark>y</mark>"
        );
    }
}
