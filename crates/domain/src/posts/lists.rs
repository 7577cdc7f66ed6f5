//! The site's lists of posts: the home feed, Following, an author's posts and likes, and the
//! windows the RealWorld API asks for by offset.

use super::*;

/// One page of a list of posts, as `reader` sees it (which they like), as cards or whole
/// posts (`P`). Past the last page the list is empty.
pub async fn page<P: ListedPost>(
    db: &Db,
    reader: Option<&UserRecord>,
    list: PostList,
    paging: Paging,
) -> Result<PostPage<P>> {
    let (posts, total) = window(db, reader, list, paging.offset(), paging.per_page).await?;
    Ok(PostPage {
        posts,
        pagination: Pagination::new(paging, total),
    })
}

/// Up to `limit` posts of a list after the first `offset`, as `reader` sees them, and how many
/// the list has (the RealWorld API pages by offset).
pub async fn window<P: ListedPost>(
    db: &Db,
    reader: Option<&UserRecord>,
    list: PostList,
    offset: u64,
    limit: u32,
) -> Result<(Vec<P>, u64)> {
    let (posts, total) = PostRepository::page::<P::Record>(db, list, offset, limit).await?;
    let mut posts: Vec<P> = posts.into_iter().map(P::of).collect();
    mark_liked(db, reader, &mut posts).await?;
    Ok((posts, total))
}

/// A page of a list on the site, as cards: a page past the last one does not exist.
pub(super) async fn site_page(
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
    let user = crate::users::by_username(db, username).await?;
    let list = match which {
        AuthorList::Posts => PostList::Author(user.id),
        AuthorList::Liked => PostList::Liked(user.id),
    };
    let posts = site_page(db, reader, list, number).await?;
    let profile = crate::conversation::profile(db, reader, &user).await?;
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

/// The newest `limit` posts of a list, whole (the feeds show their text).
pub async fn newest(db: &Db, list: PostList, limit: u32) -> Result<Vec<PostRecord>> {
    let (posts, _) = PostRepository::page::<PostRecord>(db, list, 0, limit).await?;
    Ok(posts)
}
