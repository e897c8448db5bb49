//! The five-colour risk level of every street and community on a day, from the confirmed
//! cases of the persons living there; and the map that draws it.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Right;
use domain::command::{Assessment, CaseEvent, RiskLevel, RiskTable};
use serde::Serialize;

use crate::map::{Cell, Drawn, Legend, draw_measure};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize)]
pub struct AreaRisk {
    pub area_id: i64,
    pub code: String,
    pub name: String,
    /// street or community
    pub kind: String,
    pub parent_id: Option<i64>,
    #[serde(flatten)]
    pub assessment: Assessment,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskMap {
    pub day: String,
    pub table_version: String,
    /// Streets then communities, by id.
    pub areas: Vec<AreaRisk>,
}

impl RiskMap {
    /// How many areas of `kind` are at each level, red first.
    pub fn counts(&self, kind: &str) -> [(RiskLevel, usize); 5] {
        RiskLevel::ALL.map(|l| {
            (
                l,
                self.areas
                    .iter()
                    .filter(|a| a.kind == kind && a.assessment.level == l)
                    .count(),
            )
        })
    }
}

/// The cases of a scope grouped by area id (a street's and a community's), with the rows of
/// the areas themselves. One read serves every day.
pub struct Inputs {
    pub areas: Vec<store::AreaRow>,
    pub events: HashMap<i64, Vec<CaseEvent>>,
    pub cases: Vec<store::ConfirmedCaseRow>,
}

pub async fn inputs(app: &App, actor: &Actor) -> Result<Inputs> {
    actor.require(Right::ViewCommand)?;
    let mut tx = app.store.read().await?;
    let areas = tx.map_areas(&actor.scope_path).await?;
    let cases = tx.confirmed_cases().await?;
    tx.rollback().await?;
    let mut events: HashMap<i64, Vec<CaseEvent>> = HashMap::new();
    for c in &cases {
        let Ok(day) = c.confirmed_on.parse::<NaiveDate>() else {
            continue;
        };
        let e = CaseEvent {
            day,
            in_cluster: c.cluster_id.is_some(),
        };
        events.entry(c.street_id).or_default().push(e);
        events.entry(c.community_id).or_default().push(e);
    }
    Ok(Inputs {
        areas,
        events,
        cases,
    })
}

pub fn assess_all(inputs: &Inputs, table: &RiskTable, day: NaiveDate) -> RiskMap {
    let mut areas: Vec<AreaRisk> = inputs
        .areas
        .iter()
        .map(|a| AreaRisk {
            area_id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.clone(),
            parent_id: a.parent_id,
            assessment: table.assess(inputs.events.get(&a.id).map_or(&[][..], Vec::as_slice), day),
        })
        .collect();
    areas.sort_by_key(|a| (a.kind != "street", a.area_id));
    RiskMap {
        day: day.to_string(),
        table_version: table.version().to_owned(),
        areas,
    }
}

/// Every street's and community's level on `day` (already resolved, see
/// [`super::resolve_day`]).
pub async fn risk_map(
    app: &App,
    actor: &Actor,
    table: &RiskTable,
    day: NaiveDate,
) -> Result<RiskMap> {
    let inputs = inputs(app, actor).await?;
    Ok(assess_all(&inputs, table, day))
}

/// One area's level on each of the `days` days up to `day`, newest first — the history behind
/// its colour.
pub async fn area_history(
    app: &App,
    actor: &Actor,
    table: &RiskTable,
    code: &str,
    day: NaiveDate,
    days: u32,
) -> Result<(AreaRisk, Vec<(String, Assessment)>)> {
    let inputs = inputs(app, actor).await?;
    let area = inputs
        .areas
        .iter()
        .find(|a| a.code == code)
        .ok_or(AppError::NotFound("area"))?;
    let events = inputs.events.get(&area.id).map_or(&[][..], Vec::as_slice);
    let history = (0..days.clamp(1, 120))
        .map(|i| {
            let d = day - chrono::Days::new(u64::from(i));
            (d.to_string(), table.assess(events, d))
        })
        .collect();
    Ok((
        AreaRisk {
            area_id: area.id,
            code: area.code.clone(),
            name: area.name.clone(),
            kind: area.kind.clone(),
            parent_id: area.parent_id,
            assessment: table.assess(events, day),
        },
        history,
    ))
}

/// Labels for the map in the page's language.
pub struct MapText<'a> {
    pub title: &'a str,
    pub empty: &'a str,
    pub en: bool,
}

/// Draw the levels of areas of `kind` (street or community) as a choropleth; each area links
/// to its detail for the same day.
pub fn draw(map: &RiskMap, rows: &[store::AreaRow], kind: &str, text: &MapText) -> Drawn {
    let by_id: HashMap<i64, &AreaRisk> = map.areas.iter().map(|a| (a.area_id, a)).collect();
    let rows: Vec<store::AreaRow> = rows.iter().filter(|r| r.kind == kind).cloned().collect();
    let legend = Legend {
        title: text.title.to_owned(),
        entries: RiskLevel::ALL
            .iter()
            .map(|l| {
                (
                    l.fill().to_owned(),
                    if text.en { l.en() } else { l.zh() }.to_owned(),
                )
            })
            .collect(),
    };
    draw_measure(
        &rows,
        |r| {
            let a = by_id.get(&r.id)?;
            let l = a.assessment.level;
            let f = &a.assessment.figures;
            Some(Cell {
                fill: l.fill().to_owned(),
                label: r.name.clone(),
                title: format!(
                    "{} · {} · 3d {} / 7d {} / 14d {}",
                    r.name,
                    if text.en { l.en() } else { l.zh() },
                    f.new_cases_3d,
                    f.new_cases_7d,
                    f.new_cases_14d
                ),
                href: Some(format!("/command/areas/{}?day={}", r.code, map.day)),
            })
        },
        &legend,
        text.empty,
    )
}

/// The areas' rows with boundaries for [`draw`].
pub async fn map_rows(app: &App, actor: &Actor) -> Result<Vec<store::AreaRow>> {
    actor.require(Right::ViewCommand)?;
    let mut tx = app.store.read().await?;
    let rows = tx.map_areas(&actor.scope_path).await?;
    tx.rollback().await?;
    Ok(rows)
}
