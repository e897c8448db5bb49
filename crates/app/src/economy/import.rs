//! Import of indicator values from CSV or xlsx, all or nothing: every row is checked first
//! (unknown indicator or region, bad period, unit that does not match the indicator, duplicate
//! period, missing period in a series, cumulative values that go down), and the file is
//! written in one transaction only when no row has a problem. Otherwise nothing is written
//! and the report lists every problem with its row and column.
//!
//! Columns (first row; names in English or Chinese, any order, others ignored):
//! `indicator` (指标: code or name), `region` (地区: code or name), `period` (期间: 2019,
//! 2019-Q3, 2019-07, 2019年7月), `cumulative` (累计: 1/0, yes/no, 是/否; a year is always
//! cumulative), `value` (数值), `unit` (单位: 亿元, 万美元, %, 万元/亩, …), `growth` (增长%:
//! the reported year-on-year or comparable growth in percent), `source` (来源).

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use domain::economy::{Aggregation, DisplayUnit, Indicator, Period, PeriodKind, growth};
use serde::Serialize;
use store::{EconValueQuery, NewEconValue};

use super::table::{self, Columns, Table, issue};
use super::{Catalog, ensure_defaults, load_catalog};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Xlsx,
    /// The older Excel format (BIFF, in an OLE container), still common in statistics offices.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

impl FileFormat {
    /// By the file name's extension, else by content (xlsx and ods are zips: `PK\x03\x04`;
    /// xls is an OLE container: `D0 CF 11 E0`).
    pub fn detect(name: &str, bytes: &[u8]) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".ods") {
            FileFormat::Ods
        } else if lower.ends_with(".xls") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
            FileFormat::Xls
        } else if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
            FileFormat::Xlsx
        } else {
            FileFormat::Csv
        }
    }
}

/// One problem, located: `row` is the row number as a spreadsheet shows it (the header is
/// row 1); 0 for the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    pub row: usize,
    pub column: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub format: FileFormat,
    /// Data rows read (blank rows skipped).
    pub rows: usize,
    /// Values written (0 when there was any problem).
    pub written: usize,
    /// Of those, how many replaced a stored value of the same period.
    pub replaced: usize,
    pub issues: Vec<RowIssue>,
}

impl ImportReport {
    pub fn ok(&self) -> bool {
        self.issues.is_empty()
    }
}

/// The columns, by canonical name, with their accepted headers.
const COLUMNS: Columns = &[
    ("indicator", &["indicator", "指标", "指标代码"]),
    ("region", &["region", "地区", "地区代码", "区域"]),
    ("period", &["period", "期间", "时期", "报告期"]),
    ("cumulative", &["cumulative", "累计"]),
    ("value", &["value", "数值", "值"]),
    ("unit", &["unit", "单位"]),
    (
        "growth",
        &[
            "growth",
            "growth_pct",
            "增长",
            "增长%",
            "增幅",
            "增幅%",
            "同比增长%",
        ],
    ),
    ("source", &["source", "来源"]),
];
const REQUIRED: &[&str] = &["indicator", "region", "period", "value", "unit"];

/// Read a file into rows of text cells, the header first.
pub fn read_cells(
    format: FileFormat,
    bytes: &[u8],
) -> std::result::Result<Vec<Vec<String>>, String> {
    match format {
        FileFormat::Csv => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|e| format!("the CSV file is not UTF-8 text: {e}"))?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut rows = vec![];
            for r in reader.records() {
                let r = r.map_err(|e| format!("the CSV file cannot be read: {e}"))?;
                rows.push(r.iter().map(str::to_owned).collect());
            }
            Ok(rows)
        }
        FileFormat::Xlsx | FileFormat::Xls | FileFormat::Ods => {
            use calamine::{Data, Reader};
            // The content decides (a .xls that is really an xlsx is read all the same).
            let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
                .map_err(|e| format!("the spreadsheet cannot be read: {e}"))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or("the xlsx file has no worksheet")?
                .map_err(|e| format!("the first worksheet cannot be read: {e}"))?;
            // Keep the sheet's own row numbers: rows above the used range are blank.
            let offset = range.start().map(|(r, _)| r as usize).unwrap_or(0);
            let mut rows: Vec<Vec<String>> = vec![vec![]; offset];
            for row in range.rows() {
                rows.push(
                    row.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                                s.clone()
                            }
                            Data::Int(i) => i.to_string(),
                            // Shortest text that reads back as the same number: the digits
                            // the author typed.
                            Data::Float(f) => f.to_string(),
                            Data::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
                            Data::DateTime(d) => excel_month(d.as_f64()),
                            Data::Error(e) => format!("#{e:?}"),
                        })
                        .collect(),
                );
            }
            Ok(rows)
        }
    }
}

/// A spreadsheet date in a period column (Excel turns `2019-07` into 2019-07-01) as `2019-07`.
fn excel_month(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    match base.checked_add_signed(chrono::Duration::days(serial.floor() as i64)) {
        Some(d) => d.format("%Y-%m").to_string(),
        None => serial.to_string(),
    }
}

/// A checked row, ready to write.
#[derive(Debug, Clone)]
struct Parsed {
    row: usize,
    indicator: Indicator,
    region: String,
    period: Period,
    cumulative: bool,
    value: Option<i64>,
    growth_bp: Option<i64>,
    source: String,
}

type Key = (String, String, Period, bool);

impl Parsed {
    fn key(&self) -> Key {
        (
            self.indicator.code.clone(),
            self.region.clone(),
            self.period,
            self.cumulative,
        )
    }
}

/// Check every row against the catalog; `stored` are the values already kept for the years
/// the file touches (for the series checks).
fn check_rows(
    catalog: &Catalog,
    table: &Table,
    file_name: &str,
    stored: &[Parsed],
) -> (Vec<Parsed>, Vec<RowIssue>) {
    let mut issues = vec![];
    let mut parsed: Vec<Parsed> = vec![];
    for r in table.rows() {
        let row = r.row;
        let get = |name: &str| r.get(name);
        let before = issues.len();
        let indicator = match get("indicator") {
            "" => {
                issues.push(issue(
                    row,
                    Some("indicator"),
                    "required",
                    "the indicator is missing".into(),
                ));
                None
            }
            k => match catalog.indicator(k) {
                Some(ind) => Some(ind.clone()),
                None => {
                    issues.push(issue(
                        row,
                        Some("indicator"),
                        "unknown_indicator",
                        format!(
                            "unknown indicator {k:?}; the catalog has {}",
                            catalog
                                .indicators
                                .iter()
                                .map(|i| i.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                    None
                }
            },
        };
        let region = match get("region") {
            "" => {
                issues.push(issue(
                    row,
                    Some("region"),
                    "required",
                    "the region is missing".into(),
                ));
                None
            }
            k => match catalog.region(k) {
                Some(r) => Some(r.code.clone()),
                None => {
                    issues.push(issue(
                        row,
                        Some("region"),
                        "unknown_region",
                        format!("unknown region {k:?}"),
                    ));
                    None
                }
            },
        };
        let period = match get("period").parse::<Period>() {
            Ok(p) => Some(p),
            Err(e) => {
                issues.push(issue(row, Some("period"), e.code, e.message));
                None
            }
        };
        if let (Some(ind), Some(p)) = (&indicator, &period)
            && p.kind < ind.period_kind
        {
            issues.push(issue(
                row,
                Some("period"),
                "period_too_fine",
                format!(
                    "{} is reported by {} at the finest, not by {}",
                    ind.code, ind.period_kind, p.kind
                ),
            ));
        }
        let cumulative = match get("cumulative").to_lowercase().as_str() {
            "" | "0" | "false" | "no" | "n" | "否" | "当期" => Some(false),
            "1" | "true" | "yes" | "y" | "是" | "累计" => Some(true),
            other => {
                issues.push(issue(
                    row,
                    Some("cumulative"),
                    "bad_cumulative",
                    format!("cumulative {other:?} is not yes/no (1/0, 是/否)"),
                ));
                None
            }
        };
        // A year covers the year to date by definition.
        let cumulative = match (cumulative, &period) {
            (Some(_), Some(p)) if p.kind == PeriodKind::Year => Some(true),
            (c, _) => c,
        };
        let value_text = get("value");
        let unit_text = get("unit");
        let mut value = None;
        if !value_text.is_empty() {
            if unit_text.is_empty() {
                issues.push(issue(
                    row,
                    Some("unit"),
                    "unit_required",
                    "a value needs its unit".into(),
                ));
            } else {
                match DisplayUnit::parse(unit_text) {
                    Err(e) => issues.push(issue(row, Some("unit"), e.code, e.message)),
                    Ok(u) => {
                        let unit_ok = match &indicator {
                            Some(ind) => match u.check(ind) {
                                Ok(()) => true,
                                Err(e) => {
                                    issues.push(issue(row, Some("unit"), e.code, e.message));
                                    false
                                }
                            },
                            None => false,
                        };
                        match u.to_base(value_text) {
                            Ok(v) if unit_ok => value = Some(v),
                            Ok(_) => {}
                            Err(e) => issues.push(issue(row, Some("value"), e.code, e.message)),
                        }
                    }
                }
            }
        }
        let growth_text = get("growth");
        let growth_bp = if growth_text.is_empty() {
            None
        } else {
            match growth::parse_growth(growth_text) {
                Ok(g) => Some(g),
                Err(e) => {
                    issues.push(issue(row, Some("growth"), e.code, e.message));
                    None
                }
            }
        };
        if value_text.is_empty() && growth_text.is_empty() {
            issues.push(issue(
                row,
                Some("value"),
                "no_value",
                "the row has neither a value nor a growth rate".into(),
            ));
        }
        if issues.len() > before {
            continue;
        }
        let (Some(indicator), Some(region), Some(period), Some(cumulative)) =
            (indicator, region, period, cumulative)
        else {
            continue;
        };
        let source = match get("source") {
            "" => file_name.to_owned(),
            s => s.to_owned(),
        };
        parsed.push(Parsed {
            row,
            indicator,
            region,
            period,
            cumulative,
            value,
            growth_bp,
            source,
        });
    }

    // Duplicates within the file.
    let mut first: HashMap<Key, usize> = HashMap::new();
    let mut unique = vec![];
    for p in parsed {
        match first.get(&p.key()) {
            Some(&r) => issues.push(issue(
                p.row,
                Some("period"),
                "duplicate_period",
                format!(
                    "{} {} {}{} is already on row {r}",
                    p.indicator.code,
                    p.region,
                    p.period,
                    if p.cumulative { " (cumulative)" } else { "" }
                ),
            )),
            None => {
                first.insert(p.key(), p.row);
                unique.push(p);
            }
        }
    }
    issues.extend(series_issues(&unique, stored));
    issues.sort_by_key(|i| i.row);
    (unique, issues)
}

/// Per indicator, region, year and kind of period: single periods must run without a gap from
/// the first of the year to the last one present (a missing month would make every total
/// after it wrong), and cumulative values of an indicator that adds up must not go down.
fn series_issues(file: &[Parsed], stored: &[Parsed]) -> Vec<RowIssue> {
    type SeriesKey = (String, String, i32, PeriodKind, bool);
    /// Per period number: the file's row (0 if stored), the value, how the indicator adds up.
    type Point = (usize, Option<i64>, Aggregation);
    let mut series: BTreeMap<SeriesKey, BTreeMap<u8, Point>> = BTreeMap::new();
    let mut in_file: BTreeMap<SeriesKey, bool> = BTreeMap::new();
    // The file's rows override the stored ones of the same period.
    for (p, from_file) in stored
        .iter()
        .map(|p| (p, false))
        .chain(file.iter().map(|p| (p, true)))
    {
        if p.period.kind == PeriodKind::Year {
            continue;
        }
        let key = (
            p.indicator.code.clone(),
            p.region.clone(),
            p.period.year,
            p.period.kind,
            p.cumulative,
        );
        if from_file {
            in_file.insert(key.clone(), true);
        }
        series.entry(key).or_default().insert(
            p.period.no,
            (
                if from_file { p.row } else { 0 },
                p.value,
                p.indicator.aggregation,
            ),
        );
    }
    let mut issues = vec![];
    for (key, periods) in series {
        if !in_file.contains_key(&key) {
            continue;
        }
        let (indicator, region, year, kind, cumulative) = key;
        if !cumulative {
            let last = *periods.keys().max().unwrap_or(&0);
            let missing: Vec<u8> = (1..=last).filter(|n| !periods.contains_key(n)).collect();
            if let Some(&m) = missing.first() {
                // Report it on the first row of the file after the gap.
                let row = periods
                    .range(m..)
                    .map(|(_, (r, _, _))| *r)
                    .find(|r| *r > 0)
                    .unwrap_or(0);
                let names: Vec<String> = missing
                    .iter()
                    .map(|n| match kind {
                        PeriodKind::Quarter => format!("{year}-Q{n}"),
                        _ => format!("{year}-{n:02}"),
                    })
                    .collect();
                issues.push(RowIssue {
                    row,
                    column: Some("period".into()),
                    code: "missing_period".into(),
                    message: format!(
                        "{indicator} {region}: {} missing before this row, neither in the file nor stored",
                        names.join(", ")
                    ),
                });
            }
        } else {
            let mut before: Option<(u8, i64)> = None;
            for (&n, &(row, value, aggregation)) in &periods {
                let Some(v) = value else { continue };
                if aggregation == Aggregation::Sum
                    && let Some((pn, pv)) = before
                    && v < pv
                    && row > 0
                {
                    issues.push(RowIssue {
                        row,
                        column: Some("value".into()),
                        code: "cumulative_decreases".into(),
                        message: format!(
                            "{indicator} {region}: the cumulative value to {kind} {n} of {year} is below the one to {kind} {pn}: periods out of order?"
                        ),
                    });
                }
                before = Some((n, v));
            }
        }
    }
    issues
}

/// Import a file: check every row, then write all of it in one transaction, or nothing.
/// `actor` is `None` for the local operator (the command line).
pub async fn import(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    match table::open(actor, file_name, bytes, COLUMNS, REQUIRED)? {
        Ok((report, table)) => import_table(app, actor, report, &table, "economy.import").await,
        Err(refused) => Ok(refused),
    }
}

/// Rows of text in the import's columns (the header first) as a table.
pub(crate) fn table_of(cells: Vec<Vec<String>>) -> std::result::Result<Table, Vec<RowIssue>> {
    Table::from_cells(cells, COLUMNS, REQUIRED)
}

/// Check a table's rows and write them all in one transaction, or nothing; the audit entry
/// records `action`. The caller has checked the actor's right.
pub(crate) async fn import_table(
    app: &App,
    actor: Option<&Actor>,
    mut report: ImportReport,
    table: &Table,
    action: &str,
) -> Result<ImportReport> {
    let file_name = report.file.clone();
    let file_name = file_name.as_str();
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    // A first pass without stored values finds the years the file touches.
    let (first_pass, _) = check_rows(&catalog, table, file_name, &[]);
    let years = first_pass.iter().map(|p| p.period.year);
    let (from, to) = (years.clone().min(), years.max());
    let mut stored = vec![];
    if let (Some(from), Some(to)) = (from, to) {
        for r in tx
            .econ_values(&EconValueQuery {
                from_year: Some(i64::from(from)),
                to_year: Some(i64::from(to)),
                ..Default::default()
            })
            .await?
        {
            let (Some(ind), Ok(o)) = (catalog.indicator(&r.indicator_code), super::observation(&r))
            else {
                continue;
            };
            stored.push(Parsed {
                row: 0,
                indicator: ind.clone(),
                region: r.region_code.clone(),
                period: o.period,
                cumulative: o.cumulative,
                value: o.value,
                growth_bp: o.reported_growth_bp,
                source: r.source.clone(),
            });
        }
    }
    let (parsed, issues) = check_rows(&catalog, table, file_name, &stored);
    report.rows = table.rows().count();
    if !issues.is_empty() {
        report.issues = issues;
        tx.rollback().await?;
        return Ok(report);
    }
    let stored_keys: std::collections::HashSet<Key> = stored.iter().map(Parsed::key).collect();
    report.replaced = parsed
        .iter()
        .filter(|p| stored_keys.contains(&p.key()))
        .count();
    let rows: Vec<NewEconValue> = parsed
        .iter()
        .map(|p| NewEconValue {
            indicator_code: p.indicator.code.clone(),
            region_code: p.region.clone(),
            period_kind: p.period.kind.as_str().into(),
            year: i64::from(p.period.year),
            period_no: i64::from(p.period.no),
            cumulative: p.cumulative,
            value: p.value,
            reported_growth_bp: p.growth_bp,
            source: p.source.clone(),
        })
        .collect();
    let now = domain::time::now_ms();
    tx.upsert_econ_values(&rows, now).await?;
    let entry = super::audit_entry(
        actor,
        action,
        "econ_values",
        file_name,
        format!(
            "{} values written, {} replaced",
            rows.len(),
            report.replaced
        ),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    report.written = rows.len();
    Ok(report)
}

impl From<ImportReport> for AppError {
    /// A refused import as field errors (`row 7 unit: …`), for callers that want an error.
    fn from(r: ImportReport) -> Self {
        AppError::Invalid(
            r.issues
                .into_iter()
                .map(|i| {
                    crate::FieldError::new(
                        &format!(
                            "row {}{}",
                            i.row,
                            i.column.map(|c| format!(" {c}")).unwrap_or_default()
                        ),
                        &i.code,
                        i.message,
                    )
                })
                .collect(),
        )
    }
}
