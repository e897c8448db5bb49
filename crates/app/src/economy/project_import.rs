//! Import of projects and of buildings' tax from CSV or xlsx, all or nothing, with the same
//! row-by-row report as the indicators.
//!
//! Projects, one row each: `code` (项目编号), `name` (项目名称), `investor` (投资方), `country`
//! (国别, ISO code), `fortune500` (世界500强: 是/否), `sector` (行业), `total_10k_yuan` (总投资
//! （万元）), `contracted_foreign` / `actual_foreign` (合同外资 / 实到外资, in `foreign_unit`:
//! 美元, 万美元, 亿美元, …), `conference` (招商大会), `licence_on` (营业执照日期) and one date
//! per stage: `negotiating_on`, `signed_on`, `started_on`, `completed_on` (洽谈日期, 签约日期,
//! 开工日期, 竣工日期). A new code adds the project; a known code may only add later stages to
//! its history (a stage already recorded on another date is refused: a correction, or a step
//! back, is recorded one by one with its reason).
//!
//! Buildings, one row per building and year: `code` (楼宇编号), `name` (楼宇名称), `street`
//! (街道), `year` (年度), `tax_10k_yuan` (税收（万元）).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::economy::DisplayUnit;
use domain::economy::project::{ProjectStage, StageEvent, check_history};
use domain::economy::quantity::parse_scaled;

use super::import::ImportReport;
use super::projects::{project_row, step_rows};
use super::table::{self, Columns, issue, take};
use super::{ensure_defaults, load_catalog};
use crate::{Actor, App, Result};

const WAN: i64 = 10_000 * 100;

const PROJECT_COLUMNS: Columns = &[
    ("code", &["code", "项目编号"]),
    ("name", &["name", "项目名称"]),
    ("investor", &["investor", "投资方"]),
    ("country", &["country", "国别"]),
    ("fortune500", &["fortune500", "世界500强"]),
    ("sector", &["sector", "行业"]),
    (
        "total_10k_yuan",
        &["total_10k_yuan", "总投资（万元）", "总投资(万元)"],
    ),
    ("contracted_foreign", &["contracted_foreign", "合同外资"]),
    ("actual_foreign", &["actual_foreign", "实到外资"]),
    ("foreign_unit", &["foreign_unit", "外资单位"]),
    ("conference", &["conference", "招商大会"]),
    ("licence_on", &["licence_on", "营业执照日期"]),
    ("negotiating_on", &["negotiating_on", "洽谈日期"]),
    ("signed_on", &["signed_on", "签约日期"]),
    ("started_on", &["started_on", "开工日期"]),
    ("completed_on", &["completed_on", "竣工日期"]),
];
const PROJECT_REQUIRED: &[&str] = &["code", "name", "country"];

const BUILDING_COLUMNS: Columns = &[
    ("code", &["code", "楼宇编号"]),
    ("name", &["name", "楼宇名称"]),
    ("street", &["street", "街道"]),
    ("year", &["year", "年度"]),
    (
        "tax_10k_yuan",
        &["tax_10k_yuan", "税收（万元）", "税收(万元)"],
    ),
];
const BUILDING_REQUIRED: &[&str] = &["code", "name", "year", "tax_10k_yuan"];

/// A date as `2019-05-28`, `2019/5/28` or `2019年5月28日` (or a spreadsheet date cell, read
/// as its month by the reader: refused here, since a day is needed).
fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    let t = s.trim().replace(['年', '月', '/'], "-").replace('日', "");
    NaiveDate::parse_from_str(&t, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date such as 2019-05-28"))
}

/// Import projects; a file with any problem writes nothing.
pub async fn import_projects(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    let (mut report, table) =
        match table::open(actor, file_name, bytes, PROJECT_COLUMNS, PROJECT_REQUIRED)? {
            Ok(opened) => opened,
            Err(refused) => return Ok(refused),
        };
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let home = catalog.home().map(|r| r.code.clone()).unwrap_or_default();
    let conferences = tx.econ_conferences().await?;
    let stored: HashMap<String, i64> = tx
        .econ_projects()
        .await?
        .into_iter()
        .map(|p| (p.project.code, p.id))
        .collect();
    let mut histories: HashMap<i64, Vec<StageEvent>> = HashMap::new();
    for s in tx.econ_project_stages(None).await? {
        if let (Ok(stage), Ok(on)) = (
            s.stage.parse::<ProjectStage>(),
            NaiveDate::parse_from_str(&s.on_date, "%Y-%m-%d"),
        ) {
            histories.entry(s.project_id).or_default().push(StageEvent {
                stage,
                on,
                reason: s.reason,
            });
        }
    }
    let mut new_projects = vec![];
    let mut appended: Vec<(i64, Vec<StageEvent>)> = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in table.rows() {
        let row = r.row;
        report.rows += 1;
        let get = |name: &str| r.get(name);
        let before = report.issues.len();
        let code = get("code").to_owned();
        if code.is_empty() {
            report.issues.push(issue(
                row,
                Some("code"),
                "required",
                "the project code is missing".into(),
            ));
        } else if let Some(r0) = seen.insert(code.clone(), row) {
            report.issues.push(issue(
                row,
                Some("code"),
                "duplicate",
                format!("project {code} is already on row {r0}"),
            ));
        }
        let mut history = vec![];
        for (column, stage) in [
            ("negotiating_on", ProjectStage::Negotiating),
            ("signed_on", ProjectStage::Signed),
            ("started_on", ProjectStage::Started),
            ("completed_on", ProjectStage::Completed),
        ] {
            match get(column) {
                "" => {}
                t => match parse_day(t) {
                    Ok(on) => history.push(StageEvent {
                        stage,
                        on,
                        reason: None,
                    }),
                    Err(m) => report.issues.push(issue(row, Some(column), "bad_date", m)),
                },
            }
        }
        if history.is_empty() && report.issues.len() == before {
            report.issues.push(issue(
                row,
                Some("negotiating_on"),
                "no_stage",
                "give the date of at least one stage".into(),
            ));
        }
        if let Err(e) = check_history(&history) {
            report
                .issues
                .push(issue(row, Some("started_on"), e.code, e.message));
        }
        let licence_on = match get("licence_on") {
            "" => None,
            t => match parse_day(t) {
                Ok(d) => Some(d),
                Err(m) => {
                    report
                        .issues
                        .push(issue(row, Some("licence_on"), "bad_date", m));
                    None
                }
            },
        };
        let country = get("country").to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            report.issues.push(issue(
                row,
                Some("country"),
                "bad_country",
                format!(
                    "country {:?} is not a two-letter ISO code such as DE or CN",
                    get("country")
                ),
            ));
        }
        let fortune500 = match get("fortune500").to_lowercase().as_str() {
            "" | "0" | "no" | "false" | "否" => false,
            "1" | "yes" | "true" | "是" => true,
            other => {
                report.issues.push(issue(
                    row,
                    Some("fortune500"),
                    "bad_flag",
                    format!("{other:?} is not yes/no (是/否)"),
                ));
                false
            }
        };
        let total = match get("total_10k_yuan") {
            "" => None,
            t => match parse_scaled(t, WAN) {
                Ok(v) if v >= 0 => Some(v),
                Ok(_) => {
                    report.issues.push(issue(
                        row,
                        Some("total_10k_yuan"),
                        "negative",
                        "amounts cannot be negative".into(),
                    ));
                    None
                }
                Err(e) => {
                    report
                        .issues
                        .push(issue(row, Some("total_10k_yuan"), e.code, e.message));
                    None
                }
            },
        };
        let (contracted_text, actual_text) = (get("contracted_foreign"), get("actual_foreign"));
        let mut foreign_currency = None;
        let (mut contracted, mut actual) = (None, None);
        if !contracted_text.is_empty() || !actual_text.is_empty() {
            match DisplayUnit::parse(get("foreign_unit")) {
                Ok(u) if u.measure == domain::economy::Measure::Money => {
                    foreign_currency = u.currency;
                    for (column, text, slot) in [
                        ("contracted_foreign", contracted_text, &mut contracted),
                        ("actual_foreign", actual_text, &mut actual),
                    ] {
                        if !text.is_empty() {
                            match u.to_base(text) {
                                Ok(v) if v >= 0 => *slot = Some(v),
                                Ok(_) => report.issues.push(issue(
                                    row,
                                    Some(column),
                                    "negative",
                                    "amounts cannot be negative".into(),
                                )),
                                Err(e) => {
                                    report
                                        .issues
                                        .push(issue(row, Some(column), e.code, e.message))
                                }
                            }
                        }
                    }
                }
                _ => report.issues.push(issue(
                    row,
                    Some("foreign_unit"),
                    "unit_mismatch",
                    format!(
                        "foreign amounts need a money unit such as 万美元, not {:?}",
                        get("foreign_unit")
                    ),
                )),
            }
        }
        let conference = match get("conference") {
            "" => None,
            name => match conferences.iter().find(|c| c.name == name) {
                Some(c) => Some((c.id, c.name.clone())),
                None => {
                    report.issues.push(issue(
                        row,
                        Some("conference"),
                        "unknown_conference",
                        format!("unknown conference {name:?}"),
                    ));
                    None
                }
            },
        };
        if report.issues.len() > before {
            continue;
        }
        if let Some(&id) = stored.get(&code) {
            // A known project: only later stages may be added.
            let old = histories.get(&id).cloned().unwrap_or_default();
            let mut added = vec![];
            let mut ok = true;
            for e in &history {
                match old.iter().find(|o| o.stage == e.stage) {
                    Some(o) if o.on == e.on => {}
                    Some(o) => {
                        report.issues.push(issue(row, Some(&format!("{}_on", e.stage)), "stage_date_changed", format!("{code} was {} on {}, not {}: record a correction as a step with its reason", e.stage.name_zh(), o.on, e.on)));
                        ok = false;
                    }
                    None => {
                        let mut so_far = old.clone();
                        so_far.extend(added.iter().cloned());
                        match domain::economy::project::check_stage_change(&so_far, e) {
                            Ok(()) => added.push(e.clone()),
                            Err(err) => {
                                report.issues.push(issue(
                                    row,
                                    Some(&format!("{}_on", e.stage)),
                                    err.code,
                                    err.message,
                                ));
                                ok = false;
                            }
                        }
                    }
                }
            }
            if ok && !added.is_empty() {
                appended.push((id, added));
            }
            continue;
        }
        let name = get("name");
        if name.is_empty() {
            report.issues.push(issue(
                row,
                Some("name"),
                "required",
                "the project name is missing".into(),
            ));
            continue;
        }
        new_projects.push((
            super::projects::NewProject {
                code: code.clone(),
                name: name.to_owned(),
                investor: get("investor").to_owned(),
                country,
                fortune500,
                sector: get("sector").to_owned(),
                region_code: home.clone(),
                total_investment: total,
                contracted_foreign: contracted,
                actual_foreign: actual,
                foreign_currency,
                conference: conference.as_ref().map(|(_, n)| n.clone()),
                licence_on,
                history,
            },
            conference.map(|(id, _)| id),
        ));
    }
    if !report.issues.is_empty() {
        report.issues.sort_by_key(|i| i.row);
        tx.rollback().await?;
        return Ok(report);
    }
    let now = domain::time::now_ms();
    for (p, conference_id) in &new_projects {
        tx.insert_econ_project(&project_row(p, *conference_id), &step_rows(p), now)
            .await?;
    }
    for (id, steps) in &appended {
        for e in steps {
            tx.add_econ_project_stage(
                &store::EconStageRow {
                    project_id: *id,
                    stage: e.stage.as_str().into(),
                    on_date: e.on.format("%Y-%m-%d").to_string(),
                    reason: None,
                },
                now,
            )
            .await?;
        }
    }
    report.written = new_projects.len() + appended.len();
    report.replaced = appended.len();
    let detail = format!(
        "{} projects added, {} advanced",
        new_projects.len(),
        appended.len()
    );
    tx.insert_audit(
        &super::audit_entry(
            actor,
            "economy.project.import",
            "econ_project",
            file_name,
            detail,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Import buildings' tax by year; a file with any problem writes nothing.
pub async fn import_buildings(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    let (mut report, table) =
        match table::open(actor, file_name, bytes, BUILDING_COLUMNS, BUILDING_REQUIRED)? {
            Ok(opened) => opened,
            Err(refused) => return Ok(refused),
        };
    let mut rows: Vec<(String, String, String, i64, i64)> = vec![];
    let mut seen: HashMap<(String, i64), usize> = HashMap::new();
    for r in table.rows() {
        let row = r.row;
        report.rows += 1;
        let get = |name: &str| r.get(name);
        let before = report.issues.len();
        let issues = &mut report.issues;
        let code = take(issues, r.required("code", "building code")).unwrap_or("");
        let name = take(issues, r.required("name", "building name")).unwrap_or("");
        let year = take(issues, r.year("year")).unwrap_or(0);
        let tax = match parse_scaled(get("tax_10k_yuan"), WAN) {
            Ok(v) if v >= 0 => v,
            Ok(_) => {
                report.issues.push(issue(
                    row,
                    Some("tax_10k_yuan"),
                    "negative",
                    "tax cannot be negative".into(),
                ));
                0
            }
            Err(e) => {
                report
                    .issues
                    .push(issue(row, Some("tax_10k_yuan"), e.code, e.message));
                0
            }
        };
        if report.issues.len() > before {
            continue;
        }
        if let Some(r0) = seen.insert((code.to_owned(), year), row) {
            report.issues.push(issue(
                row,
                Some("year"),
                "duplicate_period",
                format!("{code} {year} is already on row {r0}"),
            ));
            continue;
        }
        rows.push((
            code.to_owned(),
            name.to_owned(),
            get("street").to_owned(),
            year,
            tax,
        ));
    }
    if !report.issues.is_empty() {
        report.issues.sort_by_key(|i| i.row);
        return Ok(report);
    }
    let now = domain::time::now_ms();
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let home = load_catalog(&mut tx)
        .await?
        .home()
        .map(|r| r.code.clone())
        .unwrap_or_default();
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut taxes = vec![];
    for (code, name, street, year, tax) in &rows {
        let id = match ids.get(code) {
            Some(id) => *id,
            None => {
                let id = tx
                    .upsert_econ_building(code, name, &home, street, now)
                    .await?;
                ids.insert(code.clone(), id);
                id
            }
        };
        taxes.push((id, *year, *tax));
    }
    tx.upsert_econ_building_taxes(&taxes).await?;
    let detail = format!("{} building years written", taxes.len());
    tx.insert_audit(
        &super::audit_entry(
            actor,
            "economy.building.import",
            "econ_building",
            file_name,
            detail,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    report.written = taxes.len();
    Ok(report)
}

const EVALUATION_COLUMNS: Columns = &[
    ("region", &["region", "地区"]),
    ("name", &["name", "评价名称", "评价"]),
    ("category", &["category", "项目", "类别"]),
    ("year", &["year", "年度"]),
    ("scope", &["scope", "范围"]),
    ("rank", &["rank", "排名"]),
    ("previous_rank", &["previous_rank", "上年排名"]),
    ("publisher", &["publisher", "发布单位"]),
];
const EVALUATION_REQUIRED: &[&str] = &["name", "category", "year", "scope", "rank"];

/// Import external evaluations (e.g. the national ranking of development zones: rank and
/// previous rank by year); a file with any problem writes nothing. `region` defaults to the
/// zone.
pub async fn import_evaluations(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    let (mut report, table) = match table::open(
        actor,
        file_name,
        bytes,
        EVALUATION_COLUMNS,
        EVALUATION_REQUIRED,
    )? {
        Ok(opened) => opened,
        Err(refused) => return Ok(refused),
    };
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let mut rows = vec![];
    let mut seen: HashMap<(String, String, String, i64), usize> = HashMap::new();
    for r in table.rows() {
        let row = r.row;
        report.rows += 1;
        let get = |name: &str| r.get(name);
        let before = report.issues.len();
        for column in ["name", "category", "scope"] {
            take(&mut report.issues, r.required(column, column));
        }
        let region =
            take(&mut report.issues, r.region_or_home("region", &catalog)).unwrap_or_default();
        let year = take(&mut report.issues, r.year("year")).unwrap_or(0);
        let mut rank_of = |column: &str, required: bool| -> Option<i64> {
            let t = get(column)
                .trim_start_matches('第')
                .trim_end_matches(['位', '名']);
            if t.is_empty() && !required {
                return None;
            }
            match t.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    report.issues.push(issue(
                        row,
                        Some(column),
                        "bad_rank",
                        format!("{:?} is not a rank such as 12", get(column)),
                    ));
                    None
                }
            }
        };
        let rank = rank_of("rank", true);
        let previous_rank = rank_of("previous_rank", false);
        if report.issues.len() > before {
            continue;
        }
        let key = (
            region.clone(),
            get("name").to_owned(),
            get("category").to_owned(),
            year,
        );
        if let Some(r0) = seen.insert(key, row) {
            report.issues.push(issue(
                row,
                Some("category"),
                "duplicate_period",
                format!("the same evaluation, category and year is already on row {r0}"),
            ));
            continue;
        }
        rows.push(store::NewEconEvaluation {
            region_code: region,
            name: get("name").to_owned(),
            category: get("category").to_owned(),
            year,
            scope: get("scope").to_owned(),
            rank: rank.unwrap_or(1),
            previous_rank,
            publisher: get("publisher").to_owned(),
        });
    }
    if !report.issues.is_empty() {
        report.issues.sort_by_key(|i| i.row);
        tx.rollback().await?;
        return Ok(report);
    }
    let now = domain::time::now_ms();
    tx.upsert_econ_evaluations(&rows, now).await?;
    let detail = format!("{} evaluations written", rows.len());
    tx.insert_audit(
        &super::audit_entry(
            actor,
            "economy.evaluation.import",
            "econ_evaluation",
            file_name,
            detail,
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    report.written = rows.len();
    Ok(report)
}
