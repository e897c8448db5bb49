//! Colours set by hand (人工赋码) and appeals (纠错): the requests, their approvals and outcomes.
//! Status only moves forward, and each move names the status it expects, so two reviewers
//! deciding at once cannot both win.

use sqlx::Row;

use crate::{Result, Scope, Tx};

#[derive(Debug, Clone)]
pub struct NewOverride {
    pub person_id: i64,
    pub colour: String,
    pub from_colour: String,
    pub reason: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub second_needed: bool,
    pub appeal_id: Option<i64>,
    pub requested_by: String,
    /// 'pending' when a second approver is needed, else 'active'.
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OverrideRow {
    pub id: i64,
    pub person_id: i64,
    pub colour: String,
    pub from_colour: String,
    pub reason: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub second_needed: i64,
    pub appeal_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: i64,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    /// The person's name and area path, for review lists and scope checks.
    pub person_name: String,
    pub area_path: String,
}

#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub person_id: i64,
    pub explanation: String,
    pub colour: String,
    pub reasons: String,
    pub filed_by: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AppealRow {
    pub id: i64,
    pub person_id: i64,
    pub explanation: String,
    pub colour: String,
    pub reasons: String,
    pub filed_by: String,
    pub filed_at: i64,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub decision: Option<String>,
    pub override_id: Option<i64>,
    /// The state of the hand-set colour an upheld appeal led to.
    pub override_status: Option<String>,
    pub person_name: String,
    pub area_path: String,
}

/// A decision on a request: the new status, who decided, and why.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub id: i64,
    pub expected: &'static str,
    pub status: &'static str,
    pub by: &'a str,
    pub note: &'a str,
}

const OVERRIDE_COLUMNS: &str = "o.id, o.person_id, o.colour, o.from_colour, o.reason, o.valid_from, \
    o.valid_until, o.second_needed, o.appeal_id, o.requested_by, o.requested_at, o.status, \
    o.decided_by, o.decided_at, o.decision_note, p.name AS person_name, p.area_path";

const APPEAL_COLUMNS: &str = "a.id, a.person_id, a.explanation, a.colour, a.reasons, a.filed_by, \
    a.filed_at, a.status, a.decided_by, a.decided_at, a.decision, a.override_id, \
    o.status AS override_status, p.name AS person_name, p.area_path";

/// Appeals with their person and the override an upheld one led to.
const APPEAL_FROM: &str = "appeals a JOIN persons p ON p.id = a.person_id \
    LEFT JOIN code_overrides o ON o.id = a.override_id";

impl Tx {
    pub async fn insert_override(&mut self, o: &NewOverride, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO code_overrides (person_id, colour, from_colour, reason, valid_from,
                 valid_until, second_needed, appeal_id, requested_by, requested_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(o.person_id)
        .bind(&o.colour)
        .bind(&o.from_colour)
        .bind(&o.reason)
        .bind(&o.valid_from)
        .bind(&o.valid_until)
        .bind(i64::from(o.second_needed))
        .bind(o.appeal_id)
        .bind(&o.requested_by)
        .bind(now)
        .bind(o.status)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn code_override(&mut self, id: i64) -> Result<Option<OverrideRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OVERRIDE_COLUMNS} FROM code_overrides o JOIN persons p ON p.id = o.person_id
             WHERE o.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?)
    }

    /// A person's pending and active overrides, newest first.
    pub async fn live_overrides(&mut self, person_id: i64) -> Result<Vec<OverrideRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OVERRIDE_COLUMNS} FROM code_overrides o JOIN persons p ON p.id = o.person_id
             WHERE o.person_id = $1 AND o.status IN ('pending', 'active') ORDER BY o.id DESC"
        ))
        .bind(person_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Every active override of everyone, for a bulk recompute: (person, override) in one query.
    pub async fn all_active_overrides(&mut self) -> Result<Vec<OverrideRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OVERRIDE_COLUMNS} FROM code_overrides o JOIN persons p ON p.id = o.person_id
             WHERE o.status = 'active' ORDER BY o.person_id, o.id"
        ))
        .fetch_all(self.conn())
        .await?)
    }

    /// Overrides with `status` among the persons in `scope`, oldest first, after id `after`.
    pub async fn overrides_by_status(
        &mut self,
        scope: Scope,
        status: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<OverrideRow>> {
        let select = format!(
            "SELECT {OVERRIDE_COLUMNS} FROM code_overrides o JOIN persons p ON p.id = o.person_id"
        );
        self.by_status(&select, "o", scope, status, after, limit)
            .await
    }

    /// Move an override from `d.expected` to `d.status`; false when it was not in `expected`
    /// (someone decided first).
    pub async fn decide_override(&mut self, d: &Decision<'_>, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE code_overrides SET status = $1, decided_by = $2, decided_at = $3,
                 decision_note = $4
             WHERE id = $5 AND status = $6",
        )
        .bind(d.status)
        .bind(d.by)
        .bind(now)
        .bind(d.note)
        .bind(d.id)
        .bind(d.expected)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_appeal(&mut self, a: &NewAppeal, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO appeals (person_id, explanation, colour, reasons, filed_by, filed_at,
                                  status)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING id",
        )
        .bind(a.person_id)
        .bind(&a.explanation)
        .bind(&a.colour)
        .bind(&a.reasons)
        .bind(&a.filed_by)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn appeal(&mut self, id: i64) -> Result<Option<AppealRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APPEAL_COLUMNS} FROM {APPEAL_FROM}
             WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?)
    }

    /// A person's appeals, newest first.
    pub async fn appeals_of(&mut self, person_id: i64, limit: u32) -> Result<Vec<AppealRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APPEAL_COLUMNS} FROM {APPEAL_FROM}
             WHERE a.person_id = $1 ORDER BY a.id DESC LIMIT $2"
        ))
        .bind(person_id)
        .bind(i64::from(limit))
        .fetch_all(self.conn())
        .await?)
    }

    /// Appeals with `status` among the persons in `scope`, oldest first, after id `after`.
    pub async fn appeals_by_status(
        &mut self,
        scope: Scope,
        status: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AppealRow>> {
        let select = format!("SELECT {APPEAL_COLUMNS} FROM {APPEAL_FROM}");
        self.by_status(&select, "a", scope, status, after, limit)
            .await
    }

    /// The rows of `select` (its record aliased `alias`, the person joined as `p`) with
    /// `status`, of persons in `scope`, oldest first, after id `after`: a review queue's page.
    async fn by_status<T>(
        &mut self,
        select: &str,
        alias: &str,
        scope: Scope,
        status: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        Ok(sqlx::query_as(&format!(
            "{select} WHERE {alias}.status = $1 AND p.{} = $2 AND {alias}.id > $3 \
             ORDER BY {alias}.id LIMIT $4",
            scope.column()
        ))
        .bind(status)
        .bind(scope.area_id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.conn())
        .await?)
    }

    /// Decide an appeal still in `d.expected`; false when someone decided first.
    pub async fn decide_appeal(
        &mut self,
        d: &Decision<'_>,
        override_id: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE appeals SET status = $1, decided_by = $2, decided_at = $3, decision = $4,
                 override_id = $5
             WHERE id = $6 AND status = $7",
        )
        .bind(d.status)
        .bind(d.by)
        .bind(now)
        .bind(d.note)
        .bind(override_id)
        .bind(d.id)
        .bind(d.expected)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pending appeals and pending overrides in `scope`: what waits for a reviewer.
    pub async fn pending_review_counts(&mut self, scope: Scope) -> Result<(i64, i64)> {
        let col = scope.column();
        let row = sqlx::query(&format!(
            "SELECT
               (SELECT COUNT(*) FROM appeals a JOIN persons p ON p.id = a.person_id
                 WHERE a.status = 'pending' AND p.{col} = $1),
               (SELECT COUNT(*) FROM code_overrides o JOIN persons p ON p.id = o.person_id
                 WHERE o.status = 'pending' AND p.{col} = $1)"
        ))
        .bind(scope.area_id)
        .fetch_one(self.conn())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
