//! The short corpus, what the tests seed: a few sentences of plain text a post.

use super::*;

pub(super) fn content(rng: &mut Rng) -> String {
    let paragraphs = 1 + rng.below(3);
    (0..paragraphs)
        .map(|_| {
            let sentences = 2 + rng.below(4);
            (0..sentences)
                .map(|_| format!("{}.", sentence(rng, 6, 16)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Writes `posts` short posts by `authors`, the `i`th at `start + i * step` plus up to a
/// `step` more, in batched inserts. Answers each post's length.
pub(super) async fn short_posts(
    db: &Db,
    rng: &mut Rng,
    authors: &[i64],
    posts: usize,
    (start, step): (i64, i64),
    slug_for: &mut impl FnMut(&str) -> String,
) -> Result<Vec<usize>, SeedError> {
    let mut lengths = Vec::with_capacity(posts);
    let mut written = 0;
    while written < posts {
        let mut tx = crate::db::begin_write(db).await?;
        let chunk_end = (written + ROWS_PER_TRANSACTION).min(posts);
        while written < chunk_end {
            let batch_end = (written + ROWS_PER_INSERT).min(chunk_end);
            let rows: Vec<(i64, String, String, i64, String)> = (written..batch_end)
                .map(|i| {
                    let author = authors[rng.below(authors.len())];
                    let title = sentence(rng, 3, 9);
                    let body = content(rng);
                    let at = start + i as i64 * step + rng.below(step as usize) as i64;
                    let slug = slug_for(&title);
                    (author, title, body, at, slug)
                })
                .collect();
            lengths.extend(rows.iter().map(|(_, _, body, _, _)| body.chars().count()));
            // `$n` placeholders, which both databases accept through the Any driver.
            let mut sql = String::from(
                "INSERT INTO posts (user_id, title, content, date_posted, updated_at, slug) VALUES ",
            );
            for i in 0..rows.len() {
                let n = i * 5;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 4,
                    n + 5
                ));
            }
            let mut insert = sqlx::query(&sql);
            for (author, title, body, at, slug) in rows {
                insert = insert
                    .bind(author)
                    .bind(title)
                    .bind(body)
                    .bind(at)
                    .bind(slug);
            }
            insert.execute(&mut *tx).await?;
            written = batch_end;
        }
        tx.commit().await?;
    }
    Ok(lengths)
}
