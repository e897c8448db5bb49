//! Economic operation (经济运行): the indicators catalog, the regions compared, values per
//! period and external evaluations. Enums are text (checked by the schema), amounts integers
//! in base units, booleans 0/1; the app layer turns rows into `domain::economy` types.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::bulk::AnyQuery;
use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconIndicatorRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub measure: String,
    pub currency: Option<String>,
    pub period_kind: String,
    pub aggregation: String,
    pub growth_basis: String,
    pub parent_code: Option<String>,
    pub sort: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconRegionRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub home: bool,
    pub sort: i64,
}

/// One value to write; the key is (indicator, region, period kind, year, period number,
/// cumulative). Writing a key that exists replaces its value, growth and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEconValue {
    pub indicator_code: String,
    pub region_code: String,
    pub period_kind: String,
    pub year: i64,
    pub period_no: i64,
    pub cumulative: bool,
    pub value: Option<i64>,
    pub reported_growth_bp: Option<i64>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconValueRow {
    pub id: i64,
    pub indicator_code: String,
    pub region_code: String,
    pub period_kind: String,
    pub year: i64,
    pub period_no: i64,
    pub cumulative: bool,
    pub value: Option<i64>,
    pub reported_growth_bp: Option<i64>,
    pub source: String,
    pub updated_at: i64,
}

/// Which values to read; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct EconValueQuery {
    pub indicator_code: Option<String>,
    pub region_code: Option<String>,
    pub from_year: Option<i64>,
    pub to_year: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEconEvaluation {
    pub region_code: String,
    /// e.g. 国家级经开区综合发展水平考核评价
    pub name: String,
    /// e.g. 综合排名, 利用外资
    pub category: String,
    pub year: i64,
    /// e.g. 全国
    pub scope: String,
    pub rank: i64,
    pub previous_rank: Option<i64>,
    pub publisher: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconEvaluationRow {
    pub id: i64,
    pub region_code: String,
    pub name: String,
    pub category: String,
    pub year: i64,
    pub scope: String,
    pub rank: i64,
    pub previous_rank: Option<i64>,
    pub publisher: String,
}

const VALUE_COLUMNS: &str = "id, indicator_code, region_code, period_kind, year, period_no, \
     cumulative, value, reported_growth_bp, source, updated_at";

fn value_row(r: &AnyRow) -> Result<EconValueRow> {
    Ok(EconValueRow {
        id: r.try_get(0)?,
        indicator_code: r.try_get(1)?,
        region_code: r.try_get(2)?,
        period_kind: r.try_get(3)?,
        year: r.try_get(4)?,
        period_no: r.try_get(5)?,
        cumulative: r.try_get::<i64, _>(6)? != 0,
        value: r.try_get(7)?,
        reported_growth_bp: r.try_get(8)?,
        source: r.try_get(9)?,
        updated_at: r.try_get(10)?,
    })
}

impl Tx {
    /// Every row a statement returns, each read by `read`.
    async fn all<T>(
        &mut self,
        q: AnyQuery<'_>,
        read: impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        q.fetch_all(self.conn()).await?.iter().map(read).collect()
    }
}

impl Tx {
    /// Add indicators whose code is not in the catalog yet (existing ones are left as they
    /// are, edits included). Parents must come before their parts. Returns how many were added.
    pub async fn insert_econ_indicators(&mut self, rows: &[EconIndicatorRow]) -> Result<u64> {
        let mut added = 0;
        for i in rows {
            added += sqlx::query(
                "INSERT INTO econ_indicators (code, name_zh, name_en, measure, currency,
                     period_kind, aggregation, growth_basis, parent_code, sort)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(&i.code)
            .bind(&i.name_zh)
            .bind(&i.name_en)
            .bind(&i.measure)
            .bind(&i.currency)
            .bind(&i.period_kind)
            .bind(&i.aggregation)
            .bind(&i.growth_basis)
            .bind(&i.parent_code)
            .bind(i.sort)
            .execute(self.conn())
            .await?
            .rows_affected();
        }
        Ok(added)
    }

    /// The catalog in display order.
    pub async fn econ_indicators(&mut self) -> Result<Vec<EconIndicatorRow>> {
        self.all(
            sqlx::query(
                "SELECT code, name_zh, name_en, measure, currency, period_kind, aggregation,
                    growth_basis, parent_code, sort
             FROM econ_indicators ORDER BY sort, code",
            ),
            |r| {
                Ok(EconIndicatorRow {
                    code: r.try_get(0)?,
                    name_zh: r.try_get(1)?,
                    name_en: r.try_get(2)?,
                    measure: r.try_get(3)?,
                    currency: r.try_get(4)?,
                    period_kind: r.try_get(5)?,
                    aggregation: r.try_get(6)?,
                    growth_basis: r.try_get(7)?,
                    parent_code: r.try_get(8)?,
                    sort: r.try_get(9)?,
                })
            },
        )
        .await
    }

    /// Add regions whose code is new. Returns how many were added.
    pub async fn insert_econ_regions(&mut self, rows: &[EconRegionRow]) -> Result<u64> {
        let mut added = 0;
        for r in rows {
            added += sqlx::query(
                "INSERT INTO econ_regions (code, name_zh, name_en, home, sort)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
            )
            .bind(&r.code)
            .bind(&r.name_zh)
            .bind(&r.name_en)
            .bind(i64::from(r.home))
            .bind(r.sort)
            .execute(self.conn())
            .await?
            .rows_affected();
        }
        Ok(added)
    }

    /// The regions in display order.
    pub async fn econ_regions(&mut self) -> Result<Vec<EconRegionRow>> {
        self.all(
            sqlx::query(
                "SELECT code, name_zh, name_en, home, sort FROM econ_regions ORDER BY sort, code",
            ),
            |r| {
                Ok(EconRegionRow {
                    code: r.try_get(0)?,
                    name_zh: r.try_get(1)?,
                    name_en: r.try_get(2)?,
                    home: r.try_get::<i64, _>(3)? != 0,
                    sort: r.try_get(4)?,
                })
            },
        )
        .await
    }

    /// Write values in bulk; a key that exists is replaced. The rows must not repeat a key
    /// (PostgreSQL refuses to update one row twice in a statement).
    pub async fn upsert_econ_values(&mut self, rows: &[NewEconValue], now: i64) -> Result<()> {
        self.insert_rows(
            "econ_values",
            &[
                "indicator_code",
                "region_code",
                "period_kind",
                "year",
                "period_no",
                "cumulative",
                "value",
                "reported_growth_bp",
                "source",
                "created_at",
                "updated_at",
            ],
            "ON CONFLICT (indicator_code, region_code, period_kind, year, period_no, cumulative)
             DO UPDATE SET value = excluded.value,
                           reported_growth_bp = excluded.reported_growth_bp,
                           source = excluded.source,
                           updated_at = excluded.updated_at",
            rows,
            |q, v| {
                q.bind(&v.indicator_code)
                    .bind(&v.region_code)
                    .bind(&v.period_kind)
                    .bind(v.year)
                    .bind(v.period_no)
                    .bind(i64::from(v.cumulative))
                    .bind(v.value)
                    .bind(v.reported_growth_bp)
                    .bind(&v.source)
                    .bind(now)
                    .bind(now)
            },
        )
        .await?;
        Ok(())
    }

    /// The years in which a region has any value, earliest first.
    pub async fn econ_value_years(&mut self, region_code: &str) -> Result<Vec<i64>> {
        self.all(
            sqlx::query(
                "SELECT DISTINCT year FROM econ_values WHERE region_code = $1 ORDER BY year",
            )
            .bind(region_code),
            |r| Ok(r.try_get(0)?),
        )
        .await
    }

    /// Values in key order: indicator, region, year, period kind, period number, cumulative.
    pub async fn econ_values(&mut self, q: &EconValueQuery) -> Result<Vec<EconValueRow>> {
        let mut sql = format!("SELECT {VALUE_COLUMNS} FROM econ_values WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if q.indicator_code.is_some() {
            sql.push_str(&format!(" AND indicator_code = ${}", next()));
        }
        if q.region_code.is_some() {
            sql.push_str(&format!(" AND region_code = ${}", next()));
        }
        if q.from_year.is_some() {
            sql.push_str(&format!(" AND year >= ${}", next()));
        }
        if q.to_year.is_some() {
            sql.push_str(&format!(" AND year <= ${}", next()));
        }
        sql.push_str(
            " ORDER BY indicator_code, region_code, year, period_kind, period_no, cumulative",
        );
        let mut query = sqlx::query(&sql);
        if let Some(v) = &q.indicator_code {
            query = query.bind(v);
        }
        if let Some(v) = &q.region_code {
            query = query.bind(v);
        }
        if let Some(v) = q.from_year {
            query = query.bind(v);
        }
        if let Some(v) = q.to_year {
            query = query.bind(v);
        }
        self.all(query, value_row).await
    }

    /// Record evaluations; one for the same region, name, category and year is replaced.
    pub async fn upsert_econ_evaluations(
        &mut self,
        rows: &[NewEconEvaluation],
        now: i64,
    ) -> Result<()> {
        for e in rows {
            sqlx::query(
                "INSERT INTO econ_evaluations (region_code, name, category, year, scope, rank,
                     previous_rank, publisher, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (region_code, name, category, year)
                 DO UPDATE SET scope = excluded.scope, rank = excluded.rank,
                               previous_rank = excluded.previous_rank,
                               publisher = excluded.publisher",
            )
            .bind(&e.region_code)
            .bind(&e.name)
            .bind(&e.category)
            .bind(e.year)
            .bind(&e.scope)
            .bind(e.rank)
            .bind(e.previous_rank)
            .bind(&e.publisher)
            .bind(now)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Evaluations of a region (or all), of a year (or all), by year, name, category.
    pub async fn econ_evaluations(
        &mut self,
        region_code: Option<&str>,
        year: Option<i64>,
    ) -> Result<Vec<EconEvaluationRow>> {
        self.all(sqlx::query(
            "SELECT id, region_code, name, category, year, scope, rank, previous_rank, publisher
             FROM econ_evaluations
             WHERE ($1 = '' OR region_code = $1) AND ($2 = 0 OR year = $2)
             ORDER BY year, name, category, region_code",
        )
        .bind(region_code.unwrap_or(""))
        .bind(year.unwrap_or(0)), |r| {
            Ok(EconEvaluationRow {
                    id: r.try_get(0)?,
                    region_code: r.try_get(1)?,
                    name: r.try_get(2)?,
                    category: r.try_get(3)?,
                    year: r.try_get(4)?,
                    scope: r.try_get(5)?,
                    rank: r.try_get(6)?,
                    previous_rank: r.try_get(7)?,
                    publisher: r.try_get(8)?,
                })
        })
        .await
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconConferenceRow {
    pub id: i64,
    pub name: String,
    pub ordinal: Option<i64>,
    /// YYYY-MM-DD
    pub held_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEconProject {
    pub code: String,
    pub name: String,
    pub investor: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub fortune500: bool,
    pub sector: String,
    pub region_code: String,
    /// Fen.
    pub total_investment: Option<i64>,
    pub contracted_foreign: Option<i64>,
    pub actual_foreign: Option<i64>,
    pub foreign_currency: Option<String>,
    pub conference_id: Option<i64>,
    /// The current stage (the last step's).
    pub stage: String,
    /// YYYY-MM-DD
    pub licence_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconProjectRow {
    pub id: i64,
    pub project: NewEconProject,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconStageRow {
    pub project_id: i64,
    pub stage: String,
    /// YYYY-MM-DD
    pub on_date: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconBuildingTaxRow {
    pub building_id: i64,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub year: i64,
    /// Fen.
    pub tax: i64,
}

impl Tx {
    pub async fn insert_econ_conference(
        &mut self,
        name: &str,
        ordinal: Option<i64>,
        held_on: &str,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query(
            "INSERT INTO econ_conferences (name, ordinal, held_on, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(ordinal)
        .bind(held_on)
        .bind(now)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?)
    }

    pub async fn econ_conferences(&mut self) -> Result<Vec<EconConferenceRow>> {
        self.all(
            sqlx::query(
                "SELECT id, name, ordinal, held_on FROM econ_conferences ORDER BY held_on, id",
            ),
            |r| {
                Ok(EconConferenceRow {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    ordinal: r.try_get(2)?,
                    held_on: r.try_get(3)?,
                })
            },
        )
        .await
    }

    /// Insert a project with its history of steps (in order); returns its id.
    pub async fn insert_econ_project(
        &mut self,
        p: &NewEconProject,
        steps: &[EconStageRow],
        now: i64,
    ) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO econ_projects (code, name, investor, country, fortune500, sector,
                 region_code, total_investment, contracted_foreign, actual_foreign,
                 foreign_currency, conference_id, stage, licence_on, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             RETURNING id",
        )
        .bind(&p.code)
        .bind(&p.name)
        .bind(&p.investor)
        .bind(&p.country)
        .bind(i64::from(p.fortune500))
        .bind(&p.sector)
        .bind(&p.region_code)
        .bind(p.total_investment)
        .bind(p.contracted_foreign)
        .bind(p.actual_foreign)
        .bind(&p.foreign_currency)
        .bind(p.conference_id)
        .bind(&p.stage)
        .bind(&p.licence_on)
        .bind(now)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?;
        for s in steps {
            self.insert_econ_stage_row(id, s, now).await?;
        }
        Ok(id)
    }

    async fn insert_econ_stage_row(
        &mut self,
        project_id: i64,
        s: &EconStageRow,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO econ_project_stages (project_id, stage, on_date, reason, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(project_id)
        .bind(&s.stage)
        .bind(&s.on_date)
        .bind(&s.reason)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Append a step to a project's history and make it the project's stage.
    pub async fn add_econ_project_stage(&mut self, step: &EconStageRow, now: i64) -> Result<()> {
        let n = sqlx::query("UPDATE econ_projects SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(&step.stage)
            .bind(now)
            .bind(step.project_id)
            .execute(self.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(crate::StoreError::NotFound("project"));
        }
        self.insert_econ_stage_row(step.project_id, step, now).await
    }

    /// Every project, by id.
    pub async fn econ_projects(&mut self) -> Result<Vec<EconProjectRow>> {
        self.all(
            sqlx::query(
                "SELECT id, code, name, investor, country, fortune500, sector, region_code,
                    total_investment, contracted_foreign, actual_foreign, foreign_currency,
                    conference_id, stage, licence_on
             FROM econ_projects ORDER BY id",
            ),
            |r| {
                Ok(EconProjectRow {
                    id: r.try_get(0)?,
                    project: NewEconProject {
                        code: r.try_get(1)?,
                        name: r.try_get(2)?,
                        investor: r.try_get(3)?,
                        country: r.try_get(4)?,
                        fortune500: r.try_get::<i64, _>(5)? != 0,
                        sector: r.try_get(6)?,
                        region_code: r.try_get(7)?,
                        total_investment: r.try_get(8)?,
                        contracted_foreign: r.try_get(9)?,
                        actual_foreign: r.try_get(10)?,
                        foreign_currency: r.try_get(11)?,
                        conference_id: r.try_get(12)?,
                        stage: r.try_get(13)?,
                        licence_on: r.try_get(14)?,
                    },
                })
            },
        )
        .await
    }

    /// The steps of every project (or of one), by project and in the order recorded.
    pub async fn econ_project_stages(
        &mut self,
        project_id: Option<i64>,
    ) -> Result<Vec<EconStageRow>> {
        self.all(
            sqlx::query(
                "SELECT project_id, stage, on_date, reason FROM econ_project_stages
             WHERE ($1 = 0 OR project_id = $1) ORDER BY project_id, id",
            )
            .bind(project_id.unwrap_or(0)),
            |r| {
                Ok(EconStageRow {
                    project_id: r.try_get(0)?,
                    stage: r.try_get(1)?,
                    on_date: r.try_get(2)?,
                    reason: r.try_get(3)?,
                })
            },
        )
        .await
    }

    /// Add a building (code unique); returns its id.
    pub async fn insert_econ_building(
        &mut self,
        code: &str,
        name: &str,
        region_code: &str,
        street: &str,
        now: i64,
    ) -> Result<i64> {
        self.write_econ_building(code, name, region_code, street, now, "")
            .await
    }

    /// Add a building or update the name and street of the one with this code; returns its id.
    pub async fn upsert_econ_building(
        &mut self,
        code: &str,
        name: &str,
        region_code: &str,
        street: &str,
        now: i64,
    ) -> Result<i64> {
        self.write_econ_building(
            code,
            name,
            region_code,
            street,
            now,
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, street = excluded.street",
        )
        .await
    }

    async fn write_econ_building(
        &mut self,
        code: &str,
        name: &str,
        region_code: &str,
        street: &str,
        now: i64,
        conflict: &str,
    ) -> Result<i64> {
        let sql = format!(
            "INSERT INTO econ_buildings (code, name, region_code, street, created_at)
             VALUES ($1, $2, $3, $4, $5) {conflict} RETURNING id"
        );
        Ok(sqlx::query(&sql)
            .bind(code)
            .bind(name)
            .bind(region_code)
            .bind(street)
            .bind(now)
            .fetch_one(self.conn())
            .await?
            .try_get(0)?)
    }

    /// Record (or replace) buildings' tax of a year: `(building id, year, fen)`.
    pub async fn upsert_econ_building_taxes(&mut self, rows: &[(i64, i64, i64)]) -> Result<()> {
        self.insert_rows(
            "econ_building_taxes",
            &["building_id", "year", "tax"],
            "ON CONFLICT (building_id, year) DO UPDATE SET tax = excluded.tax",
            rows,
            |q, (b, y, t)| q.bind(*b).bind(*y).bind(*t),
        )
        .await?;
        Ok(())
    }

    /// Buildings' tax in one year, highest first.
    pub async fn econ_building_taxes(&mut self, year: i64) -> Result<Vec<EconBuildingTaxRow>> {
        self.all(
            sqlx::query(
                "SELECT b.id, b.code, b.name, b.region_code, t.year, t.tax
             FROM econ_building_taxes t JOIN econ_buildings b ON b.id = t.building_id
             WHERE t.year = $1 ORDER BY t.tax DESC, b.id",
            )
            .bind(year),
            |r| {
                Ok(EconBuildingTaxRow {
                    building_id: r.try_get(0)?,
                    code: r.try_get(1)?,
                    name: r.try_get(2)?,
                    region_code: r.try_get(3)?,
                    year: r.try_get(4)?,
                    tax: r.try_get(5)?,
                })
            },
        )
        .await
    }
}

/// One enterprise's year for the per-mu evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconEnterpriseFacts {
    pub credit_code: String,
    pub year: i64,
    pub name: String,
    pub region_code: String,
    /// Hundredths of a mu.
    pub land_centimu: i64,
    /// Fen.
    pub tax: i64,
    /// Fen.
    pub output: i64,
    pub source: String,
}

impl Tx {
    /// Record (or replace) enterprises' facts by credit code and year.
    pub async fn upsert_econ_enterprise_facts(
        &mut self,
        rows: &[EconEnterpriseFacts],
        now: i64,
    ) -> Result<()> {
        self.insert_rows(
            "econ_enterprise_facts",
            &[
                "credit_code",
                "year",
                "name",
                "region_code",
                "land_centimu",
                "tax",
                "output",
                "source",
                "updated_at",
            ],
            "ON CONFLICT (credit_code, year) DO UPDATE SET name = excluded.name,
               region_code = excluded.region_code, land_centimu = excluded.land_centimu,
               tax = excluded.tax, output = excluded.output, source = excluded.source,
               updated_at = excluded.updated_at",
            rows,
            |q, f| {
                q.bind(&f.credit_code)
                    .bind(f.year)
                    .bind(&f.name)
                    .bind(&f.region_code)
                    .bind(f.land_centimu)
                    .bind(f.tax)
                    .bind(f.output)
                    .bind(&f.source)
                    .bind(now)
            },
        )
        .await?;
        Ok(())
    }

    /// The facts of one year, by credit code.
    pub async fn econ_enterprise_facts(&mut self, year: i64) -> Result<Vec<EconEnterpriseFacts>> {
        self.all(
            sqlx::query(
                "SELECT credit_code, year, name, region_code, land_centimu, tax, output, source
             FROM econ_enterprise_facts WHERE year = $1 ORDER BY credit_code",
            )
            .bind(year),
            |r| {
                Ok(EconEnterpriseFacts {
                    credit_code: r.try_get(0)?,
                    year: r.try_get(1)?,
                    name: r.try_get(2)?,
                    region_code: r.try_get(3)?,
                    land_centimu: r.try_get(4)?,
                    tax: r.try_get(5)?,
                    output: r.try_get(6)?,
                    source: r.try_get(7)?,
                })
            },
        )
        .await
    }
}

impl Tx {
    /// A stored economy setting (JSON text), if any.
    pub async fn econ_setting(&mut self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM econ_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.conn())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }

    /// Store (or replace) an economy setting.
    pub async fn put_econ_setting(&mut self, key: &str, value: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO econ_settings (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
