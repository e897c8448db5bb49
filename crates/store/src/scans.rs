//! Screening scans: the batch insert that makes a resend harmless, the lookups a batch needs
//! (known event ids, code references, ID numbers), the index range reads tracing runs on, and
//! the counts of the checkpoint page and the figures.

use sqlx::Row;

use crate::{Result, Tx, bulk};

#[derive(Debug, Clone, PartialEq)]
pub struct NewScan {
    pub checkpoint_id: i64,
    pub event_id: String,
    pub at: i64,
    pub person_id: Option<i64>,
    pub method: String,
    pub direction: String,
    pub temperature: Option<f64>,
    pub colour: Option<String>,
    pub decision: String,
    pub reason: String,
    /// Digest of what the device sent: a resend has the same, a clash of event ids does not.
    pub fingerprint: String,
}

/// A scan already stored, as a resend is compared with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScanKey {
    pub checkpoint_id: i64,
    pub event_id: String,
    pub fingerprint: String,
}

/// A person as a checkpoint identifies them: by code reference or by ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPerson {
    /// The reference or ID number looked up.
    pub key: String,
    pub person_id: i64,
    pub id_number: Option<String>,
    pub name: String,
    /// The colour of the person's code now, if they have one.
    pub colour: Option<String>,
}

/// A scan as tracing reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SightingRow {
    pub checkpoint_id: i64,
    pub at: i64,
    pub person_id: i64,
}

/// Decisions counted over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecisionCounts {
    pub total: i64,
    pub pass: i64,
    pub refer: i64,
    pub stop: i64,
}

/// Scans of one checkpoint on one day (day number since 1970-01-01 in Asia/Shanghai).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScansPerDayRow {
    pub checkpoint_id: i64,
    pub day_number: i64,
    pub counts: DecisionCounts,
}

/// The columns a scan is written with, and their PostgreSQL types (see `bulk::json_insert_sql`).
const SCAN_COLUMNS: [(&str, &str); 12] = [
    ("checkpoint_id", "bigint"),
    ("event_id", "text"),
    ("at", "bigint"),
    ("person_id", "bigint"),
    ("method", "text"),
    ("direction", "text"),
    ("temperature", "double precision"),
    ("colour", "text"),
    ("decision", "text"),
    ("reason", "text"),
    ("fingerprint", "text"),
    ("received_at", "bigint"),
];

type ScanJson<'a> = (
    i64,
    &'a str,
    i64,
    Option<i64>,
    &'a str,
    &'a str,
    Option<f64>,
    Option<&'a str>,
    &'a str,
    &'a str,
    &'a str,
    i64,
);

/// Scans as the JSON rows of one statement, in `SCAN_COLUMNS` order.
fn scans_json(rows: &[NewScan], received_at: i64) -> Result<String> {
    bulk::json_rows(rows.iter().map(|s| -> ScanJson<'_> {
        (
            s.checkpoint_id,
            &s.event_id,
            s.at,
            s.person_id,
            &s.method,
            &s.direction,
            s.temperature,
            s.colour.as_deref(),
            &s.decision,
            &s.reason,
            &s.fingerprint,
            received_at,
        )
    }))
}

/// Milliseconds to add to UTC so that integer division by a day gives Asia/Shanghai days.
pub(crate) const SHANGHAI_OFFSET_MS: i64 = 8 * 3_600_000;
const IDS_PER_STATEMENT: usize = 500;

fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn decision_counts(r: &sqlx::any::AnyRow, first: usize) -> Result<DecisionCounts> {
    Ok(DecisionCounts {
        total: r.try_get(first)?,
        pass: r.try_get(first + 1)?,
        refer: r.try_get(first + 2)?,
        stop: r.try_get(first + 3)?,
    })
}

/// The four counts as SQL; the CASE sums work alike on both engines.
pub(crate) const COUNTS_SQL: &str = "COUNT(*), \
    COALESCE(SUM(CASE WHEN decision = 'pass' THEN 1 ELSE 0 END), 0), \
    COALESCE(SUM(CASE WHEN decision = 'refer' THEN 1 ELSE 0 END), 0), \
    COALESCE(SUM(CASE WHEN decision = 'stop' THEN 1 ELSE 0 END), 0)";

impl Tx {
    /// Insert scans, up to 5,000 a statement with all of them in ONE JSON parameter (binding
    /// one parameter per value was the cost that mattered). A scan whose (checkpoint, event id)
    /// is already stored is left alone; the pairs actually inserted are returned, so a
    /// concurrent resend is told apart from an accepted scan.
    pub async fn insert_scans(
        &mut self,
        rows: &[NewScan],
        received_at: i64,
    ) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "{} ON CONFLICT (checkpoint_id, event_id) DO NOTHING RETURNING checkpoint_id, event_id",
            bulk::json_insert_sql(self.backend, "scans", &SCAN_COLUMNS)
        );
        let mut inserted: Vec<(i64, String)> = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(bulk::JSON_ROWS) {
            let json = scans_json(chunk, received_at)?;
            for r in sqlx::query(&sql).bind(json).fetch_all(self.conn()).await? {
                inserted.push((r.try_get(0)?, r.try_get(1)?));
            }
        }
        // Only the scans actually stored count as screening (a clash of event ids does not).
        let stored: std::collections::HashSet<(i64, &str)> =
            inserted.iter().map(|(c, e)| (*c, e.as_str())).collect();
        let stored_scans = || {
            rows.iter()
                .filter(|s| stored.contains(&(s.checkpoint_id, s.event_id.as_str())))
        };
        self.note_screened(stored_scans().filter_map(|s| Some((s.person_id?, s.at))))
            .await?;
        self.note_scan_counts(stored_scans().map(|s| (s.checkpoint_id, s.at, s.decision.as_str())))
            .await?;
        Ok(inserted)
    }

    /// Insert scans without asking what was inserted: the demo's path, for ids it owns.
    pub async fn insert_scans_unchecked(
        &mut self,
        rows: &[NewScan],
        received_at: i64,
    ) -> Result<()> {
        let sql = bulk::json_insert_sql(self.backend, "scans", &SCAN_COLUMNS);
        for chunk in rows.chunks(bulk::JSON_ROWS) {
            let json = scans_json(chunk, received_at)?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        self.note_screened(rows.iter().filter_map(|s| Some((s.person_id?, s.at))))
            .await?;
        self.note_scan_counts(
            rows.iter()
                .map(|s| (s.checkpoint_id, s.at, s.decision.as_str())),
        )
        .await?;
        Ok(())
    }

    /// Which of these event ids of one checkpoint are stored, with their fingerprints.
    pub async fn stored_scan_keys(
        &mut self,
        checkpoint_id: i64,
        event_ids: &[&str],
    ) -> Result<Vec<StoredScanKey>> {
        let mut out = vec![];
        for chunk in event_ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT event_id, fingerprint FROM scans WHERE checkpoint_id = $1 AND event_id IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(checkpoint_id);
            for e in chunk {
                q = q.bind(*e);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(StoredScanKey {
                    checkpoint_id,
                    event_id: r.try_get(0)?,
                    fingerprint: r.try_get(1)?,
                });
            }
        }
        Ok(out)
    }

    /// The persons holding these credential references, with their code's colour now.
    pub async fn persons_by_code_ref(&mut self, refs: &[&str]) -> Result<Vec<ScannedPerson>> {
        self.scanned_persons(
            "SELECT h.ref, p.id, p.id_number, p.name, h.colour FROM health_codes h \
             JOIN persons p ON p.id = h.person_id WHERE h.ref IN",
            refs,
        )
        .await
    }

    /// The persons with these ID numbers, with their code's colour now if they have a code.
    pub async fn persons_by_id_number(&mut self, numbers: &[&str]) -> Result<Vec<ScannedPerson>> {
        self.scanned_persons(
            "SELECT p.id_number, p.id, p.id_number, p.name, h.colour FROM persons p \
             LEFT JOIN health_codes h ON h.person_id = p.id WHERE p.id_number IN",
            numbers,
        )
        .await
    }

    async fn scanned_persons(&mut self, head: &str, keys: &[&str]) -> Result<Vec<ScannedPerson>> {
        let mut out = vec![];
        for chunk in keys.chunks(IDS_PER_STATEMENT) {
            let sql = format!("{head} ({})", placeholders(1, chunk.len()));
            let mut q = sqlx::query(&sql);
            for k in chunk {
                q = q.bind(*k);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(ScannedPerson {
                    key: r.try_get(0)?,
                    person_id: r.try_get(1)?,
                    id_number: r.try_get(2)?,
                    name: r.try_get(3)?,
                    colour: r.try_get(4)?,
                });
            }
        }
        Ok(out)
    }

    /// One person's scans in `[from, to)`, in time order (the `(person_id, at)` index).
    pub async fn sightings_of_person(
        &mut self,
        person_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<SightingRow>> {
        let rows = sqlx::query(
            "SELECT checkpoint_id, at FROM scans WHERE person_id = $1 AND at >= $2 AND at < $3 \
             ORDER BY at",
        )
        .bind(person_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SightingRow {
                    checkpoint_id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    person_id,
                })
            })
            .collect()
    }

    /// The scans of identified persons at one checkpoint in `[from, to]` (both included): one
    /// range of the `(checkpoint_id, at, person_id)` index.
    pub async fn sightings_at(
        &mut self,
        checkpoint_id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<SightingRow>> {
        let rows = sqlx::query(
            "SELECT at, person_id FROM scans WHERE checkpoint_id = $1 AND at >= $2 AND at <= $3 \
             AND person_id IS NOT NULL",
        )
        .bind(checkpoint_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SightingRow {
                    checkpoint_id,
                    at: r.try_get(0)?,
                    person_id: r.try_get(1)?,
                })
            })
            .collect()
    }

    /// The scans of several persons in `[from, to)`: one statement per 500 persons, each a
    /// few ranges of the `(person_id, at)` index — what tracing reads for all close contacts
    /// at once instead of one statement per contact.
    pub async fn sightings_of_persons(
        &mut self,
        person_ids: &[i64],
        from: i64,
        to: i64,
    ) -> Result<Vec<SightingRow>> {
        let mut out = vec![];
        for chunk in person_ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "SELECT checkpoint_id, at, person_id FROM scans \
                 WHERE at >= $1 AND at < $2 AND person_id IN ({})",
                placeholders(3, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(from).bind(to);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(SightingRow {
                    checkpoint_id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    person_id: r.try_get(2)?,
                });
            }
        }
        Ok(out)
    }

    /// The scans of identified persons in several `(checkpoint, from, to)` ranges (both ends
    /// included), which must not overlap: `UNION ALL` of one range of the
    /// `(checkpoint_id, at, person_id)` index each, up to 100 ranges a statement (SQLite
    /// allows 500 compound terms), so a trace costs a few statements, not one per range.
    pub async fn sightings_in_ranges(
        &mut self,
        ranges: &[(i64, i64, i64)],
    ) -> Result<Vec<SightingRow>> {
        const RANGES_PER_STATEMENT: usize = 100;
        let mut out = vec![];
        for chunk in ranges.chunks(RANGES_PER_STATEMENT) {
            let sql = (0..chunk.len())
                .map(|i| {
                    format!(
                        "SELECT checkpoint_id, at, person_id FROM scans WHERE checkpoint_id = ${} \
                         AND at >= ${} AND at <= ${} AND person_id IS NOT NULL",
                        3 * i + 1,
                        3 * i + 2,
                        3 * i + 3
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let mut q = sqlx::query(&sql);
            for (place, from, to) in chunk {
                q = q.bind(*place).bind(*from).bind(*to);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(SightingRow {
                    checkpoint_id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    person_id: r.try_get(2)?,
                });
            }
        }
        Ok(out)
    }

    /// Every person's id, community and category, in id order: what the demo's screening
    /// routines are drawn from.
    pub async fn person_homes(&mut self) -> Result<Vec<(i64, i64, String)>> {
        let rows = sqlx::query("SELECT id, community_id, category FROM persons ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// The colour of every person's code, by person.
    pub async fn code_colours(&mut self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query("SELECT person_id, colour FROM health_codes")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Every person's ID number and phone, for a generator that must not repeat them.
    pub async fn person_identifiers(&mut self) -> Result<Vec<(Option<String>, Option<String>)>> {
        let rows = sqlx::query("SELECT id_number, phone FROM persons")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Whether any scan was made at a checkpoint (such a checkpoint is retired, never deleted).
    pub async fn checkpoint_has_scans(&mut self, checkpoint_id: i64) -> Result<bool> {
        Ok(
            sqlx::query("SELECT 1 FROM scans WHERE checkpoint_id = $1 LIMIT 1")
                .bind(checkpoint_id)
                .fetch_optional(self.conn())
                .await?
                .is_some(),
        )
    }

    /// Decisions at one checkpoint in `[from, to)`.
    pub async fn scan_counts_at(
        &mut self,
        checkpoint_id: i64,
        from: i64,
        to: i64,
    ) -> Result<DecisionCounts> {
        let row = sqlx::query(&format!(
            "SELECT {COUNTS_SQL} FROM scans WHERE checkpoint_id = $1 AND at >= $2 AND at < $3"
        ))
        .bind(checkpoint_id)
        .bind(from)
        .bind(to)
        .fetch_one(self.conn())
        .await?;
        decision_counts(&row, 0)
    }

    /// Distinct persons ever screened (累计排查): [`Tx::screened_before`] with no end.
    pub async fn screened_cumulative(&mut self) -> Result<i64> {
        self.screened_before(i64::MAX).await
    }
}
