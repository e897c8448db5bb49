//! The 三率一度 per street and per sector for a day: sums by grouped SQL, rates by the domain.

use std::collections::HashMap;

use domain::Right;
use domain::enterprise::Sector;
use domain::enterprise::report::{RateInputs, Rates};
use serde::Serialize;

use crate::{Actor, App, Result};

#[derive(Debug, Clone, Serialize)]
pub struct RateLine {
    /// A street's id as text, or a sector.
    pub key: String,
    /// The street's or sector's name.
    pub label: String,
    pub inputs: RateInputs,
    pub rates: Rates,
}

#[derive(Debug, Clone, Serialize)]
pub struct RateTable {
    pub day: String,
    pub by_street: Vec<RateLine>,
    pub by_sector: Vec<RateLine>,
    pub overall: RateLine,
}

fn line(r: &store::RateGroupRow, label: String) -> RateLine {
    let inputs = RateInputs {
        enterprises: r.enterprises,
        reported: r.reported,
        resumed: r.resumed,
        on_site: r.on_site,
        total: r.total,
        capacity_sum: r.capacity_sum,
        major_projects: r.major_projects,
        major_projects_resumed: r.major_projects_resumed,
    };
    RateLine {
        key: r.group.clone(),
        label,
        rates: inputs.rates(),
        inputs,
    }
}

/// The rates of `day` for the whole zone (commanders, officers, reviewers).
pub async fn rates(app: &App, actor: &Actor, day: &str) -> Result<RateTable> {
    actor.require(Right::ServeEnterprises)?;
    let day: chrono::NaiveDate = day
        .parse()
        .map_err(|_| crate::AppError::invalid("day", "bad_date", "a day such as 2020-03-01"))?;
    let day = day.to_string();
    let mut tx = app.store.read().await?;
    let streets: HashMap<String, String> = tx
        .areas_of_kind("street", "/")
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let by_street_rows = tx.rate_groups(&day, true).await?;
    let by_sector_rows = tx.rate_groups(&day, false).await?;
    tx.rollback().await?;
    let by_street: Vec<RateLine> = by_street_rows
        .iter()
        .map(|r| {
            line(
                r,
                streets
                    .get(&r.group)
                    .cloned()
                    .unwrap_or_else(|| r.group.clone()),
            )
        })
        .collect();
    let by_sector: Vec<RateLine> = by_sector_rows
        .iter()
        .map(|r| {
            line(
                r,
                Sector::parse(&r.group)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_else(|_| r.group.clone()),
            )
        })
        .collect();
    // The zone: the sum of the sector groups (every enterprise is in exactly one sector).
    let mut total = store::RateGroupRow {
        group: String::new(),
        enterprises: 0,
        reported: 0,
        resumed: 0,
        on_site: 0,
        total: 0,
        capacity_sum: 0,
        major_projects: 0,
        major_projects_resumed: 0,
    };
    for r in &by_sector_rows {
        total.enterprises += r.enterprises;
        total.reported += r.reported;
        total.resumed += r.resumed;
        total.on_site += r.on_site;
        total.total += r.total;
        total.capacity_sum += r.capacity_sum;
        total.major_projects += r.major_projects;
        total.major_projects_resumed += r.major_projects_resumed;
    }
    Ok(RateTable {
        day,
        by_street,
        by_sector,
        overall: line(&total, "全区".into()),
    })
}

/// The resumption rate per street as an SVG choropleth through the map component
/// ([`crate::map::draw_measure`]): fixed bins of 20 points so that two days can be compared by
/// colour; each street links to its enterprises. Streets without a boundary are named in
/// `without_boundary`; streets without enterprises are left out.
pub fn resumption_map(
    table: &RateTable,
    streets: &[store::AreaRow],
    legend_title: &str,
    empty_text: &str,
) -> crate::map::Drawn {
    use crate::map::{Cell, Legend, SEQUENTIAL, draw_measure};
    let bin = |bp: i64| ((bp / 2000) as usize).min(SEQUENTIAL.len() - 1);
    let entries = SEQUENTIAL
        .iter()
        .enumerate()
        .map(|(i, c)| ((*c).to_owned(), format!("≥ {}%", i * 20)))
        .collect();
    draw_measure(
        streets,
        |s| {
            let line = table.by_street.iter().find(|l| l.key == s.id.to_string())?;
            let bp = line.rates.resumption_bp?;
            Some(Cell {
                fill: SEQUENTIAL[bin(bp)].to_owned(),
                label: s.name.clone(),
                title: format!("{} {}.{:02}%", s.name, bp / 100, bp % 100),
                href: Some(format!("/enterprises?street_id={}", s.id)),
            })
        },
        &Legend {
            title: legend_title.to_owned(),
            entries,
        },
        empty_text,
    )
}

/// The streets under the actor's scope with their boundaries, for [`resumption_map`].
pub async fn streets_with_boundaries(app: &App, actor: &Actor) -> Result<Vec<store::AreaRow>> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let rows = tx
        .area_children_with_boundaries(actor.scope_area_id)
        .await?;
    tx.rollback().await?;
    Ok(rows.into_iter().filter(|a| a.kind == "street").collect())
}
