//! The command centre's reads: the cases behind the risk map, and the per-street figures
//! behind the precision control index, each as of the end of a day — grouped SQL, never a
//! load of persons or scans.

use sqlx::Row;

use crate::{Result, Tx};

/// A confirmed case (not excluded) with the street and community of its person.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConfirmedCaseRow {
    pub id: i64,
    /// The day it became confirmed.
    pub confirmed_on: String,
    pub origin: String,
    pub cluster_id: Option<i64>,
    /// The report instant (ms UTC).
    pub created_at: i64,
    pub street_id: i64,
    pub community_id: i64,
}

/// Per street: a count and how many of them satisfy the measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreetShareRow {
    pub street_id: i64,
    pub of: i64,
    pub yes: i64,
}

const IDS_PER_STATEMENT: usize = 500;

fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn shares(rows: &[sqlx::any::AnyRow]) -> Result<Vec<StreetShareRow>> {
    rows.iter()
        .map(|r| {
            Ok(StreetShareRow {
                street_id: r.try_get(0)?,
                of: r.try_get(1)?,
                yes: r.try_get(2)?,
            })
        })
        .collect()
}

impl Tx {
    /// Streets and communities inside `scope_path`, with their boundaries, by id.
    pub async fn map_areas(&mut self, scope_path: &str) -> Result<Vec<crate::AreaRow>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id, kind, code, name, path, boundary FROM areas \
             WHERE kind IN ('street', 'community') AND path >= $1 AND path < $2 ORDER BY id",
        )
        .bind(scope_path)
        .bind(crate::prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    /// Every confirmed case that is not excluded; cases are few (tens to thousands).
    pub async fn confirmed_cases(&mut self) -> Result<Vec<ConfirmedCaseRow>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.kind_since AS confirmed_on, c.origin, c.cluster_id, c.created_at, \
             p.street_id, p.community_id FROM cases c JOIN persons p ON p.id = c.person_id \
             WHERE c.kind = 'confirmed' AND c.status <> 'excluded' ORDER BY c.kind_since, c.id",
        )
        .fetch_all(self.conn())
        .await?)
    }

    /// The first day anything was recorded: a case reported, a code changed, an enterprise
    /// report. None for an empty platform.
    pub async fn first_record_day(&mut self) -> Result<(Option<String>, Option<i64>)> {
        let row = sqlx::query(
            "SELECT (SELECT MIN(reported_on) FROM cases), (SELECT MIN(day) FROM ent_reports), \
             (SELECT MIN(at) FROM code_changes)",
        )
        .fetch_one(self.conn())
        .await?;
        let cases: Option<String> = row.try_get(0)?;
        let reports: Option<String> = row.try_get(1)?;
        let first = [cases, reports].into_iter().flatten().min();
        Ok((first, row.try_get(2)?))
    }

    /// [`Tx::code_colours_by_street`] the straightforward way, grouped over every code change:
    /// the reference the tests compare it with (slow at zone scale).
    pub async fn code_colours_by_street_reference(
        &mut self,
        day: &str,
    ) -> Result<Vec<(i64, Option<String>, i64)>> {
        let rows = sqlx::query(
            "SELECT p.street_id, g.to_colour, COUNT(*) \
             FROM persons p LEFT JOIN ( \
               SELECT c.person_id, c.to_colour FROM code_changes c JOIN ( \
                 SELECT person_id, MAX(id) AS last_id FROM code_changes WHERE day <= $1 \
                 GROUP BY person_id) l ON l.last_id = c.id) g ON g.person_id = p.id \
             GROUP BY p.street_id, g.to_colour ORDER BY p.street_id, g.to_colour",
        )
        .bind(day)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// Answered enterprise requests per street before `until` (ms), and how many of them on
    /// time.
    pub async fn requests_on_time_by_street(&mut self, until: i64) -> Result<Vec<StreetShareRow>> {
        let rows = sqlx::query(
            "SELECT e.street_id, COUNT(*), \
             COALESCE(SUM(CASE WHEN r.answered_at <= r.deadline_at THEN 1 ELSE 0 END), 0) \
             FROM ent_requests r JOIN enterprises e ON e.id = r.enterprise_id \
             WHERE r.answered_at IS NOT NULL AND r.answered_at < $1 \
             GROUP BY e.street_id ORDER BY e.street_id",
        )
        .bind(until)
        .fetch_all(self.conn())
        .await?;
        shares(&rows)
    }

    /// Policy payouts per street granted before `until` (fen), and how much of them was paid
    /// before `until`.
    pub async fn payouts_by_street(&mut self, until: i64) -> Result<Vec<StreetShareRow>> {
        let rows = sqlx::query(
            "SELECT e.street_id, CAST(COALESCE(SUM(p.amount_fen), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN d.paid_at < $1 THEN d.amount_fen ELSE 0 END), 0) AS BIGINT) \
             FROM ent_payouts p JOIN enterprises e ON e.id = p.enterprise_id \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id \
             WHERE p.created_at < $1 GROUP BY e.street_id ORDER BY e.street_id",
        )
        .bind(until)
        .fetch_all(self.conn())
        .await?;
        shares(&rows)
    }

    /// Distinct persons screened before `until` (ms): the persons whose first scan is before
    /// it (累计排查 as of an instant; `screened_persons`, kept by every scan insert).
    pub async fn screened_before(&mut self, until: i64) -> Result<i64> {
        Ok(
            sqlx::query("SELECT COUNT(*) FROM screened_persons WHERE first_at < $1")
                .bind(until)
                .fetch_one(self.conn())
                .await?
                .try_get(0)?,
        )
    }

    /// [`Tx::screened_before`] the straightforward way, over every scan: the tests' reference.
    pub async fn screened_before_reference(&mut self, until: i64) -> Result<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(DISTINCT person_id) FROM scans WHERE person_id IS NOT NULL AND at < $1",
        )
        .bind(until)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?)
    }

    /// Record the first scan of each (person, instant) given, earlier instants winning: what
    /// every scan insert calls in its transaction, so `screened_persons` stays exact.
    pub(crate) async fn note_screened(
        &mut self,
        scans: impl Iterator<Item = (i64, i64)>,
    ) -> Result<()> {
        let mut first: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        for (person, at) in scans {
            first
                .entry(person)
                .and_modify(|a| *a = (*a).min(at))
                .or_insert(at);
        }
        if first.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "{} ON CONFLICT (person_id) DO UPDATE SET first_at = excluded.first_at \
             WHERE excluded.first_at < screened_persons.first_at",
            crate::bulk::json_insert_sql(
                self.backend,
                "screened_persons",
                &[("person_id", "bigint"), ("first_at", "bigint")]
            )
        );
        let rows: Vec<(i64, i64)> = first.into_iter().collect();
        self.execute_json_rows(&sql, &rows).await
    }

    /// Close contacts of the given cases: (case id, person id).
    pub async fn close_contacts_of_cases(&mut self, case_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        let mut out = vec![];
        for chunk in case_ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT DISTINCT case_id, person_id FROM contacts WHERE degree = 'close' \
                 AND case_id IN ({}) ORDER BY case_id, person_id",
                placeholders(chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push((r.try_get(0)?, r.try_get(1)?));
            }
        }
        Ok(out)
    }

    /// Code changes of the given persons: (person id, at, to colour), by person and time.
    pub async fn code_changes_of_persons(
        &mut self,
        person_ids: &[i64],
    ) -> Result<Vec<(i64, i64, String)>> {
        let mut out = vec![];
        for chunk in person_ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT person_id, at, to_colour FROM code_changes WHERE person_id IN ({}) \
                 ORDER BY person_id, at, id",
                placeholders(chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
            }
        }
        Ok(out)
    }

    /// Appeals still waiting for a decision.
    pub async fn pending_appeals_count(&mut self) -> Result<i64> {
        Ok(
            sqlx::query("SELECT COUNT(*) FROM appeals WHERE status = 'pending'")
                .fetch_one(self.conn())
                .await?
                .try_get(0)?,
        )
    }

    /// Contacts (close, secondary) whose last exposure is on or before `day`.
    pub async fn contacts_until(&mut self, day: &str) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN degree = 'close' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN degree = 'secondary' THEN 1 ELSE 0 END), 0) \
             FROM contacts WHERE last_exposure_on <= $1",
        )
        .bind(day)
        .fetch_one(self.conn())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}

#[doc(hidden)]
impl Tx {
    /// One integer from raw SQL: the app's tests compute reference figures with it.
    pub async fn count_raw_for_tests(&mut self, sql: &str) -> Result<i64> {
        Ok(sqlx::query(sql).fetch_one(self.conn()).await?.try_get(0)?)
    }
}
