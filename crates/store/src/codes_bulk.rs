//! Health codes for many persons at once: set-based reads of everything a recompute needs (a
//! handful of queries for the whole zone instead of several per person) and chunked multi-row
//! writes of the codes that changed and their history.

use sqlx::Row;

use crate::codes::{ArrivalRow, CheckInRow, CodeUpsert, NewCodeChange, NewDeclaration};
use crate::{Result, Tx, bulk};

/// Whose records a bulk read covers.
#[derive(Debug, Clone, Copy)]
pub enum BulkScope<'a> {
    /// Every person.
    Everyone,
    /// The persons who arrived, on or after the lookback day, from a division whose code starts
    /// with one of these prefixes (a risk-area change can only affect them).
    ArrivedFrom(&'a [String]),
    /// The persons put in this transaction's scope table by [`Tx::set_scope_persons`] (a
    /// temporary table of person ids): a tracing's new contacts, tens of thousands at once.
    /// Everyone in it who has no code gets one, applied or not, as a single recompute does.
    Persons,
}

/// What a bulk read needs besides the scope.
#[derive(Debug, Clone, Copy)]
pub struct BulkWindow<'a> {
    /// The day evaluated (ISO): a person gets a first code once a record of theirs is dated
    /// on or before it.
    pub day: &'a str,
    /// The first day of the lookback window (ISO).
    pub since: &'a str,
    /// The ruleset's fever threshold: a check-in at or above it, or with symptoms, is abnormal.
    pub normal_below: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonArrivalRow {
    pub person_id: i64,
    pub arrival: ArrivalRow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonCheckInRow {
    pub person_id: i64,
    pub check_in: CheckInRow,
}

/// A stored code that is anything but plain green (green, no reasons, no pending change,
/// current ruleset): the few a bulk recompute must compare one by one.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCodeRow {
    pub person_id: i64,
    pub colour: String,
    pub reasons: String,
    pub earliest_change: Option<String>,
    pub ruleset_version: String,
}

/// A person's areas, which a code row repeats for scoped counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonAreasRow {
    pub id: i64,
    pub zone_id: i64,
    pub street_id: i64,
    pub community_id: i64,
}

/// A declaration written in bulk with a chosen id (the demo owns its ids), with its itinerary.
#[derive(Debug, Clone)]
pub struct BulkDeclaration {
    pub id: i64,
    pub declared_at: i64,
    pub found_false_on: Option<String>,
    pub declaration: NewDeclaration,
}

#[derive(Debug, Clone)]
pub struct NewCheckIn {
    pub person_id: i64,
    pub day: String,
    pub temperature: f64,
    pub symptoms: bool,
    pub at: i64,
}

/// The reason text of a plain green code: no reasons.
pub const NO_REASONS: &str = "[]";

/// Largest id list bound in one statement (see `bulk::chunk_rows`).
const IDS_PER_STATEMENT: usize = 500;

fn areas_row(r: &sqlx::any::AnyRow) -> Result<PersonAreasRow> {
    Ok(PersonAreasRow {
        id: r.try_get(0)?,
        zone_id: r.try_get(1)?,
        street_id: r.try_get(2)?,
        community_id: r.try_get(3)?,
    })
}

/// The temporary table behind [`BulkScope::Persons`]; each connection has its own.
const SCOPE_TABLE: &str = "bulk_scope_persons";

impl BulkScope<'_> {
    /// `AND person_id IN (…)` restricting a query to the scope; parameters from `$first` on.
    fn filter(&self, column: &str, first: usize) -> String {
        match self {
            BulkScope::Everyone => String::new(),
            BulkScope::ArrivedFrom(prefixes) => {
                let likes: Vec<String> = (0..prefixes.len())
                    .map(|i| format!("division_code LIKE ${}", first + 1 + i))
                    .collect();
                format!(
                    " AND {column} IN (SELECT person_id FROM itineraries
                       WHERE arrived_on >= ${first} AND ({}))",
                    if likes.is_empty() {
                        "1 = 0".to_owned()
                    } else {
                        likes.join(" OR ")
                    }
                )
            }
            BulkScope::Persons => format!(" AND {column} IN (SELECT person_id FROM {SCOPE_TABLE})"),
        }
    }

    /// The values for `filter`'s parameters, in order.
    fn patterns(&self) -> Vec<String> {
        match self {
            BulkScope::Everyone | BulkScope::Persons => vec![],
            // Prefixes are digits (checked division codes), so no LIKE wildcard can hide in one.
            BulkScope::ArrivedFrom(prefixes) => prefixes.iter().map(|p| format!("{p}%")).collect(),
        }
    }

    fn bind_filter<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        since: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            BulkScope::Everyone | BulkScope::Persons => q,
            BulkScope::ArrivedFrom(_) => self
                .patterns()
                .into_iter()
                .fold(q.bind(since), |q, p| q.bind(p)),
        }
    }
}

impl Tx {
    /// Fill this transaction's [`BulkScope::Persons`] table with exactly these persons (the
    /// table is created on the connection's first use and emptied first). The ids go in as
    /// one JSON parameter per 5,000.
    pub async fn set_scope_persons(&mut self, person_ids: &[i64]) -> Result<()> {
        let create = match self.backend {
            crate::Backend::Sqlite => {
                format!(
                    "CREATE TEMP TABLE IF NOT EXISTS {SCOPE_TABLE} (person_id INTEGER PRIMARY KEY)"
                )
            }
            crate::Backend::Postgres => format!(
                "CREATE TEMP TABLE IF NOT EXISTS {SCOPE_TABLE} (person_id bigint PRIMARY KEY) \
                 ON COMMIT DELETE ROWS"
            ),
        };
        sqlx::query(&create).execute(self.conn()).await?;
        sqlx::query(&format!("DELETE FROM {SCOPE_TABLE}"))
            .execute(self.conn())
            .await?;
        let mut ids = person_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let sql = format!(
            "{} ON CONFLICT DO NOTHING",
            bulk::json_insert_sql(self.backend, SCOPE_TABLE, &[("person_id", "bigint")])
        );
        for chunk in ids.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|id| [*id]))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        Ok(())
    }

    /// Every declared arrival on or after `w.since` in the scope, by person, then day and entry.
    pub async fn bulk_arrivals(
        &mut self,
        scope: BulkScope<'_>,
        w: BulkWindow<'_>,
    ) -> Result<Vec<PersonArrivalRow>> {
        let sql = format!(
            "SELECT i.person_id, i.division_code, i.arrived_on, d.declared_on
             FROM itineraries i JOIN declarations d ON d.id = i.declaration_id
             WHERE i.arrived_on >= $1{}
             ORDER BY i.person_id, i.arrived_on, i.id",
            scope.filter("i.person_id", 2)
        );
        let q = scope.bind_filter(sqlx::query(&sql).bind(w.since), w.since);
        let rows = q.fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| {
                Ok(PersonArrivalRow {
                    person_id: r.try_get(0)?,
                    arrival: ArrivalRow {
                        division_code: r.try_get(1)?,
                        arrived_on: r.try_get(2)?,
                        declared_on: r.try_get(3)?,
                    },
                })
            })
            .collect()
    }

    /// The persons in the scope with an abnormal check-in (fever or symptoms) on or after
    /// `w.since`: such a check-in is itself a trigger.
    pub async fn bulk_abnormal_check_in_persons(
        &mut self,
        scope: BulkScope<'_>,
        w: BulkWindow<'_>,
    ) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT person_id FROM check_ins
             WHERE day >= $1 AND NOT (temperature < $2 AND symptoms = 0){}
             ORDER BY person_id",
            scope.filter("person_id", 3)
        );
        let q = sqlx::query(&sql).bind(w.since).bind(w.normal_below);
        let rows = scope.bind_filter(q, w.since).fetch_all(self.conn()).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The check-ins on or after `since` of the given persons, by person and day, read in
    /// chunked id lists.
    pub async fn check_ins_of(
        &mut self,
        person_ids: &[i64],
        since: &str,
    ) -> Result<Vec<PersonCheckInRow>> {
        let mut out = vec![];
        for chunk in person_ids.chunks(IDS_PER_STATEMENT) {
            let list: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT person_id, day, temperature, symptoms FROM check_ins
                 WHERE day >= $1 AND person_id IN ({})
                 ORDER BY person_id, day",
                list.join(", ")
            );
            let q = chunk
                .iter()
                .fold(sqlx::query(&sql).bind(since), |q, id| q.bind(*id));
            for r in q.fetch_all(self.conn()).await? {
                out.push(PersonCheckInRow {
                    person_id: r.try_get(0)?,
                    check_in: CheckInRow {
                        day: r.try_get(1)?,
                        temperature: r.try_get(2)?,
                        symptoms: r.try_get(3)?,
                    },
                });
            }
        }
        Ok(out)
    }

    /// (person, day found false) of every declaration found false in the scope.
    pub async fn bulk_false_declarations(
        &mut self,
        scope: BulkScope<'_>,
        w: BulkWindow<'_>,
    ) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT person_id, found_false_on FROM declarations
             WHERE found_false_on IS NOT NULL{}
             ORDER BY person_id, found_false_on",
            scope.filter("person_id", 1)
        );
        let rows = scope
            .bind_filter(sqlx::query(&sql), w.since)
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Stored codes in the scope that are not plain green under `ruleset_version`.
    pub async fn bulk_stored_codes(
        &mut self,
        scope: BulkScope<'_>,
        w: BulkWindow<'_>,
        ruleset_version: &str,
    ) -> Result<Vec<StoredCodeRow>> {
        let sql = format!(
            "SELECT person_id, colour, reasons, earliest_change, ruleset_version
             FROM health_codes
             WHERE (colour <> 'green' OR reasons <> $1 OR earliest_change IS NOT NULL
                    OR ruleset_version <> $2){}
             ORDER BY person_id",
            scope.filter("person_id", 3)
        );
        let q = sqlx::query(&sql).bind(NO_REASONS).bind(ruleset_version);
        let rows = scope.bind_filter(q, w.since).fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| {
                Ok(StoredCodeRow {
                    person_id: r.try_get(0)?,
                    colour: r.try_get(1)?,
                    reasons: r.try_get(2)?,
                    earliest_change: r.try_get(3)?,
                    ruleset_version: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The persons in the scope who have applied for a code (declared or checked in on or
    /// before the day) but have none yet, with their areas (a new code needs them). Someone
    /// who never applied gets no code from a bulk recompute.
    pub async fn bulk_persons_without_code(
        &mut self,
        scope: BulkScope<'_>,
        w: BulkWindow<'_>,
    ) -> Result<Vec<PersonAreasRow>> {
        // A person put in the scope by hand (a new contact) gets a code whether or not they
        // applied: the code is how the contact learns they must stay in.
        let applied = if matches!(scope, BulkScope::Persons) {
            "$1 = $1"
        } else {
            "(EXISTS (SELECT 1 FROM declarations d
                      WHERE d.person_id = p.id AND d.declared_on <= $1)
              OR EXISTS (SELECT 1 FROM check_ins c
                          WHERE c.person_id = p.id AND c.day <= $1))"
        };
        let sql = format!(
            "SELECT p.id, p.zone_id, p.street_id, p.community_id FROM persons p
             WHERE NOT EXISTS (SELECT 1 FROM health_codes h WHERE h.person_id = p.id)
               AND {applied}{}
             ORDER BY p.id",
            scope.filter("p.id", 2)
        );
        let rows = scope
            .bind_filter(sqlx::query(&sql).bind(w.day), w.since)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(areas_row).collect()
    }

    /// How many persons arrived on or after `since` from a division starting with `prefix`:
    /// the codes a change of that risk area would recompute.
    pub async fn count_arrived_from(&mut self, prefix: &str, since: &str) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(DISTINCT person_id) FROM itineraries
             WHERE arrived_on >= $1 AND division_code LIKE $2",
        )
        .bind(since)
        .bind(format!("{prefix}%"))
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// The areas of the given persons (any order, unknown ids left out), in chunked id lists.
    pub async fn persons_areas(&mut self, ids: &[i64]) -> Result<Vec<PersonAreasRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, zone_id, street_id, community_id FROM persons WHERE id IN ({})",
                list.join(", ")
            );
            let q = chunk.iter().fold(sqlx::query(&sql), |q, id| q.bind(*id));
            for r in q.fetch_all(self.conn()).await? {
                out.push(areas_row(&r)?);
            }
        }
        Ok(out)
    }

    /// Insert or update many codes. A code keeps its `ref`, and its `since` unless the colour
    /// changes, exactly as `upsert_health_code` does for one.
    pub async fn upsert_health_codes(&mut self, codes: &[CodeUpsert], now: i64) -> Result<()> {
        const COLS: [(&str, &str); 11] = [
            ("person_id", "bigint"),
            ("ref", "text"),
            ("colour", "text"),
            ("since", "text"),
            ("reasons", "text"),
            ("earliest_change", "text"),
            ("ruleset_version", "text"),
            ("zone_id", "bigint"),
            ("street_id", "bigint"),
            ("community_id", "bigint"),
            ("updated_at", "bigint"),
        ];
        let sql = format!(
            "{} ON CONFLICT (person_id) DO UPDATE SET
                since = CASE WHEN health_codes.colour = excluded.colour
                             THEN health_codes.since ELSE excluded.since END,
                colour = excluded.colour, reasons = excluded.reasons,
                earliest_change = excluded.earliest_change,
                ruleset_version = excluded.ruleset_version, updated_at = excluded.updated_at",
            bulk::json_insert_sql(self.backend, "health_codes", &COLS)
        );
        for chunk in codes.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|c| {
                (
                    c.person_id,
                    &c.r#ref,
                    &c.colour,
                    &c.since,
                    &c.reasons,
                    &c.earliest_change,
                    &c.ruleset_version,
                    c.zone_id,
                    c.street_id,
                    c.community_id,
                    now,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        Ok(())
    }

    /// Append many entries to the insert-only history of colour changes.
    pub async fn insert_code_changes(&mut self, changes: &[NewCodeChange], now: i64) -> Result<()> {
        const COLS: [(&str, &str); 9] = [
            ("person_id", "bigint"),
            ("at", "bigint"),
            ("day", "text"),
            ("from_colour", "text"),
            ("to_colour", "text"),
            ("reasons", "text"),
            ("ruleset_version", "text"),
            ("actor", "text"),
            ("kind", "text"),
        ];
        let sql = bulk::json_insert_sql(self.backend, "code_changes", &COLS);
        for chunk in changes.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|c| {
                (
                    c.person_id,
                    now,
                    &c.day,
                    &c.from_colour,
                    &c.to_colour,
                    &c.reasons,
                    &c.ruleset_version,
                    &c.actor,
                    c.kind,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        self.note_colour_changes(changes.iter().map(|c| {
            (
                c.person_id,
                c.day.as_str(),
                c.from_colour.as_deref(),
                c.to_colour.as_str(),
            )
        }))
        .await
    }

    /// Many declarations with chosen ids and their itineraries (the demo's path).
    pub async fn insert_declarations_with_ids(&mut self, rows: &[BulkDeclaration]) -> Result<()> {
        const COLS: [(&str, &str); 10] = [
            ("id", "bigint"),
            ("person_id", "bigint"),
            ("declared_on", "text"),
            ("declared_at", "bigint"),
            ("temperature", "double precision"),
            ("symptoms", "bigint"),
            ("contact_case", "bigint"),
            ("contact_risk_area", "bigint"),
            ("address", "text"),
            ("found_false_on", "text"),
        ];
        let sql = bulk::json_insert_sql(self.backend, "declarations", &COLS);
        for chunk in rows.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|r| {
                let d = &r.declaration;
                (
                    r.id,
                    d.person_id,
                    &d.declared_on,
                    r.declared_at,
                    d.temperature,
                    i64::from(d.symptoms),
                    i64::from(d.contact_case),
                    i64::from(d.contact_risk_area),
                    &d.address,
                    &r.found_false_on,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        self.sync_identity("declarations").await?;

        const ITINERARY: [(&str, &str); 4] = [
            ("declaration_id", "bigint"),
            ("person_id", "bigint"),
            ("division_code", "text"),
            ("arrived_on", "text"),
        ];
        let entries: Vec<(i64, i64, &str, &str)> = rows
            .iter()
            .flat_map(|r| {
                r.declaration.itinerary.iter().map(move |(division, day)| {
                    (
                        r.id,
                        r.declaration.person_id,
                        division.as_str(),
                        day.as_str(),
                    )
                })
            })
            .collect();
        let sql = bulk::json_insert_sql(self.backend, "itineraries", &ITINERARY);
        self.execute_json_rows(&sql, &entries).await
    }

    /// Many check-ins; a second one for the same person and day is skipped, as one at a time.
    pub async fn insert_check_ins(&mut self, rows: &[NewCheckIn]) -> Result<()> {
        const COLS: [(&str, &str); 5] = [
            ("person_id", "bigint"),
            ("day", "text"),
            ("temperature", "double precision"),
            ("symptoms", "bigint"),
            ("at", "bigint"),
        ];
        let sql = format!(
            "{} ON CONFLICT (person_id, day) DO NOTHING",
            bulk::json_insert_sql(self.backend, "check_ins", &COLS)
        );
        for chunk in rows.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|c| {
                (
                    c.person_id,
                    &c.day,
                    c.temperature,
                    i64::from(c.symptoms),
                    c.at,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        Ok(())
    }
}
