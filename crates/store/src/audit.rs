//! The audit log: insert-only (triggers refuse UPDATE and DELETE on both backends). Every view
//! of full personal data and every change writes one entry, in the same transaction as the
//! change itself.

use crate::{Result, Tx};

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub client_addr: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub client_addr: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// Entries with id below this (newest first, keyset).
    pub before: Option<i64>,
    pub limit: u32,
}

impl Tx {
    pub async fn insert_audit(&mut self, e: &AuditEntry, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, username, role, action, record_type, record_id,
                                    client_addr, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(now)
        .bind(e.user_id)
        .bind(&e.username)
        .bind(&e.role)
        .bind(&e.action)
        .bind(&e.record_type)
        .bind(&e.record_id)
        .bind(&e.client_addr)
        .bind(&e.detail)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Newest first.
    pub async fn list_audit(&mut self, q: &AuditQuery) -> Result<Vec<AuditRow>> {
        let rows = sqlx::query_as(
            "SELECT id, at, user_id, username, role, action, record_type, record_id, client_addr,
                    detail
             FROM audit_log
             WHERE ($1 IS NULL OR record_type = $1) AND ($2 IS NULL OR record_id = $2)
               AND id < $3
             ORDER BY id DESC LIMIT $4",
        )
        .bind(&q.record_type)
        .bind(&q.record_id)
        .bind(q.before.unwrap_or(i64::MAX))
        .bind(i64::from(q.limit))
        .fetch_all(self.conn())
        .await?;
        Ok(rows)
    }
}
