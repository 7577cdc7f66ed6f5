//! `posts`, each read with what its card shows of the author.

use super::{changed_rows, count, now, sql_offset, Backend, Db};
use crate::markdown::{Rendered, RENDERER_VERSION};
use crate::model::PostFormat;
use sqlx::any::{AnyExecutor, AnyRow};
use sqlx::{FromRow, Row};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A whole post with what its card shows of the author: what its page, the feeds, the editor
/// and the v1 API read.
#[derive(Debug, Clone, FromRow)]
pub struct PostRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    /// None only for a post from before slugs, until the start that gives it one.
    pub slug: Option<String>,
    pub summary: String,
    pub content: String,
    #[sqlx(try_from = "String")]
    pub format: PostFormat,
    pub content_html: String,
    pub excerpt: String,
    pub words: i64,
    /// The post's tags as shown: `a, b`.
    pub tags: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
    pub comment_count: i64,
    pub like_count: i64,
}

/// A post as its card shows it, and no more: the lists read these. A card's text is the
/// excerpt (300 characters) the post was rendered with, so a list never reads a post's source
/// or HTML, which may be 100,000 characters each.
#[derive(Debug, Clone, FromRow)]
pub struct CardRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub slug: Option<String>,
    pub summary: String,
    pub excerpt: String,
    pub tags: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
    pub comment_count: i64,
    pub like_count: i64,
}

/// The columns of a `PostRecord`: the post `p` joined with its author `u`.
macro_rules! post_columns {
    () => {
        "p.id, p.user_id, p.title, p.slug, p.summary, p.content, p.format, p.content_html, \
         p.excerpt, p.words, p.tags, p.date_posted, p.updated_at, \
         u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
         p.comment_count, p.like_count"
    };
}

/// The columns of a `CardRecord`.
macro_rules! card_columns {
    () => {
        "p.id, p.user_id, p.title, p.slug, p.summary, p.excerpt, p.tags, p.date_posted, \
         p.updated_at, u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
         p.comment_count, p.like_count"
    };
}

/// What a list reads of each post: a row type and its columns.
pub trait Columns: for<'r> FromRow<'r, AnyRow> + Send + Unpin {
    const SHAPE: Shape;
}

/// The two ways a list reads its posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Card = 0,
    Whole = 1,
}

impl Shape {
    /// The columns of its row, from the post `p` joined with its author `u`.
    pub const fn columns(self) -> &'static str {
        match self {
            Shape::Card => card_columns!(),
            Shape::Whole => post_columns!(),
        }
    }
}

impl Columns for CardRecord {
    const SHAPE: Shape = Shape::Card;
}

impl Columns for PostRecord {
    const SHAPE: Shape = Shape::Whole;
}

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

/// What a post's author writes: its title, summary and content.
pub struct PostText<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub content: &'a str,
}

pub struct PostRepository;

impl PostRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        text: &PostText<'_>,
        format: PostFormat,
        rendered: &Rendered,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO posts (user_id, title, summary, content, format, content_html, excerpt, \
             words, rendered_by, date_posted, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(user_id)
        .bind(text.title)
        .bind(text.summary)
        .bind(text.content)
        .bind(format.as_str())
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(now())
        .fetch_one(db)
        .await
    }

    pub async fn by_id(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<PostRecord>, sqlx::Error> {
        let sql = concat!(
            "SELECT ",
            post_columns!(),
            " FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1"
        );
        sqlx::query_as(sql).bind(id).fetch_optional(db).await
    }

    /// A post as its page shows it: the source of a plain-text post, the HTML of a Markdown
    /// one, not both (each may be 100,000 characters and more; the page shows one).
    pub async fn to_show(
        db: impl AnyExecutor<'_>,
        id: i64,
    ) -> Result<Option<PostRecord>, sqlx::Error> {
        let sql = "SELECT p.id, p.user_id, p.title, p.slug, p.summary, \
             CASE WHEN p.format = 'text' THEN p.content ELSE '' END AS content, p.format, \
             CASE WHEN p.format = 'text' THEN '' ELSE p.content_html END AS content_html, \
             p.excerpt, p.words, p.tags, p.date_posted, p.updated_at, \
             u.username AS author_username, u.avatar_etag AS author_avatar_etag, \
             p.comment_count, p.like_count \
             FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1";
        sqlx::query_as(sql).bind(id).fetch_optional(db).await
    }

    /// The author of a post, if it exists: what a change of it is checked against.
    pub async fn author_of(db: impl AnyExecutor<'_>, id: i64) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT user_id FROM posts WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await
    }

    pub async fn update(
        db: impl AnyExecutor<'_>,
        id: i64,
        text: &PostText<'_>,
        format: PostFormat,
        rendered: &Rendered,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE posts SET title = $1, summary = $2, content = $3, format = $4, \
             content_html = $5, excerpt = $6, words = $7, rendered_by = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(text.title)
        .bind(text.summary)
        .bind(text.content)
        .bind(format.as_str())
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Up to `limit` posts after id `after` that an older renderer rendered (or none did):
    /// id, format, source.
    pub async fn stale(
        db: impl AnyExecutor<'_>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, format, content FROM posts WHERE rendered_by <> $1 AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(RENDERER_VERSION)
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await
    }

    /// Stores what a post renders to, unless its source or format changed since they were
    /// read (that write rendered it already).
    pub async fn set_rendered(
        db: impl AnyExecutor<'_>,
        id: i64,
        format: &str,
        content: &str,
        rendered: &Rendered,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE posts SET content_html = $1, excerpt = $2, words = $3, rendered_by = $4 \
             WHERE id = $5 AND format = $6 AND content = $7",
        )
        .bind(&rendered.html)
        .bind(&rendered.excerpt)
        .bind(rendered.words)
        .bind(RENDERER_VERSION)
        .bind(id)
        .bind(format)
        .bind(content)
        .execute(db)
        .await?;
        Ok(())
    }

    /// The post whose slug is `slug`.
    pub async fn id_by_slug(
        db: impl AnyExecutor<'_>,
        slug: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM posts WHERE slug = $1")
            .bind(slug)
            .fetch_optional(db)
            .await
    }

    /// Names a post that has no slug yet (a new one, or one from before slugs); one that
    /// something named meanwhile keeps its name.
    pub async fn set_missing_slug(
        db: impl AnyExecutor<'_>,
        id: i64,
        slug: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE posts SET slug = $1 WHERE id = $2 AND slug IS NULL")
            .bind(slug)
            .bind(id)
            .execute(db)
            .await?;
        Ok(())
    }

    /// Which of `slugs` posts have.
    pub async fn slugs_among(
        db: impl AnyExecutor<'_>,
        slugs: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        super::among(db, "SELECT slug FROM posts WHERE slug IN", None, slugs).await
    }

    /// Up to `limit` posts without a slug (from before slugs): id and title.
    pub async fn without_slug(
        db: impl AnyExecutor<'_>,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, sqlx::Error> {
        sqlx::query_as("SELECT id, title FROM posts WHERE slug IS NULL ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(db)
            .await
    }

    pub async fn delete(db: impl AnyExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
        Ok(changed_rows(db, "DELETE FROM posts WHERE id = $1", id).await? > 0)
    }

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
