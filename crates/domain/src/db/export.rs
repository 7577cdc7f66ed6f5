//! What a writer's export reads: their posts, comments and likes a batch at a time, each batch
//! after the last one's key (by the indexes the lists use), and the people they follow and who
//! follow them.

use sqlx::any::AnyExecutor;
use sqlx::FromRow;

/// A post as the export writes it: its text as written, not as rendered.
#[derive(Debug, Clone, FromRow)]
pub struct ExportPost {
    pub id: i64,
    pub slug: Option<String>,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub format: String,
    pub tags: String,
    pub date_posted: i64,
    pub updated_at: i64,
}

/// One of the writer's comments, with the post it is on.
#[derive(Debug, Clone, FromRow)]
pub struct ExportComment {
    pub id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub post_author: String,
    pub body: String,
    pub created_at: i64,
}

/// A post the writer likes.
#[derive(Debug, Clone, FromRow)]
pub struct ExportLike {
    pub post_id: i64,
    pub post_title: String,
    pub post_author: String,
    pub created_at: i64,
}

pub struct ExportRepository;

impl ExportRepository {
    /// The author's posts after `(date, id)`, oldest first (`posts_author_feed`, walked
    /// backwards).
    pub async fn posts_after(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<ExportPost>, sqlx::Error> {
        rows_after(
            db,
            "SELECT id, slug, title, summary, content, format, tags, date_posted, updated_at \
             FROM posts WHERE user_id = $1 \
             AND (date_posted > $2 OR (date_posted = $2 AND id > $3)) \
             ORDER BY date_posted, id LIMIT $4",
            user_id,
            after,
            limit,
        )
        .await
    }

    /// The user's comments after `id`, oldest first.
    pub async fn comments_after(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ExportComment>, sqlx::Error> {
        sqlx::query_as(
            "SELECT c.id, c.post_id, p.title AS post_title, u.username AS post_author, c.body, \
             c.created_at FROM comments c JOIN posts p ON p.id = c.post_id \
             JOIN users u ON u.id = p.user_id \
             WHERE c.user_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
        )
        .bind(user_id)
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await
    }

    /// The posts the user likes after `(when, post id)`, in the order they were liked
    /// (`likes_user_feed`, walked backwards).
    pub async fn likes_after(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<ExportLike>, sqlx::Error> {
        rows_after(
            db,
            "SELECT l.post_id, p.title AS post_title, u.username AS post_author, l.created_at \
             FROM likes l JOIN posts p ON p.id = l.post_id JOIN users u ON u.id = p.user_id \
             WHERE l.user_id = $1 \
             AND (l.created_at > $2 OR (l.created_at = $2 AND l.post_id > $3)) \
             ORDER BY l.created_at, l.post_id LIMIT $4",
            user_id,
            after,
            limit,
        )
        .await
    }

    /// The usernames the user follows (`following`) or is followed by, in name order.
    pub async fn follows(
        db: impl AnyExecutor<'_>,
        user_id: i64,
        following: bool,
    ) -> Result<Vec<String>, sqlx::Error> {
        let sql = if following {
            "SELECT u.username FROM follows f JOIN users u ON u.id = f.followee_id \
             WHERE f.follower_id = $1 ORDER BY u.username"
        } else {
            "SELECT u.username FROM follows f JOIN users u ON u.id = f.follower_id \
             WHERE f.followee_id = $1 ORDER BY u.username"
        };
        let rows: Vec<(String,)> = sqlx::query_as(sql).bind(user_id).fetch_all(db).await?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }
}

/// A batch of `sql`'s rows for `user_id` ($1) after the key `after` ($2, $3), at most `limit`
/// ($4).
async fn rows_after<T>(
    db: impl AnyExecutor<'_>,
    sql: &'static str,
    user_id: i64,
    after: (i64, i64),
    limit: i64,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sql)
        .bind(user_id)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(db)
        .await
}
