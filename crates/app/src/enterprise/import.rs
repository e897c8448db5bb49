//! Enterprise import from CSV or a spreadsheet, read through `economy::table` like every
//! import: each row checked (credit code, sector, street, micro-grid, figures), a row-by-row
//! report, and nothing written when any row has a problem.

use std::collections::{HashMap, HashSet};

use domain::Right;
use domain::enterprise::money::parse_yuan;

use super::enterprises::{EnterpriseInput, check_fields, is_micro_grid, to_new};
use crate::economy::import::{FileFormat, ImportReport, RowIssue};
use crate::economy::table::{self, Columns, Table, TableRow};
use crate::{Actor, App, Result};

/// The columns, canonical name first; headers in English or Chinese.
pub const COLUMNS: Columns = &[
    (
        "credit_code",
        &["credit_code", "统一社会信用代码", "信用代码"],
    ),
    ("name", &["name", "企业名称", "名称"]),
    ("sector", &["sector", "行业", "产业", "行业类别"]),
    ("above_size", &["above_size", "规上", "规模以上"]),
    ("fortune500", &["fortune500", "世界500强"]),
    ("major_project", &["major_project", "重点项目"]),
    ("street", &["street", "街道"]),
    ("micro_grid", &["micro_grid", "微网格"]),
    ("address", &["address", "地址"]),
    ("employees", &["employees", "员工人数", "职工人数"]),
    (
        "land_mu",
        &["land_mu", "用地面积(亩)", "用地亩数", "用地面积"],
    ),
    ("tax_yuan", &["tax_yuan", "纳税(元)", "税收(元)", "纳税额"]),
    ("contact_name", &["contact_name", "联系人"]),
    ("contact_phone", &["contact_phone", "联系电话", "手机"]),
    ("chartered_buses", &["chartered_buses", "包车车次"]),
    ("new_hires", &["new_hires", "新招员工"]),
    ("talent_hires", &["talent_hires", "引进人才"]),
];

const REQUIRED: &[&str] = &[
    "credit_code",
    "name",
    "sector",
    "street",
    "micro_grid",
    "employees",
    "contact_name",
    "contact_phone",
];

fn flag(row: &TableRow, col: &str, issues: &mut Vec<RowIssue>) -> bool {
    match row.get(col).to_lowercase().as_str() {
        "" | "0" | "no" | "false" | "否" | "n" => false,
        "1" | "yes" | "true" | "是" | "y" => true,
        other => {
            issues.push(row.issue(
                col,
                "bad_flag",
                format!("{other:?} is not yes/no (是/否, 1/0)"),
            ));
            false
        }
    }
}

fn count(row: &TableRow, col: &str, issues: &mut Vec<RowIssue>) -> i64 {
    let t = row.get(col).replace(',', "");
    if t.is_empty() {
        return 0;
    }
    match t.trim_end_matches(".0").parse::<i64>() {
        Ok(n) if n >= 0 => n,
        _ => {
            issues.push(row.issue(
                col,
                "bad_number",
                format!("{t:?} is not a whole number ≥ 0"),
            ));
            0
        }
    }
}

fn hundredths(row: &TableRow, col: &str, issues: &mut Vec<RowIssue>) -> i64 {
    match row.get(col) {
        "" => 0,
        t => parse_yuan(t).unwrap_or_else(|e| {
            issues.push(row.issue(col, "bad_number", e.message));
            0
        }),
    }
}

/// Import a file. The local operator passes no actor. The answer is the report: rows read,
/// rows written (0 when there was any problem) and every problem with its row and column.
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
    let table = match Table::read(format, bytes, COLUMNS, REQUIRED) {
        Ok(t) => t,
        Err(issues) => {
            report.issues = issues;
            return Ok(report);
        }
    };
    let mut tx = app.store.write().await?;
    let streets = tx.areas_of_kind("street", "/").await?;
    let grids = tx.grids().await?;
    // Micro-grids by (street id, name).
    let micro: HashMap<(i64, &str), i64> = grids
        .iter()
        .filter(|g| is_micro_grid(g))
        .map(|g| ((g.street_id, g.name.as_str()), g.id))
        .collect();
    let mut rows = vec![];
    let mut seen = HashSet::new();
    for row in table.rows() {
        report.rows += 1;
        let mut issues = vec![];
        let input = EnterpriseInput {
            credit_code: row.get("credit_code").to_uppercase(),
            name: row.get("name").to_owned(),
            sector: row.get("sector").to_owned(),
            above_size: flag(&row, "above_size", &mut issues),
            fortune500: flag(&row, "fortune500", &mut issues),
            major_project: flag(&row, "major_project", &mut issues),
            address: row.get("address").to_owned(),
            employees: count(&row, "employees", &mut issues),
            land_centimu: hundredths(&row, "land_mu", &mut issues),
            tax_fen: hundredths(&row, "tax_yuan", &mut issues),
            contact_name: row.get("contact_name").to_owned(),
            contact_phone: row.get("contact_phone").to_owned(),
            chartered_buses: count(&row, "chartered_buses", &mut issues),
            new_hires: count(&row, "new_hires", &mut issues),
            talent_hires: count(&row, "talent_hires", &mut issues),
        };
        for (field, code, message) in check_fields(&input) {
            issues.push(row.issue(field, &code, message));
        }
        if !input.credit_code.is_empty() && !seen.insert(input.credit_code.clone()) {
            issues.push(row.issue(
                "credit_code",
                "duplicate",
                "the credit code appears twice in the file",
            ));
        }
        let street_text = row.get("street");
        let street = streets
            .iter()
            .find(|s| s.name == street_text || s.code == street_text);
        if street.is_none() {
            issues.push(row.issue(
                "street",
                "unknown_street",
                format!("unknown street {street_text:?}"),
            ));
        }
        let grid = street
            .and_then(|s| micro.get(&(s.id, row.get("micro_grid"))))
            .copied();
        if street.is_some() && grid.is_none() {
            issues.push(row.issue(
                "micro_grid",
                "unknown_grid",
                format!("no micro-grid {:?} in that street", row.get("micro_grid")),
            ));
        }
        match (issues.is_empty(), street, grid) {
            (true, Some(s), Some(g)) => rows.push(to_new(&input, s, g)),
            _ => report.issues.extend(issues),
        }
    }
    if !report.issues.is_empty() {
        tx.rollback().await?;
        return Ok(report);
    }
    let now = domain::time::now_ms();
    let before = tx.count_enterprises().await?;
    tx.upsert_enterprises(&rows, now).await?;
    let after = tx.count_enterprises().await?;
    report.written = rows.len();
    report.replaced = rows.len() - usize::try_from(after - before).unwrap_or(0);
    let entry = crate::economy::audit_entry(
        actor,
        "enterprise.import",
        "enterprise",
        file_name,
        format!("{} rows, {} new", rows.len(), after - before),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(report)
}
