//! Investment projects ("3+1" mechanism) and office buildings: adding projects with their
//! history, recording a stage (a stage that goes backwards needs a reason), and what a year's
//! report counts — projects started and completed, same-year projects, Fortune-500 projects to
//! date, the conference's signings, days from signing to licence, buildings over 10 million
//! and 100 million yuan of tax.

use chrono::NaiveDate;
use domain::economy::building::{HUNDRED_MILLION_YUAN, TEN_MILLION_YUAN, count_at_least};
use domain::economy::project::{
    ProjectStage, StageEvent, check_history, check_stage_change, days_signing_to_licence, entered,
    reached, same_year_track,
};
use domain::economy::{Currency, period};
use serde::Serialize;
use store::{EconStageRow, NewEconProject};

use super::{ensure_defaults, load_catalog, require_edit};
use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

/// A project of 10 billion yuan or more (百亿项目), in fen.
pub const TEN_BILLION_YUAN: i64 = 10_000_000_000 * 100;

#[derive(Debug, Clone)]
pub struct NewProject {
    pub code: String,
    pub name: String,
    pub investor: String,
    /// ISO 3166-1 alpha-2, `CN` for domestic capital.
    pub country: String,
    pub fortune500: bool,
    pub sector: String,
    pub region_code: String,
    /// Fen.
    pub total_investment: Option<i64>,
    /// Minor units of `foreign_currency`.
    pub contracted_foreign: Option<i64>,
    pub actual_foreign: Option<i64>,
    pub foreign_currency: Option<Currency>,
    /// The conference (by name) the project was signed at.
    pub conference: Option<String>,
    pub licence_on: Option<NaiveDate>,
    /// At least one step, in order.
    pub history: Vec<StageEvent>,
}

fn step_row(project_id: i64, e: &StageEvent) -> EconStageRow {
    EconStageRow {
        project_id,
        stage: e.stage.as_str().into(),
        on_date: e.on.format("%Y-%m-%d").to_string(),
        reason: e.reason.clone(),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| AppError::Internal(format!("stored date {s:?}: {e}")))
}

fn event(r: &EconStageRow) -> Result<StageEvent> {
    Ok(StageEvent {
        stage: r
            .stage
            .parse()
            .map_err(|e| AppError::Internal(format!("stored stage: {e}")))?,
        on: parse_date(&r.on_date)?,
        reason: r.reason.clone(),
    })
}

/// A project as stored (its stage is the last step's).
pub(crate) fn project_row(p: &NewProject, conference_id: Option<i64>) -> NewEconProject {
    NewEconProject {
        code: p.code.trim().into(),
        name: p.name.trim().into(),
        investor: p.investor.trim().into(),
        country: p.country.clone(),
        fortune500: p.fortune500,
        sector: p.sector.trim().into(),
        region_code: p.region_code.clone(),
        total_investment: p.total_investment,
        contracted_foreign: p.contracted_foreign,
        actual_foreign: p.actual_foreign,
        foreign_currency: p.foreign_currency.map(|c| c.as_str().into()),
        conference_id,
        stage: p
            .history
            .last()
            .map(|e| e.stage.as_str())
            .unwrap_or("negotiating")
            .into(),
        licence_on: p.licence_on.map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

/// A project's steps as stored.
pub(crate) fn step_rows(p: &NewProject) -> Vec<EconStageRow> {
    p.history.iter().map(|e| step_row(0, e)).collect()
}

/// Add projects with their histories, in one transaction (all or none).
pub async fn add_projects(
    app: &App,
    actor: Option<&Actor>,
    projects: &[NewProject],
) -> Result<Vec<i64>> {
    if let Some(a) = actor {
        require_edit(a)?;
    }
    let now = domain::time::now_ms();
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let conferences = tx.econ_conferences().await?;
    let mut ids = vec![];
    for (i, p) in projects.iter().enumerate() {
        let field = |f: &str| {
            if projects.len() == 1 {
                f.to_owned()
            } else {
                format!("projects[{i}].{f}")
            }
        };
        let mut v = Validation::default();
        if p.code.trim().is_empty() {
            v.push(FieldError::new(
                &field("code"),
                "required",
                "the project code is required",
            ));
        }
        if p.name.trim().is_empty() {
            v.push(FieldError::new(
                &field("name"),
                "required",
                "the project name is required",
            ));
        }
        if p.country.len() != 2 || !p.country.bytes().all(|b| b.is_ascii_uppercase()) {
            v.push(FieldError::new(
                &field("country"),
                "bad_country",
                format!(
                    "country {:?} is not a two-letter ISO code such as DE or CN",
                    p.country
                ),
            ));
        }
        if catalog.region(&p.region_code).is_none() {
            v.push(FieldError::new(
                &field("region_code"),
                "unknown_region",
                format!("unknown region {:?}", p.region_code),
            ));
        }
        if (p.contracted_foreign.is_some() || p.actual_foreign.is_some())
            && p.foreign_currency.is_none()
        {
            v.push(FieldError::new(
                &field("foreign_currency"),
                "currency_required",
                "a foreign amount needs its currency",
            ));
        }
        if [p.total_investment, p.contracted_foreign, p.actual_foreign]
            .iter()
            .flatten()
            .any(|a| *a < 0)
        {
            v.push(FieldError::new(
                &field("total_investment"),
                "negative",
                "amounts cannot be negative",
            ));
        }
        let conference_id = match &p.conference {
            None => None,
            Some(name) => match conferences.iter().find(|c| &c.name == name) {
                Some(c) => Some(c.id),
                None => {
                    v.push(FieldError::new(
                        &field("conference"),
                        "unknown_conference",
                        format!("unknown conference {name:?}"),
                    ));
                    None
                }
            },
        };
        if p.history.is_empty() {
            v.push(FieldError::new(
                &field("history"),
                "required",
                "a project needs at least its first stage",
            ));
        } else if let Err(e) = check_history(&p.history) {
            v.push(FieldError::from_value(&field("history"), e));
        }
        v.finish()?;
        let mut row = project_row(p, conference_id);
        row.region_code = catalog
            .region(&p.region_code)
            .map(|r| r.code.clone())
            .unwrap_or_default();
        let steps = step_rows(p);
        let id =
            tx.insert_econ_project(&row, &steps, now)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::Conflict { message, .. } => AppError::Conflict {
                        field: field("code"),
                        message,
                    },
                    other => other,
                })?;
        tx.insert_audit(
            &super::audit_entry(
                actor,
                "economy.project.add",
                "econ_project",
                &id.to_string(),
                String::new(),
            ),
            now,
        )
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Record a project's next stage; refused when dated before the last step, or going back
/// without a reason.
pub async fn record_stage(
    app: &App,
    actor: Option<&Actor>,
    project_id: i64,
    next: StageEvent,
) -> Result<()> {
    if let Some(a) = actor {
        require_edit(a)?;
    }
    let now = domain::time::now_ms();
    let mut tx = app.store.write().await?;
    let history: Vec<StageEvent> = tx
        .econ_project_stages(Some(project_id))
        .await?
        .iter()
        .map(event)
        .collect::<Result<_>>()?;
    if history.is_empty() && !tx.econ_projects().await?.iter().any(|p| p.id == project_id) {
        return Err(AppError::NotFound("project"));
    }
    check_stage_change(&history, &next)
        .map_err(|e| AppError::Invalid(vec![FieldError::from_value("stage", e)]))?;
    tx.add_econ_project_stage(&step_row(project_id, &next), now)
        .await?;
    let entry = super::audit_entry(
        actor,
        "economy.project.stage",
        "econ_project",
        &project_id.to_string(),
        format!("{} on {}", next.stage, next.on),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct ConferenceYear {
    pub name: String,
    pub ordinal: Option<i64>,
    pub held_on: String,
    /// Projects signed at the conference (reached the signed stage).
    pub signed: usize,
    /// Of those, 10 billion yuan or more.
    pub over_ten_billion: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectYear {
    pub year: i32,
    /// First started in the year.
    pub started: usize,
    /// First completed in the year.
    pub completed: usize,
    /// Negotiated, signed and started within the year.
    pub same_year: Vec<String>,
    /// Fortune-500 projects at the signed stage or beyond at the end of the year.
    pub fortune500_to_date: usize,
    pub conferences: Vec<ConferenceYear>,
    /// Projects signed in the year with a business licence: (name, days), fastest first.
    pub signing_to_licence: Vec<(String, i64)>,
    /// The pipeline at the end of the period: how many projects stood at each stage
    /// (negotiating, signed, started, completed), a project that fell back at the stage it
    /// fell back to.
    pub pipeline: [usize; 4],
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildingYear {
    pub year: i32,
    pub buildings: usize,
    pub over_ten_million: usize,
    pub over_hundred_million: usize,
    /// Fen.
    pub total_tax: i64,
}

/// The stage a project stood at on `day` (its last step on or before it).
fn stage_on(history: &[StageEvent], day: NaiveDate) -> Option<ProjectStage> {
    history.iter().rev().find(|e| e.on <= day).map(|e| e.stage)
}

/// What the report of January to the end of month `through` of `year` counts of projects,
/// and the buildings' tax of the year.
pub async fn year_counts(app: &App, year: i32, through: u8) -> Result<(ProjectYear, BuildingYear)> {
    if !(1..=12).contains(&through) {
        return Err(AppError::invalid(
            "through_month",
            "bad_month",
            format!("month {through} does not exist"),
        ));
    }
    if !(period::MIN_YEAR..=period::MAX_YEAR).contains(&year) {
        return Err(AppError::invalid(
            "year",
            "bad_year",
            format!("year {year} is out of range"),
        ));
    }
    let mut tx = app.store.read().await?;
    let projects = tx.econ_projects().await?;
    let stages = tx.econ_project_stages(None).await?;
    let conferences = tx.econ_conferences().await?;
    let buildings = tx.econ_building_taxes(i64::from(year)).await?;
    tx.commit().await?;

    let mut histories: std::collections::HashMap<i64, Vec<StageEvent>> =
        std::collections::HashMap::new();
    for s in &stages {
        histories.entry(s.project_id).or_default().push(event(s)?);
    }
    let empty = vec![];
    // The last day of month `through`.
    let end = if through == 12 {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, u32::from(through) + 1, 1).and_then(|d| d.pred_opt())
    }
    .ok_or(AppError::Internal("date".into()))?;
    let in_year =
        |d: Option<NaiveDate>| d.is_some_and(|d| chrono::Datelike::year(&d) == year && d <= end);
    let mut py = ProjectYear {
        year,
        started: 0,
        completed: 0,
        same_year: vec![],
        fortune500_to_date: 0,
        conferences: vec![],
        signing_to_licence: vec![],
        pipeline: [0; 4],
    };
    for p in &projects {
        let h = histories.get(&p.id).unwrap_or(&empty);
        if in_year(entered(h, ProjectStage::Started)) {
            py.started += 1;
        }
        if in_year(entered(h, ProjectStage::Completed)) {
            py.completed += 1;
        }
        if same_year_track(h, year) && entered(h, ProjectStage::Started).is_some_and(|d| d <= end) {
            py.same_year.push(p.project.name.clone());
        }
        let at_end = stage_on(h, end);
        if p.project.fortune500 && at_end.is_some_and(|s| s >= ProjectStage::Signed) {
            py.fortune500_to_date += 1;
        }
        if let Some(s) = at_end {
            py.pipeline[s as usize] += 1;
        }
        if in_year(reached(h, ProjectStage::Signed)) {
            let licence = p
                .project
                .licence_on
                .as_deref()
                .map(parse_date)
                .transpose()?;
            if let Some(days) = days_signing_to_licence(h, licence) {
                py.signing_to_licence.push((p.project.name.clone(), days));
            }
        }
    }
    py.signing_to_licence.sort_by_key(|(_, d)| *d);
    for c in conferences
        .iter()
        .filter(|c| c.held_on.starts_with(&year.to_string()))
    {
        let signed: Vec<_> = projects
            .iter()
            .filter(|p| p.project.conference_id == Some(c.id))
            .filter(|p| {
                reached(histories.get(&p.id).unwrap_or(&empty), ProjectStage::Signed).is_some()
            })
            .collect();
        py.conferences.push(ConferenceYear {
            name: c.name.clone(),
            ordinal: c.ordinal,
            held_on: c.held_on.clone(),
            signed: signed.len(),
            over_ten_billion: signed
                .iter()
                .filter(|p| {
                    p.project
                        .total_investment
                        .is_some_and(|t| t >= TEN_BILLION_YUAN)
                })
                .count(),
        });
    }
    let taxes: Vec<i64> = buildings.iter().map(|b| b.tax).collect();
    let by = BuildingYear {
        year,
        buildings: taxes.len(),
        over_ten_million: count_at_least(&taxes, TEN_MILLION_YUAN),
        over_hundred_million: count_at_least(&taxes, HUNDRED_MILLION_YUAN),
        total_tax: taxes.iter().sum(),
    };
    Ok((py, by))
}

/// A project as a line of a list: enough to choose it and see where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub stage: ProjectStage,
}

/// Every project with its current stage, by code.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ProjectLine>> {
    super::require_view(actor)?;
    let mut tx = app.store.read().await?;
    let rows = tx.econ_projects().await?;
    tx.commit().await?;
    let mut out = rows
        .into_iter()
        .map(|p| {
            Ok(ProjectLine {
                stage: p
                    .project
                    .stage
                    .parse()
                    .map_err(|e| AppError::Internal(format!("stored stage: {e}")))?,
                id: p.id,
                code: p.project.code,
                name: p.project.name,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}
