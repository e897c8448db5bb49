//! `zhikong import checkpoints FILE` and the upload on `/checkpoints`: the zone's checkpoints
//! and gates from its own list (CSV or xlsx; columns code, name, kind, area, lat, lon, hours,
//! optionally party_branch; Chinese headers too). Every row is checked through the same
//! [`CheckpointInput`] checks as the form; the file is written in one transaction, all or
//! nothing. A code already stored is an update (or unchanged when nothing differs).

use std::collections::HashMap;

use domain::{CheckpointKind, Right};
use serde::Serialize;

use crate::economy::import::{FileFormat, RowIssue};
use crate::economy::table::{Columns, Table, TableRow, issue};
use crate::{Actor, App, AppError, Result};

use super::CheckpointInput;

const COLUMNS: Columns = &[
    ("code", &["code", "编号", "卡点编号", "代码", "编码"]),
    ("name", &["name", "名称", "卡点名称"]),
    ("kind", &["kind", "类型", "卡点类型"]),
    (
        "area",
        &["area", "区域", "所属区域", "区域代码", "社区", "所属社区"],
    ),
    ("lat", &["lat", "latitude", "纬度"]),
    ("lon", &["lon", "lng", "longitude", "经度"]),
    (
        "hours",
        &["hours", "开放时间", "值守时间", "时间", "工作时间"],
    ),
    ("party_branch", &["party_branch", "临时党支部", "党支部"]),
];

/// A kind as written in the file: English or the Chinese the pages show.
fn parse_kind(text: &str) -> Option<CheckpointKind> {
    let t = text.trim();
    let by_zh = [
        ("交通卡点", CheckpointKind::Traffic),
        ("交通卡口", CheckpointKind::Traffic),
        ("社区小门", CheckpointKind::CommunityGate),
        ("企业小门", CheckpointKind::FactoryGate),
        ("商业区小门", CheckpointKind::CommercialGate),
        ("园区小门", CheckpointKind::ParkGate),
        ("隔离点", CheckpointKind::QuarantineSite),
    ];
    t.to_lowercase()
        .parse::<CheckpointKind>()
        .ok()
        .or_else(|| by_zh.iter().find(|(z, _)| *z == t).map(|(_, k)| *k))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointAction {
    New,
    Changed,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointChange {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub area_code: String,
    pub action: CheckpointAction,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointImportReport {
    pub file: String,
    pub format: FileFormat,
    pub rows: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub written: bool,
    pub changes: Vec<CheckpointChange>,
    pub issues: Vec<RowIssue>,
}

impl CheckpointImportReport {
    pub fn ok(&self) -> bool {
        self.issues.is_empty()
    }
}

fn number(r: &TableRow<'_>, column: &str, what: &str, issues: &mut Vec<RowIssue>) -> f64 {
    match r.get(column).parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            issues.push(r.issue(
                column,
                "bad_number",
                format!("the {what} {:?} is not a number", r.get(column)),
            ));
            f64::NAN
        }
    }
}

/// Check the file and, with `commit`, write it. A refused file is the report with its issues.
pub async fn import(
    app: &App,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    commit: bool,
) -> Result<CheckpointImportReport> {
    actor.require(Right::ManageCheckpoints)?;
    let format = FileFormat::detect(file_name, bytes);
    let mut report = CheckpointImportReport {
        file: file_name.to_owned(),
        format,
        rows: 0,
        added: 0,
        changed: 0,
        unchanged: 0,
        written: false,
        changes: vec![],
        issues: vec![],
    };
    let table = match Table::read(
        format,
        bytes,
        COLUMNS,
        &["code", "name", "kind", "area", "lat", "lon", "hours"],
    ) {
        Ok(t) => t,
        Err(issues) => {
            report.issues = issues;
            return Ok(report);
        }
    };
    let mut tx = if commit {
        app.store.write().await?
    } else {
        app.store.read().await?
    };
    // Areas by code and by exact name (a name shared by several areas must be given as a code).
    let areas = tx.areas_for_admin(&actor.scope_path).await?;
    let mut by_code: HashMap<&str, &store::AreaAdminRow> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<&store::AreaAdminRow>> = HashMap::new();
    for a in areas.iter().filter(|a| a.retired_at.is_none()) {
        by_code.insert(&a.code, a);
        by_name.entry(&a.name).or_default().push(a);
    }
    let stored: HashMap<String, store::CheckpointRecord> = tx
        .checkpoint_records(&actor.scope_path, true)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect();

    let mut issues = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut planned: Vec<(CheckpointChange, Option<i64>, store::CheckpointEdit)> = vec![];
    for r in table.rows() {
        report.rows += 1;
        let before = issues.len();
        let code = r.get("code").to_owned();
        if let Some(first) = seen.get(&code) {
            issues.push(r.issue(
                "code",
                "duplicate_code",
                format!("code {code} appears already in row {first}"),
            ));
            continue;
        }
        seen.insert(code.clone(), r.row);
        let kind = match parse_kind(r.get("kind")) {
            Some(k) => k.as_str().to_owned(),
            None => {
                issues.push(r.issue(
                    "kind",
                    "bad_kind",
                    format!(
                        "kind {:?} is not one of traffic, community_gate, factory_gate, \
                         commercial_gate, park_gate, quarantine_site (交通卡点, 社区小门, …)",
                        r.get("kind")
                    ),
                ));
                String::new()
            }
        };
        let area_text = r.get("area");
        let area = match (
            by_code.get(area_text),
            by_name.get(area_text).map(Vec::as_slice),
        ) {
            (Some(a), _) | (None, Some([a])) => Some(*a),
            (None, Some(many)) => {
                issues.push(r.issue(
                    "area",
                    "ambiguous_area",
                    format!(
                        "{} areas are named {area_text}; give the area's code",
                        many.len()
                    ),
                ));
                None
            }
            (None, None) => {
                issues.push(r.issue(
                    "area",
                    "unknown_area",
                    format!("no area in service has the code or name {area_text:?}"),
                ));
                None
            }
        };
        let lat = number(&r, "lat", "latitude", &mut issues);
        let lon = number(&r, "lon", "longitude", &mut issues);
        let existing = stored.get(&code);
        let input = CheckpointInput {
            code: Some(code.clone()),
            kind,
            name: r.get("name").to_owned(),
            area_id: area.map_or(0, |a| a.id),
            lat,
            lon,
            party_branch: Some(r.get("party_branch").to_owned()).filter(|p| !p.is_empty()),
            hours: r.get("hours").to_owned(),
            staff_on_duty: existing.map_or(0, |c| c.staff_on_duty),
        };
        if issues.len() > before {
            continue;
        }
        // The form's own checks, each refused field named in this row.
        match input.validate(&mut tx, actor, true).await {
            Ok((_, edit)) => {
                let action = match existing {
                    None => CheckpointAction::New,
                    Some(c)
                        if c.kind == edit.kind
                            && c.name == edit.name
                            && c.area_id == edit.area_id
                            && c.lat == edit.lat
                            && c.lon == edit.lon
                            && c.party_branch == edit.party_branch
                            && c.hours == edit.hours =>
                    {
                        CheckpointAction::Unchanged
                    }
                    Some(_) => CheckpointAction::Changed,
                };
                planned.push((
                    CheckpointChange {
                        row: r.row,
                        code: code.clone(),
                        name: edit.name.clone(),
                        area_code: area.map(|a| a.code.clone()).unwrap_or_default(),
                        action,
                    },
                    existing.map(|c| c.id),
                    edit,
                ));
            }
            Err(AppError::Invalid(fields)) => {
                for f in fields {
                    let column = match f.field.as_str() {
                        "area_id" => "area".to_owned(),
                        other => other.to_owned(),
                    };
                    issues.push(issue(r.row, Some(&column), &f.code, f.message));
                }
            }
            Err(e) => return Err(e),
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
    // A code taken by a checkpoint outside the actor's area.
    if issues.is_empty() {
        for (c, id, _) in &planned {
            if id.is_none() && tx.checkpoint_code_taken(&c.code).await? {
                issues.push(issue(
                    c.row,
                    Some("code"),
                    "duplicate_code",
                    format!("a checkpoint outside your area has the code {}", c.code),
                ));
            }
        }
    }
    report.issues = issues;
    if !report.ok() {
        tx.rollback().await?;
        return Ok(report);
    }
    for (c, _, _) in &planned {
        match c.action {
            CheckpointAction::New => report.added += 1,
            CheckpointAction::Changed => report.changed += 1,
            CheckpointAction::Unchanged => report.unchanged += 1,
        }
    }
    if !commit {
        report.changes = planned.into_iter().map(|(c, _, _)| c).collect();
        tx.rollback().await?;
        return Ok(report);
    }
    let now = domain::time::now_ms();
    for (c, id, edit) in &planned {
        match (c.action, id) {
            (CheckpointAction::New, _) => {
                let id = tx.create_checkpoint(&c.code, edit, now).await?;
                let mut entry = actor.audit("checkpoint.create", "checkpoint", id);
                entry.detail =
                    serde_json::json!({ "by": "import", "file": report.file }).to_string();
                tx.insert_audit(&entry, now).await?;
            }
            (CheckpointAction::Changed, Some(id)) => {
                let before = tx.checkpoint_record(*id).await?;
                tx.update_checkpoint(*id, edit, now).await?;
                let mut entry = actor.audit("checkpoint.edit", "checkpoint", id);
                entry.detail = serde_json::json!({
                    "by": "import",
                    "before": super::edit_json(&before),
                    "after": {
                        "kind": edit.kind, "name": edit.name, "area_id": edit.area_id,
                        "lat": edit.lat, "lon": edit.lon, "party_branch": edit.party_branch,
                        "hours": edit.hours,
                    },
                })
                .to_string();
                tx.insert_audit(&entry, now).await?;
            }
            _ => {}
        }
    }
    tx.commit().await?;
    report.written = true;
    report.changes = planned.into_iter().map(|(c, _, _)| c).collect();
    Ok(report)
}
