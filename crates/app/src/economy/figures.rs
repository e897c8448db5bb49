//! A year's figures for every indicator and region: the value (from year, cumulative or
//! monthly records), the growth (reported, else computed), the ranks among the city's districts
//! by growth and by level, and whether the year is a historic high.

use std::collections::{BTreeMap, BTreeSet};

use domain::economy::{
    Growth, High, Indicator, Measure, Observation, PeriodKind, choose_growth, codes,
    competition_rank, historic_high, share_bp, to_date,
};
use serde::Serialize;
use store::{EconValueQuery, EconValueRow};

use super::{Catalog, load_catalog, observation};
use crate::{App, Result};

/// A year is called a historic high only against at least this many earlier years on record:
/// beating the one year before is growth, not a record.
pub const MIN_HISTORY_YEARS: usize = 3;

/// Shares derived from two recorded indicators when not recorded themselves:
/// (share, part, whole).
const DERIVED_SHARES: &[(&str, &str, &str)] = &[(
    codes::SERVICES_SHARE,
    codes::SERVICES_VALUE_ADDED,
    codes::GDP,
)];

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: i32,
    /// The figures cover January to the end of this month (12: the whole year).
    pub through_month: u8,
    pub indicators: Vec<IndicatorFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorFigures {
    pub indicator: Indicator,
    /// In the catalog's region order.
    pub regions: Vec<RegionFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionFigure {
    pub region_code: String,
    pub home: bool,
    /// In the indicator's base unit (fen, cent, basis points).
    pub value: Option<i64>,
    /// The same period of the year before.
    pub previous: Option<i64>,
    pub growth: Option<Growth>,
    /// Among the regions that have a growth rate (1 = highest; ties share a rank).
    pub growth_rank: Option<u32>,
    /// Among the regions that have a value.
    pub level_rank: Option<u32>,
    /// How many regions were ranked by growth and by level.
    pub ranked_by_growth: u32,
    pub ranked_by_level: u32,
    pub high: High,
    /// The value was derived from other indicators (a share), not recorded.
    pub derived: bool,
    /// The same stretch of every year on record up to this one, oldest first (year, value).
    pub history: Vec<(i32, i64)>,
    /// The zone only, for indicators reported monthly: January to each month up to `through`,
    /// this year and the year before (month, value, previous), for trend charts.
    pub months: Vec<MonthPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthPoint {
    pub month: u8,
    pub value: Option<i64>,
    pub previous: Option<i64>,
}

impl YearFigures {
    pub fn get(&self, indicator: &str, region: &str) -> Option<&RegionFigure> {
        self.indicators
            .iter()
            .find(|i| i.indicator.code == indicator)?
            .regions
            .iter()
            .find(|r| r.region_code == region)
    }
}

/// The figures of `year`, from every value up to that year.
pub async fn year_figures(app: &App, year: i32) -> Result<(Catalog, YearFigures)> {
    period_figures(app, year, 12).await
}

/// The figures of January to the end of month `through` of `year` (cumulative to date),
/// compared with the same stretch of the years before.
pub async fn period_figures(app: &App, year: i32, through: u8) -> Result<(Catalog, YearFigures)> {
    if !(1..=12).contains(&through) {
        return Err(crate::AppError::invalid(
            "through_month",
            "bad_month",
            format!("month {through} does not exist"),
        ));
    }
    let mut tx = app.store.write().await?;
    super::ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let rows = tx
        .econ_values(&EconValueQuery {
            to_year: Some(i64::from(year)),
            ..Default::default()
        })
        .await?;
    tx.commit().await?;
    let figures = compute_through(&catalog, &rows, year, through)?;
    Ok((catalog, figures))
}

/// Pure: the figures of `year` from the stored rows.
pub fn compute(catalog: &Catalog, rows: &[EconValueRow], year: i32) -> Result<YearFigures> {
    compute_through(catalog, rows, year, 12)
}

/// Pure: the figures of January to month `through` of `year` from the stored rows. Growth,
/// ranks and highs compare the same stretch of each year.
pub fn compute_through(
    catalog: &Catalog,
    rows: &[EconValueRow],
    year: i32,
    through: u8,
) -> Result<YearFigures> {
    let mut by_key: BTreeMap<String, BTreeMap<String, Vec<Observation>>> = BTreeMap::new();
    for r in rows {
        by_key
            .entry(r.indicator_code.clone())
            .or_default()
            .entry(r.region_code.clone())
            .or_default()
            .push(observation(r)?);
    }
    let empty = Vec::new();
    let obs = |ind: &str, reg: &str| -> &[Observation] {
        by_key
            .get(ind)
            .and_then(|m| m.get(reg))
            .map_or(&empty[..], |v| &v[..])
    };
    let find = |code: &str| catalog.indicators.iter().find(|i| i.code == code);
    // The recorded year value, or the derived one; and whether it was derived.
    let year_value = |ind: &Indicator, reg: &str, y: i32| -> (Option<i64>, bool) {
        let recorded =
            to_date(obs(&ind.code, reg), ind.aggregation, y, through).and_then(|f| f.value);
        if recorded.is_some() {
            return (recorded, false);
        }
        for (share, part, whole) in DERIVED_SHARES {
            if *share == ind.code
                && let (Some(p), Some(w)) = (find(part), find(whole))
            {
                let pv = to_date(obs(part, reg), p.aggregation, y, through).and_then(|f| f.value);
                let wv = to_date(obs(whole, reg), w.aggregation, y, through).and_then(|f| f.value);
                if let (Some(pv), Some(wv)) = (pv, wv) {
                    return (share_bp(pv, wv), true);
                }
            }
        }
        (None, false)
    };
    let mut indicators = vec![];
    for ind in &catalog.indicators {
        let mut regions = vec![];
        for reg in &catalog.regions {
            let o = obs(&ind.code, &reg.code);
            let reported =
                to_date(o, ind.aggregation, year, through).and_then(|f| f.reported_growth_bp);
            let (value, derived) = year_value(ind, &reg.code, year);
            let (previous, _) = year_value(ind, &reg.code, year - 1);
            // The growth of a share would be a percentage of a percentage: only as reported.
            let growth = if ind.measure == Measure::Share {
                choose_growth(ind.growth_basis, reported, None, None)
            } else {
                choose_growth(ind.growth_basis, reported, value, previous)
            };
            // Every year with a record of this indicator (or of what it derives from).
            let mut years: BTreeSet<i32> = o.iter().map(|x| x.period.year).collect();
            for (share, part, whole) in DERIVED_SHARES {
                if *share == ind.code {
                    years.extend(obs(part, &reg.code).iter().map(|x| x.period.year));
                    years.extend(obs(whole, &reg.code).iter().map(|x| x.period.year));
                }
            }
            let series: Vec<(i32, i64)> = years
                .into_iter()
                .filter(|y| *y <= year)
                .filter_map(|y| year_value(ind, &reg.code, y).0.map(|v| (y, v)))
                .collect();
            regions.push(RegionFigure {
                region_code: reg.code.clone(),
                home: reg.home,
                value,
                previous,
                growth,
                growth_rank: None,
                level_rank: None,
                ranked_by_growth: 0,
                ranked_by_level: 0,
                high: historic_high(&series, year, MIN_HISTORY_YEARS),
                derived,
                history: series,
                months: if reg.home && ind.period_kind == PeriodKind::Month {
                    (1..=through)
                        .map(|m| MonthPoint {
                            month: m,
                            value: to_date(o, ind.aggregation, year, m).and_then(|f| f.value),
                            previous: to_date(o, ind.aggregation, year - 1, m)
                                .and_then(|f| f.value),
                        })
                        .collect()
                } else {
                    vec![]
                },
            });
        }
        let by_growth: Vec<(usize, i64)> = regions
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.growth.map(|g| (i, g.bp)))
            .collect();
        let by_level: Vec<(usize, i64)> = regions
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.value.map(|v| (i, v)))
            .collect();
        let (ng, nl) = (by_growth.len() as u32, by_level.len() as u32);
        for (i, rank) in competition_rank(&by_growth) {
            regions[i].growth_rank = Some(rank);
        }
        for (i, rank) in competition_rank(&by_level) {
            regions[i].level_rank = Some(rank);
        }
        for r in &mut regions {
            r.ranked_by_growth = ng;
            r.ranked_by_level = nl;
        }
        indicators.push(IndicatorFigures {
            indicator: ind.clone(),
            regions,
        });
    }
    Ok(YearFigures {
        year,
        through_month: through,
        indicators,
    })
}
