//! Daily resumption reports, the sums the 三率一度 are computed from, and electricity use.

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewReport {
    pub enterprise_id: i64,
    pub day: String,
    pub resumed: bool,
    pub on_site: i64,
    pub total: i64,
    pub returned_outside: i64,
    pub in_quarantine: i64,
    pub capacity_pct: i64,
    pub masks: i64,
    pub materials_days: i64,
    pub problems: String,
    pub reported_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ReportRow {
    pub enterprise_id: i64,
    pub day: String,
    pub resumed: i64,
    pub on_site: i64,
    pub total: i64,
    pub returned_outside: i64,
    pub in_quarantine: i64,
    pub capacity_pct: i64,
    pub masks: i64,
    pub materials_days: i64,
    pub problems: String,
    pub reported_by: Option<i64>,
    pub updated_at: i64,
}

/// The sums of one group (a street id or a sector, as text) for one day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateGroupRow {
    pub group: String,
    pub enterprises: i64,
    pub reported: i64,
    pub resumed: i64,
    pub on_site: i64,
    pub total: i64,
    pub capacity_sum: i64,
    pub major_projects: i64,
    pub major_projects_resumed: i64,
}

/// One enterprise's electricity on a day beside its report and its December-2019 baseline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ElectricityRow {
    pub enterprise_id: i64,
    pub name: String,
    pub street_id: i64,
    pub kwh: i64,
    pub baseline_daily_kwh: Option<i64>,
    /// The reported `resumed`, None without a report that day.
    pub reported_resumed: Option<bool>,
}

const REPORT_COLS: [&str; 13] = [
    "enterprise_id",
    "day",
    "resumed",
    "on_site",
    "total",
    "returned_outside",
    "in_quarantine",
    "capacity_pct",
    "masks",
    "materials_days",
    "problems",
    "reported_by",
    "updated_at",
];

impl Tx {
    /// Record reports; a second report of the same enterprise and day replaces the first
    /// (the contact corrects the day's figures).
    pub async fn upsert_reports(&mut self, rows: &[NewReport], now: i64) -> Result<u64> {
        self.insert_rows(
            "ent_reports",
            &REPORT_COLS,
            "ON CONFLICT (enterprise_id, day) DO UPDATE SET resumed = excluded.resumed,
               on_site = excluded.on_site, total = excluded.total,
               returned_outside = excluded.returned_outside,
               in_quarantine = excluded.in_quarantine, capacity_pct = excluded.capacity_pct,
               masks = excluded.masks, materials_days = excluded.materials_days,
               problems = excluded.problems, reported_by = excluded.reported_by,
               updated_at = excluded.updated_at",
            rows,
            |q, r| {
                q.bind(r.enterprise_id)
                    .bind(&r.day)
                    .bind(i64::from(r.resumed))
                    .bind(r.on_site)
                    .bind(r.total)
                    .bind(r.returned_outside)
                    .bind(r.in_quarantine)
                    .bind(r.capacity_pct)
                    .bind(r.masks)
                    .bind(r.materials_days)
                    .bind(&r.problems)
                    .bind(r.reported_by)
                    .bind(now)
            },
        )
        .await
    }

    /// An enterprise's reports, newest day first.
    pub async fn reports_of_enterprise(
        &mut self,
        enterprise_id: i64,
        limit: i64,
    ) -> Result<Vec<ReportRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM ent_reports WHERE enterprise_id = $1 ORDER BY day DESC LIMIT $2",
            REPORT_COLS.join(", ")
        ))
        .bind(enterprise_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn count_reports(&mut self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM ent_reports")
            .fetch_one(self.conn())
            .await?
            .try_get(0)?)
    }

    /// The day's sums per street (`by_street`) or per sector: one grouped query over every
    /// enterprise, reported or not (an enterprise without a report counts as not resumed).
    pub async fn rate_groups(&mut self, day: &str, by_street: bool) -> Result<Vec<RateGroupRow>> {
        let key = if by_street {
            "CAST(e.street_id AS TEXT)"
        } else {
            "e.sector"
        };
        let sum = |x: &str| format!("CAST(COALESCE(SUM({x}), 0) AS BIGINT)");
        let sql = format!(
            "SELECT {key}, COUNT(*), COUNT(r.enterprise_id), {}, {}, {}, {}, {}, {} \
             FROM enterprises e LEFT JOIN ent_reports r ON r.enterprise_id = e.id AND r.day = $1 \
             GROUP BY {key} ORDER BY {key}",
            sum("r.resumed"),
            sum("r.on_site"),
            sum("r.total"),
            sum("r.capacity_pct"),
            sum("e.major_project"),
            sum("CASE WHEN e.major_project = 1 AND r.resumed = 1 THEN 1 ELSE 0 END"),
        );
        let rows = sqlx::query(&sql).bind(day).fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| {
                Ok(RateGroupRow {
                    group: r.try_get(0)?,
                    enterprises: r.try_get(1)?,
                    reported: r.try_get(2)?,
                    resumed: r.try_get(3)?,
                    on_site: r.try_get(4)?,
                    total: r.try_get(5)?,
                    capacity_sum: r.try_get(6)?,
                    major_projects: r.try_get(7)?,
                    major_projects_resumed: r.try_get(8)?,
                })
            })
            .collect()
    }

    /// Record daily electricity use (kWh); a day already recorded is replaced.
    pub async fn upsert_electricity(&mut self, rows: &[(i64, String, i64)]) -> Result<u64> {
        self.insert_rows(
            "ent_electricity",
            &["enterprise_id", "day", "kwh"],
            "ON CONFLICT (enterprise_id, day) DO UPDATE SET kwh = excluded.kwh",
            rows,
            |q, (e, d, k)| q.bind(*e).bind(d).bind(*k),
        )
        .await
    }

    /// The day's electricity of every enterprise that has it, with the mean daily use of the
    /// baseline days `[base_from, base_to]` and the day's report.
    pub async fn electricity_day(
        &mut self,
        day: &str,
        base_from: &str,
        base_to: &str,
    ) -> Result<Vec<ElectricityRow>> {
        let rows = sqlx::query(
            "WITH base AS (SELECT enterprise_id, CAST(SUM(kwh) AS BIGINT) / COUNT(*) AS daily \
                 FROM ent_electricity WHERE day >= $2 AND day <= $3 GROUP BY enterprise_id) \
             SELECT d.enterprise_id, e.street_id, d.kwh, b.daily, r.resumed, e.name \
             FROM ent_electricity d JOIN enterprises e ON e.id = d.enterprise_id \
             LEFT JOIN base b ON b.enterprise_id = d.enterprise_id \
             LEFT JOIN ent_reports r ON r.enterprise_id = d.enterprise_id AND r.day = d.day \
             WHERE d.day = $1 ORDER BY d.enterprise_id",
        )
        .bind(day)
        .bind(base_from)
        .bind(base_to)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                let resumed: Option<i64> = r.try_get(4)?;
                Ok(ElectricityRow {
                    enterprise_id: r.try_get(0)?,
                    name: r.try_get(5)?,
                    street_id: r.try_get(1)?,
                    kwh: r.try_get(2)?,
                    baseline_daily_kwh: r.try_get(3)?,
                    reported_resumed: resumed.map(|v| v == 1),
                })
            })
            .collect()
    }
}
