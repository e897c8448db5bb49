//! Cases and the clusters that link them.

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub status: String,
    pub origin: String,
    pub onset_on: Option<String>,
    pub reported_on: String,
    /// The day the case took its current kind (a suspicion confirmed later counts from then).
    pub kind_since: String,
    /// Discharge or exclusion.
    pub ended_on: Option<String>,
    pub cluster_id: Option<i64>,
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    pub person_id: i64,
    pub kind: String,
    pub origin: String,
    pub onset_on: Option<String>,
    pub reported_on: String,
    pub cluster_id: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClusterRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, person_id, kind, status, origin, onset_on, reported_on, kind_since, \
                       ended_on, cluster_id, note, created_at, updated_at";

impl Tx {
    pub async fn insert_case(&mut self, c: &NewCase, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO cases (person_id, kind, status, origin, onset_on, reported_on, kind_since, \
             cluster_id, note, created_at, updated_at) \
             VALUES ($1, $2, 'active', $3, $4, $5, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(c.person_id)
        .bind(&c.kind)
        .bind(&c.origin)
        .bind(&c.onset_on)
        .bind(&c.reported_on)
        .bind(c.cluster_id)
        .bind(&c.note)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn case(&mut self, id: i64) -> Result<CaseRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM cases WHERE id = $1"),
            id,
            "case",
        )
        .await
    }

    /// Cases, newest report first; at most `limit`.
    pub async fn list_cases(&mut self, limit: i64) -> Result<Vec<CaseRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM cases ORDER BY reported_on DESC, id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn cases_of_person(&mut self, person_id: i64) -> Result<Vec<CaseRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM cases WHERE person_id = $1 ORDER BY id"
        ))
        .bind(person_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Every case that can still colour a code: open, or closed on or after `since`. Cases
    /// are few (tens, at most thousands), so the bulk recompute reads them all.
    pub async fn cases_since(&mut self, since: &str) -> Result<Vec<CaseRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM cases WHERE ended_on IS NULL OR ended_on >= $1 ORDER BY id"
        ))
        .bind(since)
        .fetch_all(self.conn())
        .await?)
    }

    /// Change kind and status (confirm, exclude, discharge).
    pub async fn update_case_status(
        &mut self,
        id: i64,
        kind: &str,
        status: &str,
        kind_since: &str,
        ended_on: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE cases SET kind = $2, status = $3, kind_since = $4, ended_on = $5, \
             updated_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(kind)
        .bind(status)
        .bind(kind_since)
        .bind(ended_on)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn set_case_cluster(
        &mut self,
        id: i64,
        cluster_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE cases SET cluster_id = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(cluster_id)
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn insert_cluster(&mut self, name: &str, now: i64) -> Result<i64> {
        let row =
            sqlx::query("INSERT INTO clusters (name, created_at) VALUES ($1, $2) RETURNING id")
                .bind(name)
                .bind(now)
                .fetch_one(self.conn())
                .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn cluster(&mut self, id: i64) -> Result<ClusterRow> {
        self.one_by_id(
            "SELECT id, name, created_at FROM clusters WHERE id = $1",
            id,
            "cluster",
        )
        .await
    }

    pub async fn clusters(&mut self) -> Result<Vec<ClusterRow>> {
        Ok(
            sqlx::query_as("SELECT id, name, created_at FROM clusters ORDER BY id")
                .fetch_all(self.conn())
                .await?,
        )
    }

    /// Cases per current kind; an excluded suspicion is counted under "excluded".
    pub async fn case_counts(&mut self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT CASE WHEN status = 'excluded' THEN 'excluded' ELSE kind END AS k, COUNT(*) \
             FROM cases GROUP BY k",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
