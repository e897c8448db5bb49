//! The demo zone's enterprise service: enterprises of the three sectors across the streets,
//! the three-level grid, 158 enterprise and prevention officers and 21 policy officers, two
//! months of daily reports up to the demo's day, requests with realistic timings, and policy
//! payouts. Records are written in bulk; requests, matching, applications, reviews and
//! disbursements go through the use cases, so the figures (628 million yuan paid at zone
//! scale) are what the real code paths make of the records.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use domain::enterprise::calendar::end_of_day_ms;
use domain::enterprise::policy::{Catalog, PayoutMode};
use domain::enterprise::{DailyFigures, Sector, WorkCalendar};
use domain::{AreaKind, Role};
use serde::Serialize;
use store::{NewEnterprise, NewGrid, NewOfficer, NewReport, Store};

use super::Scale;
use super::dice::{Dice, Stream};
use super::names::chinese_name;
use crate::enterprise::policies::{self, ApplicationInput};
use crate::enterprise::requests::{self, RequestInput};
use crate::{Actor, App, AppError, Result, Settings};

/// What the enterprise part of the demo wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EnterprisesReport {
    pub enterprises: usize,
    pub grids: usize,
    pub officers: usize,
    pub reports: usize,
    pub requests: usize,
    pub payouts: usize,
    pub applications: usize,
    /// Daily electricity rows imported (December 2019 and the last days).
    pub electricity_rows: usize,
    /// The ledger's total after every payout was disbursed.
    pub paid_fen: i64,
}

struct Size {
    enterprises: usize,
    /// (enterprise, prevention, policy) officers.
    officers: (usize, usize, usize),
    requests: usize,
    /// What the zone paid out in all (累计落实资金6.28亿元), in fen.
    target_fen: i64,
}

fn size(scale: Scale) -> Size {
    match scale {
        Scale::Small => Size {
            enterprises: 80,
            officers: (4, 4, 2),
            requests: 40,
            target_fen: 3_140_000_000,
        },
        Scale::Zone => Size {
            enterprises: 2_800,
            officers: (79, 79, 21),
            requests: 900,
            target_fen: 62_800_000_000,
        },
    }
}

/// Days of daily reports before and including the demo's day.
const REPORT_DAYS: i64 = 60;

/// The enterprise records use a seed of their own (the seed's stream "Codes" under a
/// different seed), so that they do not reshuffle the persons or codes of the zone.
const SEED_SALT: u64 = 0x0E17_E4F5;

const TRADES: &[(Sector, &[&str])] = &[
    (
        Sector::Industry,
        &[
            "机械",
            "电子",
            "新材料",
            "汽车零部件",
            "纺织",
            "食品",
            "光伏",
            "化纤",
            "精密制造",
            "医疗器械",
        ],
    ),
    (
        Sector::Service,
        &[
            "商贸",
            "物流",
            "餐饮",
            "酒店管理",
            "软件",
            "电子商务",
            "咨询",
            "文化传媒",
            "健康管理",
            "物业管理",
        ],
    ),
    (
        Sector::Construction,
        &["建设", "建筑工程", "市政工程", "路桥", "安装工程"],
    ),
];
const PREFIXES: &[&str] = &[
    "嘉兴",
    "浙江",
    "嘉兴经开",
    "禾城",
    "南湖",
    "长水",
    "嘉禾",
    "秀湖",
];
const NAME_WORDS: &[&str] = &[
    "恒", "华", "信", "德", "盛", "达", "丰", "安", "瑞", "通", "鑫", "宏", "泰", "博", "创",
];
const DEPARTMENTS: &[&str] = &[
    "经济发展局",
    "商务局",
    "建设局",
    "人力社保局",
    "财政局",
    "卫生健康局",
];
const REQUEST_TITLES: &[(&str, &[&str])] = &[
    (
        "workers",
        &[
            "外省员工返岗需协调包车",
            "急需招聘一线操作工",
            "员工隔离期满返岗手续",
        ],
    ),
    (
        "materials",
        &["上游原材料供应中断", "口罩等防疫物资不足", "包装材料缺货"],
    ),
    (
        "logistics",
        &["货车通行证办理", "出口货物集港受阻", "快递物流停运"],
    ),
    (
        "finance",
        &["流动资金周转困难", "贷款展期申请", "社保缓缴咨询"],
    ),
    ("permits", &["复工备案审批", "施工许可延期", "环评手续办理"]),
    (
        "policy",
        &[
            "免申即享资金到账查询",
            "稳岗返还政策咨询",
            "房租减免政策适用",
        ],
    ),
    ("other", &["园区食堂复开", "员工子女入学", "宿舍防疫消杀"]),
];

/// Build everything after the zone's areas and accounts exist. `day` is the demo's day.
pub(super) async fn generate(
    store: &Store,
    scale: Scale,
    seed: u64,
    day: NaiveDate,
) -> Result<EnterprisesReport> {
    let sz = size(scale);
    let mut dice = Dice::new(seed ^ SEED_SALT, Stream::Codes);
    let mut report = EnterprisesReport::default();
    let now = domain::time::now_ms();
    let mut tx = store.write().await?;
    let streets = tx.areas_of_kind(AreaKind::Street.as_str(), "/").await?;
    let zone = tx
        .areas_of_kind(AreaKind::Zone.as_str(), "/")
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("demo zone"))?;
    if streets.is_empty() {
        return Err(AppError::NotFound("demo streets"));
    }

    // The grid: per street one grid per sector, three sub-grids each, four micro-grids each.
    let mut micro_by_street: Vec<Vec<(Sector, i64)>> = vec![];
    for street in &streets {
        let mut micros = vec![];
        for sector in Sector::ALL {
            let keeper = |dice: &mut Dice| {
                let male = dice.percent(60);
                (chinese_name(dice, male), phone(dice))
            };
            let (name, tel) = keeper(&mut dice);
            let grid = tx
                .insert_grid(
                    &grid_row(
                        "grid",
                        None,
                        street.id,
                        format!("{}{}网格", street.name, sector.zh()),
                        name,
                        tel,
                    ),
                    now,
                )
                .await?;
            report.grids += 1;
            for s in 1..=3 {
                let (name, tel) = keeper(&mut dice);
                let sub = tx
                    .insert_grid(
                        &grid_row(
                            "sub_grid",
                            Some(grid),
                            street.id,
                            format!("{}{}第{s}网格", street.name, sector.zh()),
                            name,
                            tel,
                        ),
                        now,
                    )
                    .await?;
                report.grids += 1;
                for m in 1..=4 {
                    let (name, tel) = keeper(&mut dice);
                    let micro = tx
                        .insert_grid(
                            &grid_row(
                                "micro_grid",
                                Some(sub),
                                street.id,
                                format!("{}{}{s}-{m}微网格", street.name, sector.zh()),
                                name,
                                tel,
                            ),
                            now,
                        )
                        .await?;
                    report.grids += 1;
                    micros.push((*sector, micro));
                }
            }
        }
        micro_by_street.push(micros);
    }

    // Enterprises.
    let mut rows = Vec::with_capacity(sz.enterprises);
    for n in 0..sz.enterprises {
        let si = dice.index(streets.len());
        let street = &streets[si];
        let sector = *dice.weighted(&[
            (Sector::Industry, 45u32),
            (Sector::Service, 45),
            (Sector::Construction, 10),
        ]);
        let micros: Vec<i64> = micro_by_street[si]
            .iter()
            .filter(|(s, _)| *s == sector)
            .map(|(_, id)| *id)
            .collect();
        let micro = *dice.pick(&micros);
        rows.push(enterprise(&mut dice, n, sector, street, micro));
    }
    tx.upsert_enterprises(&rows, now).await?;
    report.enterprises = rows.len();
    let mut enterprises = vec![];
    let mut after = 0;
    loop {
        let page = tx.enterprises_page(&zone.path, after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        enterprises.extend(page);
    }

    // Officers: each enterprise gets one of each kind, dealt round the list by street.
    let (ne, np, npol) = sz.officers;
    let mut officer_ids: [Vec<i64>; 3] = [vec![], vec![], vec![]];
    // The demo's liaison_officer account is one of the enterprise officers.
    let officer_user = tx.user_by_username("liaison_officer").await?;
    let account_officer = match &officer_user {
        Some(u) => {
            let o = NewOfficer {
                user_id: Some(u.id),
                kind: "enterprise".into(),
                name: "黄勇".into(),
                phone: phone(&mut dice),
                department: "经济发展局".into(),
            };
            let id = tx.insert_officer(&o, now).await?;
            officer_ids[0].push(id);
            Some(id)
        }
        None => None,
    };
    for (k, (kind, count)) in [("enterprise", ne), ("prevention", np), ("policy", npol)]
        .into_iter()
        .enumerate()
    {
        let have = officer_ids[k].len();
        for _ in have..count {
            let department = match kind {
                "prevention" => "卫生健康局",
                "policy" => "经济发展局",
                _ => *dice.pick(DEPARTMENTS),
            };
            let o = NewOfficer {
                user_id: None,
                kind: kind.into(),
                name: {
                    let male = dice.percent(55);
                    chinese_name(&mut dice, male)
                },
                phone: phone(&mut dice),
                department: department.into(),
            };
            officer_ids[k].push(tx.insert_officer(&o, now).await?);
        }
    }
    report.officers = ne + np + npol;
    let mut by_street = enterprises.iter().collect::<Vec<_>>();
    by_street.sort_by_key(|e| (e.street_id, e.id));
    let mut pairs = vec![];
    for (i, e) in by_street.iter().enumerate() {
        for ids in &officer_ids {
            if !ids.is_empty() {
                pairs.push((ids[i * ids.len() / by_street.len().max(1)], e.id));
            }
        }
    }
    // The demo's own accounts: the liaison officer serves the first enterprises of its street
    // (塘汇), the enterprise contact speaks for the first of them.
    let contact_user = tx.user_by_username("enterprise_contact").await?;
    let home: Vec<&store::EnterpriseRow> = officer_user
        .as_ref()
        .map(|u| {
            by_street
                .iter()
                .copied()
                .filter(|e| e.area_path.starts_with(&u.area_path))
                .take(12)
                .collect()
        })
        .unwrap_or_default();
    if let Some(id) = account_officer {
        pairs.extend(home.iter().map(|e| (id, e.id)));
    }
    if let (Some(u), Some(e)) = (&contact_user, home.first()) {
        tx.set_enterprise_contact(u.id, e.id).await?;
    }
    tx.assign_officers(&pairs, now).await?;

    // Two months of daily reports.
    let first_day = day - Duration::days(REPORT_DAYS - 1);
    let mut reports = vec![];
    let mut plans = Vec::with_capacity(enterprises.len());
    for e in &enterprises {
        let plan = ResumePlan::draw(&mut dice, e, day);
        let mut d = first_day;
        while d <= day {
            reports.push(plan.report(e, d));
            d += Duration::days(1);
        }
        plans.push(plan);
        if reports.len() > 20_000 {
            tx.upsert_reports(&reports, now).await?;
            report.reports += reports.len();
            reports.clear();
        }
    }
    tx.upsert_reports(&reports, now).await?;
    report.reports += reports.len();
    tx.commit().await?;

    let app = App::new(
        store.clone(),
        Settings {
            as_of: Some(day),
            ..Settings::default()
        },
    );
    let operator = |name: String, role: Role| Actor {
        user_id: 0,
        username: name.clone(),
        display_name: name,
        role,
        scope_area_id: zone.id,
        scope_kind: AreaKind::Zone,
        scope_path: zone.path.clone(),
        person_id: None,
        client_addr: "demo".into(),
    };
    // Daily electricity from the grid company's file, through the real import.
    let file = electricity_csv(seed, &enterprises, &plans, day);
    let imported =
        crate::enterprise::electricity::import(&app, None, "demo-electricity.csv", &file).await?;
    if !imported.issues.is_empty() {
        return Err(AppError::Internal(format!(
            "demo: the electricity file was refused: {:?}",
            imported.issues.first()
        )));
    }
    report.electricity_rows = imported.written;
    report.requests = demo_requests(
        &app,
        &mut dice,
        &enterprises,
        &pairs,
        sz.requests,
        first_day,
        day,
        &operator,
    )
    .await?;

    // 免申即享 over everyone, then 快申快享 applications (filed by policy officers on the
    // enterprises' behalf, approved by the reviewer) until the zone's total is reached.
    let catalog = Catalog::default_catalog();
    let matched = policies::run_matching(&app, None, &catalog, &day.to_string()).await?;
    let mut remaining = sz.target_fen - matched.matched_fen;
    if remaining < 0 {
        return Err(AppError::Internal(format!(
            "demo: matching alone pays {} fen, above the target {}",
            matched.matched_fen, sz.target_fen
        )));
    }
    let policy_officer = operator("政策指导员".into(), Role::LiaisonOfficer);
    let reviewer = operator("经济发展局审核".into(), Role::DepartmentReviewer);
    let mut tx = store.read().await?;
    let mut facts = vec![];
    let mut after = 0;
    loop {
        let page = tx.match_facts_page(&day.to_string(), after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        facts.extend(page);
    }
    tx.rollback().await?;
    let applying: Vec<_> = catalog
        .policies
        .iter()
        .filter(|p| p.mode == PayoutMode::Application)
        .collect();
    'fill: for p in &applying {
        for f in &facts {
            if remaining == 0 {
                break 'fill;
            }
            if p.eligibility(&policies::facts_of(f)).is_none() {
                continue;
            }
            // Asks of 40–100% of the cap, in whole hundreds of yuan; the last fills the gap.
            let ask = (p.cap_fen * dice.between(40, 100) / 100 / 10_000 * 10_000).max(10_000);
            let amount = ask.min(remaining);
            let input = ApplicationInput {
                enterprise_id: Some(f.id),
                policy_code: p.code.clone(),
                amount_yuan: format!("{}.{:02}", amount / 100, amount % 100),
                statement: format!("{}：按政策申请", p.name),
            };
            let id = match policies::apply(&app, &policy_officer, &catalog, &input).await {
                Ok(id) => id,
                // Already paid under this policy: try the next enterprise.
                Err(AppError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            };
            policies::review(
                &app,
                &reviewer,
                &catalog,
                id,
                true,
                None,
                "材料齐全，符合条件，同意兑付",
            )
            .await?;
            report.applications += 1;
            remaining -= amount;
        }
    }
    if remaining != 0 {
        return Err(AppError::Internal(format!(
            "demo: {remaining} fen could not be placed in applications"
        )));
    }

    // Disburse every payout, each with its own idempotency key.
    loop {
        let mut tx = store.read().await?;
        let unpaid = tx.unpaid_payouts(0, 1_000).await?;
        tx.rollback().await?;
        if unpaid.is_empty() {
            break;
        }
        for p in unpaid {
            policies::disburse(&app, None, p.id, &format!("demo-payout-{}", p.id)).await?;
            report.payouts += 1;
        }
    }
    let mut tx = store.read().await?;
    report.paid_fen = tx.paid_total_fen().await?;
    tx.rollback().await?;
    Ok(report)
}

fn phone(dice: &mut Dice) -> String {
    format!(
        "1{}{:08}",
        dice.pick(&["39", "38", "37", "58", "88", "57"]),
        dice.between(0, 99_999_999)
    )
}

fn grid_row(
    level: &str,
    parent: Option<i64>,
    street_id: i64,
    name: String,
    keeper: String,
    tel: String,
) -> NewGrid {
    NewGrid {
        level: level.into(),
        parent_id: parent,
        street_id,
        name,
        keeper_user_id: None,
        keeper_name: keeper,
        keeper_phone: tel,
    }
}

fn enterprise(
    dice: &mut Dice,
    n: usize,
    sector: Sector,
    street: &store::AreaRow,
    micro: i64,
) -> NewEnterprise {
    let first = format!("91330402MA{:07}", 1_000_000 + n);
    let credit_code = format!("{first}{}", domain::credit_code::check_char(&first));
    let trades = TRADES
        .iter()
        .find(|(s, _)| *s == sector)
        .map_or(&[][..], |(_, t)| *t);
    let name = format!(
        "{}{}{}{}有限公司",
        dice.pick(PREFIXES),
        dice.pick(NAME_WORDS),
        dice.pick(NAME_WORDS),
        dice.pick(trades)
    );
    let employees = match sector {
        Sector::Industry => {
            *dice.weighted(&[((10, 60), 50u32), ((60, 300), 35), ((300, 1500), 15)])
        }
        Sector::Service => *dice.weighted(&[((5, 40), 60u32), ((40, 200), 35), ((200, 600), 5)]),
        Sector::Construction => *dice.weighted(&[((30, 150), 60u32), ((150, 600), 40)]),
    };
    let employees = dice.between(employees.0, employees.1);
    let above_size = match sector {
        Sector::Industry => employees >= 100 || dice.percent(15),
        Sector::Service => employees >= 60 && dice.percent(70),
        Sector::Construction => employees >= 150,
    };
    let land_mu = match sector {
        Sector::Industry => dice.between(5, 150),
        Sector::Service => dice.between(0, 3),
        Sector::Construction => 0,
    };
    NewEnterprise {
        credit_code,
        name,
        sector: sector.as_str().into(),
        above_size,
        fortune500: sector == Sector::Industry && employees >= 300 && dice.percent(8),
        major_project: sector == Sector::Construction && dice.percent(35),
        street_id: street.id,
        area_path: street.path.clone(),
        micro_grid_id: micro,
        address: format!(
            "{}{}路{}号",
            street.name,
            dice.pick(NAME_WORDS),
            dice.between(1, 999)
        ),
        employees,
        land_centimu: land_mu * 100 + dice.between(0, 99) * i64::from(land_mu > 0),
        tax_fen: employees * dice.between(5_000, 60_000) * 100,
        contact_name: {
            let male = dice.percent(50);
            chinese_name(dice, male)
        },
        contact_phone: phone(dice),
        chartered_buses: if sector == Sector::Industry && dice.percent(12) {
            dice.between(1, 6)
        } else {
            0
        },
        new_hires: if dice.percent(40) {
            dice.between(1, (employees / 8).max(1))
        } else {
            0
        },
        talent_hires: if dice.percent(15) {
            dice.between(1, 5)
        } else {
            0
        },
    }
}

/// Days of electricity before and including the demo's day (besides December 2019).
const ELECTRICITY_DAYS: i64 = 14;

/// The grid company's file: every enterprise's daily use in December 2019 (the baseline) and
/// in the last [`ELECTRICITY_DAYS`] days. Use follows the report — standby power while closed,
/// capacity-shaped while open — except for a few enterprises whose meter tells another story
/// (reported open with the lights off, or working without saying so), which the comparison
/// flags for their officers.
fn electricity_csv(
    seed: u64,
    enterprises: &[store::EnterpriseRow],
    plans: &[ResumePlan],
    day: NaiveDate,
) -> Vec<u8> {
    // A stream of its own, so the rest of the demo draws as before.
    let mut dice = Dice::new(seed ^ SEED_SALT ^ 0xE1EC, Stream::Codes);
    let mut out = String::from("credit_code,day,kwh\n");
    let december: Vec<NaiveDate> = (1..=31)
        .filter_map(|d| NaiveDate::from_ymd_opt(2019, 12, d))
        .collect();
    let recent: Vec<NaiveDate> = (0..ELECTRICITY_DAYS)
        .rev()
        .map(|back| day - Duration::days(back))
        .collect();
    for (e, plan) in enterprises.iter().zip(plans) {
        let per_head = match e.sector.as_str() {
            "industry" => 14,
            "construction" => 6,
            _ => 4,
        };
        let baseline = (e.employees.max(3) * per_head * dice.between(70, 130) / 100).max(10);
        // 2% report open on a dark meter; 2% work without reporting it.
        let odd = if dice.percent(2) {
            Some(false)
        } else if dice.percent(2) {
            Some(true)
        } else {
            None
        };
        for d in &december {
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let kwh = baseline * dice.between(if weekend { 60 } else { 95 }, 110) / 100;
            out.push_str(&format!("{},{d},{kwh}\n", e.credit_code));
        }
        for d in &recent {
            let r = plan.report(e, *d);
            let open = odd.unwrap_or(r.resumed);
            let share = if open {
                // At least 35% of the baseline when working, more with capacity.
                (r.capacity_pct.max(40) * dice.between(85, 110) / 100).max(35)
            } else {
                dice.between(4, 18)
            };
            let kwh = baseline * share / 100;
            out.push_str(&format!("{},{d},{kwh}\n", e.credit_code));
        }
    }
    out.into_bytes()
}

/// When an enterprise came back and how its people returned.
struct ResumePlan {
    /// None: not resumed by the demo's day.
    resume_on: Option<NaiveDate>,
    outside_pct: i64,
    masks_per_head: i64,
    materials_days: i64,
}

impl ResumePlan {
    fn draw(dice: &mut Dice, e: &store::EnterpriseRow, last: NaiveDate) -> ResumePlan {
        // 10 February 2020: the first day Zhejiang let enterprises resume.
        let start = NaiveDate::from_ymd_opt(2020, 2, 10).unwrap_or(last);
        let spread = match e.sector.as_str() {
            "industry" => (0, 25),
            "service" => (3, 35),
            _ => (7, 30),
        };
        let resume_on =
            (!dice.percent(4)).then(|| start + Duration::days(dice.between(spread.0, spread.1)));
        ResumePlan {
            resume_on: resume_on.filter(|d| *d <= last),
            outside_pct: dice.between(10, 60),
            masks_per_head: dice.between(2, 10),
            materials_days: dice.between(3, 30),
        }
    }

    fn report(&self, e: &store::EnterpriseRow, d: NaiveDate) -> NewReport {
        let total = e.employees;
        // Returned from outside the province: from early February to mid-March.
        let back_days = (d - NaiveDate::from_ymd_opt(2020, 2, 1).unwrap_or(d))
            .num_days()
            .clamp(0, 40);
        let returned_outside = total * self.outside_pct / 100 * back_days / 40;
        let (resumed, on_site, capacity) = match self.resume_on {
            Some(r) if d >= r => {
                let ramp = (d - r).num_days().min(25);
                // Weekends run thinner shifts.
                let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
                let share = 40 + ramp * 2 - if weekend { 10 } else { 0 };
                (true, total * share / 100, (30 + ramp * 27 / 10).min(95))
            }
            _ => (false, 0, 0),
        };
        // Those back within the last 14 days before March wait in quarantine.
        let quarantine = if d.month() < 3 {
            returned_outside / 4
        } else {
            0
        };
        let in_quarantine = quarantine.min(total - on_site);
        let f = DailyFigures {
            resumed,
            on_site,
            total,
            returned_outside,
            in_quarantine,
            capacity_pct: capacity,
            masks: on_site * self.masks_per_head,
            materials_days: if resumed { self.materials_days } else { 0 },
            problems: String::new(),
        };
        debug_assert!(f.check(total).is_empty(), "{f:?}");
        crate::enterprise::reports::to_row(e.id, &d.to_string(), &f, None)
    }
}

/// Requests through the loop, in time order, with daily supervision at 09:00.
#[allow(clippy::too_many_arguments)]
async fn demo_requests(
    app: &App,
    dice: &mut Dice,
    enterprises: &[store::EnterpriseRow],
    pairs: &[(i64, i64)],
    count: usize,
    first_day: NaiveDate,
    last_day: NaiveDate,
    operator: &dyn Fn(String, Role) -> Actor,
) -> Result<usize> {
    let cal = WorkCalendar::china();
    let hour = 3_600_000;
    let end = end_of_day_ms(last_day);
    let working: Vec<NaiveDate> = (0..=(last_day - first_day).num_days())
        .map(|i| first_day + Duration::days(i))
        .filter(|d| cal.is_working_day(*d))
        .collect();
    if working.is_empty() || enterprises.is_empty() {
        return Ok(0);
    }
    // (time, order, event)
    let mut events: Vec<(i64, usize, Event)> = vec![];
    for d in &working {
        events.push((
            end_of_day_ms(*d - Duration::days(1)) + 9 * hour,
            0,
            Event::Supervise,
        ));
    }
    for n in 0..count {
        let e = &enterprises[dice.index(enterprises.len())];
        let officer = pairs.iter().find(|(_, eid)| *eid == e.id).map(|(o, _)| *o);
        const WEIGHTS: [u32; 7] = [25, 20, 15, 15, 10, 10, 5];
        let table: Vec<((&str, &[&str]), u32)> =
            REQUEST_TITLES.iter().copied().zip(WEIGHTS).collect();
        let (category, titles) = *dice.weighted(&table);
        let complex = dice.percent(35);
        let day = *dice.pick(&working);
        let raised =
            end_of_day_ms(day - Duration::days(1)) + dice.between(8 * 60, 17 * 60) * 60_000;
        let deadline = cal.deadline_ms(raised, if complex { 3 } else { 1 });
        let assigned = raised + dice.between(1, 4 * 60) * 60_000;
        // Most answered in time; one in ten late by up to three working days; some still open.
        let answered = match dice.below(100) {
            0..=84 => Some(assigned + (deadline - assigned) * dice.between(10, 95) / 100),
            85..=94 => {
                let late = cal.add_working_days(
                    domain::time::to_local(deadline - 1).date_naive(),
                    dice.between(1, 3) as u32,
                );
                Some(end_of_day_ms(late - Duration::days(1)) + dice.between(9, 17) * hour)
            }
            _ => None,
        };
        let satisfaction = *dice.weighted(&[(5i64, 60u32), (4, 30), (3, 7), (2, 2), (1, 1)]);
        let title = dice.pick(titles).to_string();
        events.push((
            raised,
            1,
            Event::Raise {
                n,
                enterprise: e.id,
                category,
                complex,
                title,
            },
        ));
        events.push((assigned, 2, Event::Assign { n, officer }));
        if let Some(a) = answered {
            events.push((a, 3, Event::Answer { n }));
            events.push((
                a + dice.between(2, 30) * hour,
                4,
                Event::Feedback { n, satisfaction },
            ));
        }
    }
    events.retain(|(t, _, _)| *t < end);
    events.sort_by_key(|(t, order, _)| (*t, *order));
    let officer = operator("驻企指导员".into(), Role::LiaisonOfficer);
    let command = operator("指挥部督办".into(), Role::Commander);
    let mut ids = vec![0i64; count];
    let mut raised = 0;
    for (at, _, ev) in events {
        match ev {
            Event::Supervise => {
                requests::supervise(app, &command, at).await?;
            }
            Event::Raise {
                n,
                enterprise,
                category,
                complex,
                title,
            } => {
                let input = RequestInput {
                    enterprise_id: Some(enterprise),
                    category: category.into(),
                    complexity: if complex { "complex" } else { "simple" }.into(),
                    title,
                    detail: String::new(),
                };
                ids[n] = requests::raise(app, &officer, &input, at).await?;
                raised += 1;
            }
            Event::Assign { n, officer: o } => {
                requests::assign(app, &officer, ids[n], o, "", at).await?;
            }
            Event::Answer { n } => {
                requests::answer(
                    app,
                    &officer,
                    ids[n],
                    "已协调相关部门解决，请企业确认。",
                    at,
                )
                .await?;
            }
            Event::Feedback { n, satisfaction } => {
                requests::feedback(app, &officer, ids[n], satisfaction, "回访确认", at).await?;
            }
        }
    }
    Ok(raised)
}

enum Event {
    Supervise,
    Raise {
        n: usize,
        enterprise: i64,
        category: &'static str,
        complex: bool,
        title: String,
    },
    Assign {
        n: usize,
        officer: Option<i64>,
    },
    Answer {
        n: usize,
    },
    Feedback {
        n: usize,
        satisfaction: i64,
    },
}
