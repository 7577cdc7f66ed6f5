//! Pages of the lists of posts: one statement a page, reading the page's ids from an index
//! alone and then only those posts, with the list's total beside them.

use super::posts::{Columns, PostRepository, Shape};
use super::{count, sql_offset, Backend, Db};
use sqlx::any::{AnyExecutor, AnyRow};
use sqlx::{FromRow, Row};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Each list's ids (see [`page_sql`]), in the order of [`PostList::index`]: from an index
/// alone, the condition on the list's owner (`$1` where it has one), the order; and its total,
/// the counter the triggers of migration 0005 keep.
struct ListSql {
    from: &'static str,
    owner: &'static str,
    order: &'static str,
    total: &'static str,
}

const LISTS: [ListSql; 5] = [
    ListSql {
        from: "SELECT id AS page_id, date_posted AS page_date FROM posts",
        owner: "",
        order: "date_posted DESC, id DESC",
        total: "(SELECT posts FROM post_totals WHERE id = 1)",
    },
    ListSql {
        from: "SELECT id AS page_id, date_posted AS page_date FROM posts",
        owner: "user_id = $1",
        order: "date_posted DESC, id DESC",
        total: "(SELECT post_count FROM users WHERE id = $1)",
    },
    ListSql {
        from: "SELECT post_id AS page_id, date_posted AS page_date FROM post_tags",
        owner: "tag_id = $1",
        order: "date_posted DESC, post_id DESC",
        total: "(SELECT post_count FROM tags WHERE id = $1)",
    },
    // Each followed author's posts come from their own index; the total is the sum of their
    // counters.
    ListSql {
        from: "SELECT id AS page_id, date_posted AS page_date FROM posts",
        owner: "user_id IN (SELECT followee_id FROM follows WHERE follower_id = $1)",
        order: "date_posted DESC, id DESC",
        total: "(SELECT CAST(COALESCE(SUM(u.post_count), 0) AS BIGINT) FROM follows f \
                JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1)",
    },
    ListSql {
        from: "SELECT post_id AS page_id, created_at AS page_date FROM likes",
        owner: "user_id = $1",
        order: "created_at DESC, post_id DESC",
        total: "(SELECT like_count FROM users WHERE id = $1)",
    },
];

/// A page of a list's posts: the ids come from the list's index, then only those rows are read
/// and joined. Ordering by the ids' columns keeps both planners driving from those few ids;
/// with an OFFSET over the join every skipped row would be built and thrown away (page 1000
/// was 20 times slower than page 1). Each row carries the list's total, so a page with its
/// count is one query. A page past the end reads no index entry (a request for page 2^31
/// would otherwise walk every post's), each database told so its own way:
///
/// - SQLite gets `LIMIT CASE WHEN offset < total THEN n ELSE 0 END`: a condition on no row in
///   the WHERE clause it tests on every row it walks (page 1000 took 290 µs against 180, a
///   page past the end 430 µs against 14);
/// - PostgreSQL gets that condition in the WHERE clause, which it tests once before it walks
///   (a one-time filter), and the limit written into the statement: it plans a prepared
///   statement once for any parameters (`POSTGRES_SESSION`), and takes a limit it cannot see
///   for a tenth of the table — it then hash-joined every post to find five (8 ms for page 1 of
///   10,000 posts, against 0.1 ms by the index).
///
/// The site's pages all have the same size, so each database, list and shape is one
/// statement, written once; the API's other sizes are written when asked.
fn page_sql(backend: Backend, list: PostList, shape: Shape, limit: u32) -> Cow<'static, str> {
    let write = |backend: Backend, list: usize, shape: Shape, limit: u32| {
        let ListSql {
            from,
            owner,
            order,
            total,
        } = &LISTS[list];
        let offset = if list == 0 { "$1" } else { "$2" };
        let and = if owner.is_empty() { "" } else { " AND " };
        let ids = match backend {
            Backend::Sqlite => {
                let filter = if owner.is_empty() {
                    String::new()
                } else {
                    format!(" WHERE {owner}")
                };
                format!(
                    "{from}{filter} ORDER BY {order} \
                     LIMIT CASE WHEN {offset} < {total} THEN {limit} ELSE 0 END OFFSET {offset}"
                )
            }
            Backend::Postgres => format!(
                "{from} WHERE {owner}{and}{offset} < {total} ORDER BY {order} \
                 LIMIT {limit} OFFSET {offset}"
            ),
        };
        format!(
            "SELECT {}, {total} AS total FROM ({ids}) page \
             JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
             ORDER BY page.page_date DESC, page.page_id DESC",
            shape.columns()
        )
    };
    static SITE: OnceLock<[[[String; 5]; 2]; 2]> = OnceLock::new();
    if limit != crate::posts::PER_PAGE {
        return Cow::Owned(write(backend, list.index(), shape, limit));
    }
    let site = SITE.get_or_init(|| {
        [Backend::Sqlite, Backend::Postgres].map(|backend| {
            [Shape::Card, Shape::Whole].map(|shape| {
                std::array::from_fn(|list| write(backend, list, shape, crate::posts::PER_PAGE))
            })
        })
    });
    let at = usize::from(backend == Backend::Postgres);
    Cow::Borrowed(&site[at][shape as usize][list.index()])
}

/// A row of a page: a post and how many the list has.
struct PagedPost<R> {
    post: R,
    total: i64,
}

impl<'r, R: FromRow<'r, AnyRow>> FromRow<'r, AnyRow> for PagedPost<R> {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            post: R::from_row(row)?,
            total: row.try_get("total")?,
        })
    }
}

/// A list of posts: everyone's, one author's, or one tag's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostList {
    All,
    Author(i64),
    Tag(i64),
    /// The posts of the authors a user follows, newest first.
    Following(i64),
    /// The posts a user liked, the latest like first.
    Liked(i64),
}

impl PostList {
    /// Its place in [`LISTS`].
    const fn index(self) -> usize {
        match self {
            PostList::All => 0,
            PostList::Author(_) => 1,
            PostList::Tag(_) => 2,
            PostList::Following(_) => 3,
            PostList::Liked(_) => 4,
        }
    }

    /// The list's owner (an author, a tag, a reader), which its SQL takes as `$1`.
    const fn owner(self) -> Option<i64> {
        match self {
            PostList::All => None,
            PostList::Author(id)
            | PostList::Tag(id)
            | PostList::Following(id)
            | PostList::Liked(id) => Some(id),
        }
    }
}

impl PostRepository {
    /// One page of a list of posts, each read as `R` (a card or the whole post): newest first,
    /// ties broken by id. With them, how many the list has in all (past the end of the list,
    /// where no row can tell, the counter is read alone).
    pub async fn page<R: Columns>(
        db: &Db,
        list: PostList,
        offset: u64,
        limit: u32,
    ) -> Result<(Vec<R>, u64), sqlx::Error> {
        let sql = page_sql(Backend::of_pool(db), list, R::SHAPE, limit);
        let mut query = sqlx::query_as::<_, PagedPost<R>>(&sql);
        if let Some(owner) = list.owner() {
            query = query.bind(owner);
        }
        let rows = query.bind(sql_offset(offset)).fetch_all(db).await?;
        let total = match rows.first() {
            Some(row) => count(row.total),
            None => Self::count(db, list).await?,
        };
        Ok((rows.into_iter().map(|row| row.post).collect(), total))
    }

    /// How many posts a list has (counters, not a count).
    pub async fn count(db: impl AnyExecutor<'_>, list: PostList) -> Result<u64, sqlx::Error> {
        let query = match list {
            PostList::All => sqlx::query_scalar("SELECT posts FROM post_totals WHERE id = 1"),
            PostList::Author(user_id) => {
                sqlx::query_scalar("SELECT post_count FROM users WHERE id = $1").bind(user_id)
            }
            PostList::Tag(tag_id) => {
                sqlx::query_scalar("SELECT post_count FROM tags WHERE id = $1").bind(tag_id)
            }
            PostList::Following(user_id) => sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(u.post_count), 0) AS BIGINT) FROM follows f \
                 JOIN users u ON u.id = f.followee_id WHERE f.follower_id = $1",
            )
            .bind(user_id),
            PostList::Liked(user_id) => {
                sqlx::query_scalar("SELECT like_count FROM users WHERE id = $1").bind(user_id)
            }
        };
        let n: Option<i64> = query.fetch_optional(db).await?;
        Ok(count(n.unwrap_or_default()))
    }
}
