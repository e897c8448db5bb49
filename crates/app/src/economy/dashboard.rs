//! The commander's economy dashboard: the report of a year (or January to a month) — each
//! indicator with its growth, ranks among the city's districts and historic highs, the
//! project pipeline, the per-mu classes — with the years on record to choose from and the
//! buildings whose tax passed 10 million yuan.

use domain::economy::building::{HUNDRED_MILLION_YUAN, TEN_MILLION_YUAN};
use domain::economy::quantity::format_scaled;
use serde::Serialize;

use super::report::{AnnualReport, report};
use super::{Catalog, require_view};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub report: AnnualReport,
    /// Years with any record of the zone, latest first.
    pub years: Vec<i32>,
    /// The year's buildings with 10 million yuan of tax or more, highest first.
    pub buildings: Vec<BuildingLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildingLine {
    pub code: String,
    pub name: String,
    /// Fen.
    pub tax: i64,
    /// In 万元, e.g. `12850`.
    pub tax_10k_yuan: String,
    /// 100 million yuan or more (亿元楼宇).
    pub over_hundred_million: bool,
}

/// The dashboard of `year` (default: the latest year with a record of the zone), January to
/// the end of month `through`.
pub async fn dashboard(
    app: &App,
    actor: &Actor,
    year: Option<i32>,
    through: u8,
) -> Result<Dashboard> {
    require_view(actor)?;
    let catalog: Catalog = super::catalog(app).await?;
    let home = catalog
        .home()
        .ok_or(AppError::NotFound("home region"))?
        .code
        .clone();
    let mut tx = app.store.read().await?;
    let mut years: Vec<i32> = tx
        .econ_value_years(&home)
        .await?
        .into_iter()
        .filter_map(|y| i32::try_from(y).ok())
        .collect();
    years.reverse();
    tx.commit().await?;
    let year = match year.or(years.first().copied()) {
        Some(y) => y,
        // Nothing recorded yet: the current year, empty.
        None => chrono::Datelike::year(&domain::time::to_local(domain::time::now_ms())),
    };
    let report = report(app, Some(actor), year, through).await?;
    let buildings = if through == 12 {
        let mut tx = app.store.read().await?;
        let rows = tx.econ_building_taxes(i64::from(year)).await?;
        tx.commit().await?;
        rows.into_iter()
            .filter(|b| b.tax >= TEN_MILLION_YUAN)
            .map(|b| BuildingLine {
                tax_10k_yuan: format_scaled(b.tax, 1_000_000, 0),
                over_hundred_million: b.tax >= HUNDRED_MILLION_YUAN,
                code: b.code,
                name: b.name,
                tax: b.tax,
            })
            .collect()
    } else {
        // Buildings' tax is yearly: a stretch of months has none.
        vec![]
    };
    Ok(Dashboard {
        report,
        years,
        buildings,
    })
}
