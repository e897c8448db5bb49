//! Import a risk-area list from CSV or JSON, all or nothing: every row is checked first and
//! every problem reported with its row and field; only a clean file is written. An entry
//! whose division and first day are already listed is updated, so importing the same file
//! twice changes nothing the second time.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::entry::{RiskAreaInput, ValidEntry};
use crate::codes::bulk::{RecomputeReport, recompute_affected};
use crate::{Actor, App, AppError, Result};

/// More entries than any real list holds; a bigger file is refused before it is read.
const MAX_ROWS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    Csv,
    Json,
}

impl ImportFormat {
    /// JSON when the name says so or the text opens with `[` or `{`; CSV otherwise.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let first = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if file_name.to_ascii_lowercase().ends_with(".json") || matches!(first, Some(b'[' | b'{')) {
            ImportFormat::Json
        } else {
            ImportFormat::Csv
        }
    }
}

/// One problem, located: `row` is the CSV line (the header is row 1) or the JSON entry
/// (from 1); 0 for the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowIssue {
    pub row: usize,
    pub field: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskAreaImportReport {
    pub file: String,
    pub format: ImportFormat,
    /// Entries read.
    pub rows: usize,
    /// New entries written (all counts are 0 when there was any problem).
    pub added: usize,
    /// Listed entries whose level or last day changed.
    pub changed: usize,
    /// Entries already listed exactly so.
    pub unchanged: usize,
    pub issues: Vec<RowIssue>,
    /// The recompute the changes caused; absent when nothing changed.
    pub recompute: Option<RecomputeReport>,
}

impl RiskAreaImportReport {
    pub fn ok(&self) -> bool {
        self.issues.is_empty()
    }
}

impl From<RiskAreaImportReport> for AppError {
    /// A refused import as field errors (`row 3 valid_from: …`).
    fn from(r: RiskAreaImportReport) -> Self {
        AppError::Invalid(
            r.issues
                .into_iter()
                .map(|i| {
                    let field = match i.field {
                        Some(f) => format!("row {} {f}", i.row),
                        None => format!("row {}", i.row),
                    };
                    crate::FieldError::new(&field, &i.code, i.message)
                })
                .collect(),
        )
    }
}

fn issue(row: usize, field: Option<&str>, code: &str, message: impl Into<String>) -> RowIssue {
    RowIssue {
        row,
        field: field.map(str::to_owned),
        code: code.to_owned(),
        message: message.into(),
    }
}

/// The columns by canonical name, with the headers accepted for each.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "division_code",
        &[
            "division_code",
            "code",
            "division",
            "区划代码",
            "行政区划代码",
        ],
    ),
    ("level", &["level", "risk_level", "等级", "风险等级"]),
    (
        "valid_from",
        &["valid_from", "from", "起始日期", "开始日期"],
    ),
    ("valid_to", &["valid_to", "to", "结束日期", "截止日期"]),
];
const REQUIRED: [&str; 3] = ["division_code", "level", "valid_from"];

fn canonical(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase();
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(name, _)| *name)
}

/// The line number (from 1) of the first non-blank line at or after byte `at`.
fn line_at(text: &str, at: usize) -> usize {
    let (before, after) = text.as_bytes().split_at(at.min(text.len()));
    let blank = after
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count();
    before.iter().filter(|b| **b == b'\n').count() + blank + 1
}

/// (row number, entry) of every CSV data row, or the file's problems.
fn read_csv(text: &str) -> std::result::Result<Vec<(usize, RiskAreaInput)>, Vec<RowIssue>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![issue(1, None, "format", format!("unreadable: {e}"))]),
        None => return Err(vec![issue(0, None, "empty", "the file is empty")]),
    };
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut problems = vec![];
    for (i, h) in header.iter().enumerate() {
        match canonical(h) {
            Some(name) if index.contains_key(name) => problems.push(issue(
                1,
                Some(name),
                "duplicate",
                format!("column {name} appears twice"),
            )),
            Some(name) => {
                index.insert(name, i);
            }
            None => problems.push(issue(
                1,
                Some(h.trim()),
                "unknown",
                format!(
                    "unknown column {:?}; expected division_code, level, valid_from, valid_to",
                    h.trim()
                ),
            )),
        }
    }
    for name in REQUIRED {
        if !index.contains_key(name) {
            problems.push(issue(
                1,
                Some(name),
                "required",
                format!("column {name} is missing"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = vec![];
    for (n, record) in records.enumerate() {
        // The reader skips blank lines but counts a record from the end of the one before, so
        // the row a person sees is counted here from the byte where the record starts.
        let line = |pos: Option<&csv::Position>| {
            pos.and_then(|p| usize::try_from(p.byte()).ok())
                .map_or(n + 2, |at| line_at(text, at))
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = line(e.position());
                problems.push(issue(row, None, "format", format!("unreadable: {e}")));
                continue;
            }
        };
        let row = line(record.position());
        if rows.len() >= MAX_ROWS {
            return Err(vec![issue(
                row,
                None,
                "size",
                format!("more than {MAX_ROWS} rows"),
            )]);
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .to_owned()
        };
        rows.push((
            row,
            RiskAreaInput {
                division_code: cell("division_code"),
                level: cell("level"),
                valid_from: cell("valid_from"),
                valid_to: Some(cell("valid_to")),
            },
        ));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// (entry number, entry) of a JSON array of objects, bare or as `{"risk_areas": […]}`.
fn read_json(text: &str) -> std::result::Result<Vec<(usize, RiskAreaInput)>, Vec<RowIssue>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        vec![issue(
            0,
            None,
            "format",
            format!("not valid JSON (line {}, column {})", e.line(), e.column()),
        )]
    })?;
    let entries = match value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("risk_areas") {
            Some(serde_json::Value::Array(a)) => a,
            _ => {
                return Err(vec![issue(
                    0,
                    None,
                    "type",
                    "expected an array of entries, or an object with an array \"risk_areas\"",
                )]);
            }
        },
        _ => {
            return Err(vec![issue(0, None, "type", "expected an array of entries")]);
        }
    };
    if entries.len() > MAX_ROWS {
        return Err(vec![issue(
            0,
            None,
            "size",
            format!("more than {MAX_ROWS} entries"),
        )]);
    }
    let mut rows = vec![];
    let mut problems = vec![];
    for (i, entry) in entries.into_iter().enumerate() {
        let row = i + 1;
        let serde_json::Value::Object(fields) = entry else {
            problems.push(issue(row, None, "type", "an entry must be an object"));
            continue;
        };
        let mut input = RiskAreaInput::default();
        for (key, value) in fields {
            let Some(name) = canonical(&key) else {
                problems.push(issue(
                    row,
                    Some(&key),
                    "unknown",
                    format!("unknown field {key:?}"),
                ));
                continue;
            };
            let text = match value {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Null if name == "valid_to" => None,
                // A code written as a number is still the code.
                serde_json::Value::Number(n) if name == "division_code" => Some(n.to_string()),
                _ => {
                    problems.push(issue(row, Some(name), "type", "must be text"));
                    continue;
                }
            };
            match name {
                "division_code" => input.division_code = text.unwrap_or_default(),
                "level" => input.level = text.unwrap_or_default(),
                "valid_from" => input.valid_from = text.unwrap_or_default(),
                _ => input.valid_to = text,
            }
        }
        rows.push((row, input));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Every entry checked, or every problem of every row.
fn check(rows: Vec<(usize, RiskAreaInput)>) -> std::result::Result<Vec<ValidEntry>, Vec<RowIssue>> {
    let mut problems = vec![];
    let mut valid = vec![];
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (row, input) in rows {
        match input.validate() {
            Ok(e) => {
                let key = (e.division_code.clone(), e.valid_from.clone());
                if let Some(first) = seen.insert(key, row) {
                    problems.push(issue(
                        row,
                        Some("valid_from"),
                        "duplicate",
                        format!(
                            "{} from {} is already in row {first}",
                            e.division_code, e.valid_from
                        ),
                    ));
                }
                valid.push(e);
            }
            Err(AppError::Invalid(fields)) => problems.extend(
                fields
                    .into_iter()
                    .map(|f| issue(row, Some(&f.field), &f.code, f.message)),
            ),
            Err(e) => problems.push(issue(row, None, "internal", e.to_string())),
        }
    }
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(problems)
    }
}

/// Import `bytes` (CSV or JSON, see [`ImportFormat::detect`]). A file with any problem
/// writes nothing and comes back with every problem listed; a clean one is written with its
/// audit entry and the recompute of the affected codes, in one transaction.
pub async fn import(
    app: &App,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<RiskAreaImportReport> {
    actor.require(domain::Right::ManageRiskAreas)?;
    let format = ImportFormat::detect(file_name, bytes);
    let mut report = RiskAreaImportReport {
        file: file_name.to_owned(),
        format,
        rows: 0,
        added: 0,
        changed: 0,
        unchanged: 0,
        issues: vec![],
        recompute: None,
    };
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            report
                .issues
                .push(issue(0, None, "encoding", format!("not UTF-8 text: {e}")));
            return Ok(report);
        }
    };
    let read = match format {
        ImportFormat::Csv => read_csv(text),
        ImportFormat::Json => read_json(text),
    };
    let rows = match read {
        Ok(rows) => rows,
        Err(problems) => {
            report.issues = problems;
            return Ok(report);
        }
    };
    report.rows = rows.len();
    if rows.is_empty() {
        report
            .issues
            .push(issue(0, None, "empty", "the file lists no entries"));
        return Ok(report);
    }
    let entries = match check(rows) {
        Ok(e) => e,
        Err(problems) => {
            report.issues = problems;
            return Ok(report);
        }
    };

    let mut tx = app.store.write().await?;
    let listed: HashMap<(String, String), store::RiskAreaRow> = tx
        .risk_areas()
        .await?
        .into_iter()
        .map(|r| ((r.division_code.clone(), r.valid_from.clone()), r))
        .collect();
    let now = domain::time::now_ms();
    let mut touched: HashSet<String> = HashSet::new();
    for e in &entries {
        match listed.get(&(e.division_code.clone(), e.valid_from.clone())) {
            None => {
                tx.insert_risk_area(
                    &e.division_code,
                    &e.level,
                    &e.valid_from,
                    e.valid_to.as_deref(),
                    now,
                )
                .await?;
                report.added += 1;
                touched.insert(e.division_code.clone());
            }
            Some(r) if r.level != e.level || r.valid_to != e.valid_to => {
                tx.update_risk_area(r.id, &e.level, &e.valid_from, e.valid_to.as_deref())
                    .await?;
                report.changed += 1;
                touched.insert(e.division_code.clone());
            }
            Some(_) => report.unchanged += 1,
        }
    }
    if !touched.is_empty() {
        let mut divisions: Vec<String> = touched.into_iter().collect();
        divisions.sort();
        report.recompute =
            Some(recompute_affected(&mut tx, app.today(), &actor.username, &divisions).await?);
    }
    let mut entry = actor.audit("risk_area.import", "risk_area", file_name);
    entry.detail = serde_json::json!({
        "format": format,
        "rows": report.rows,
        "added": report.added,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "recompute": report.recompute,
    })
    .to_string();
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let rows = read_csv(
            "区划代码,等级,valid_from,valid_to\n420100,高,2020-01-23,2020-04-08\n\n420000,medium,2020-03-25,\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[1].0, 4);
        assert_eq!(rows[1].1.level, "medium");
    }

    #[test]
    fn csv_header_problems_name_the_column() {
        let problems = read_csv("code,colour\n420100,red\n").unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.clone().unwrap()).collect();
        assert_eq!(fields, ["colour", "level", "valid_from"]);
    }

    #[test]
    fn json_entries_are_checked_one_by_one() {
        let rows = read_json(
            r#"{"risk_areas":[{"division_code":420100,"level":"high","valid_from":"2020-01-23","valid_to":null}]}"#,
        )
        .unwrap();
        assert_eq!(rows[0].1.division_code, "420100");
        let problems =
            read_json(r#"[{"division_code":"420100","level":3}, 7, {"x":"y"}]"#).unwrap_err();
        let at: Vec<_> = problems.iter().map(|p| (p.row, p.field.clone())).collect();
        assert_eq!(
            at,
            [
                (1, Some("level".to_owned())),
                (2, None),
                (3, Some("x".to_owned()))
            ]
        );
        assert_eq!(read_json("[").unwrap_err()[0].row, 0);
    }

    #[test]
    fn duplicates_in_one_file_are_refused() {
        let rows = read_csv(
            "division_code,level,valid_from\n420100,high,2020-01-23\n420100,medium,2020-01-23\n",
        )
        .unwrap();
        let problems = check(rows).unwrap_err();
        assert_eq!(problems[0].row, 3);
        assert_eq!(problems[0].code, "duplicate");
    }

    #[test]
    fn format_follows_the_content() {
        assert_eq!(
            ImportFormat::detect("list.txt", b" [ ]"),
            ImportFormat::Json
        );
        assert_eq!(ImportFormat::detect("list.JSON", b""), ImportFormat::Json);
        assert_eq!(ImportFormat::detect("list.csv", b"a,b"), ImportFormat::Csv);
    }
}
