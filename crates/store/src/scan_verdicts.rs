//! The verdicts of stored scans, for answering a resend: a device whose upload reached the
//! server but whose answer was lost sends the same scans again, and learns from the duplicate
//! answer what the first upload decided.

use sqlx::Row;

use crate::{Result, Tx};

/// What a stored scan was decided, with its holder's full name (the caller masks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVerdict {
    pub checkpoint_id: i64,
    pub event_id: String,
    pub decision: String,
    pub reason: String,
    pub colour: Option<String>,
    pub person_name: Option<String>,
}

/// Event ids per statement (each one bind parameter).
const IDS_PER_STATEMENT: usize = 500;

impl Tx {
    /// The verdicts of these event ids of one checkpoint that are stored (others are left out).
    pub async fn stored_scan_verdicts(
        &mut self,
        checkpoint_id: i64,
        event_ids: &[&str],
    ) -> Result<Vec<StoredVerdict>> {
        let mut out = vec![];
        for chunk in event_ids.chunks(IDS_PER_STATEMENT) {
            let list = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT s.event_id, s.decision, s.reason, s.colour, p.name FROM scans s \
                 LEFT JOIN persons p ON p.id = s.person_id \
                 WHERE s.checkpoint_id = $1 AND s.event_id IN ({list})"
            );
            let mut q = sqlx::query(&sql).bind(checkpoint_id);
            for e in chunk {
                q = q.bind(*e);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(StoredVerdict {
                    checkpoint_id,
                    event_id: r.try_get(0)?,
                    decision: r.try_get(1)?,
                    reason: r.try_get(2)?,
                    colour: r.try_get(3)?,
                    person_name: r.try_get(4)?,
                });
            }
        }
        Ok(out)
    }
}
