//! The status list: which credential references changed colour since an instant, so that an
//! offline verifier can refuse a code whose colour is no longer what it says.

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    pub r#ref: String,
    /// The colour now.
    pub colour: String,
    /// The last change, ms since the epoch.
    pub changed_at: i64,
}

impl Tx {
    /// References whose colour changed at or after `since` (ms), the latest change first; at
    /// most `limit`.
    pub async fn colour_changes_since(&mut self, since: i64, limit: u32) -> Result<Vec<StatusRow>> {
        let rows = sqlx::query(
            "SELECT h.ref, h.colour, MAX(c.at) AS changed_at
             FROM code_changes c JOIN health_codes h ON h.person_id = c.person_id
             WHERE c.at >= $1
             GROUP BY h.ref, h.colour
             ORDER BY changed_at DESC, h.ref
             LIMIT $2",
        )
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusRow {
                    r#ref: r.try_get(0)?,
                    colour: r.try_get(1)?,
                    changed_at: r.try_get(2)?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// The colour a credential reference holds now, if the reference is known.
    pub async fn colour_of_ref(&mut self, reference: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT colour FROM health_codes WHERE ref = $1")
            .bind(reference)
            .fetch_optional(self.conn())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }
}
