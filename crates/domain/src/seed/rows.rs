//! Batched multi-row inserts inside large transactions.

use super::*;

/// Rows per INSERT statement (at most 12 binds a row, 6,000 a statement: well under both
/// databases' limits, SQLite's 32,766 and PostgreSQL's 65,535).
pub(super) const ROWS_PER_INSERT: usize = 500;
/// Rows per transaction.
pub(super) const ROWS_PER_TRANSACTION: usize = 20_000;

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Inserts `rows` by `head` (`INSERT INTO t (a, b) VALUES `) with `width` values a row,
/// `ROWS_PER_INSERT` rows a statement and `ROWS_PER_TRANSACTION` a transaction; `bind` binds
/// one row's values in the order of the columns.
pub(super) async fn insert_rows<R>(
    db: &Db,
    head: &str,
    width: usize,
    rows: Vec<R>,
    bind: for<'q> fn(AnyQuery<'q>, R) -> AnyQuery<'q>,
) -> Result<(), sqlx::Error> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut tx = crate::db::begin_write(db).await?;
        for _ in 0..ROWS_PER_TRANSACTION / ROWS_PER_INSERT {
            let batch: Vec<R> = rows.by_ref().take(ROWS_PER_INSERT).collect();
            if batch.is_empty() {
                break;
            }
            // `$n` placeholders, which both databases accept through the Any driver.
            let mut sql = String::from(head);
            for i in 0..batch.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for k in 1..=width {
                    if k > 1 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${}", i * width + k));
                }
                sql.push(')');
            }
            let mut insert = sqlx::query(&sql);
            for row in batch {
                insert = bind(insert, row);
            }
            insert.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
