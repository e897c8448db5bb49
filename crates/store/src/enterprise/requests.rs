//! Requests (诉求) and the steps of their closed loop; the overdue list and on-time rates.

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewRequest {
    pub enterprise_id: i64,
    pub category: String,
    pub complexity: String,
    pub title: String,
    pub detail: String,
    pub level: String,
    pub raised_by: Option<i64>,
    pub received_at: i64,
    pub deadline_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub category: String,
    pub complexity: String,
    pub title: String,
    pub detail: String,
    pub status: String,
    pub level: String,
    pub officer_id: Option<i64>,
    pub department: String,
    pub raised_by: Option<i64>,
    pub received_at: i64,
    pub deadline_at: i64,
    pub assigned_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub answer: String,
    pub closed_at: Option<i64>,
    pub satisfaction: Option<i64>,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct RequestStepRow {
    pub id: i64,
    pub request_id: i64,
    pub at: i64,
    pub action: String,
    pub level: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub note: String,
}

/// Answered requests of one department or officer: how many, how many in time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OnTimeRow {
    pub key: String,
    pub answered: i64,
    pub on_time: i64,
}

const COLS: &str = "id, enterprise_id, category, complexity, title, detail, status, level, \
    officer_id, department, raised_by, received_at, deadline_at, assigned_at, answered_at, answer, \
    closed_at, satisfaction, feedback";

impl Tx {
    pub async fn insert_request(&mut self, r: &NewRequest) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ent_requests (enterprise_id, category, complexity, title, detail, status, \
             level, raised_by, received_at, deadline_at) \
             VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9) RETURNING id",
        )
        .bind(r.enterprise_id)
        .bind(&r.category)
        .bind(&r.complexity)
        .bind(&r.title)
        .bind(&r.detail)
        .bind(&r.level)
        .bind(r.raised_by)
        .bind(r.received_at)
        .bind(r.deadline_at)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn request(&mut self, id: i64) -> Result<RequestRow> {
        self.one_by_id(
            &format!("SELECT {COLS} FROM ent_requests WHERE id = $1"),
            id,
            "request",
        )
        .await
    }

    /// Assign: to an officer and/or a department. Only from `received` (the WHERE keeps two
    /// concurrent assignments from both succeeding); false when the request was not there.
    pub async fn assign_request(
        &mut self,
        id: i64,
        officer_id: Option<i64>,
        department: &str,
        at: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE ent_requests SET status = 'assigned', officer_id = $2, department = $3, \
             assigned_at = $4 WHERE id = $1 AND status = 'received'",
        )
        .bind(id)
        .bind(officer_id)
        .bind(department)
        .bind(at)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn answer_request(&mut self, id: i64, answer: &str, at: i64) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE ent_requests SET status = 'answered', answer = $2, answered_at = $3 \
             WHERE id = $1 AND status = 'assigned'",
        )
        .bind(id)
        .bind(answer)
        .bind(at)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn close_request(
        &mut self,
        id: i64,
        satisfaction: i64,
        feedback: &str,
        at: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE ent_requests SET status = 'closed', satisfaction = $2, feedback = $3, \
             closed_at = $4 WHERE id = $1 AND status = 'answered'",
        )
        .bind(id)
        .bind(satisfaction)
        .bind(feedback)
        .bind(at)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn set_request_level(&mut self, id: i64, level: &str) -> Result<()> {
        sqlx::query("UPDATE ent_requests SET level = $2 WHERE id = $1")
            .bind(id)
            .bind(level)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_request_step(&mut self, s: &RequestStepRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO ent_request_steps (request_id, at, action, level, user_id, username, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(s.request_id)
        .bind(s.at)
        .bind(&s.action)
        .bind(&s.level)
        .bind(s.user_id)
        .bind(&s.username)
        .bind(&s.note)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn request_steps(&mut self, request_id: i64) -> Result<Vec<RequestStepRow>> {
        Ok(sqlx::query_as(
            "SELECT id, request_id, at, action, level, user_id, username, note \
             FROM ent_request_steps WHERE request_id = $1 ORDER BY id",
        )
        .bind(request_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Open requests past their deadline at `now`, most overdue first: one range of the
    /// (status, deadline_at) index per open status.
    pub async fn overdue_requests(&mut self, now: i64, limit: i64) -> Result<Vec<RequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM ent_requests WHERE status IN ('received', 'assigned') \
             AND deadline_at <= $1 ORDER BY deadline_at, id LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn requests_of_enterprise(
        &mut self,
        enterprise_id: i64,
        limit: i64,
    ) -> Result<Vec<RequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM ent_requests WHERE enterprise_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(enterprise_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn requests_of_officer(
        &mut self,
        officer_id: i64,
        limit: i64,
    ) -> Result<Vec<RequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM ent_requests WHERE officer_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(officer_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// Requests an officer should see: assigned to the officer, or raised by one of the
    /// officer's enterprises; newest first.
    pub async fn requests_for_officer(
        &mut self,
        officer_id: i64,
        limit: i64,
    ) -> Result<Vec<RequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLS} FROM ent_requests WHERE officer_id = $1 OR enterprise_id IN \
             (SELECT enterprise_id FROM ent_assignments WHERE officer_id = $1) \
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(officer_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// Answered (and closed) requests per department (`by_department`) or per officer id:
    /// how many, and how many before their deadline.
    pub async fn on_time_rates(&mut self, by_department: bool) -> Result<Vec<OnTimeRow>> {
        let key = if by_department {
            "department"
        } else {
            "CAST(officer_id AS TEXT)"
        };
        let rows = sqlx::query(&format!(
            "SELECT {key}, COUNT(*), \
             CAST(SUM(CASE WHEN answered_at <= deadline_at THEN 1 ELSE 0 END) AS BIGINT) \
             FROM ent_requests WHERE answered_at IS NOT NULL AND {key} IS NOT NULL \
             GROUP BY {key} ORDER BY {key}"
        ))
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OnTimeRow {
                    key: r.try_get(0)?,
                    answered: r.try_get(1)?,
                    on_time: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Requests counted by status.
    pub async fn requests_by_status(&mut self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) FROM ent_requests GROUP BY status ORDER BY status",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
