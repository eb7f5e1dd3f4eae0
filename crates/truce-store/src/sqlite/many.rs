//! Many rows in one statement.
//!
//! Every statement is a round trip to the connection's worker thread (about 60 µs on the 2-core
//! machine of BENCHMARKS.md, most of it waking threads), so a write of a page of documents that
//! ran one statement a row spent more time waiting than writing. The hot writes insert their rows
//! with multi-row `VALUES` lists instead, each value bound as a parameter.

use sqlx::query_builder::Separated;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Sqlite, Transaction};

use crate::StoreError;

/// Parameters a statement may bind: SQLite's limit is 32,766 (and more in some builds).
const PARAMETERS: usize = 30_000;

/// Inserts `rows` with as few statements as SQLite's parameter limit allows: `head` names the
/// table and columns (`INSERT INTO t (a, b) `), `bind` binds one row's `columns` values, and
/// `tail` follows the values (an `ON CONFLICT` clause, or nothing).
pub(super) async fn insert<T>(
    tx: &mut Transaction<'_, Sqlite>,
    head: &str,
    tail: &str,
    columns: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Separated<'_, Sqlite, &'static str>, &T),
) -> Result<(), StoreError> {
    for chunk in rows.chunks(rows_per_statement(columns)) {
        let mut b = statement(head, tail, chunk, &mut bind);
        b.build().persistent(false).execute(&mut **tx).await?;
    }
    Ok(())
}

/// [`insert`] with a `RETURNING` clause in `tail`: the rows it returns, read as `R`, in no
/// particular order (return a key with them).
pub(super) async fn insert_returning<T, R>(
    tx: &mut Transaction<'_, Sqlite>,
    head: &str,
    tail: &str,
    columns: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Separated<'_, Sqlite, &'static str>, &T),
) -> Result<Vec<R>, StoreError>
where
    R: for<'row> FromRow<'row, SqliteRow> + Send + Unpin,
{
    let mut returned = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(columns)) {
        let mut b = statement(head, tail, chunk, &mut bind);
        returned.extend(
            b.build_query_as::<R>()
                .persistent(false)
                .fetch_all(&mut **tx)
                .await?,
        );
    }
    Ok(returned)
}

/// Rows of `columns` values one statement may bind.
fn rows_per_statement(columns: usize) -> usize {
    (PARAMETERS / columns.max(1)).max(1)
}

/// One multi-row statement: `head`, the rows' values, `tail`. Its text differs with the number
/// of rows, so the caller keeps it out of the statement cache.
fn statement<T>(
    head: &str,
    tail: &str,
    chunk: &[T],
    bind: &mut impl FnMut(&mut Separated<'_, Sqlite, &'static str>, &T),
) -> QueryBuilder<Sqlite> {
    let mut b = QueryBuilder::<Sqlite>::new(head);
    b.push_values(chunk, |mut row, item| bind(&mut row, item));
    b.push(tail);
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteStore;

    #[tokio::test]
    async fn rows_beyond_one_statement_are_all_written() {
        let store = SqliteStore::open(":memory:").await.unwrap();
        let mut tx = store.pool().begin().await.unwrap();
        sqlx::query("CREATE TEMP TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            .execute(&mut *tx)
            .await
            .unwrap();
        // Two columns: 15,000 rows a statement, so 25,000 rows take two.
        let rows: Vec<(i64, String)> = (0..25_000).map(|i| (i, format!("r{i}"))).collect();
        insert(
            &mut tx,
            "INSERT INTO t (a, b) ",
            "",
            2,
            &rows,
            |row, (a, b)| {
                row.push_bind(*a).push_bind(b.as_str());
            },
        )
        .await
        .unwrap();
        // A conflict clause after the values: the second write of a key updates it.
        let again = vec![(7_i64, "seven".to_string())];
        insert(
            &mut tx,
            "INSERT INTO t (a, b) ",
            " ON CONFLICT (a) DO UPDATE SET b = excluded.b",
            2,
            &again,
            |row, (a, b)| {
                row.push_bind(*a).push_bind(b.as_str());
            },
        )
        .await
        .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let seven: String = sqlx::query_scalar("SELECT b FROM t WHERE a = 7")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let last: String = sqlx::query_scalar("SELECT b FROM t WHERE a = 24999")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(
            (n, seven.as_str(), last.as_str()),
            (25_000, "seven", "r24999")
        );
    }

    #[tokio::test]
    async fn no_rows_run_no_statement() {
        let store = SqliteStore::open(":memory:").await.unwrap();
        let mut tx = store.pool().begin().await.unwrap();
        let rows: Vec<i64> = Vec::new();
        // Would be a syntax error if it ran (no table, no values).
        insert(
            &mut tx,
            "INSERT INTO nowhere (a) ",
            "",
            1,
            &rows,
            |row, a| {
                row.push_bind(*a);
            },
        )
        .await
        .unwrap();
    }
}
