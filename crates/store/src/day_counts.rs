//! Per-day counts kept by the writers (migration 0014): scans per checkpoint per day by
//! decision, and per street per day how many persons gained or lost each code colour. The
//! command centre reads a day's figures from these few hundred rows instead of from millions
//! of scans and code changes; the straightforward reads over the rows stay as the tests'
//! references ([`Tx::scans_per_day_reference`], [`Tx::code_colours_by_street_reference`]).

use std::collections::BTreeMap;

use sqlx::Row;

use crate::bulk::json_insert_sql;
use crate::scans::{COUNTS_SQL, SHANGHAI_OFFSET_MS, decision_counts};
use crate::{Backend, DecisionCounts, Result, ScansPerDayRow, Tx};

const DAY_MS: i64 = 86_400_000;

/// The Asia/Shanghai day (days since 1970-01-01) of an instant (ms UTC).
pub fn shanghai_day_number(at: i64) -> i64 {
    (at + SHANGHAI_OFFSET_MS).div_euclid(DAY_MS)
}

/// Rows of (checkpoint, day number, the four counts).
fn per_day_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<ScansPerDayRow>> {
    rows.iter()
        .map(|r| {
            Ok(ScansPerDayRow {
                checkpoint_id: r.try_get(0)?,
                day_number: r.try_get(1)?,
                counts: decision_counts(r, 2)?,
            })
        })
        .collect()
}

impl Tx {
    /// Add stored scans, as (checkpoint, instant, decision), to `scan_day_counts`: what every
    /// scan insert calls in its transaction with the scans it actually stored.
    pub(crate) async fn note_scan_counts<'a>(
        &mut self,
        scans: impl Iterator<Item = (i64, i64, &'a str)>,
    ) -> Result<()> {
        // Sorted keys: concurrent writers on PostgreSQL lock the rows in the same order.
        let mut counts: BTreeMap<(i64, i64), [i64; 4]> = BTreeMap::new();
        for (checkpoint, at, decision) in scans {
            let c = counts
                .entry((checkpoint, shanghai_day_number(at)))
                .or_default();
            c[0] += 1;
            match decision {
                "pass" => c[1] += 1,
                "refer" => c[2] += 1,
                _ => c[3] += 1,
            }
        }
        if counts.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "{} ON CONFLICT (checkpoint_id, day_number) DO UPDATE SET \
             total = scan_day_counts.total + excluded.total, \
             pass = scan_day_counts.pass + excluded.pass, \
             refer = scan_day_counts.refer + excluded.refer, \
             stop = scan_day_counts.stop + excluded.stop",
            json_insert_sql(
                self.backend,
                "scan_day_counts",
                &[
                    ("checkpoint_id", "bigint"),
                    ("day_number", "bigint"),
                    ("total", "bigint"),
                    ("pass", "bigint"),
                    ("refer", "bigint"),
                    ("stop", "bigint"),
                ]
            )
        );
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> = counts
            .into_iter()
            .map(|((cp, d), c)| (cp, d, c[0], c[1], c[2], c[3]))
            .collect();
        self.execute_json_rows(&sql, &rows).await
    }

    /// Add code changes, as (person, day, from colour, to colour), to `code_colour_days`:
    /// what every code-change insert calls in its transaction.
    pub(crate) async fn note_colour_changes<'a>(
        &mut self,
        changes: impl Iterator<Item = (i64, &'a str, Option<&'a str>, &'a str)>,
    ) -> Result<()> {
        let mut deltas: BTreeMap<(i64, &str, &str), i64> = BTreeMap::new();
        for (person, day, from, to) in changes {
            if let Some(from) = from {
                *deltas.entry((person, day, from)).or_default() -= 1;
            }
            *deltas.entry((person, day, to)).or_default() += 1;
        }
        deltas.retain(|_, d| *d != 0);
        if deltas.is_empty() {
            return Ok(());
        }
        // The person's street comes from `persons` (persons do not move); grouped by street,
        // so each (street, day, colour) appears once in the statement as PostgreSQL requires,
        // and in key order, so concurrent writers on PostgreSQL lock the rows in one order.
        let (from, person, day, colour, delta) = match self.backend {
            Backend::Sqlite => (
                "json_each($1)",
                "value ->> 0",
                "value ->> 1",
                "value ->> 2",
                "value ->> 3",
            ),
            Backend::Postgres => (
                "jsonb_array_elements($1::jsonb) AS e",
                "(e ->> 0)::bigint",
                "(e ->> 1)",
                "(e ->> 2)",
                "(e ->> 3)::bigint",
            ),
        };
        let sql = format!(
            "INSERT INTO code_colour_days (street_id, day, colour, delta) \
             SELECT p.street_id, {day}, {colour}, SUM({delta}) FROM {from} \
             JOIN persons p ON p.id = {person} WHERE true \
             GROUP BY p.street_id, {day}, {colour} ORDER BY p.street_id, {day}, {colour} \
             ON CONFLICT (street_id, day, colour) DO UPDATE SET \
             delta = code_colour_days.delta + excluded.delta"
        );
        let rows: Vec<(i64, &str, &str, i64)> = deltas
            .into_iter()
            .map(|((p, d, c), n)| (p, d, c, n))
            .collect();
        self.execute_json_rows(&sql, &rows).await
    }

    /// Scans per checkpoint and Asia/Shanghai day for the days numbered `[from_day, to_day)`
    /// (see [`shanghai_day_number`]), by checkpoint then day: read from `scan_day_counts`.
    pub async fn scans_per_day(
        &mut self,
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<ScansPerDayRow>> {
        let rows = sqlx::query(
            "SELECT checkpoint_id, day_number, total, pass, refer, stop FROM scan_day_counts \
             WHERE day_number >= $1 AND day_number < $2 AND total > 0 \
             ORDER BY checkpoint_id, day_number",
        )
        .bind(from_day)
        .bind(to_day)
        .fetch_all(self.conn())
        .await?;
        per_day_rows(&rows)
    }

    /// [`Tx::scans_per_day`] the straightforward way, grouped over the scans of the instants
    /// `[from, to)`: the tests' reference.
    pub async fn scans_per_day_reference(
        &mut self,
        from: i64,
        to: i64,
    ) -> Result<Vec<ScansPerDayRow>> {
        let rows = sqlx::query(&format!(
            "SELECT checkpoint_id, (at + {SHANGHAI_OFFSET_MS}) / 86400000 AS d, {COUNTS_SQL} \
             FROM scans WHERE at >= $1 AND at < $2 GROUP BY checkpoint_id, d \
             ORDER BY checkpoint_id, d"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(self.conn())
        .await?;
        per_day_rows(&rows)
    }

    /// Decisions over every scan, from `scan_day_counts`.
    pub async fn scan_counts(&mut self) -> Result<DecisionCounts> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT), \
             CAST(COALESCE(SUM(pass), 0) AS BIGINT), CAST(COALESCE(SUM(refer), 0) AS BIGINT), \
             CAST(COALESCE(SUM(stop), 0) AS BIGINT) FROM scan_day_counts",
        )
        .fetch_one(self.conn())
        .await?;
        decision_counts(&row, 0)
    }

    /// Persons per street by the colour of their code at the end of `day` (None for persons
    /// without a code then): (street, colour, count), by street then colour, zero counts left
    /// out. The coloured ones are the sums of `code_colour_days` up to the day; the rest of
    /// the street's persons have no code. The same figures as
    /// [`Tx::code_colours_by_street_reference`], from a few hundred rows.
    pub async fn code_colours_by_street(
        &mut self,
        day: &str,
    ) -> Result<Vec<(i64, Option<String>, i64)>> {
        let persons = self.persons_by_street().await?;
        self.code_colours_by_street_of(&persons, day).await
    }

    /// Persons per street: (street, count). The part of [`Tx::code_colours_by_street`] that
    /// does not depend on the day (and reads an index of every person, ~50 ms at zone scale),
    /// so a reader of many days reads it once.
    pub async fn persons_by_street(&mut self) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query("SELECT street_id, COUNT(*) FROM persons GROUP BY street_id")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// [`Tx::code_colours_by_street`] with the persons per street already read.
    pub async fn code_colours_by_street_of(
        &mut self,
        persons: &[(i64, i64)],
        day: &str,
    ) -> Result<Vec<(i64, Option<String>, i64)>> {
        let mut counts: BTreeMap<(i64, Option<String>), i64> = persons
            .iter()
            .map(|(street, n)| ((*street, None), *n))
            .collect();
        let coloured = sqlx::query(
            "SELECT street_id, colour, CAST(SUM(delta) AS BIGINT) FROM code_colour_days \
             WHERE day <= $1 GROUP BY street_id, colour",
        )
        .bind(day)
        .fetch_all(self.conn())
        .await?;
        for r in &coloured {
            let (street, colour, n): (i64, String, i64) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            *counts.entry((street, None)).or_default() -= n;
            *counts.entry((street, Some(colour))).or_default() += n;
        }
        Ok(counts
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .map(|((street, colour), n)| (street, colour, n))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_asia_shanghai_days() {
        // 2020-03-26 16:00 UTC is 2020-03-27 00:00 in Shanghai: day 18,348.
        let midnight = 1_585_238_400_000;
        assert_eq!(super::shanghai_day_number(midnight), 18_348);
        assert_eq!(super::shanghai_day_number(midnight - 1), 18_347);
        assert_eq!(
            super::shanghai_day_number(-super::SHANGHAI_OFFSET_MS - 1),
            -1
        );
    }
}
