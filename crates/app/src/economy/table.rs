//! An import file read as a table: the header row found by column names (English or Chinese,
//! any order), then each non-blank data row with the row number a spreadsheet shows. Every
//! economy import (indicators, projects, buildings, evaluations, enterprise facts) reads its
//! file through here, so that they name columns, rows and common problems the same way.

use std::collections::HashMap;

use domain::economy::period::{MAX_YEAR, MIN_YEAR};

use super::import::{FileFormat, ImportReport, RowIssue, read_cells};
use super::{Catalog, require_edit};
use crate::{Actor, Result};

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 200_000;

/// The columns an import reads: canonical name and the headers accepted for it.
pub type Columns = &'static [(&'static str, &'static [&'static str])];

pub fn issue(row: usize, column: Option<&str>, code: &str, message: String) -> RowIssue {
    RowIssue {
        row,
        column: column.map(str::to_owned),
        code: code.to_owned(),
        message,
    }
}

/// A report with nothing read yet.
pub fn empty_report(file_name: &str, format: FileFormat) -> ImportReport {
    ImportReport {
        file: file_name.to_owned(),
        format,
        rows: 0,
        written: 0,
        replaced: 0,
        issues: vec![],
    }
}

/// The start of every import: the actor's right (none for the local operator), the file's
/// format, and its table — or, as `Err`, the report of why the file cannot be read (which is
/// the import's answer, not a failure).
pub fn open(
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
    columns: Columns,
    required: &[&str],
) -> Result<std::result::Result<(ImportReport, Table), ImportReport>> {
    if let Some(a) = actor {
        require_edit(a)?;
    }
    let format = FileFormat::detect(file_name, bytes);
    let mut report = empty_report(file_name, format);
    Ok(match Table::read(format, bytes, columns, required) {
        Ok(table) => Ok((report, table)),
        Err(issues) => {
            report.issues = issues;
            Err(report)
        }
    })
}

pub struct Table {
    cells: Vec<Vec<String>>,
    header_at: usize,
    col: HashMap<&'static str, usize>,
}

impl Table {
    /// The table of a file, or the problems that keep it from being read (unreadable file, no
    /// header, a column twice, a required column missing, too many rows).
    pub fn read(
        format: FileFormat,
        bytes: &[u8],
        columns: Columns,
        required: &[&str],
    ) -> std::result::Result<Table, Vec<RowIssue>> {
        let cells = read_cells(format, bytes).map_err(|m| vec![issue(0, None, "unreadable", m)])?;
        Self::from_cells(cells, columns, required)
    }

    pub fn from_cells(
        cells: Vec<Vec<String>>,
        columns: Columns,
        required: &[&str],
    ) -> std::result::Result<Table, Vec<RowIssue>> {
        let Some(header_at) = cells.iter().position(|r| !blank(r)) else {
            return Err(vec![issue(
                0,
                None,
                "empty_file",
                "the file has no header row".into(),
            )]);
        };
        let mut issues = vec![];
        let mut col = HashMap::new();
        for (i, h) in cells[header_at].iter().enumerate() {
            let h = h.trim().to_lowercase();
            if let Some((name, _)) = columns.iter().find(|(_, a)| a.contains(&h.as_str()))
                && col.insert(*name, i).is_some()
            {
                issues.push(issue(
                    header_at + 1,
                    Some(name),
                    "duplicate_column",
                    format!("column {name} appears twice"),
                ));
            }
        }
        for name in required {
            if !col.contains_key(name) {
                let aliases = columns
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, a)| a.join(" / "))
                    .unwrap_or_default();
                issues.push(issue(
                    header_at + 1,
                    Some(name),
                    "missing_column",
                    format!("the header lacks the {name} column ({aliases})"),
                ));
            }
        }
        let data_rows = cells.len() - header_at - 1;
        if issues.is_empty() && data_rows > MAX_ROWS {
            issues.push(issue(
                0,
                None,
                "too_many_rows",
                format!("{data_rows} rows; at most {MAX_ROWS} per file"),
            ));
        }
        if issues.is_empty() {
            Ok(Table {
                cells,
                header_at,
                col,
            })
        } else {
            Err(issues)
        }
    }

    /// The non-blank data rows.
    pub fn rows(&self) -> impl Iterator<Item = TableRow<'_>> {
        self.cells
            .iter()
            .enumerate()
            .skip(self.header_at + 1)
            .filter(|(_, r)| !blank(r))
            .map(|(i, cells)| TableRow {
                row: i + 1,
                cells,
                col: &self.col,
            })
    }
}

fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// One data row: its cells by column name, and the problems found in it so far.
pub struct TableRow<'a> {
    /// As a spreadsheet shows it (the header of a file without blank lines above is row 1).
    pub row: usize,
    cells: &'a [String],
    col: &'a HashMap<&'static str, usize>,
}

impl<'a> TableRow<'a> {
    /// The trimmed cell of a column; empty when the column or the cell is absent.
    pub fn get(&self, name: &str) -> &'a str {
        self.col
            .get(name)
            .and_then(|&c| self.cells.get(c))
            .map_or("", |s| s.trim())
    }

    pub fn issue(&self, column: &str, code: &str, message: impl Into<String>) -> RowIssue {
        issue(self.row, Some(column), code, message.into())
    }

    /// A cell that must not be empty (`what` names it in the message).
    pub fn required(&self, column: &str, what: &str) -> std::result::Result<&'a str, RowIssue> {
        match self.get(column) {
            "" => Err(self.issue(column, "required", format!("the {what} is missing"))),
            s => Ok(s),
        }
    }

    /// A year such as `2019` or `2019年`.
    pub fn year(&self, column: &str) -> std::result::Result<i64, RowIssue> {
        let text = self.get(column);
        match text.trim_end_matches('年').parse::<i64>() {
            Ok(y) if (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&y) => Ok(y),
            _ => Err(self.issue(
                column,
                "bad_year",
                format!("year {text:?} is not a year such as 2019 ({MIN_YEAR}-{MAX_YEAR})"),
            )),
        }
    }

    /// A region by code or name; the zone when the cell is empty.
    pub fn region_or_home(
        &self,
        column: &str,
        catalog: &Catalog,
    ) -> std::result::Result<String, RowIssue> {
        let found = match self.get(column) {
            "" => catalog.home(),
            k => catalog.region(k),
        };
        found.map(|r| r.code.clone()).ok_or_else(|| {
            self.issue(
                column,
                "unknown_region",
                format!("unknown region {:?}", self.get(column)),
            )
        })
    }
}

/// Collect a cell's result into the row's issues.
pub fn take<T>(issues: &mut Vec<RowIssue>, r: std::result::Result<T, RowIssue>) -> Option<T> {
    r.map_err(|e| issues.push(e)).ok()
}
