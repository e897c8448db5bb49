//! Areas: the zone → street → community → micro-grid tree, with materialised paths.

use sqlx::Row;

use crate::{Result, StoreError, Tx, bulk};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AreaRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub path: String,
    pub boundary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewArea {
    pub parent_id: Option<i64>,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub boundary: Option<String>,
}

const COLUMNS: &str = "id, parent_id, kind, code, name, path, boundary";

impl Tx {
    /// Insert one area under its parent; its path is the parent's path plus its own id.
    pub async fn insert_area(&mut self, area: &NewArea, now: i64) -> Result<AreaRow> {
        let parent_path = match area.parent_id {
            Some(pid) => self.area(pid).await?.path,
            None => "/".to_owned(),
        };
        // The path needs the id, which only the insert yields: insert with a unique
        // placeholder path, then set it.
        let placeholder = format!("{parent_path}?{}", area.code);
        let id: i64 = sqlx::query(
            "INSERT INTO areas (parent_id, kind, code, name, path, boundary, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(area.parent_id)
        .bind(&area.kind)
        .bind(&area.code)
        .bind(&area.name)
        .bind(&placeholder)
        .bind(&area.boundary)
        .bind(now)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?;
        let path = domain::area::child_path(&parent_path, id);
        sqlx::query("UPDATE areas SET path = $1 WHERE id = $2")
            .bind(&path)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(AreaRow {
            id,
            parent_id: area.parent_id,
            kind: area.kind.clone(),
            code: area.code.clone(),
            name: area.name.clone(),
            path,
            boundary: area.boundary.clone(),
        })
    }

    pub async fn area(&mut self, id: i64) -> Result<AreaRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM areas WHERE id = $1"),
            id,
            "area",
        )
        .await
    }

    pub async fn area_by_code(&mut self, code: &str) -> Result<Option<AreaRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM areas WHERE code = $1"))
                .bind(code)
                .fetch_optional(self.conn())
                .await?,
        )
    }

    /// Children of an area (or the roots), in id order; no boundaries (they can be large).
    /// Retired children are left out: lists and pickers do not offer them.
    pub async fn area_children(&mut self, parent_id: Option<i64>) -> Result<Vec<AreaRow>> {
        let sql = "SELECT id, parent_id, kind, code, name, path, NULL AS boundary FROM areas";
        let rows = match parent_id {
            Some(pid) => {
                sqlx::query_as(&format!(
                    "{sql} WHERE parent_id = $1 AND retired_at IS NULL ORDER BY id"
                ))
                .bind(pid)
                .fetch_all(self.conn())
                .await?
            }
            None => {
                sqlx::query_as(&format!("{sql} WHERE parent_id IS NULL ORDER BY id"))
                    .fetch_all(self.conn())
                    .await?
            }
        };
        Ok(rows)
    }

    /// All areas of one kind inside a path scope that are not retired, in id order, without
    /// boundaries.
    pub async fn areas_of_kind(&mut self, kind: &str, scope_path: &str) -> Result<Vec<AreaRow>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id, kind, code, name, path, NULL AS boundary FROM areas
             WHERE kind = $1 AND path >= $2 AND path < $3 AND retired_at IS NULL ORDER BY id",
        )
        .bind(kind)
        .bind(scope_path)
        .bind(crate::prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    /// Set or clear an area's GeoJSON boundary.
    pub async fn set_area_boundary(&mut self, id: i64, boundary: Option<&str>) -> Result<()> {
        let done = sqlx::query("UPDATE areas SET boundary = $1 WHERE id = $2")
            .bind(boundary)
            .bind(id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("area"));
        }
        Ok(())
    }

    /// Insert many areas whose ids the caller has chosen (the demo builds whole trees at once).
    pub async fn insert_areas_with_ids(&mut self, rows: &[AreaRow], now: i64) -> Result<()> {
        const COLS: [&str; 8] = [
            "id",
            "parent_id",
            "kind",
            "code",
            "name",
            "path",
            "boundary",
            "created_at",
        ];
        for chunk in rows.chunks(bulk::chunk_rows(COLS.len())) {
            let sql = bulk::insert_sql("areas", &COLS, chunk.len());
            let mut q = sqlx::query(&sql);
            for a in chunk {
                q = q
                    .bind(a.id)
                    .bind(a.parent_id)
                    .bind(&a.kind)
                    .bind(&a.code)
                    .bind(&a.name)
                    .bind(&a.path)
                    .bind(&a.boundary)
                    .bind(now);
            }
            q.execute(self.conn()).await?;
        }
        self.sync_identity("areas").await
    }

    /// After inserting explicit ids, move PostgreSQL's identity sequence past them.
    pub(crate) async fn sync_identity(&mut self, table: &str) -> Result<()> {
        if self.backend == crate::Backend::Postgres {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }
}

impl Tx {
    /// Areas by id (for naming the areas of one page of records), without boundaries.
    pub async fn areas_by_ids(&mut self, ids: &[i64]) -> Result<Vec<AreaRow>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, parent_id, kind, code, name, path, NULL AS boundary FROM areas
             WHERE id IN ({}) ORDER BY id",
            params.join(", ")
        );
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.conn()).await?)
    }
}

impl Tx {
    /// Every area, without boundaries, in id order (imports match against the whole tree).
    pub async fn all_areas(&mut self) -> Result<Vec<AreaRow>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id, kind, code, name, path, NULL AS boundary FROM areas ORDER BY id",
        )
        .fetch_all(self.conn())
        .await?)
    }

    /// Children of an area with their boundaries (for drawing them).
    pub async fn area_children_with_boundaries(&mut self, parent_id: i64) -> Result<Vec<AreaRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM areas WHERE parent_id = $1 AND retired_at IS NULL ORDER BY id"
        ))
        .bind(parent_id)
        .fetch_all(self.conn())
        .await?)
    }
}

impl Tx {
    pub async fn area_ids_with_boundary(&mut self) -> Result<std::collections::HashSet<i64>> {
        let rows = sqlx::query("SELECT id FROM areas WHERE boundary IS NOT NULL")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}
