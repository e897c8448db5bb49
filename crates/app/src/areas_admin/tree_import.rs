//! `zhikong import area-tree FILE` and the admin's upload: the zone's streets, communities and
//! micro-grids from its own spreadsheet (CSV or xlsx; columns code, name, kind, parent_code,
//! Chinese headers too). The whole file is checked first — every problem named by row, column
//! and problem — and written in one transaction, all or nothing. Rows may come in any order;
//! a row identical to the stored area is unchanged, a new name is a rename.

use std::collections::{HashMap, HashSet};

use domain::{AreaCode, AreaKind, Right};
use serde::Serialize;

use crate::economy::import::{FileFormat, RowIssue};
use crate::economy::table::{Columns, Table, TableRow, issue};
use crate::{Actor, App, Result};

/// The longest area name accepted (characters).
pub const MAX_NAME_CHARS: usize = 60;

const COLUMNS: Columns = &[
    ("code", &["code", "区划代码", "代码", "编码", "区域代码"]),
    ("name", &["name", "名称", "区域名称", "名字"]),
    ("kind", &["kind", "级别", "类型", "层级"]),
    (
        "parent_code",
        &[
            "parent_code",
            "parent",
            "上级代码",
            "上级区划代码",
            "上级编码",
        ],
    ),
];

/// What the import does with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeAction {
    New,
    Renamed,
    Unchanged,
}

/// One row of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct TreeChange {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub kind: AreaKind,
    pub parent_code: String,
    pub action: TreeAction,
    /// The stored name a rename replaces.
    pub old_name: Option<String>,
}

/// The answer of an import or its preview.
#[derive(Debug, Clone, Serialize)]
pub struct TreeReport {
    pub file: String,
    pub format: FileFormat,
    /// Data rows read (blank rows skipped).
    pub rows: usize,
    pub added: usize,
    pub renamed: usize,
    pub unchanged: usize,
    /// True once written; a preview or a refused file writes nothing.
    pub written: bool,
    /// Every row's action, in file order (empty when the file was refused).
    pub changes: Vec<TreeChange>,
    pub issues: Vec<RowIssue>,
}

impl TreeReport {
    pub fn ok(&self) -> bool {
        self.issues.is_empty()
    }
}

/// A kind as written in the file: English or Chinese.
fn parse_kind(text: &str) -> Option<AreaKind> {
    match text.trim().to_lowercase().as_str() {
        "street" | "街道" | "镇" | "乡镇" | "街道办" => Some(AreaKind::Street),
        "community" | "社区" | "村" | "村社区" => Some(AreaKind::Community),
        "micro_grid" | "micro-grid" | "microgrid" | "微网格" | "网格" => {
            Some(AreaKind::MicroGrid)
        }
        "zone" | "园区" => Some(AreaKind::Zone),
        _ => None,
    }
}

/// The kind an area of `kind` must hang under.
pub(crate) fn parent_kind(kind: AreaKind) -> Option<AreaKind> {
    kind.depth()
        .checked_sub(1)
        .and_then(|d| AreaKind::ALL.get(d).copied())
}

/// A name as the tree stores it: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control
/// characters. The error is the problem to report.
pub(crate) fn check_name(text: &str) -> std::result::Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the name has {} characters; at most {MAX_NAME_CHARS}",
            name.chars().count()
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the name contains control characters".into());
    }
    Ok(name.to_owned())
}

struct Row {
    row: usize,
    code: String,
    name: String,
    kind: AreaKind,
    parent_code: String,
}

fn read_row(r: &TableRow<'_>, issues: &mut Vec<RowIssue>) -> Option<Row> {
    let mut ok = true;
    let code = match AreaCode::parse(r.get("code")) {
        Ok(c) => c.as_str().to_owned(),
        Err(e) => {
            issues.push(r.issue("code", e.code, e.message));
            ok = false;
            String::new()
        }
    };
    let name = match check_name(r.get("name")) {
        Ok(n) => n,
        Err(m) => {
            issues.push(r.issue("name", "bad_name", m));
            ok = false;
            String::new()
        }
    };
    let kind = match parse_kind(r.get("kind")) {
        Some(k) => Some(k),
        None => {
            issues.push(r.issue(
                "kind",
                "bad_kind",
                format!(
                    "kind {:?} is not street, community or micro_grid (街道/社区/微网格)",
                    r.get("kind")
                ),
            ));
            ok = false;
            None
        }
    };
    let parent_code = r.get("parent_code").to_owned();
    if parent_code.is_empty() && kind.is_some_and(|k| k != AreaKind::Zone) {
        issues.push(r.issue("parent_code", "required", "the parent code is missing"));
        ok = false;
    }
    match kind {
        Some(kind) if ok => Some(Row {
            row: r.row,
            code,
            name,
            kind,
            parent_code,
        }),
        _ => None,
    }
}

/// Check `bytes` and, with `commit`, write the tree in one transaction. A refused file is the
/// report with its issues (not an error); errors are rights and the database.
pub async fn import_tree(
    app: &App,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    commit: bool,
) -> Result<TreeReport> {
    actor.require(Right::ManageAccounts)?;
    let format = FileFormat::detect(file_name, bytes);
    let mut report = TreeReport {
        file: file_name.to_owned(),
        format,
        rows: 0,
        added: 0,
        renamed: 0,
        unchanged: 0,
        written: false,
        changes: vec![],
        issues: vec![],
    };
    let table = match Table::read(
        format,
        bytes,
        COLUMNS,
        &["code", "name", "kind", "parent_code"],
    ) {
        Ok(t) => t,
        Err(issues) => {
            report.issues = issues;
            return Ok(report);
        }
    };
    let mut issues = vec![];
    let mut rows = vec![];
    for r in table.rows() {
        report.rows += 1;
        if let Some(row) = read_row(&r, &mut issues) {
            rows.push(row);
        }
    }
    if report.rows == 0 {
        issues.push(issue(
            0,
            None,
            "empty_file",
            "the file has no data rows".into(),
        ));
    }

    let mut tx = if commit {
        app.store.write().await?
    } else {
        app.store.read().await?
    };
    let existing = tx.areas_for_admin(&actor.scope_path).await?;
    let by_code: HashMap<&str, &store::AreaAdminRow> =
        existing.iter().map(|a| (a.code.as_str(), a)).collect();
    let by_id: HashMap<i64, &store::AreaAdminRow> = existing.iter().map(|a| (a.id, a)).collect();

    // Codes twice in the file: the later rows are refused, naming the first.
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    let mut file_rows: HashMap<&str, &Row> = HashMap::new();
    for r in &rows {
        match first_row.get(r.code.as_str()) {
            Some(first) => issues.push(issue(
                r.row,
                Some("code"),
                "duplicate_code",
                format!("code {} appears already in row {first}", r.code),
            )),
            None => {
                first_row.insert(&r.code, r.row);
                file_rows.insert(&r.code, r);
            }
        }
    }

    // Cycles among the file's rows: follow each row's parents inside the file.
    let mut in_cycle: HashSet<&str> = HashSet::new();
    for r in file_rows.values() {
        let mut seen: Vec<&str> = vec![r.code.as_str()];
        let mut at = r.parent_code.as_str();
        while let Some(p) = file_rows.get(at) {
            if let Some(pos) = seen.iter().position(|c| *c == at) {
                in_cycle.extend(seen[pos..].iter().copied());
                break;
            }
            seen.push(at);
            at = p.parent_code.as_str();
        }
    }

    for r in rows
        .iter()
        .filter(|r| first_row.get(r.code.as_str()) == Some(&r.row))
    {
        let stored = by_code.get(r.code.as_str()).copied();
        if in_cycle.contains(r.code.as_str()) {
            issues.push(issue(
                r.row,
                Some("parent_code"),
                "cycle",
                format!(
                    "area {} is its own ancestor through parent {}",
                    r.code, r.parent_code
                ),
            ));
            continue;
        }
        if r.kind == AreaKind::Zone {
            // The zone exists (made by `zhikong init`); a row for it may only repeat it.
            match stored {
                Some(z) if z.kind == "zone" => {}
                _ => issues.push(issue(
                    r.row,
                    Some("kind"),
                    "bad_kind",
                    "the zone exists already; the file lists its streets, communities and \
                     micro-grids"
                        .into(),
                )),
            }
        } else {
            // The parent: a row of the file, else a stored area.
            let parent_kind_found = match (
                file_rows.get(r.parent_code.as_str()),
                by_code.get(r.parent_code.as_str()),
            ) {
                (Some(p), _) => Some(p.kind),
                (None, Some(p)) => p.kind.parse::<AreaKind>().ok(),
                (None, None) => {
                    issues.push(issue(
                        r.row,
                        Some("parent_code"),
                        "unknown_parent",
                        format!(
                            "no area has code {} (neither in the file nor stored)",
                            r.parent_code
                        ),
                    ));
                    None
                }
            };
            let wanted = parent_kind(r.kind);
            if let Some(found) = parent_kind_found
                && Some(found) != wanted
            {
                issues.push(issue(
                    r.row,
                    Some("kind"),
                    "wrong_parent_kind",
                    format!(
                        "a {} must be under a {}, but parent {} is a {}",
                        r.kind,
                        wanted.map_or("nothing", AreaKind::as_str),
                        r.parent_code,
                        found
                    ),
                ));
            }
        }
        // A stored area with this code must be the same area: same kind, same parent.
        if let Some(s) = stored {
            let stored_parent = s
                .parent_id
                .and_then(|p| by_id.get(&p))
                .map_or("", |p| p.code.as_str());
            if s.kind != r.kind.as_str()
                || (r.kind != AreaKind::Zone && stored_parent != r.parent_code)
            {
                issues.push(issue(
                    r.row,
                    Some("code"),
                    "duplicate_code",
                    format!(
                        "area {} exists already as a {} under {}; re-parent it on the areas page",
                        r.code,
                        s.kind,
                        if stored_parent.is_empty() {
                            "nothing"
                        } else {
                            stored_parent
                        }
                    ),
                ));
                continue;
            }
        }
        let (action, old_name) = match stored {
            None => (TreeAction::New, None),
            Some(s) if s.name == r.name => (TreeAction::Unchanged, None),
            Some(s) => (TreeAction::Renamed, Some(s.name.clone())),
        };
        report.changes.push(TreeChange {
            row: r.row,
            code: r.code.clone(),
            name: r.name.clone(),
            kind: r.kind,
            parent_code: r.parent_code.clone(),
            action,
            old_name,
        });
    }
    // A code outside the actor's area that exists elsewhere would be refused by the unique
    // constraint; say it plainly instead.
    if issues.is_empty() {
        for c in report
            .changes
            .iter()
            .filter(|c| c.action == TreeAction::New)
        {
            if tx.area_by_code(&c.code).await?.is_some() {
                issues.push(issue(
                    c.row,
                    Some("code"),
                    "duplicate_code",
                    format!("area {} exists already outside your area", c.code),
                ));
            }
        }
    }
    issues.sort_by_key(|i| i.row);
    report.issues = issues;
    for c in &report.changes {
        match c.action {
            TreeAction::New => report.added += 1,
            TreeAction::Renamed => report.renamed += 1,
            TreeAction::Unchanged => report.unchanged += 1,
        }
    }
    if !report.ok() {
        report.changes.clear();
        report.added = 0;
        report.renamed = 0;
        report.unchanged = 0;
        tx.rollback().await?;
        return Ok(report);
    }
    if !commit {
        tx.rollback().await?;
        return Ok(report);
    }

    // Parents before children: by depth, then file order.
    let now = domain::time::now_ms();
    let mut ids: HashMap<String, i64> = existing.iter().map(|a| (a.code.clone(), a.id)).collect();
    let mut order: Vec<&TreeChange> = report.changes.iter().collect();
    order.sort_by_key(|c| (c.kind.depth(), c.row));
    for c in order {
        match c.action {
            TreeAction::Unchanged => {}
            TreeAction::Renamed => {
                let id = ids[&c.code];
                tx.rename_area(id, &c.name).await?;
                let mut entry = actor.audit("area.rename", "area", id);
                entry.detail = serde_json::json!({
                    "before": {"name": c.old_name},
                    "after": {"name": c.name},
                    "by": "import",
                })
                .to_string();
                tx.insert_audit(&entry, now).await?;
            }
            TreeAction::New => {
                let parent_id = ids.get(&c.parent_code).copied();
                let row = tx
                    .insert_area(
                        &store::NewArea {
                            parent_id,
                            kind: c.kind.as_str().to_owned(),
                            code: c.code.clone(),
                            name: c.name.clone(),
                            boundary: None,
                        },
                        now,
                    )
                    .await?;
                ids.insert(c.code.clone(), row.id);
            }
        }
    }
    let mut entry = actor.audit("area.import_tree", "area", "*");
    entry.detail = serde_json::json!({
        "file": report.file,
        "added": report.added,
        "renamed": report.renamed,
        "unchanged": report.unchanged,
    })
    .to_string();
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    report.written = true;
    Ok(report)
}
