//! Electricity as a second opinion on resumption: daily use per enterprise imported from the
//! grid company's file; an enterprise counts as resumed by electricity when its day's use is
//! at least a share (30% by default) of its December-2019 daily average. Where that and the
//! report disagree, the officer is told.

use std::collections::{BTreeMap, HashMap};

use domain::Right;
use domain::enterprise::report::resumed_by_electricity;
use serde::Serialize;

use crate::economy::import::{FileFormat, ImportReport};
use crate::economy::table::{self, Columns, Table};
use crate::{Actor, App, Result};

pub const COLUMNS: Columns = &[
    (
        "credit_code",
        &["credit_code", "统一社会信用代码", "信用代码"],
    ),
    ("day", &["day", "date", "日期"]),
    ("kwh", &["kwh", "用电量", "用电量(千瓦时)"]),
];

/// The baseline month.
pub const BASELINE: (&str, &str) = ("2019-12-01", "2019-12-31");

/// Import daily use; all or nothing, with the row-by-row report.
pub async fn import(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    if let Some(a) = actor {
        a.require(Right::ManageEnterprises)?;
    }
    let format = FileFormat::detect(file_name, bytes);
    let mut report = table::empty_report(file_name, format);
    let t = match Table::read(format, bytes, COLUMNS, &["credit_code", "day", "kwh"]) {
        Ok(t) => t,
        Err(issues) => {
            report.issues = issues;
            return Ok(report);
        }
    };
    let mut tx = app.store.write().await?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut rows = vec![];
    for row in t.rows() {
        report.rows += 1;
        let code = row.get("credit_code").to_uppercase();
        let id = match ids.get(&code) {
            Some(id) => Some(*id),
            None => {
                let found = tx.enterprise_by_code(&code).await?.map(|e| e.id);
                if let Some(id) = found {
                    ids.insert(code.clone(), id);
                }
                found
            }
        };
        let day = row.get("day").parse::<chrono::NaiveDate>();
        let kwh = row.get("kwh").replace(',', "").parse::<i64>();
        match (id, day, kwh) {
            (Some(id), Ok(d), Ok(k)) if k >= 0 => rows.push((id, d.to_string(), k)),
            (None, _, _) => report.issues.push(row.issue(
                "credit_code",
                "unknown_enterprise",
                format!("no enterprise {code:?}"),
            )),
            (_, Err(_), _) => {
                report
                    .issues
                    .push(row.issue("day", "bad_date", "a day such as 2020-03-01"))
            }
            _ => report
                .issues
                .push(row.issue("kwh", "bad_number", "kWh as a whole number ≥ 0")),
        }
    }
    if !report.issues.is_empty() {
        tx.rollback().await?;
        return Ok(report);
    }
    tx.upsert_electricity(&rows).await?;
    report.written = rows.len();
    let entry = crate::economy::audit_entry(
        actor,
        "electricity.import",
        "enterprise",
        file_name,
        format!("{} rows", rows.len()),
    );
    tx.insert_audit(&entry, domain::time::now_ms()).await?;
    tx.commit().await?;
    Ok(report)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ElectricityStreet {
    pub street_id: i64,
    pub measured: i64,
    pub resumed_by_electricity: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub enterprise_id: i64,
    pub name: String,
    pub street_id: i64,
    pub reported_resumed: Option<bool>,
    pub by_electricity: bool,
    pub kwh: i64,
    pub baseline_daily_kwh: i64,
}

/// Per street: enterprises measured and resumed by electricity; and every enterprise whose
/// electricity disagrees with its report (or that did not report).
pub async fn compare(
    app: &App,
    actor: &Actor,
    day: &str,
    threshold_pct: i64,
) -> Result<(Vec<ElectricityStreet>, Vec<Disagreement>)> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let rows = tx.electricity_day(day, BASELINE.0, BASELINE.1).await?;
    tx.rollback().await?;
    let mut streets: BTreeMap<i64, ElectricityStreet> = BTreeMap::new();
    let mut flagged = vec![];
    for r in rows {
        let Some(by_power) = resumed_by_electricity(r.kwh, r.baseline_daily_kwh, threshold_pct)
        else {
            continue;
        };
        let s = streets
            .entry(r.street_id)
            .or_insert_with(|| ElectricityStreet {
                street_id: r.street_id,
                ..Default::default()
            });
        s.measured += 1;
        s.resumed_by_electricity += i64::from(by_power);
        if r.reported_resumed != Some(by_power) {
            flagged.push(Disagreement {
                enterprise_id: r.enterprise_id,
                name: r.name.clone(),
                street_id: r.street_id,
                reported_resumed: r.reported_resumed,
                by_electricity: by_power,
                kwh: r.kwh,
                baseline_daily_kwh: r.baseline_daily_kwh.unwrap_or(0),
            });
        }
    }
    Ok((streets.into_values().collect(), flagged))
}
