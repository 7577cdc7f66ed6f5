//! `tags` and `post_tags`: which posts have which tag, and how many each tag has.

use super::{count, sql_offset};
use crate::model::{TagCount, Tags};
use sqlx::AnyConnection;
use sqlx::FromRow;

/// A tag that exists, with how many posts have it.
#[derive(Debug, Clone, FromRow)]
pub struct TagRecord {
    pub id: i64,
    pub name: String,
    pub post_count: i64,
}

impl From<TagRecord> for TagCount {
    fn from(tag: TagRecord) -> Self {
        TagCount {
            name: tag.name,
            posts: count(tag.post_count),
        }
    }
}

pub struct TagRepository;

impl TagRepository {
    /// Gives post `post_id` exactly `tags`, in one transaction with the post's own write.
    /// The tags' counters are updated in tag id order, by every path (the PostgreSQL triggers
    /// too): two posts tagged at once lock the same tags in the same order, so they cannot
    /// deadlock.
    pub async fn set_for_post(
        conn: &mut AnyConnection,
        post_id: i64,
        tags: &Tags,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
        let mut ids = Vec::with_capacity(tags.names().len());
        for name in tags.names() {
            sqlx::query("INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .execute(&mut *conn)
                .await?;
            let id: i64 = sqlx::query_scalar("SELECT id FROM tags WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *conn)
                .await?;
            ids.push(id);
        }
        ids.sort_unstable();
        for id in ids {
            sqlx::query(
                "INSERT INTO post_tags (post_id, tag_id, date_posted) \
                 SELECT id, $2, date_posted FROM posts WHERE id = $1",
            )
            .bind(post_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("UPDATE posts SET tags = $1 WHERE id = $2")
            .bind(tags.joined())
            .bind(post_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The tag named `name`, if any post has it.
    pub async fn by_name(
        db: impl sqlx::any::AnyExecutor<'_>,
        name: &str,
    ) -> Result<Option<TagRecord>, sqlx::Error> {
        sqlx::query_as("SELECT id, name, post_count FROM tags WHERE name = $1 AND post_count > 0")
            .bind(name)
            .fetch_optional(db)
            .await
    }

    /// Tags by how many posts have them (most first, then by name), `limit` from `offset`.
    pub async fn most_used(
        db: impl sqlx::any::AnyExecutor<'_>,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<TagRecord>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, name, post_count FROM tags WHERE post_count > 0 \
             ORDER BY post_count DESC, name LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(sql_offset(offset))
        .fetch_all(db)
        .await
    }

    /// How many tags some post has.
    pub async fn count(db: impl sqlx::any::AnyExecutor<'_>) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tags WHERE post_count > 0")
            .fetch_one(db)
            .await?;
        Ok(count(n))
    }
}
