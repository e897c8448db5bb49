//! The two search indexes of `scans` set aside for a bulk load and built again after.
//!
//! Inserting millions of scans into a table with its indexes costs SQLite a random B-tree
//! insert per index per row; building an index once over the loaded rows is a sort. Only a
//! loader that owns the database (the demo, into a fresh one) uses this: while the indexes
//! are gone, tracing and the per-person reads scan the whole table. The idempotency
//! `UNIQUE (checkpoint_id, event_id)` is a constraint and stays.

use crate::{Result, Tx};

/// Name and definition of each search index, as the migrations create them (0007).
const SEARCH_INDEXES: [(&str, &str); 2] = [
    ("scans_place_time", "scans (checkpoint_id, at, person_id)"),
    ("scans_person_time", "scans (person_id, at)"),
];

impl Tx {
    /// Drop the tracing indexes of `scans` before a bulk load.
    pub async fn drop_scan_search_indexes(&mut self) -> Result<()> {
        for (name, _) in SEARCH_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Build the tracing indexes of `scans` again (a no-op for one that exists).
    pub async fn create_scan_search_indexes(&mut self) -> Result<()> {
        for (name, on) in SEARCH_INDEXES {
            sqlx::query(&format!("CREATE INDEX IF NOT EXISTS {name} ON {on}"))
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}
