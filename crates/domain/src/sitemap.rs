//! The sitemap's rules: parts of `PART_IDS` consecutive ids each, posts and the user pages of
//! users with posts. Parts by id range are one index range each, however many posts there are
//! (an OFFSET would walk every earlier one), and stay valid when posts are deleted (a part may
//! then list fewer). The web writes them as XML.

use crate::db::{Db, SitemapRepository};
use crate::{Error, Result};

/// Ids a part of the sitemap covers (the protocol allows 50,000 addresses a file).
pub const PART_IDS: i64 = 10_000;

/// What a part lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Posts,
    Users,
}

impl Kind {
    /// As a part's file names it: `posts-3.xml`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Posts => "posts",
            Kind::Users => "users",
        }
    }
}

/// How many parts cover ids 1 to `max_id` (at least one, so the index is never empty).
pub fn parts(max_id: i64) -> i64 {
    ((max_id + PART_IDS - 1) / PART_IDS).max(1)
}

/// How many parts of each kind there are: (users, posts).
pub async fn part_counts(db: &Db) -> Result<(i64, i64)> {
    let (posts, users) = SitemapRepository::max_ids(db).await?;
    Ok((parts(users), parts(posts)))
}

/// Part `n` of `kind`: each page's key (a post's id, a user's name) and last change. A part
/// past the last one is not found; a part within them may be empty.
pub async fn part(db: &Db, kind: Kind, n: i64) -> Result<Vec<(String, i64)>> {
    if !(1..=i64::MAX / PART_IDS).contains(&n) {
        return Err(Error::NotFound);
    }
    let (first, last) = ((n - 1) * PART_IDS + 1, n * PART_IDS);
    let rows = match kind {
        Kind::Posts => SitemapRepository::posts_between(db, first, last).await?,
        Kind::Users => SitemapRepository::authors_between(db, first, last).await?,
    };
    if rows.is_empty() && n > 1 {
        let (users, posts) = part_counts(db).await?;
        let count = if kind == Kind::Posts { posts } else { users };
        if n > count {
            return Err(Error::NotFound);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_every_id() {
        assert_eq!(parts(0), 1);
        assert_eq!(parts(10_000), 1);
        assert_eq!(parts(10_001), 2);
    }
}
