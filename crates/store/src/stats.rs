//! Counts for `zhikong stats` and the dashboard: each one grouped query, never a load.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub areas_by_kind: BTreeMap<String, i64>,
    pub persons: i64,
    pub checkpoints_by_kind: BTreeMap<String, i64>,
    pub users_by_role: BTreeMap<String, i64>,
}

impl Tx {
    pub async fn counts(&mut self) -> Result<Counts> {
        Ok(Counts {
            areas_by_kind: self
                .grouped("SELECT kind, COUNT(*) FROM areas GROUP BY kind")
                .await?,
            persons: sqlx::query("SELECT COUNT(*) FROM persons")
                .fetch_one(self.conn())
                .await?
                .try_get(0)?,
            checkpoints_by_kind: self
                .grouped(
                    "SELECT kind, COUNT(*) FROM checkpoints WHERE retired_at IS NULL GROUP BY kind",
                )
                .await?,
            users_by_role: self
                .grouped("SELECT role, COUNT(*) FROM users WHERE disabled_at IS NULL GROUP BY role")
                .await?,
        })
    }

    async fn grouped(&mut self, sql: &str) -> Result<BTreeMap<String, i64>> {
        let rows = sqlx::query(sql).fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
