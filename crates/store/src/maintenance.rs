//! What backup, restore and `zhikong check` need of the database itself: its tables from the
//! catalogue (so a table added by a later migration is included without a list to keep),
//! their row counts, a consistent copy (SQLite `VACUUM INTO`; PostgreSQL an exported snapshot
//! for `pg_dump`), and the engine's own integrity checks.

use std::collections::BTreeMap;
use std::path::Path;

use sqlx::Row;

use crate::{Backend, Result, Store, StoreError, Tx};

impl Tx {
    /// Every table of the platform (the migration history excluded), by name.
    pub async fn table_names(&mut self) -> Result<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT tablename::text FROM pg_tables
                  WHERE schemaname = current_schema() AND tablename <> '_sqlx_migrations'
                  ORDER BY tablename"
            }
        };
        let rows = sqlx::query(sql).fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>(0)?))
            .collect()
    }

    /// Whether the database holds any table at all (the migration history included): a
    /// restore goes into an empty database only.
    pub async fn has_tables(&mut self) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
            }
        };
        let n: i64 = sqlx::query(sql).fetch_one(self.conn()).await?.try_get(0)?;
        Ok(n > 0)
    }

    /// Rows per table, every row read by the engine (a damaged page shows as an error here).
    pub async fn table_counts(&mut self) -> Result<BTreeMap<String, i64>> {
        let mut counts = BTreeMap::new();
        for table in self.table_names().await? {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM \"{table}\""))
                .fetch_one(self.conn())
                .await?
                .try_get(0)?;
            counts.insert(table, n);
        }
        Ok(counts)
    }

    /// PostgreSQL: make this transaction a read-only snapshot and export it, so that
    /// `pg_dump --snapshot` dumps exactly what this transaction counts. Must come first in the
    /// transaction.
    pub async fn export_snapshot(&mut self) -> Result<String> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Open(
                "snapshots are exported on PostgreSQL only".into(),
            ));
        }
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(self.conn())
            .await?;
        Ok(sqlx::query("SELECT pg_export_snapshot()")
            .fetch_one(self.conn())
            .await?
            .try_get(0)?)
    }

    /// SQLite's `PRAGMA quick_check` (pages and rows readable, no index cross-check): what
    /// `stats` runs first, so a damaged file is said to be damaged. Nothing on PostgreSQL.
    pub async fn quick_check(&mut self) -> Result<Vec<String>> {
        if self.backend != Backend::Sqlite {
            return Ok(vec![]);
        }
        let mut problems = vec![];
        for row in sqlx::query("PRAGMA quick_check")
            .fetch_all(self.conn())
            .await?
        {
            let line: String = row.try_get(0)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        Ok(problems)
    }

    /// The engine's integrity check: on SQLite `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check`; on PostgreSQL every table read through and every foreign
    /// key checked for rows whose parent is missing. Each problem as a sentence; none: empty.
    pub async fn integrity_problems(&mut self) -> Result<Vec<String>> {
        let mut problems = vec![];
        match self.backend {
            Backend::Sqlite => {
                for row in sqlx::query("PRAGMA integrity_check")
                    .fetch_all(self.conn())
                    .await?
                {
                    let line: String = row.try_get(0)?;
                    if line != "ok" {
                        problems.push(format!("integrity_check: {line}"));
                    }
                }
                for row in sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(self.conn())
                    .await?
                {
                    let table: String = row.try_get(0)?;
                    let rowid: Option<i64> = row.try_get(1)?;
                    let parent: String = row.try_get(2)?;
                    problems.push(format!(
                        "{table} row {} refers to a missing row of {parent}",
                        rowid.map_or("?".into(), |r| r.to_string())
                    ));
                }
            }
            Backend::Postgres => {
                self.table_counts().await?;
                let keys = sqlx::query(
                    "SELECT c.conname::text, child.relname::text, ca.attname::text,
                            parent.relname::text, pa.attname::text
                       FROM pg_constraint c
                       JOIN pg_class child ON child.oid = c.conrelid
                       JOIN pg_class parent ON parent.oid = c.confrelid
                       JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = c.conkey[1]
                       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
                      WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
                        AND child.relnamespace = current_schema()::regnamespace
                      ORDER BY 1",
                )
                .fetch_all(self.conn())
                .await?;
                for k in keys {
                    let (name, child, col, parent, pcol): (String, String, String, String, String) = (
                        k.try_get(0)?,
                        k.try_get(1)?,
                        k.try_get(2)?,
                        k.try_get(3)?,
                        k.try_get(4)?,
                    );
                    let orphans: i64 = sqlx::query(&format!(
                        "SELECT COUNT(*) FROM \"{child}\" c WHERE c.\"{col}\" IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM \"{parent}\" p
                                            WHERE p.\"{pcol}\" = c.\"{col}\")"
                    ))
                    .fetch_one(self.conn())
                    .await?
                    .try_get(0)?;
                    if orphans > 0 {
                        problems.push(format!(
                            "{child}.{col}: {orphans} rows refer to a missing {parent} ({name})"
                        ));
                    }
                }
            }
        }
        Ok(problems)
    }
}

impl Tx {
    /// Every day on which a code changed, from the kept counts and from the changes
    /// themselves: the days at which `zhikong check` compares the two.
    pub async fn code_change_days(&mut self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT day FROM code_colour_days UNION SELECT day FROM code_changes ORDER BY 1",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>(0)?))
            .collect()
    }
}

impl Store {
    /// SQLite: a consistent copy of the database into the new file `to` (`VACUUM INTO`), made
    /// while the platform keeps running.
    pub async fn vacuum_into(&self, to: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Open("VACUUM INTO is SQLite's".into()));
        }
        let to = to
            .to_str()
            .ok_or_else(|| StoreError::Open(format!("not a UTF-8 path: {}", to.display())))?;
        let mut conn = self.read.acquire().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(to)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
