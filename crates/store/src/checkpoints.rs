//! Checkpoints (卡点) and gates (小门).

use crate::{Result, Tx};

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
        self.insert_rows("checkpoints", &COLS, "", rows, |q, c| {
            q.bind(&c.code)
                .bind(&c.kind)
                .bind(&c.name)
                .bind(c.area_id)
                .bind(&c.area_path)
                .bind(c.lat)
                .bind(c.lon)
                .bind(&c.party_branch)
                .bind(&c.hours)
                .bind(now)
        })
        .await?;
        Ok(())
    }

    pub async fn checkpoint(&mut self, id: i64) -> Result<CheckpointRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM checkpoints WHERE id = $1"),
            id,
            "checkpoint",
        )
        .await
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
