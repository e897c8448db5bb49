//! Storage for the change policy: who caused each colour change, who typed a record for
//! someone else, and the requests that wait for a second person (`change_requests`).

use sqlx::Row;

use crate::codes::NewCodeChange;
use crate::{Result, Tx};

/// The people behind a colour change and the path it came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangePeople<'a> {
    /// The policy path (`domain::rules::ChangePath::as_str`).
    pub cause: &'a str,
    pub requested_by: Option<i64>,
    pub approved_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChangeRequest {
    pub kind: String,
    pub record_type: String,
    pub record_id: i64,
    pub area_path: String,
    pub summary: String,
    pub payload: String,
    pub requested_by: i64,
    /// The one account that may approve, when the requester named one.
    pub reviewer_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRequestRow {
    pub id: i64,
    pub kind: String,
    pub record_type: String,
    pub record_id: i64,
    pub area_path: String,
    pub summary: String,
    pub payload: String,
    pub requested_by: i64,
    pub requested_at: i64,
    pub reviewer_id: Option<i64>,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    /// Display names of the accounts, for lists.
    pub requested_by_name: String,
    pub reviewer_name: Option<String>,
    pub decided_by_name: Option<String>,
}

const REQUEST_COLUMNS: &str = "c.id, c.kind, c.record_type, c.record_id, c.area_path, c.summary, \
    c.payload, c.requested_by, c.requested_at, c.reviewer_id, c.status, c.decided_by, \
    c.decided_at, c.decision_note, r.display_name AS requested_by_name, \
    v.display_name AS reviewer_name, d.display_name AS decided_by_name";

const REQUEST_FROM: &str = "change_requests c JOIN users r ON r.id = c.requested_by \
    LEFT JOIN users v ON v.id = c.reviewer_id LEFT JOIN users d ON d.id = c.decided_by";

impl Tx {
    /// One colour change with the people who caused it (insert-only, like the rest).
    pub async fn insert_code_change_by(
        &mut self,
        c: &NewCodeChange,
        people: &ChangePeople<'_>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO code_changes (person_id, at, day, from_colour, to_colour, reasons,
                                       ruleset_version, actor, kind, cause, requested_by,
                                       approved_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(c.person_id)
        .bind(now)
        .bind(&c.day)
        .bind(&c.from_colour)
        .bind(&c.to_colour)
        .bind(&c.reasons)
        .bind(&c.ruleset_version)
        .bind(&c.actor)
        .bind(c.kind)
        .bind(people.cause)
        .bind(people.requested_by)
        .bind(people.approved_by)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Record that staff typed this declaration (and its itinerary) for someone else.
    pub async fn set_declaration_entered_by(&mut self, id: i64, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE declarations SET entered_by = $2 WHERE id = $1")
            .bind(id)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        sqlx::query("UPDATE itineraries SET entered_by = $2 WHERE declaration_id = $1")
            .bind(id)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Record that staff typed this day's check-in for someone else.
    pub async fn set_check_in_entered_by(
        &mut self,
        person_id: i64,
        day: &str,
        user_id: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE check_ins SET entered_by = $3 WHERE person_id = $1 AND day = $2")
            .bind(person_id)
            .bind(day)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Who typed a declaration (None: the person themself).
    pub async fn declaration_entered_by(&mut self, id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT entered_by FROM declarations WHERE id = $1")
            .bind(id)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Who typed a person's check-in of a day (None: the person themself, or none).
    pub async fn check_in_entered_by(&mut self, person_id: i64, day: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT entered_by FROM check_ins WHERE person_id = $1 AND day = $2")
            .bind(person_id)
            .bind(day)
            .fetch_optional(self.conn())
            .await?;
        Ok(match row {
            Some(r) => r.try_get(0)?,
            None => None,
        })
    }

    /// The ids of the accounts behind a hand-set colour.
    pub async fn set_override_people(
        &mut self,
        id: i64,
        requested_by: Option<i64>,
        decided_by: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE code_overrides SET
                 requested_by_id = COALESCE($2, requested_by_id),
                 decided_by_id = COALESCE($3, decided_by_id)
             WHERE id = $1",
        )
        .bind(id)
        .bind(requested_by)
        .bind(decided_by)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The account that asked for a hand-set colour (None for rows before the policy).
    pub async fn override_requested_by_id(&mut self, id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT requested_by_id FROM code_overrides WHERE id = $1")
            .bind(id)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// A pending request; the unique index allows one pending per record and kind.
    pub async fn insert_change_request(&mut self, r: &NewChangeRequest, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO change_requests (kind, record_type, record_id, area_path, summary,
                 payload, requested_by, requested_at, reviewer_id, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING id",
        )
        .bind(&r.kind)
        .bind(&r.record_type)
        .bind(r.record_id)
        .bind(&r.area_path)
        .bind(&r.summary)
        .bind(&r.payload)
        .bind(r.requested_by)
        .bind(now)
        .bind(r.reviewer_id)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn change_request(&mut self, id: i64) -> Result<ChangeRequestRow> {
        sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM} WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(crate::StoreError::NotFound("change request"))
    }

    /// Requests in a status, oldest first (the caller narrows to its scope).
    pub async fn change_requests_by_status(
        &mut self,
        status: &str,
        limit: i64,
    ) -> Result<Vec<ChangeRequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM} WHERE c.status = $1 ORDER BY c.id LIMIT $2"
        ))
        .bind(status)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// The requests about one record, newest first.
    pub async fn change_requests_of(
        &mut self,
        record_type: &str,
        record_id: i64,
    ) -> Result<Vec<ChangeRequestRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM}
             WHERE c.record_type = $1 AND c.record_id = $2 ORDER BY c.id DESC"
        ))
        .bind(record_type)
        .bind(record_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Decide a pending request; false when someone decided first.
    pub async fn decide_change_request(
        &mut self,
        id: i64,
        status: &str,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE change_requests SET status = $2, decided_by = $3, decided_at = $4,
                 decision_note = $5
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status)
        .bind(by)
        .bind(now)
        .bind(note)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    /// The reviewer who approved the latest end change of an order from their own session.
    pub async fn set_end_change_reviewer(&mut self, order_id: i64, reviewer_id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE quarantine_end_changes SET reviewer_id = $2
             WHERE id = (SELECT MAX(id) FROM quarantine_end_changes WHERE order_id = $1)",
        )
        .bind(order_id)
        .bind(reviewer_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The first of two approvals of an application; false when it is not waiting for one.
    pub async fn set_first_review(&mut self, id: i64, reviewer_id: i64, at: i64) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE ent_applications SET first_reviewer_id = $2, first_reviewed_at = $3
             WHERE id = $1 AND status = 'submitted' AND first_reviewer_id IS NULL",
        )
        .bind(id)
        .bind(reviewer_id)
        .bind(at)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    /// The first approver of an application, if one approved already.
    pub async fn first_reviewer(&mut self, application_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT first_reviewer_id FROM ent_applications WHERE id = $1")
            .bind(application_id)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// The account that paid, by id.
    pub async fn set_disbursement_payer(&mut self, id: i64, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE ent_disbursements SET paid_by_id = $2 WHERE id = $1")
            .bind(id)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
