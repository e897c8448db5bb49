//! Multi-row INSERT text for the bulk paths (demo, imports, scan ingest): numbered parameters,
//! or all rows as one JSON parameter; and the statement helpers the modules share (bulk
//! INSERTs with bound rows, the read of one row by id).

use crate::{Backend, Result, StoreError, Tx};

/// A statement with its parameters bound so far.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Tx {
    /// Write `rows` as multi-row INSERTs into `table` ([`insert_sql`], in [`chunk_rows`]
    /// chunks), each ending in `tail` (e.g. an ON CONFLICT clause, or empty); `bind` binds one
    /// row's values in the order of `columns`. Returns the rows affected.
    pub(crate) async fn insert_rows<T>(
        &mut self,
        table: &str,
        columns: &[&str],
        tail: &str,
        rows: &[T],
        bind: impl for<'q> Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
    ) -> Result<u64> {
        let mut n = 0;
        for chunk in rows.chunks(chunk_rows(columns.len())) {
            let mut sql = insert_sql(table, columns, chunk.len());
            if !tail.is_empty() {
                sql.push(' ');
                sql.push_str(tail);
            }
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = bind(q, row);
            }
            n += q.execute(self.conn()).await?.rows_affected();
        }
        Ok(n)
    }

    /// Run `sql` (one JSON parameter, see [`json_insert_sql`]) once per [`JSON_ROWS`] rows.
    pub(crate) async fn execute_json_rows<T: serde::Serialize>(
        &mut self,
        sql: &str,
        rows: &[T],
    ) -> Result<()> {
        for chunk in rows.chunks(JSON_ROWS) {
            sqlx::query(sql)
                .bind(json_rows(chunk.iter())?)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// The row `sql` selects with `id` bound as `$1`, or `NotFound(what)` when there is none.
    pub(crate) async fn one_by_id<T>(&mut self, sql: &str, id: i64, what: &'static str) -> Result<T>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound(what))
    }
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4)` for `rows` rows.
pub(crate) fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&n.to_string());
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// Rows per statement: about 500 parameters. Far below SQLite's limit of 32,766, on purpose:
/// sqlx looks up each parameter's name in the statement, which costs more the more parameters
/// it has, so huge statements are slower per row than small ones (measured: 2,300 rows per
/// statement took 0.5 ms a row; 32–64 rows, 15× less).
pub(crate) fn chunk_rows(columns: usize) -> usize {
    (500 / columns).max(1)
}

/// Rows per JSON-parameter statement (see [`json_insert_sql`]): one parameter whatever the
/// count, so the chunk is bounded only by memory; 5,000 rows of scans are ~0.6 MB of text.
pub(crate) const JSON_ROWS: usize = 5_000;

/// `INSERT INTO table (a, b) SELECT … FROM <the rows of ONE JSON parameter>`: the rows come as
/// one text parameter, a JSON array of arrays (one per row, in `columns` order), so binding
/// costs one parameter per statement instead of one per value — sqlx binds SQLite parameters
/// by name, at a cost that grows with the statement's parameter count. Each column is given
/// with its PostgreSQL type (`bigint`, `text`, `double precision`), which PostgreSQL needs to
/// cast the JSON text; SQLite's `->>` already yields INTEGER, REAL, TEXT or NULL.
/// The `WHERE true` lets an `ON CONFLICT` clause follow on SQLite (which would otherwise read
/// it as a join's `ON`).
pub(crate) fn json_insert_sql(backend: Backend, table: &str, columns: &[(&str, &str)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let values: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| match backend {
            Backend::Sqlite => format!("value ->> {i}"),
            Backend::Postgres => format!("(e ->> {i})::{ty}"),
        })
        .collect();
    let from = match backend {
        Backend::Sqlite => "json_each($1)",
        Backend::Postgres => "jsonb_array_elements($1::jsonb) AS e",
    };
    format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {from} WHERE true",
        names.join(", "),
        values.join(", ")
    )
}

/// The rows as the JSON array of arrays [`json_insert_sql`] reads.
pub(crate) fn json_rows<T: serde::Serialize>(
    rows: impl Iterator<Item = T>,
) -> crate::Result<String> {
    let rows: Vec<T> = rows.collect();
    serde_json::to_string(&rows)
        .map_err(|e| crate::StoreError::Database(sqlx::Error::Encode(Box::new(e))))
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_insert_reads_one_parameter() {
        use crate::Backend;
        let cols = [("a", "bigint"), ("b", "text")];
        assert_eq!(
            super::json_insert_sql(Backend::Sqlite, "t", &cols),
            "INSERT INTO t (a, b) SELECT value ->> 0, value ->> 1 FROM json_each($1) WHERE true"
        );
        assert_eq!(
            super::json_insert_sql(Backend::Postgres, "t", &cols),
            "INSERT INTO t (a, b) SELECT (e ->> 0)::bigint, (e ->> 1)::text \
             FROM jsonb_array_elements($1::jsonb) AS e WHERE true"
        );
    }

    #[test]
    fn numbers_parameters_across_rows() {
        assert_eq!(
            super::insert_sql("t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
