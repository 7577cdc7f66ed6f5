//! The post rules, shared by the pages and the API: who may change a post (checked before
//! what the change is), how lists page, what a page past the end is.

use super::db::{Db, PostRecord, PostRepository, UserRecord, UserRepository};
use super::error::{Error, Result};
use super::markdown::{reading_minutes, Rendered};
use super::users::may_change;
use crate::model::{
    avatar_url, AuthorPage, AuthorView, FieldErrors, FieldName, Pagination, Paging, PostBody,
    PostFormat, PostPage, PostTitle, PostView,
};

/// Posts on a page of the site's lists.
pub const PER_PAGE: u32 = 5;

pub fn post_view(post: PostRecord) -> PostView {
    PostView {
        author: AuthorView {
            id: post.user_id,
            avatar_url: avatar_url(post.user_id, post.author_avatar_etag.as_deref()),
            username: post.author_username,
        },
        id: post.id,
        title: post.title,
        content: post.content,
        format: post.format,
        content_html: post.content_html,
        excerpt: post.excerpt,
        reading_minutes: reading_minutes(post.words),
        date_posted: post.date_posted,
        updated_at: post.updated_at,
    }
}

/// A title, a content and a format that pass every rule, and what the content renders to.
struct Draft {
    title: PostTitle,
    body: PostBody,
    format: PostFormat,
    rendered: Rendered,
}

impl Draft {
    /// `format`: as the form or the request names it; `None` is `default`.
    fn parse(
        title: &str,
        content: &str,
        format: Option<&str>,
        default: PostFormat,
    ) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let title = errors.check(FieldName::Title, PostTitle::parse(title));
        let body = errors.check(FieldName::Content, PostBody::parse(content));
        let format = match format {
            None => Some(default),
            Some(raw) => errors.check(FieldName::Format, PostFormat::parse(raw)),
        };
        match (title, body, format) {
            (Some(title), Some(body), Some(format)) => {
                let rendered = Rendered::of(format, body.as_str());
                Ok(Self {
                    title,
                    body,
                    format,
                    rendered,
                })
            }
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// Publishes a post as `author`; answers its id. Without a format it is Markdown.
pub async fn create(
    db: &Db,
    author: &UserRecord,
    title: &str,
    content: &str,
    format: Option<&str>,
) -> Result<i64> {
    let draft = Draft::parse(title, content, format, PostFormat::Markdown)?;
    Ok(PostRepository::insert(
        db,
        author.id,
        draft.title.as_str(),
        draft.body.as_str(),
        draft.format,
        &draft.rendered,
    )
    .await?)
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
        let mut tx = db.begin().await?;
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

/// Changes a post's title, content and format (`None`: the format it has). Who may change it
/// is answered before what the change is (404, 403, then 422), on the pages and in the API
/// alike. The write is one statement, and a post's author never changes, so the check cannot
/// go stale; a post deleted in between is not found.
pub async fn update(
    db: &Db,
    user: &UserRecord,
    id: i64,
    title: &str,
    content: &str,
    format: Option<&str>,
) -> Result<()> {
    let post = editable(db, user, id).await?;
    let draft = Draft::parse(title, content, format, post.format)?;
    if PostRepository::update(
        db,
        id,
        draft.title.as_str(),
        draft.body.as_str(),
        draft.format,
        &draft.rendered,
    )
    .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

pub async fn delete(db: &Db, user: &UserRecord, id: i64) -> Result<()> {
    check_may_change(db, user, id).await?;
    if PostRepository::delete(db, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

pub async fn get(db: &Db, id: i64) -> Result<PostView> {
    let post = PostRepository::by_id(db, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(post_view(post))
}

/// One page of posts, everyone's or one author's, newest first. Past the last page the list
/// is empty.
pub async fn page(db: &Db, author: Option<i64>, paging: Paging) -> Result<PostPage> {
    let (posts, total) = PostRepository::page(db, author, paging.offset(), paging.per_page).await?;
    Ok(PostPage {
        posts: posts.into_iter().map(post_view).collect(),
        pagination: Pagination::new(paging, total),
    })
}

/// A page of a list on the site: a page past the last one does not exist.
async fn site_page(db: &Db, author: Option<i64>, number: u32) -> Result<PostPage> {
    let posts = page(
        db,
        author,
        Paging {
            page: number,
            per_page: PER_PAGE,
        },
    )
    .await?;
    if posts.pagination.is_past_the_end() {
        return Err(Error::NotFound);
    }
    Ok(posts)
}

/// A page of the home feed.
pub async fn feed(db: &Db, number: u32) -> Result<PostPage> {
    site_page(db, None, number).await
}

/// A page of one author's posts, found by username.
pub async fn by_author(db: &Db, username: &str, number: u32) -> Result<AuthorPage> {
    let user = UserRepository::by_username(db, username)
        .await?
        .ok_or(Error::NotFound)?;
    let posts = site_page(db, Some(user.id), number).await?;
    Ok(AuthorPage {
        author: AuthorView {
            id: user.id,
            avatar_url: avatar_url(user.id, user.avatar_etag.as_deref()),
            username: user.username,
        },
        posts,
    })
}
