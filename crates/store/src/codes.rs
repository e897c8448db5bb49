//! Health-code records: risk areas, declarations and itineraries, check-ins, each person's
//! current code, and the insert-only history of colour changes.

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RiskAreaRow {
    pub id: i64,
    pub division_code: String,
    pub level: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// Which entries of the risk-area list to show.
#[derive(Debug, Clone)]
pub struct RiskAreaQuery {
    /// Division codes starting with these digits.
    pub division_prefix: Option<String>,
    pub level: Option<String>,
    /// In force, ended or not yet begun on the day `on`.
    pub status: Option<RiskAreaStatus>,
    pub on: String,
    pub sort: RiskAreaSort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskAreaStatus {
    Current,
    Ended,
    Upcoming,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskAreaSort {
    /// By division code, then start.
    Division,
    /// Latest start first.
    Newest,
    /// High before medium (the order of the `level` text), then by division.
    Level,
}

#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub person_id: i64,
    pub declared_on: String,
    pub temperature: f64,
    pub symptoms: bool,
    pub contact_case: bool,
    pub contact_risk_area: bool,
    pub address: String,
    /// (division code, arrival day)
    pub itinerary: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckInRow {
    pub day: String,
    pub temperature: f64,
    pub symptoms: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ArrivalRow {
    pub division_code: String,
    pub arrived_on: String,
    pub declared_on: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HealthCodeRow {
    pub person_id: i64,
    pub r#ref: String,
    pub colour: String,
    pub since: String,
    pub reasons: String,
    pub earliest_change: Option<String>,
    pub ruleset_version: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct CodeUpsert {
    pub person_id: i64,
    pub r#ref: String,
    pub colour: String,
    pub since: String,
    pub reasons: String,
    pub earliest_change: Option<String>,
    pub ruleset_version: String,
    pub zone_id: i64,
    pub street_id: i64,
    pub community_id: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CodeChangeRow {
    pub id: i64,
    pub at: i64,
    pub day: String,
    pub from_colour: Option<String>,
    pub to_colour: String,
    pub reasons: String,
    pub ruleset_version: String,
    pub actor: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct NewCodeChange {
    pub person_id: i64,
    pub day: String,
    pub from_colour: Option<String>,
    pub to_colour: String,
    pub reasons: String,
    pub ruleset_version: String,
    pub actor: String,
    pub kind: &'static str,
}

impl Tx {
    pub async fn insert_risk_area(
        &mut self,
        division_code: &str,
        level: &str,
        valid_from: &str,
        valid_to: Option<&str>,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO risk_areas (division_code, level, valid_from, valid_to, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(division_code)
        .bind(level)
        .bind(valid_from)
        .bind(valid_to)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn risk_areas(&mut self) -> Result<Vec<RiskAreaRow>> {
        Ok(sqlx::query_as(
            "SELECT id, division_code, level, valid_from, valid_to FROM risk_areas
             ORDER BY division_code, valid_from",
        )
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn risk_area(&mut self, id: i64) -> Result<Option<RiskAreaRow>> {
        Ok(sqlx::query_as(
            "SELECT id, division_code, level, valid_from, valid_to FROM risk_areas WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.conn())
        .await?)
    }

    /// Change an entry's level and period (its division stays: a different place is a new entry).
    pub async fn update_risk_area(
        &mut self,
        id: i64,
        level: &str,
        valid_from: &str,
        valid_to: Option<&str>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE risk_areas SET level = $1, valid_from = $2, valid_to = $3 WHERE id = $4",
        )
        .bind(level)
        .bind(valid_from)
        .bind(valid_to)
        .bind(id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(crate::StoreError::NotFound("risk area"))
        }
    }

    /// One page of the list, filtered and sorted, and how many entries match in all.
    pub async fn risk_areas_page(&mut self, q: &RiskAreaQuery) -> Result<(Vec<RiskAreaRow>, i64)> {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut texts: Vec<String> = vec![];
        if let Some(prefix) = &q.division_prefix {
            texts.push(format!("{prefix}%"));
            clauses.push(format!("division_code LIKE ${}", texts.len()));
        }
        if let Some(level) = &q.level {
            texts.push(level.clone());
            clauses.push(format!("level = ${}", texts.len()));
        }
        if let Some(status) = q.status {
            texts.push(q.on.clone());
            let n = texts.len();
            clauses.push(match status {
                RiskAreaStatus::Current => {
                    format!("valid_from <= ${n} AND (valid_to IS NULL OR valid_to >= ${n})")
                }
                RiskAreaStatus::Ended => format!("valid_to < ${n}"),
                RiskAreaStatus::Upcoming => format!("valid_from > ${n}"),
            });
        }
        let filter = clauses.join(" AND ");
        let total_sql = format!("SELECT COUNT(*) FROM risk_areas WHERE {filter}");
        let total: i64 = texts
            .iter()
            .fold(sqlx::query(&total_sql), |s, t| s.bind(t))
            .fetch_one(self.conn())
            .await?
            .try_get(0)?;
        let order = match q.sort {
            RiskAreaSort::Division => "division_code, valid_from, id",
            RiskAreaSort::Newest => "valid_from DESC, division_code, id",
            RiskAreaSort::Level => "level, division_code, valid_from, id",
        };
        let page_sql = format!(
            "SELECT id, division_code, level, valid_from, valid_to FROM risk_areas
             WHERE {filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
            texts.len() + 1,
            texts.len() + 2
        );
        let rows = texts
            .iter()
            .fold(sqlx::query_as(&page_sql), |s, t| s.bind(t))
            .bind(q.limit)
            .bind(q.offset)
            .fetch_all(self.conn())
            .await?;
        Ok((rows, total))
    }

    pub async fn insert_declaration(&mut self, d: &NewDeclaration, now: i64) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO declarations (person_id, declared_on, declared_at, temperature, symptoms,
                                       contact_case, contact_risk_area, address)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(d.person_id)
        .bind(&d.declared_on)
        .bind(now)
        .bind(d.temperature)
        .bind(i64::from(d.symptoms))
        .bind(i64::from(d.contact_case))
        .bind(i64::from(d.contact_risk_area))
        .bind(&d.address)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?;
        for (division, day) in &d.itinerary {
            sqlx::query(
                "INSERT INTO itineraries (declaration_id, person_id, division_code, arrived_on)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(d.person_id)
            .bind(division)
            .bind(day)
            .execute(self.conn())
            .await?;
        }
        Ok(id)
    }

    /// A person's declared arrivals on or after `since`, with the day each was declared; by day,
    /// then in the order declared (the bulk read gives the same order).
    pub async fn arrivals(&mut self, person_id: i64, since: &str) -> Result<Vec<ArrivalRow>> {
        Ok(sqlx::query_as(
            "SELECT i.division_code, i.arrived_on, d.declared_on
             FROM itineraries i JOIN declarations d ON d.id = i.declaration_id
             WHERE i.person_id = $1 AND i.arrived_on >= $2 ORDER BY i.arrived_on, i.id",
        )
        .bind(person_id)
        .bind(since)
        .fetch_all(self.conn())
        .await?)
    }

    /// Days on which a declaration of this person was found false.
    pub async fn false_declarations(&mut self, person_id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT found_false_on FROM declarations
             WHERE person_id = $1 AND found_false_on IS NOT NULL ORDER BY found_false_on",
        )
        .bind(person_id)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Record a check-in; `false` if the person already checked in that day.
    pub async fn insert_check_in(
        &mut self,
        person_id: i64,
        day: &str,
        temperature: f64,
        symptoms: bool,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO check_ins (person_id, day, temperature, symptoms, at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, day) DO NOTHING",
        )
        .bind(person_id)
        .bind(day)
        .bind(temperature)
        .bind(i64::from(symptoms))
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Check-ins from `since` on, oldest first.
    pub async fn check_ins(&mut self, person_id: i64, since: &str) -> Result<Vec<CheckInRow>> {
        Ok(sqlx::query_as(
            "SELECT day, temperature, symptoms FROM check_ins
             WHERE person_id = $1 AND day >= $2 ORDER BY day",
        )
        .bind(person_id)
        .bind(since)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn health_code(&mut self, person_id: i64) -> Result<Option<HealthCodeRow>> {
        Ok(sqlx::query_as(
            "SELECT person_id, ref, colour, since, reasons, earliest_change, ruleset_version,
                    updated_at
             FROM health_codes WHERE person_id = $1",
        )
        .bind(person_id)
        .fetch_optional(self.conn())
        .await?)
    }

    pub async fn upsert_health_code(&mut self, c: &CodeUpsert, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO health_codes (person_id, ref, colour, since, reasons, earliest_change,
                                       ruleset_version, zone_id, street_id, community_id, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (person_id) DO UPDATE SET
                colour = excluded.colour, since = excluded.since, reasons = excluded.reasons,
                earliest_change = excluded.earliest_change,
                ruleset_version = excluded.ruleset_version, updated_at = excluded.updated_at",
        )
        .bind(c.person_id)
        .bind(&c.r#ref)
        .bind(&c.colour)
        .bind(&c.since)
        .bind(&c.reasons)
        .bind(&c.earliest_change)
        .bind(&c.ruleset_version)
        .bind(c.zone_id)
        .bind(c.street_id)
        .bind(c.community_id)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn insert_code_change(&mut self, c: &NewCodeChange, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO code_changes (person_id, at, day, from_colour, to_colour, reasons,
                                       ruleset_version, actor, kind)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        .execute(self.conn())
        .await?;
        self.note_colour_changes(std::iter::once((
            c.person_id,
            c.day.as_str(),
            c.from_colour.as_deref(),
            c.to_colour.as_str(),
        )))
        .await
    }

    /// Newest first.
    pub async fn code_changes(&mut self, person_id: i64, limit: u32) -> Result<Vec<CodeChangeRow>> {
        Ok(sqlx::query_as(
            "SELECT id, at, day, from_colour, to_colour, reasons, ruleset_version, actor, kind
             FROM code_changes WHERE person_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(person_id)
        .bind(i64::from(limit))
        .fetch_all(self.conn())
        .await?)
    }

    /// Codes per colour: one grouped query.
    pub async fn code_counts(&mut self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT colour, COUNT(*) FROM health_codes GROUP BY colour")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}
