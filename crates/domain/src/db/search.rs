//! Full-text search over posts: SQLite's FTS5 index `posts_fts` (migration 0008) or
//! PostgreSQL's `posts.search` tsvector with its GIN index. The words come in already made
//! safe (`model::search_words`): no query syntax reaches either engine.

use super::posts::Columns;
use super::{count, sql_offset, Backend, Db};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// Marks the start and the end of a matched word in a snippet (private-use characters, which
/// the snippet's text is escaped around; see `posts::search`).
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// A post that matched (a card or the whole post), with a piece of its text around the
/// matches.
#[derive(Debug)]
pub struct SearchHit<R> {
    pub post: R,
    pub snippet: String,
}

impl<'r, R: FromRow<'r, AnyRow>> FromRow<'r, AnyRow> for SearchHit<R> {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            post: R::from_row(row)?,
            snippet: row.try_get("snippet")?,
        })
    }
}

/// Matches ranked, at most: the newest this many. A word in most posts would otherwise cost
/// every search of it a rank for each of them (270 ms for 75,000 of 100,000 posts); past it,
/// the count says "more than".
pub const RANKED: i64 = 1_000;

pub struct SearchRepository;

impl SearchRepository {
    /// The posts that have every word of `words` (space-separated, each letters and digits
    /// only), and the tag `tag` if one is named: of the newest `RANKED` of them, the page at
    /// `offset`, best first; and how many match, counted up to `RANKED + 1`.
    pub async fn search<R: Columns>(
        db: &Db,
        backend: Backend,
        words: &str,
        tag: Option<i64>,
        offset: u64,
        limit: u32,
    ) -> Result<(Vec<SearchHit<R>>, u64), sqlx::Error> {
        match backend {
            Backend::Sqlite => {
                // Each word a quoted FTS5 string: implicit AND, no operator.
                let query = words
                    .split_whitespace()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" ");
                let total: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM posts_fts WHERE posts_fts MATCH $1 \
                     AND ($2 IS NULL OR rowid IN (SELECT post_id FROM post_tags WHERE tag_id = $2)) \
                     LIMIT $3)",
                )
                .bind(&query)
                .bind(tag)
                .bind(RANKED + 1)
                .fetch_one(db)
                .await?;
                // The snippet of each of the page's posts by rowid: joined with the whole match
                // instead, SQLite 3.46 walked all of it again (93 ms against 3 ms for a word in
                // 75,000 posts).
                let sql = format!(
                    "WITH top AS (SELECT rowid AS id, bm25(posts_fts, 5.0, 1.0) AS score \
                     FROM posts_fts WHERE posts_fts MATCH $1 \
                     AND ($4 IS NULL OR rowid IN (SELECT post_id FROM post_tags WHERE tag_id = $4)) \
                     ORDER BY rowid DESC LIMIT $5), \
                     page AS (SELECT id, score FROM top ORDER BY score, id DESC LIMIT $2 OFFSET $3) \
                     SELECT {}, (SELECT snippet(posts_fts, 1, char(57344), char(57345), '…', 24) \
                     FROM posts_fts WHERE posts_fts MATCH $1 AND posts_fts.rowid = page.id) \
                     AS snippet FROM page JOIN posts p ON p.id = page.id \
                     JOIN users u ON u.id = p.user_id ORDER BY page.score, page.id DESC",
                    R::SHAPE.columns()
                );
                let hits = sqlx::query_as(&sql)
                    .bind(&query)
                    .bind(i64::from(limit))
                    .bind(sql_offset(offset))
                    .bind(tag)
                    .bind(RANKED)
                    .fetch_all(db)
                    .await?;
                Ok((hits, count(total)))
            }
            Backend::Postgres => {
                let total: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM posts \
                     WHERE search @@ plainto_tsquery('english', $1) \
                     AND ($2::bigint IS NULL OR id IN (SELECT post_id FROM post_tags WHERE tag_id = $2)) \
                     LIMIT $3) matches",
                )
                .bind(words)
                .bind(tag)
                .bind(RANKED + 1)
                .fetch_one(db)
                .await?;
                let sql = format!(
                    "WITH top AS (SELECT p.id, ts_rank(p.search, q) AS score \
                     FROM posts p, plainto_tsquery('english', $1) q WHERE p.search @@ q \
                     AND ($4::bigint IS NULL OR p.id IN (SELECT post_id FROM post_tags WHERE tag_id = $4)) \
                     ORDER BY p.id DESC LIMIT $5), \
                     page AS (SELECT id, score FROM top ORDER BY score DESC, id DESC LIMIT $2 OFFSET $3) \
                     SELECT {}, ts_headline('english', p.content, plainto_tsquery('english', $1), \
                     'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=30, MinWords=12, \
                     MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet \
                     FROM page JOIN posts p ON p.id = page.id JOIN users u ON u.id = p.user_id \
                     ORDER BY page.score DESC, page.id DESC",
                    R::SHAPE.columns()
                );
                let hits = sqlx::query_as(&sql)
                    .bind(words)
                    .bind(i64::from(limit))
                    .bind(sql_offset(offset))
                    .bind(tag)
                    .bind(RANKED)
                    .fetch_all(db)
                    .await?;
                Ok((hits, count(total)))
            }
        }
    }
}
