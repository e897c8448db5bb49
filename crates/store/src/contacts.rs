//! Contacts (密接 / 次密接) as person-to-person relationships: who, through which case and
//! which traced person, where, when and how closely in time.

use sqlx::Row;

use crate::{Result, Tx, bulk};

#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub case_id: i64,
    pub person_id: i64,
    /// The person they met: the case's person for a close contact, a close contact for a
    /// secondary one.
    pub source_person_id: i64,
    pub degree: String,
    pub setting: String,
    pub checkpoint_id: Option<i64>,
    pub first_at: i64,
    pub last_at: i64,
    pub closest_seconds: Option<i64>,
    pub encounters: i64,
    /// Asia/Shanghai day of the last exposure (ISO).
    pub last_exposure_on: String,
    /// "tracing" or the username of whoever added it by hand.
    pub added_by: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub case_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub source_person_id: i64,
    pub degree: String,
    pub setting: String,
    pub checkpoint_id: Option<i64>,
    pub checkpoint_name: Option<String>,
    pub first_at: i64,
    pub last_at: i64,
    pub closest_seconds: Option<i64>,
    pub encounters: i64,
    pub last_exposure_on: String,
    pub added_by: String,
}

/// A contact as the rule engine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposureRow {
    pub person_id: i64,
    pub degree: String,
    pub last_exposure_on: String,
}

const COLUMNS: [(&str, &str); 13] = [
    ("case_id", "bigint"),
    ("person_id", "bigint"),
    ("source_person_id", "bigint"),
    ("degree", "text"),
    ("setting", "text"),
    ("checkpoint_id", "bigint"),
    ("first_at", "bigint"),
    ("last_at", "bigint"),
    ("closest_seconds", "bigint"),
    ("encounters", "bigint"),
    ("last_exposure_on", "text"),
    ("added_by", "text"),
    ("created_at", "bigint"),
];

impl Tx {
    /// Store contacts; a relationship found again (same case, person, source and setting)
    /// widens its times and keeps the later exposure, so tracing twice adds nothing twice.
    pub async fn upsert_contacts(&mut self, rows: &[NewContact], now: i64) -> Result<()> {
        // All rows of a chunk as one JSON parameter (a trace can store 10^5 contacts).
        let sql = format!(
            "{} ON CONFLICT (case_id, person_id, source_person_id, setting) DO UPDATE SET \
             first_at = CASE WHEN excluded.first_at < contacts.first_at \
               THEN excluded.first_at ELSE contacts.first_at END, \
             last_at = CASE WHEN excluded.last_at > contacts.last_at \
               THEN excluded.last_at ELSE contacts.last_at END, \
             last_exposure_on = CASE WHEN excluded.last_exposure_on > contacts.last_exposure_on \
               THEN excluded.last_exposure_on ELSE contacts.last_exposure_on END, \
             encounters = CASE WHEN excluded.encounters > contacts.encounters \
               THEN excluded.encounters ELSE contacts.encounters END",
            bulk::json_insert_sql(self.backend, "contacts", &COLUMNS)
        );
        for chunk in rows.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|c| {
                (
                    c.case_id,
                    c.person_id,
                    c.source_person_id,
                    &c.degree,
                    &c.setting,
                    c.checkpoint_id,
                    c.first_at,
                    c.last_at,
                    c.closest_seconds,
                    c.encounters,
                    &c.last_exposure_on,
                    &c.added_by,
                    now,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        Ok(())
    }

    /// The contacts traced from one case, close ones first, then by person.
    pub async fn contacts_of_case(&mut self, case_id: i64) -> Result<Vec<ContactRow>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.case_id, c.person_id, p.name AS person_name, c.source_person_id, \
             c.degree, c.setting, c.checkpoint_id, k.name AS checkpoint_name, c.first_at, \
             c.last_at, c.closest_seconds, c.encounters, c.last_exposure_on, c.added_by \
             FROM contacts c JOIN persons p ON p.id = c.person_id \
             LEFT JOIN checkpoints k ON k.id = c.checkpoint_id \
             WHERE c.case_id = $1 ORDER BY c.degree, c.person_id, c.id",
        )
        .bind(case_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// One person's exposures whose last day is on or after `since`.
    pub async fn exposures_of_person(
        &mut self,
        person_id: i64,
        since: &str,
    ) -> Result<Vec<ExposureRow>> {
        let rows = sqlx::query(
            "SELECT degree, last_exposure_on FROM contacts \
             WHERE person_id = $1 AND last_exposure_on >= $2 ORDER BY id",
        )
        .bind(person_id)
        .bind(since)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExposureRow {
                    person_id,
                    degree: r.try_get(0)?,
                    last_exposure_on: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// Everyone's exposures whose last day is on or after `since` (the bulk recompute).
    pub async fn exposures_since(&mut self, since: &str) -> Result<Vec<ExposureRow>> {
        let rows = sqlx::query(
            "SELECT person_id, degree, last_exposure_on FROM contacts \
             WHERE last_exposure_on >= $1 ORDER BY person_id, id",
        )
        .bind(since)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExposureRow {
                    person_id: r.try_get(0)?,
                    degree: r.try_get(1)?,
                    last_exposure_on: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Distinct persons per degree; a person both close and secondary counts as close only.
    pub async fn contact_counts(&mut self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(DISTINCT person_id) FROM contacts WHERE degree = 'close'), \
               (SELECT COUNT(DISTINCT person_id) FROM contacts c WHERE degree = 'secondary' \
                  AND NOT EXISTS (SELECT 1 FROM contacts d WHERE d.person_id = c.person_id \
                                  AND d.degree = 'close'))",
        )
        .fetch_one(self.conn())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
