//! The three-level grid (网格 → 子网格 → 微网格), the officers sent into enterprises, their
//! assignments, and the visits they make (with the prevention check).

use sqlx::Row;

use crate::{Result, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewGrid {
    pub level: String,
    pub parent_id: Option<i64>,
    pub street_id: i64,
    pub name: String,
    pub keeper_user_id: Option<i64>,
    pub keeper_name: String,
    pub keeper_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct GridRow {
    pub id: i64,
    pub level: String,
    pub parent_id: Option<i64>,
    pub street_id: i64,
    pub name: String,
    pub keeper_user_id: Option<i64>,
    pub keeper_name: String,
    pub keeper_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewOfficer {
    pub user_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OfficerRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewVisit {
    pub enterprise_id: i64,
    pub officer_id: i64,
    pub visited_on: String,
    pub note: String,
    /// (plan, staff, site) when a prevention check was made.
    pub check: Option<(bool, bool, bool)>,
    pub findings: String,
    pub follow_up: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct VisitRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub officer_id: i64,
    pub visited_on: String,
    pub note: String,
    pub plan_ok: Option<i64>,
    pub staff_ok: Option<i64>,
    pub site_ok: Option<i64>,
    pub findings: String,
    pub follow_up: String,
    pub created_at: i64,
}

const GRID_COLS: &str =
    "id, level, parent_id, street_id, name, keeper_user_id, keeper_name, keeper_phone";
const OFFICER_COLS: &str = "id, user_id, kind, name, phone, department";
const VISIT_COLS: &str = "id, enterprise_id, officer_id, visited_on, note, plan_ok, staff_ok, \
                          site_ok, findings, follow_up, created_at";

impl Tx {
    pub async fn insert_grid(&mut self, g: &NewGrid, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ent_grids (level, parent_id, street_id, name, keeper_user_id, \
             keeper_name, keeper_phone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        )
        .bind(&g.level)
        .bind(g.parent_id)
        .bind(g.street_id)
        .bind(&g.name)
        .bind(g.keeper_user_id)
        .bind(&g.keeper_name)
        .bind(&g.keeper_phone)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn grid(&mut self, id: i64) -> Result<GridRow> {
        self.one_by_id(
            &format!("SELECT {GRID_COLS} FROM ent_grids WHERE id = $1"),
            id,
            "grid",
        )
        .await
    }

    /// Every grid, parents before children (ids grow downwards as they are created).
    pub async fn grids(&mut self) -> Result<Vec<GridRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {GRID_COLS} FROM ent_grids ORDER BY id"))
                .fetch_all(self.conn())
                .await?,
        )
    }

    pub async fn insert_officer(&mut self, o: &NewOfficer, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ent_officers (user_id, kind, name, phone, department, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(o.user_id)
        .bind(&o.kind)
        .bind(&o.name)
        .bind(&o.phone)
        .bind(&o.department)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn officer(&mut self, id: i64) -> Result<OfficerRow> {
        sqlx::query_as(&format!(
            "SELECT {OFFICER_COLS} FROM ent_officers WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound("officer"))
    }

    pub async fn officer_of_user(&mut self, user_id: i64) -> Result<Option<OfficerRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OFFICER_COLS} FROM ent_officers WHERE user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(self.conn())
        .await?)
    }

    /// Officers counted by kind.
    pub async fn officers_by_kind(&mut self) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT kind, COUNT(*) FROM ent_officers GROUP BY kind ORDER BY kind")
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Assign officers to enterprises; an existing pair is left as it is.
    pub async fn assign_officers(&mut self, pairs: &[(i64, i64)], now: i64) -> Result<u64> {
        self.insert_rows(
            "ent_assignments",
            &["officer_id", "enterprise_id", "since"],
            "ON CONFLICT (officer_id, enterprise_id) DO NOTHING",
            pairs,
            |q, (o, e)| q.bind(*o).bind(*e).bind(now),
        )
        .await
    }

    pub async fn is_assigned(&mut self, officer_id: i64, enterprise_id: i64) -> Result<bool> {
        Ok(sqlx::query(
            "SELECT 1 FROM ent_assignments WHERE officer_id = $1 AND enterprise_id = $2",
        )
        .bind(officer_id)
        .bind(enterprise_id)
        .fetch_optional(self.conn())
        .await?
        .is_some())
    }

    /// An officer's enterprises, by id.
    pub async fn enterprises_of_officer(
        &mut self,
        officer_id: i64,
    ) -> Result<Vec<super::EnterpriseRow>> {
        let cols = super::enterprises::COLUMNS
            .split(", ")
            .map(|c| format!("e.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(sqlx::query_as(&format!(
            "SELECT {cols} FROM ent_assignments a JOIN enterprises e ON e.id = a.enterprise_id \
             WHERE a.officer_id = $1 ORDER BY e.id"
        ))
        .bind(officer_id)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn officers_of_enterprise(&mut self, enterprise_id: i64) -> Result<Vec<OfficerRow>> {
        let cols = OFFICER_COLS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(sqlx::query_as(&format!(
            "SELECT {cols} FROM ent_assignments a JOIN ent_officers o ON o.id = a.officer_id \
             WHERE a.enterprise_id = $1 ORDER BY o.id"
        ))
        .bind(enterprise_id)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn insert_visit(&mut self, v: &NewVisit, now: i64) -> Result<i64> {
        let (p, s, t) = match v.check {
            Some((p, s, t)) => (Some(i64::from(p)), Some(i64::from(s)), Some(i64::from(t))),
            None => (None, None, None),
        };
        let row = sqlx::query(
            "INSERT INTO ent_visits (enterprise_id, officer_id, visited_on, note, plan_ok, \
             staff_ok, site_ok, findings, follow_up, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(v.enterprise_id)
        .bind(v.officer_id)
        .bind(&v.visited_on)
        .bind(&v.note)
        .bind(p)
        .bind(s)
        .bind(t)
        .bind(&v.findings)
        .bind(&v.follow_up)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// An officer's visits, newest first.
    pub async fn visits_of_officer(
        &mut self,
        officer_id: i64,
        limit: i64,
    ) -> Result<Vec<VisitRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {VISIT_COLS} FROM ent_visits WHERE officer_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(officer_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }
}

/// An officer with how many enterprises the officer serves.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OfficerLoadRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub department: String,
    pub enterprises: i64,
}

impl Tx {
    /// Officers (of one kind, or all; with `text` in the name or department) with their
    /// enterprise counts, by id after `after_id`.
    pub async fn officers_page(
        &mut self,
        kind: Option<&str>,
        text: Option<&str>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<OfficerLoadRow>> {
        let pattern = text.map(|t| format!("%{}%", t.replace(['%', '_', '\\'], "")));
        Ok(sqlx::query_as(
            "SELECT o.id, o.user_id, o.kind, o.name, o.phone, o.department, \
               (SELECT COUNT(*) FROM ent_assignments a WHERE a.officer_id = o.id) AS enterprises \
             FROM ent_officers o \
             WHERE o.id > $1 AND ($2 = '' OR o.kind = $2) \
               AND ($3 = '' OR o.name LIKE $3 OR o.department LIKE $3) \
             ORDER BY o.id LIMIT $4",
        )
        .bind(after_id)
        .bind(kind.unwrap_or("").to_owned())
        .bind(pattern.unwrap_or_default())
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// End an assignment; false when there was none.
    pub async fn unassign_officer(&mut self, officer_id: i64, enterprise_id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM ent_assignments WHERE officer_id = $1 AND enterprise_id = $2")
                .bind(officer_id)
                .bind(enterprise_id)
                .execute(self.conn())
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Enterprises per micro-grid id (grids without any are absent).
    pub async fn enterprises_per_grid(&mut self) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT micro_grid_id, COUNT(*) FROM enterprises GROUP BY micro_grid_id ORDER BY 1",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
