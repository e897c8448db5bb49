//! Multi-row INSERT text with numbered parameters, for the bulk paths (demo, imports).

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

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_parameters_across_rows() {
        assert_eq!(
            super::insert_sql("t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
