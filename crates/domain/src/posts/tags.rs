//! Tags: a tag's posts, all tags by use, and the home page's most used tags.

use super::*;

/// The tag whose name is `name`, for the API's `?tag=` (404 when no post has it).
pub async fn tag_id(db: &Db, name: &str) -> Result<i64> {
    find_tag(db, name).await?.ok_or(Error::NotFound)
}

/// The tag whose name is `name`, if a post has it (`None` for a name no tag can have).
pub async fn find_tag(db: &Db, name: &str) -> Result<Option<i64>> {
    if !is_tag_name(name) {
        return Ok(None);
    }
    Ok(TagRepository::by_name(db, name).await?.map(|tag| tag.id))
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
