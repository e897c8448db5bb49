//! Facts about the installation itself, kept as key and text (e.g. the day a replayed demo
//! stands on).

use sqlx::Row;

use crate::{Result, Tx};

impl Tx {
    pub async fn meta(&mut self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM platform_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(self.conn())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }

    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO platform_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
