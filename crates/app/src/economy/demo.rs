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
    /// Projects and buildings written (0 when the database already had projects).
    pub projects: usize,
    pub buildings: usize,
    /// Enterprise years for the per-mu evaluation.
    pub enterprises: usize,
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
    // Projects and buildings have codes of their own: written once, left alone after.
    let (mut projects, mut buildings) = (0, 0);
    if tx.econ_projects().await?.is_empty() {
        let (y, m, d) = CONFERENCE_DAY;
        let conference = tx
            .insert_econ_conference(
                CONFERENCE,
                Some(5),
                &day(y, m, d).format("%Y-%m-%d").to_string(),
                now,
            )
            .await?;
        for p in build_projects() {
            debug_assert!(
                domain::economy::project::check_history(&p.history).is_ok(),
                "{}",
                p.code
            );
            let row =
                super::projects::project_row(&p, p.conference.is_some().then_some(conference));
            tx.insert_econ_project(&row, &super::projects::step_rows(&p), now)
                .await?;
            projects += 1;
        }
        let mut taxes = vec![];
        for (code, name, street, tax) in build_buildings() {
            let id = tx
                .insert_econ_building(&code, &name, HOME_REGION, street, now)
                .await?;
            taxes.push((id, 2019, tax));
            buildings += 1;
        }
        tx.upsert_econ_building_taxes(&taxes).await?;
    }
    let enterprises = build_enterprises(seed);
    tx.upsert_econ_enterprise_facts(&enterprises, now).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(EconomyDemoReport {
        enterprises: enterprises.len(),
        seed,
        values: values.len(),
        evaluations: evaluations.len(),
        projects,
        buildings,
    })
}

/// Thirty Fortune-500 investors whose projects the zone signed before 2019 (investor,
/// country, sector): with the seven of 2019, the 37 of the work report.
const FORTUNE500_BEFORE_2019: [(&str, &str, &str); 30] = [
    ("西门子", "DE", "电气设备"),
    ("博世", "DE", "汽车零部件"),
    ("巴斯夫", "DE", "化工新材料"),
    ("大陆集团", "DE", "汽车零部件"),
    ("蒂森克虏伯", "DE", "电梯"),
    ("日立", "JP", "电梯"),
    ("三菱电机", "JP", "电气设备"),
    ("电装", "JP", "汽车零部件"),
    ("住友电工", "JP", "线缆"),
    ("东芝", "JP", "电子"),
    ("佳能", "JP", "光学"),
    ("爱信精机", "JP", "汽车零部件"),
    ("普利司通", "JP", "橡胶"),
    ("米其林", "FR", "橡胶"),
    ("施耐德电气", "FR", "电气设备"),
    ("圣戈班", "FR", "建材"),
    ("霍尼韦尔", "US", "自动化"),
    ("通用电气", "US", "医疗设备"),
    ("百事", "US", "食品"),
    ("雀巢", "CH", "食品"),
    ("联合利华", "GB", "日化"),
    ("三星", "KR", "电子"),
    ("LG电子", "KR", "电子"),
    ("现代摩比斯", "KR", "汽车零部件"),
    ("麦德龙", "DE", "商贸"),
    ("家乐福", "FR", "商贸"),
    ("沃尔玛", "US", "商贸"),
    ("ABB", "CH", "电气设备"),
    ("飞利浦", "NL", "照明"),
    ("利乐", "SE", "包装"),
];

/// The 5th investment conference (第五届招商大会), where 37 projects were signed.
pub const CONFERENCE: &str = "第五届招商大会";
const CONFERENCE_DAY: (i32, u32, u32) = (2019, 5, 28);

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

fn steps(
    list: &[(domain::economy::project::ProjectStage, chrono::NaiveDate)],
) -> Vec<domain::economy::project::StageEvent> {
    list.iter()
        .map(|(stage, on)| domain::economy::project::StageEvent {
            stage: *stage,
            on: *on,
            reason: None,
        })
        .collect()
}

/// 亿元 in fen.
const YI: i64 = 100_000_000 * 100;

/// The demo projects: 30 Fortune-500 projects signed 2005–2016 and completed by 2018; the 37
/// signed at the 5th conference (2 of 10 billion yuan or more, 6 Fortune-500, 14 started in
/// 2019); Panasonic's kitchen appliances, signed and licensed the same day; 卓高泰 and 信创电梯,
/// negotiated, signed and started in 2019 with one more; 9 signed in 2018 and started in 2019; and 34
/// started in 2017–2018 and completed in 2019. So 2019 has 26 starts, 34 completions and 37
/// Fortune-500 projects to date.
pub fn build_projects() -> Vec<super::projects::NewProject> {
    use domain::economy::project::ProjectStage::*;
    let mut out = vec![];
    let mut project = |code: String,
                       name: String,
                       investor: &str,
                       country: &str,
                       fortune500: bool,
                       sector: &str,
                       total_yi: i64,
                       conference: bool,
                       licence_on: Option<chrono::NaiveDate>,
                       history: Vec<domain::economy::project::StageEvent>| {
        let foreign = country != "CN";
        out.push(super::projects::NewProject {
            code,
            name,
            investor: investor.into(),
            country: country.into(),
            fortune500,
            sector: sector.into(),
            region_code: HOME_REGION.into(),
            total_investment: Some(total_yi * YI),
            // Foreign projects contract about a third of the total as foreign capital.
            contracted_foreign: foreign.then(|| total_yi * YI / 3 / 7),
            actual_foreign: None,
            foreign_currency: foreign.then_some(domain::economy::Currency::Usd),
            conference: conference.then(|| CONFERENCE.into()),
            licence_on,
            history,
        });
    };
    for (i, (investor, country, sector)) in FORTUNE500_BEFORE_2019.iter().enumerate() {
        let signed = 2005 + (i as i32 % 12);
        let m = 1 + (i as u32 % 12);
        project(
            format!("F{:03}", i + 1),
            format!("{investor}{sector}项目"),
            investor,
            country,
            true,
            sector,
            3 + (i as i64 * 7) % 20,
            false,
            Some(day(signed, m, 20)),
            steps(&[
                (Negotiating, day(signed - 1, m, 5)),
                (Signed, day(signed, m, 10)),
                (Started, day(signed + 1, m, 1)),
                (Completed, day(signed + 2, m, 15)),
            ]),
        );
    }
    let (cy, cm, cd) = CONFERENCE_DAY;
    let conference_day = day(cy, cm, cd);
    // At the conference: (name, investor, country, Fortune 500, sector, total in 亿元).
    let named: [(&str, &str, &str, bool, &str, i64); 9] = [
        ("采埃孚中国产业园", "采埃孚", "DE", true, "汽车零部件", 120),
        (
            "长三角数字经济产业园",
            "嘉兴数字产业投资",
            "CN",
            false,
            "数字经济",
            105,
        ),
        (
            "尼德科盖普美汽车水泵",
            "尼德科盖普美",
            "DE",
            false,
            "汽车零部件",
            12,
        ),
        ("西柏思电梯", "西柏思", "SE", false, "电梯", 6),
        ("巴斯夫新材料扩建", "巴斯夫", "DE", true, "化工新材料", 30),
        ("电装新能源部件", "电装", "JP", true, "汽车零部件", 25),
        ("霍尼韦尔智能制造", "霍尼韦尔", "US", true, "自动化", 18),
        ("西门子医疗器械", "西门子", "DE", true, "医疗设备", 22),
        ("三星电子元件", "三星", "KR", true, "电子", 28),
    ];
    for i in 0..37usize {
        let (name, investor, country, f500, sector, total) = match named.get(i) {
            Some(&(n, inv, c, f, s, t)) => (n.to_owned(), inv.to_owned(), c, f, s, t),
            None => (
                format!("智能制造项目{:02}", i - named.len() + 1),
                format!("投资方{:02}", i + 1),
                "CN",
                false,
                "智能制造",
                2 + (i as i64 * 13) % 45,
            ),
        };
        // Those started in 2019 were negotiated in 2018: the same-year projects are others.
        let negotiated_year = if i < 14 { 2018 } else { 2019 };
        let negotiated = day(negotiated_year, 1 + (i as u32 * 5) % 12, 10).min(day(2019, 4, 30));
        let mut h = vec![(Negotiating, negotiated), (Signed, conference_day)];
        if i < 14 {
            h.push((Started, day(2019, 7 + (i as u32 % 6), 8)));
        }
        project(
            format!("C{:03}", i + 1),
            format!("{name}项目"),
            &investor,
            country,
            f500,
            sector,
            total,
            true,
            Some(conference_day + chrono::Duration::days(20 + (i as i64 * 3) % 40)),
            steps(&h),
        );
    }
    project(
        "S001".into(),
        "松下厨电科技项目".into(),
        "松下",
        "JP",
        true,
        "家电",
        15,
        false,
        Some(day(2019, 6, 18)),
        steps(&[(Negotiating, day(2019, 4, 2)), (Signed, day(2019, 6, 18))]),
    );
    project(
        "S002".into(),
        "卓高泰项目".into(),
        "卓高泰",
        "CN",
        false,
        "电子材料",
        8,
        false,
        Some(day(2019, 3, 29)),
        steps(&[
            (Negotiating, day(2019, 1, 8)),
            (Signed, day(2019, 3, 15)),
            (Started, day(2019, 8, 20)),
        ]),
    );
    project(
        "S003".into(),
        "信创电梯项目".into(),
        "信创电梯",
        "CN",
        false,
        "电梯",
        5,
        false,
        Some(day(2019, 5, 6)),
        steps(&[
            (Negotiating, day(2019, 2, 11)),
            (Signed, day(2019, 4, 22)),
            (Started, day(2019, 10, 9)),
        ]),
    );
    project(
        "S004".into(),
        "嘉兴智造装备项目".into(),
        "嘉兴智造",
        "CN",
        false,
        "智能装备",
        4,
        false,
        Some(day(2019, 5, 20)),
        steps(&[
            (Negotiating, day(2019, 3, 1)),
            (Signed, day(2019, 5, 10)),
            (Started, day(2019, 11, 18)),
        ]),
    );
    for i in 0..9u32 {
        project(
            format!("B{:03}", i + 1),
            format!("先进制造项目{:02}", i + 1),
            "国内投资方",
            "CN",
            false,
            "先进制造",
            3 + i64::from(i),
            false,
            None,
            steps(&[
                (Negotiating, day(2018, 1 + i, 3)),
                (Signed, day(2018, 2 + i, 12)),
                (Started, day(2019, 1 + i, 16)),
            ]),
        );
    }
    for i in 0..34u32 {
        let start_year = 2017 + (i as i32 % 2);
        project(
            format!("D{:03}", i + 1),
            format!("产业升级项目{:02}", i + 1),
            "区内企业",
            "CN",
            false,
            "产业升级",
            2 + i64::from(i % 9),
            false,
            None,
            steps(&[
                (Negotiating, day(start_year - 1, 1 + i % 12, 2)),
                (Signed, day(start_year - 1, 1 + i % 12, 25)),
                (Started, day(start_year, 1 + i % 12, 5)),
                (Completed, day(2019, 1 + i % 12, 28)),
            ]),
        );
    }
    out
}

/// 56 office buildings and their 2019 tax (fen): 10 of 100 million yuan or more, 26 more of
/// 10 million or more, 20 below; together exactly the zone's 2019 building tax (58.3亿元).
pub fn build_buildings() -> Vec<(String, String, &'static str, i64)> {
    const PLACES: [&str; 8] = [
        "长水", "城南", "嘉北", "塘汇", "万国", "槜李", "百川", "开禧",
    ];
    const KINDS: [&str; 7] = ["国际", "商务", "金融", "科创", "总部", "数字", "中心"];
    const STREETS: [&str; 4] = ["城南街道", "嘉北街道", "塘汇街道", "长水街道"];
    let wan = 10_000 * 100; // 万元 in fen
    let mid: Vec<i64> = (0..26).map(|i| (1_100 + (i * 311) % 7_900) * wan).collect();
    let small: Vec<i64> = (0..20).map(|i| (200 + (i * 37) % 750) * wan).collect();
    let total = 583_000 * wan; // 58.3亿元
    let big_total = total - mid.iter().sum::<i64>() - small.iter().sum::<i64>();
    let weights: Vec<i64> = (0..10).map(|i| 20 - i).collect();
    let wsum: i64 = weights.iter().sum();
    let mut big: Vec<i64> = weights.iter().map(|w| big_total * w / wsum).collect();
    big[0] += big_total - big.iter().sum::<i64>();
    big.into_iter()
        .chain(mid)
        .chain(small)
        .enumerate()
        .map(|(i, tax)| {
            (
                format!("BLD{:03}", i + 1),
                format!("{}{}大厦", PLACES[i % 8], KINDS[i / 8]),
                STREETS[i % 4],
                tax,
            )
        })
        .collect()
}

/// 120 above-scale industrial enterprises of the zone in 2019 (credit code, name, land in
/// hundredths of a mu, tax and output in fen): tax per mu spread from a fifth to twice the
/// zone's, scaled so that all their tax over all their land is exactly the recorded 42.6万元/亩.
pub fn build_enterprises(seed: u64) -> Vec<store::EconEnterpriseFacts> {
    const PLACES: [&str; 6] = ["嘉兴", "禾城", "南湖", "长水", "城南", "塘汇"];
    const TRADES: [&str; 10] = [
        "精密机械",
        "汽车部件",
        "电子科技",
        "新材料",
        "智能装备",
        "食品",
        "纺织",
        "化纤",
        "电气",
        "医疗器械",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(102);
    let n = 120usize;
    let land_mu: Vec<i64> = (0..n).map(|i| 20 + (i as i64 * 37) % 280).collect();
    // Tax per mu in 万元: 8.5 to 85 (a fifth to twice 42.6), output per mu 300 to 2,400.
    let raw_tax: Vec<i64> = land_mu
        .iter()
        .map(|mu| mu * (85 + i64::from(rng.next_u32() % 766)) * WAN_FEN / 10)
        .collect();
    let target = 426_000 * 100 * land_mu.iter().sum::<i64>(); // 42.6万元/亩 in fen
    let raw_sum: i64 = raw_tax.iter().sum();
    let mut tax: Vec<i64> = raw_tax
        .iter()
        .map(|t| {
            i64::try_from(i128::from(*t) * i128::from(target) / i128::from(raw_sum)).expect("fits")
        })
        .collect();
    tax[n - 1] += target - tax.iter().sum::<i64>();
    (0..n)
        .map(|i| {
            let first17 = format!("91330402MA{:07}", i + 1);
            let check = domain::credit_code::check_char(&first17);
            store::EconEnterpriseFacts {
                credit_code: format!("{first17}{check}"),
                year: 2019,
                name: format!("{}{}{}有限公司", PLACES[i % 6], TRADES[i % 10], i + 1),
                region_code: HOME_REGION.into(),
                land_centimu: land_mu[i] * 100,
                tax: tax[i],
                output: land_mu[i] * (300 + i64::from(rng.next_u32() % 2_101)) * WAN_FEN,
                source: SOURCE.into(),
            }
        })
        .collect()
}

/// 万元 in fen.
const WAN_FEN: i64 = 10_000 * 100;
