//! What the sitemap lists: pages by id range, with their last change.

use super::Db;

pub struct SitemapRepository;

impl SitemapRepository {
    /// The highest post id and the highest user id (0 when there are none).
    pub async fn max_ids(db: &Db) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM posts), \
             (SELECT COALESCE(MAX(id), 0) FROM users)",
        )
        .fetch_one(db)
        .await
    }

    /// The posts whose ids are from `first` to `last`: id and last change, by id.
    pub async fn posts_between(
        db: &Db,
        first: i64,
        last: i64,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT CAST(id AS TEXT), updated_at FROM posts WHERE id BETWEEN $1 AND $2 \
             ORDER BY id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(db)
        .await
    }

    /// The users with posts whose ids are from `first` to `last`: username and their newest
    /// post's last change, by id.
    pub async fn authors_between(
        db: &Db,
        first: i64,
        last: i64,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT u.username, (SELECT MAX(p.updated_at) FROM posts p WHERE p.user_id = u.id) \
             FROM users u WHERE u.id BETWEEN $1 AND $2 AND u.post_count > 0 ORDER BY u.id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(db)
        .await
    }
}
