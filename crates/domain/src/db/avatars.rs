//! `avatars`: profile pictures, re-encoded, in the database so every instance serves them.

use sqlx::any::AnyExecutor;
use sqlx::AnyConnection;
use sqlx::FromRow;

#[derive(Debug, PartialEq, Eq, FromRow)]
pub struct Avatar {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub etag: String,
}

pub struct AvatarRepository;

impl AvatarRepository {
    /// Stores the picture and points the user at it. Three statements: run it inside the
    /// caller's transaction.
    pub async fn put(
        conn: &mut AnyConnection,
        user_id: i64,
        avatar: &Avatar,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO avatars (user_id, bytes, content_type, etag) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(&avatar.bytes)
        .bind(&avatar.content_type)
        .bind(&avatar.etag)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE users SET avatar_etag = $1 WHERE id = $2")
            .bind(&avatar.etag)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub async fn get(
        db: impl AnyExecutor<'_>,
        user_id: i64,
    ) -> Result<Option<Avatar>, sqlx::Error> {
        sqlx::query_as("SELECT bytes, content_type, etag FROM avatars WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await
    }
}
