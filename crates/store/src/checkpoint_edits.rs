//! Checkpoint management: the full record with its staff on duty, creation one at a time,
//! edits, retirement, and deletion of a checkpoint that never scanned anyone; and the verdicts
//! of a checkpoint's stored scans, for answering a resend: a device whose upload reached the
//! server but whose answer was lost sends the same scans again, and learns from the duplicate
//! answer what the first upload decided.

use sqlx::Row;

use crate::{Result, StoreError, Tx};

/// A checkpoint with everything its page shows.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckpointRecord {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub name: String,
    pub area_id: i64,
    pub area_path: String,
    pub lat: f64,
    pub lon: f64,
    pub party_branch: Option<String>,
    pub hours: String,
    pub staff_on_duty: i64,
    pub retired_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

/// What an edit sets (the code, once given, stays: devices are configured with it).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointEdit {
    pub kind: String,
    pub name: String,
    pub area_id: i64,
    pub area_path: String,
    pub lat: f64,
    pub lon: f64,
    pub party_branch: Option<String>,
    pub hours: String,
    pub staff_on_duty: i64,
}

const COLUMNS: &str = "id, code, kind, name, area_id, area_path, lat, lon, party_branch, hours, \
                       staff_on_duty, retired_at, created_at, updated_at";

impl Tx {
    pub async fn checkpoint_record(&mut self, id: i64) -> Result<CheckpointRecord> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM checkpoints WHERE id = $1"),
            id,
            "checkpoint",
        )
        .await
    }

    /// Checkpoints inside a scope in id order, retired ones only when asked.
    pub async fn checkpoint_records(
        &mut self,
        scope_path: &str,
        with_retired: bool,
    ) -> Result<Vec<CheckpointRecord>> {
        let retired = if with_retired {
            ""
        } else {
            " AND retired_at IS NULL"
        };
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE area_path >= $1 AND area_path < $2{retired} \
             ORDER BY id"
        ))
        .bind(scope_path)
        .bind(crate::prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    /// Several checkpoints by id (a scan batch names a few).
    pub async fn checkpoint_records_by_ids(
        &mut self,
        ids: &[i64],
    ) -> Result<Vec<CheckpointRecord>> {
        let mut out = vec![];
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM checkpoints WHERE id IN ({})",
                list.join(", ")
            );
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            out.extend(q.fetch_all(self.conn()).await?);
        }
        Ok(out)
    }

    /// Whether any checkpoint, in any area, has this code.
    pub async fn checkpoint_code_taken(&mut self, code: &str) -> Result<bool> {
        Ok(sqlx::query("SELECT id FROM checkpoints WHERE code = $1")
            .bind(code)
            .fetch_optional(self.conn())
            .await?
            .is_some())
    }

    pub async fn create_checkpoint(
        &mut self,
        code: &str,
        e: &CheckpointEdit,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO checkpoints (code, kind, name, area_id, area_path, lat, lon, party_branch, \
             hours, staff_on_duty, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(code)
        .bind(&e.kind)
        .bind(&e.name)
        .bind(e.area_id)
        .bind(&e.area_path)
        .bind(e.lat)
        .bind(e.lon)
        .bind(&e.party_branch)
        .bind(&e.hours)
        .bind(e.staff_on_duty)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn update_checkpoint(&mut self, id: i64, e: &CheckpointEdit, now: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE checkpoints SET kind = $2, name = $3, area_id = $4, area_path = $5, lat = $6, \
             lon = $7, party_branch = $8, hours = $9, staff_on_duty = $10, updated_at = $11 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(&e.kind)
        .bind(&e.name)
        .bind(e.area_id)
        .bind(&e.area_path)
        .bind(e.lat)
        .bind(e.lon)
        .bind(&e.party_branch)
        .bind(&e.hours)
        .bind(e.staff_on_duty)
        .bind(now)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("checkpoint"));
        }
        Ok(())
    }

    /// Retire (or, with `None`, bring back) a checkpoint.
    pub async fn set_checkpoint_retired(
        &mut self,
        id: i64,
        at: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE checkpoints SET retired_at = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(at)
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Delete a checkpoint that has no scans; false (and nothing deleted) when it has some.
    pub async fn delete_unused_checkpoint(&mut self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM checkpoints WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM scans WHERE checkpoint_id = $1)",
        )
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

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
const VERDICT_IDS_PER_STATEMENT: usize = 500;

impl Tx {
    /// The verdicts of these event ids of one checkpoint that are stored (others are left out).
    pub async fn stored_scan_verdicts(
        &mut self,
        checkpoint_id: i64,
        event_ids: &[&str],
    ) -> Result<Vec<StoredVerdict>> {
        let mut out = vec![];
        for chunk in event_ids.chunks(VERDICT_IDS_PER_STATEMENT) {
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
