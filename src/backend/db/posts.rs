//! `posts`, each read with what its card shows of the author.

use super::{changed_rows, count, now, sql_offset};
use sqlx::any::AnyExecutor;
use sqlx::FromRow;

/// A post with what its card shows of the author.
#[derive(Debug, Clone, FromRow)]
pub struct PostRecord {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub content: String,
    pub date_posted: i64,
    pub updated_at: i64,
    pub author_username: String,
    pub author_avatar_etag: Option<String>,
}

/// The columns of a `PostRecord`: the post `p` joined with its author `u`.
macro_rules! post_columns {
    () => {
        "p.id, p.user_id, p.title, p.content, p.date_posted, p.updated_at, \
         u.username AS author_username, u.avatar_etag AS author_avatar_etag"
    };
}

/// A page of posts: the ids come from `$ids` (a subquery on the index alone, with its own
/// ORDER BY, LIMIT and OFFSET), then only those rows are read and joined. Ordering by the
/// subquery's columns keeps both planners driving from those few ids; with an OFFSET over
/// the join every skipped row would be built and thrown away (page 1000 was 20 times slower
/// than page 1).
macro_rules! paged_posts_sql {
    ($ids:literal) => {
        concat!(
            "SELECT ",
            post_columns!(),
            " FROM (",
            $ids,
            ") page JOIN posts p ON p.id = page.page_id JOIN users u ON u.id = p.user_id \
             ORDER BY page.page_date DESC, page.page_id DESC"
        )
    };
}

pub struct PostRepository;

impl PostRepository {
    pub async fn insert(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        title: &str,
        content: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO posts (user_id, title, content, date_posted, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(title)
        .bind(content)
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
        title: &str,
        content: &str,
    ) -> Result<bool, sqlx::Error> {
        let done =
            sqlx::query("UPDATE posts SET title = $1, content = $2, updated_at = $3 WHERE id = $4")
                .bind(title)
                .bind(content)
                .bind(now())
                .bind(id)
                .execute(db)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn delete(db: impl AnyExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
        Ok(changed_rows(db, "DELETE FROM posts WHERE id = $1", id).await? > 0)
    }

    /// One page of posts, everyone's or one author's: newest first, ties broken by id.
    pub async fn page(
        db: impl AnyExecutor<'_>,
        author: Option<i64>,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<PostRecord>, sqlx::Error> {
        let query = match author {
            None => sqlx::query_as(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts \
                 ORDER BY date_posted DESC, id DESC LIMIT $1 OFFSET $2"
            )),
            Some(user_id) => sqlx::query_as(paged_posts_sql!(
                "SELECT id AS page_id, date_posted AS page_date FROM posts WHERE user_id = $1 \
                 ORDER BY date_posted DESC, id DESC LIMIT $2 OFFSET $3"
            ))
            .bind(user_id),
        };
        query
            .bind(i64::from(limit))
            .bind(sql_offset(offset))
            .fetch_all(db)
            .await
    }

    /// How many posts there are, everyone's or one author's.
    pub async fn count(db: impl AnyExecutor<'_>, author: Option<i64>) -> Result<u64, sqlx::Error> {
        let query = match author {
            None => sqlx::query_scalar("SELECT COUNT(*) FROM posts"),
            Some(user_id) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE user_id = $1").bind(user_id)
            }
        };
        let n: i64 = query.fetch_one(db).await?;
        Ok(count(n))
    }
}
