//! Checkpoints (卡点) and gates (小门).

use crate::{Result, StoreError, Tx, bulk};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckpointRow {
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
    pub retired_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewCheckpoint {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub area_id: i64,
    pub area_path: String,
    pub lat: f64,
    pub lon: f64,
    pub party_branch: Option<String>,
    pub hours: String,
}

const COLUMNS: &str =
    "id, code, kind, name, area_id, area_path, lat, lon, party_branch, hours, retired_at";

impl Tx {
    pub async fn insert_checkpoints(&mut self, rows: &[NewCheckpoint], now: i64) -> Result<()> {
        const COLS: [&str; 10] = [
            "code",
            "kind",
            "name",
            "area_id",
            "area_path",
            "lat",
            "lon",
            "party_branch",
            "hours",
            "created_at",
        ];
        for chunk in rows.chunks(bulk::chunk_rows(COLS.len())) {
            let sql = bulk::insert_sql("checkpoints", &COLS, chunk.len());
            let mut q = sqlx::query(&sql);
            for c in chunk {
                q = q
                    .bind(&c.code)
                    .bind(&c.kind)
                    .bind(&c.name)
                    .bind(c.area_id)
                    .bind(&c.area_path)
                    .bind(c.lat)
                    .bind(c.lon)
                    .bind(&c.party_branch)
                    .bind(&c.hours)
                    .bind(now);
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn checkpoint(&mut self, id: i64) -> Result<CheckpointRow> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM checkpoints WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound("checkpoint"))
    }

    /// Checkpoints inside a scope, optionally of one kind, in id order.
    pub async fn list_checkpoints(
        &mut self,
        scope_path: &str,
        kind: Option<&str>,
    ) -> Result<Vec<CheckpointRow>> {
        let mut sql =
            format!("SELECT {COLUMNS} FROM checkpoints WHERE area_path >= $1 AND area_path < $2");
        if kind.is_some() {
            sql.push_str(" AND kind = $3");
        }
        sql.push_str(" ORDER BY id");
        let mut q = sqlx::query_as(&sql)
            .bind(scope_path)
            .bind(crate::prefix_upper(scope_path));
        if let Some(k) = kind {
            q = q.bind(k);
        }
        Ok(q.fetch_all(self.conn()).await?)
    }
}
