//! Demo economic data: 2018 and 2019 for the zone (monthly where the indicator is reported
//! monthly) and the seven peer districts of Jiaxing (yearly), plus earlier years of the two
//! series the work report calls historic highs. Chosen so that the 2019 report computed from
//! these records reproduces the work report's figures: GDP +7% (comparable); contracted FDI
//! US$785M, +30.8%, again a historic high; actual FDI US$408M; domestic capital from outside
//! the city 9.48 billion yuan; fixed-asset investment +10.5%, transport +108.7% (1st in the
//! city); budget revenue 2.9 billion, +10% (3rd); industrial output 49.76 billion, a historic
//! high; retail +9.8% (1st); services 55.5% of GDP (1st).
//!
//! The zone's months are split from the year's total by a seeded random draw, so that the
//! seed changes the months and never the totals. Writing is an upsert: running it twice leaves
//! the same data.

use domain::economy::{
    DisplayUnit, HOME_REGION, Indicator, PeriodKind, codes, default_catalog, default_regions,
};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use store::{NewEconEvaluation, NewEconValue, Store};

use super::ensure_defaults;
use crate::{AppError, Result};

const SOURCE: &str = "demo";

#[derive(Debug, Clone, Serialize)]
pub struct EconomyDemoReport {
    pub seed: u64,
    pub values: usize,
    pub evaluations: usize,
}

/// 2019 per region in the order of `default_regions()` (the zone first): the value as the
/// statistics office writes it in `unit`, and the growth over 2018 in basis points, from
/// which the 2018 value is derived. For GDP the growth is the reported comparable one.
struct Row {
    indicator: &'static str,
    unit: &'static str,
    values: [(&'static str, i64); 8],
}

#[rustfmt::skip]
const ROWS: &[Row] = &[
    Row { indicator: codes::GDP, unit: "亿元", values: [
        ("318.6", 700), ("560.3", 680), ("520.7", 710), ("660.1", 750),
        ("760.4", 720), ("530.2", 690), ("1010.5", 660), ("970.3", 700)] },
    Row { indicator: codes::FDI_CONTRACTED, unit: "亿美元", values: [
        ("7.85", 3080), ("3.42", 1250), ("2.95", 840), ("6.10", 1820),
        ("7.20", 2560), ("2.63", 510), ("4.88", 1030), ("5.36", 1580)] },
    Row { indicator: codes::FDI_ACTUAL, unit: "亿美元", values: [
        ("4.08", 1300), ("1.62", 910), ("1.35", 620), ("3.40", 1450),
        ("3.95", 1180), ("1.21", 430), ("2.46", 770), ("2.71", 1060)] },
    Row { indicator: codes::DOMESTIC_CAPITAL, unit: "亿元", values: [
        ("94.8", 1520), ("70.5", 1020), ("62.3", 880), ("110.6", 1210),
        ("98.2", 970), ("55.4", 750), ("120.3", 1130), ("115.8", 1090)] },
    Row { indicator: codes::FAI, unit: "亿元", values: [
        ("226.7", 1050), ("310.2", 890), ("280.5", 1160), ("350.8", 1230),
        ("330.4", 970), ("250.6", 1010), ("420.7", 780), ("400.1", 1090)] },
    Row { indicator: codes::FAI_TRANSPORT, unit: "亿元", values: [
        ("31.3", 10870), ("40.1", 1240), ("30.2", -830), ("35.6", 3560),
        ("28.4", 2100), ("22.7", 4790), ("45.3", 520), ("38.9", 1880)] },
    Row { indicator: codes::BUDGET_REVENUE, unit: "亿元", values: [
        ("29", 1000), ("38.6", 820), ("33.1", 950), ("62.4", 1420),
        ("58.7", 1150), ("40.2", 760), ("75.3", 880), ("70.9", 910)] },
    Row { indicator: codes::INDUSTRIAL_OUTPUT, unit: "亿元", values: [
        ("497.6", 700), ("650.3", 590), ("720.5", 640), ("1450.2", 810),
        ("1680.7", 730), ("980.4", 610), ("1850.6", 680), ("1720.3", 750)] },
    Row { indicator: codes::RETAIL_SALES, unit: "亿元", values: [
        ("121.4", 980), ("280.5", 860), ("180.3", 910), ("270.6", 930),
        ("250.4", 890), ("160.2", 840), ("420.8", 950), ("380.4", 900)] },
    Row { indicator: codes::INDUSTRIAL_TAX_PER_MU, unit: "万元/亩", values: [
        ("42.6", 810), ("28.4", 520), ("25.1", 430), ("33.6", 760),
        ("35.2", 690), ("24.8", 380), ("31.7", 610), ("30.5", 570)] },
    Row { indicator: codes::BUILDING_TAX, unit: "亿元", values: [
        ("58.3", 1240), ("31.5", 860), ("12.8", 720), ("15.6", 910),
        ("11.2", 650), ("8.4", 540), ("18.9", 830), ("16.7", 780)] },
];

/// Services value added as a share of GDP (basis points), 2019 and 2018, per region; the
/// report derives the share from the two recorded values.
const SERVICES_SHARE_BP: [(i64, i64); 8] = [
    (5550, 5420),
    (5210, 5130),
    (4320, 4210),
    (4150, 4080),
    (3890, 3810),
    (3760, 3700),
    (4530, 4460),
    (4200, 4150),
];

/// The zone's earlier years of the two series the report calls historic highs (2014–2017).
const HISTORY: &[(&str, &str, [&str; 4])] = &[
    (
        codes::FDI_CONTRACTED,
        "亿美元",
        ["3.12", "3.86", "4.45", "5.37"],
    ),
    (
        codes::INDUSTRIAL_OUTPUT,
        "亿元",
        ["371.2", "389.5", "412.8", "441.7"],
    ),
];

/// Relative size of each month (Spring Festival in February, year-end push in December).
const SEASON: [u64; 12] = [90, 60, 95, 100, 100, 105, 95, 95, 100, 100, 105, 125];

/// The value a year before, given this year's value and the growth in basis points.
pub fn previous_from_growth(current: i64, growth_bp: i64) -> i64 {
    let num = i128::from(current) * 10_000;
    let den = i128::from(10_000 + growth_bp);
    i64::try_from((num * 2 + den) / (den * 2)).expect("demo values fit")
}

/// `total` split over 12 months by seasonal weights times a seeded factor in 0.75–1.25; the
/// months add up to `total` exactly.
fn split_months(total: i64, rng: &mut ChaCha8Rng) -> [i64; 12] {
    let weights: Vec<i128> = SEASON
        .iter()
        .map(|s| i128::from(*s) * (750 + i128::from(rng.next_u32() % 501)))
        .collect();
    let sum: i128 = weights.iter().sum();
    let mut out = [0i64; 12];
    let mut used = 0i64;
    for m in 0..11 {
        out[m] = i64::try_from(i128::from(total) * weights[m] / sum).expect("fits");
        used += out[m];
    }
    out[11] = total - used;
    out
}

fn value(
    indicator: &str,
    region: &str,
    kind: PeriodKind,
    year: i32,
    no: u8,
    v: i64,
) -> NewEconValue {
    NewEconValue {
        indicator_code: indicator.into(),
        region_code: region.into(),
        period_kind: kind.as_str().into(),
        year: i64::from(year),
        period_no: i64::from(no),
        cumulative: kind == PeriodKind::Year,
        value: Some(v),
        reported_growth_bp: None,
        source: SOURCE.into(),
    }
}

/// Every demo value, in memory.
pub fn build(seed: u64) -> Vec<NewEconValue> {
    let catalog = default_catalog();
    let regions = default_regions();
    let ind = |code: &str| -> &Indicator {
        catalog
            .iter()
            .find(|i| i.code == code)
            .expect("default indicator")
    };
    let base = |unit: &str, text: &str| {
        DisplayUnit::parse(unit)
            .and_then(|u| u.to_base(text))
            .expect("demo figures are valid")
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(101);
    let mut out = vec![];
    for row in ROWS {
        let indicator = ind(row.indicator);
        for (region, (text, growth)) in regions.iter().zip(row.values) {
            let v2019 = base(row.unit, text);
            let v2018 = previous_from_growth(v2019, growth);
            let monthly = region.code == HOME_REGION && indicator.period_kind == PeriodKind::Month;
            for (year, v) in [(2018, v2018), (2019, v2019)] {
                if monthly {
                    for (m, mv) in split_months(v, &mut rng).into_iter().enumerate() {
                        out.push(value(
                            &indicator.code,
                            &region.code,
                            PeriodKind::Month,
                            year,
                            m as u8 + 1,
                            mv,
                        ));
                    }
                } else {
                    let mut y = value(&indicator.code, &region.code, PeriodKind::Year, year, 0, v);
                    // Comparable growth cannot be computed from nominal values: it is recorded
                    // as the statistics office reported it.
                    if indicator.growth_basis == domain::economy::GrowthBasis::Comparable
                        && year == 2019
                    {
                        y.reported_growth_bp = Some(growth);
                    }
                    out.push(y);
                }
            }
            if row.indicator == codes::GDP {
                let (share2019, share2018) = SERVICES_SHARE_BP[out_index(&regions, &region.code)];
                for (year, gdp, share) in [(2018, v2018, share2018), (2019, v2019, share2019)] {
                    // Exact: GDP in fen times a share in basis points, divided back.
                    let va =
                        i64::try_from(i128::from(gdp) * i128::from(share) / 10_000).expect("fits");
                    out.push(value(
                        codes::SERVICES_VALUE_ADDED,
                        &region.code,
                        PeriodKind::Year,
                        year,
                        0,
                        va,
                    ));
                }
            }
        }
    }
    for (code, unit, years) in HISTORY {
        for (i, text) in years.iter().enumerate() {
            out.push(value(
                code,
                HOME_REGION,
                PeriodKind::Year,
                2014 + i as i32,
                0,
                base(unit, text),
            ));
        }
    }
    out
}

fn out_index(regions: &[domain::economy::Region], code: &str) -> usize {
    regions
        .iter()
        .position(|r| r.code == code)
        .expect("default region")
}

/// The national evaluation of development zones, 2019 (商务部).
pub fn evaluations() -> Vec<NewEconEvaluation> {
    [("综合排名", 12, 13), ("利用外资", 5, 8)]
        .into_iter()
        .map(|(category, rank, previous)| NewEconEvaluation {
            region_code: HOME_REGION.into(),
            name: "国家级经开区综合发展水平考核评价".into(),
            category: category.into(),
            year: 2019,
            scope: "全国".into(),
            rank,
            previous_rank: Some(previous),
            publisher: "商务部".into(),
        })
        .collect()
}

/// Write the demo economic data (one transaction; an upsert, so it may run again).
pub async fn generate(store: &Store, seed: u64) -> Result<EconomyDemoReport> {
    let values = build(seed);
    let evaluations = evaluations();
    let now = domain::time::now_ms();
    let mut tx = store.write().await?;
    ensure_defaults(&mut tx).await?;
    tx.upsert_econ_values(&values, now).await?;
    tx.upsert_econ_evaluations(&evaluations, now).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(EconomyDemoReport {
        seed,
        values: values.len(),
        evaluations: evaluations.len(),
    })
}
