//! Emptying the whole database in one transaction: only for a demo that was interrupted while
//! being built (`app::demo::whole`), which must be removed before it is built again. Tables
//! come from the catalogue, so a table added by a later migration is emptied too.

use sqlx::Row;

use crate::{Backend, Result, Tx};

impl Tx {
    /// Delete every row of every table except the migration history, resetting the id
    /// counters, and build the scan search indexes again if a bulk load had set them aside.
    /// The insert-only triggers (audit log, code changes) are set aside for this transaction
    /// and restored in it: what is discarded is a half-built demo, not a record of anyone's acts.
    pub async fn wipe_all_data(&mut self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => self.wipe_sqlite().await?,
            Backend::Postgres => self.wipe_postgres().await?,
        }
        self.create_scan_search_indexes().await
    }

    async fn wipe_sqlite(&mut self) -> Result<()> {
        let tables = self.table_names().await?;
        let triggers: Vec<(String, String)> =
            sqlx::query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .fetch_all(self.conn())
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?;
        // Foreign keys are checked at commit, when every table is empty.
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(self.conn())
            .await?;
        for (name, _) in &triggers {
            sqlx::query(&format!("DROP TRIGGER \"{name}\""))
                .execute(self.conn())
                .await?;
        }
        for table in &tables {
            sqlx::query(&format!("DELETE FROM \"{table}\""))
                .execute(self.conn())
                .await?;
        }
        let sequence = sqlx::query(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
        )
        .fetch_one(self.conn())
        .await?
        .try_get::<i64, _>(0)?;
        if sequence > 0 {
            sqlx::query("DELETE FROM sqlite_sequence")
                .execute(self.conn())
                .await?;
        }
        for (_, sql) in &triggers {
            sqlx::query(sql).execute(self.conn()).await?;
        }
        Ok(())
    }

    async fn wipe_postgres(&mut self) -> Result<()> {
        let tables = self.table_names().await?;
        if tables.is_empty() {
            return Ok(());
        }
        let guarded: Vec<String> = sqlx::query(
            "SELECT DISTINCT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
              WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
        )
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
        for table in &guarded {
            sqlx::query(&format!("ALTER TABLE \"{table}\" DISABLE TRIGGER USER"))
                .execute(self.conn())
                .await?;
        }
        let list = tables
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!("TRUNCATE {list} RESTART IDENTITY"))
            .execute(self.conn())
            .await?;
        for table in &guarded {
            sqlx::query(&format!("ALTER TABLE \"{table}\" ENABLE TRIGGER USER"))
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}
