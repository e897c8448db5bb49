//! Health-code records of the demo population up to the report's day (2020-03-27): the 2020
//! risk-area list, declarations with itineraries (workers back from their home provinces and
//! from Hubei, residents and visitors who travelled), the daily check-ins of everyone the
//! rules watch, a few declarations found false, and a few appeals. The codes themselves are
//! not generated: the bulk recompute works them out through the real rules, week by week, so
//! every code has the history it would have had.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use domain::rules::{CodeColor, Condition, RiskArea, RiskAreaLevel, RiskAreaList, Ruleset};
use store::{BulkDeclaration, NewAppeal, NewCheckIn, NewDeclaration, NewPerson, Tx};

use super::dice::{Dice, Stream};
use super::zone::Plan;
use crate::{AppError, Result};

/// The day of the work report, which the demo stands on (ages are counted at it too).
pub(super) fn demo_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 27).expect("constant date")
}

/// The risk-area list as it stood in spring 2020 (division, level, first day, last day):
/// Wuhan high from the lockdown; the rest of Hubei high until the province lifted its
/// lockdown on 2020-03-25, medium after; and the places that were listed for a while in
/// February, among them Wenzhou, Zhejiang's worst-hit city.
const RISK_AREAS: &[(&str, &str, &str, Option<&str>)] = &[
    ("420100", "high", "2020-01-23", None),                 // 武汉
    ("420000", "high", "2020-01-23", Some("2020-03-24")),   // 湖北
    ("420000", "medium", "2020-03-25", None),               // 湖北
    ("330300", "high", "2020-02-01", Some("2020-02-26")),   // 温州
    ("331000", "medium", "2020-02-04", Some("2020-02-26")), // 台州
    ("411500", "medium", "2020-02-01", Some("2020-03-12")), // 信阳
    ("341200", "medium", "2020-02-01", Some("2020-03-08")), // 阜阳
    ("440300", "medium", "2020-02-05", Some("2020-03-05")), // 深圳
];

/// Hubei cities workers came back from once Hubei let healthy workers leave (mid-March);
/// Wuhan stayed closed until April.
const HUBEI_ORIGINS: &[(&str, u32)] = &[
    ("420902", 30), // 孝感 孝南区
    ("421102", 25), // 黄冈 黄州区
    ("420602", 15), // 襄阳 襄城区
    ("421002", 15), // 荆州 沙市区
    ("420502", 10), // 宜昌 西陵区
    ("421202", 5),  // 咸宁 咸安区
];

/// Other places people came back from: neighbouring cities and the listed ones.
const OTHER_ORIGINS: &[(&str, u32)] = &[
    ("310115", 20), // 上海 浦东新区
    ("330106", 15), // 杭州 西湖区
    ("320506", 10), // 苏州 吴中区
    ("330382", 10), // 温州 乐清市
    ("331002", 6),  // 台州 椒江区
    ("411502", 8),  // 信阳 浉河区
    ("341202", 8),  // 阜阳 颍州区
    ("440305", 8),  // 深圳 南山区
    ("110105", 5),  // 北京 朝阳区
];

/// Percent of each category who travelled and declared an arrival in the weeks before the
/// report day: nearly every migrant worker came back after the Spring Festival.
const TRAVELLED_PCT: [(&str, u32); 3] = [("worker", 90), ("resident", 5), ("visitor", 70)];
/// Of returning workers, percent who came back from Hubei (in the second half of March).
const FROM_HUBEI_PCT: u32 = 30;
/// Of the others who travelled, percent who came from their household's division.
const FROM_HOME_PCT: u32 = 70;
/// Percent who declare an arrival one to three days late rather than on the day.
const LATE_DECLARATION_PCT: u32 = 15;
/// Of travellers, per mille whose declaration a check later found false.
const FALSE_DECLARATION_PER_MILLE: u32 = 3;
/// Percent of persons not otherwise watched who had a fever or symptoms in the last two weeks
/// (the season's colds and flu) and so check in daily.
const FEVER_PCT: u32 = 2;
/// Percent chance a watched person misses a day's check-in (the run starts again).
const MISSED_CHECK_IN_PCT: u32 = 3;
/// Percent of watched persons who stop checking in before they are released.
const DROPOUT_PCT: u32 = 8;
/// One appeal per this many persons with a risk arrival in the community worker's community.
const APPEAL_EVERY: usize = 25;

/// Days the bulk recompute is run for, counted back from the report day, so that codes have
/// a history (green before a trip, red after it, green again once released).
const HISTORY_DAYS_BACK: [i64; 4] = [21, 14, 7, 0];

/// Who recomputes the demo's codes, in their history.
const ACTOR: &str = "demo";

/// What the demo wrote, for the caller's report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CodesReport {
    pub risk_areas: usize,
    pub declarations: usize,
    pub check_ins: usize,
    pub appeals: usize,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
}

fn risk_list() -> Result<RiskAreaList> {
    let mut out = vec![];
    for (code, level, from, to) in RISK_AREAS {
        let day = |s: &str| {
            s.parse::<NaiveDate>()
                .map_err(|_| AppError::Internal(format!("demo risk area day {s}")))
        };
        out.push(RiskArea {
            division: (*code).to_owned(),
            level: level
                .parse()
                .map_err(|_| AppError::Internal(format!("demo risk level {level}")))?,
            valid_from: day(from)?,
            valid_to: to.map(day).transpose()?,
        });
    }
    Ok(RiskAreaList::new(out))
}

/// How long a person watched for `condition` checks in before the rules can release them:
/// the longest of the matching rules' day counts and check-in runs.
fn watch_days(ruleset: &Ruleset, matches: impl Fn(&Condition) -> bool) -> i64 {
    ruleset
        .rules()
        .iter()
        .filter(|r| matches(&r.condition))
        .map(|r| i64::from(r.release.days.max(r.release.normal_check_ins)))
        .max()
        .unwrap_or(0)
}

/// Milliseconds (UTC) of a local time on `day` in Asia/Shanghai.
fn local_ms(day: NaiveDate, minute_of_day: u32) -> i64 {
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis();
    midnight - 8 * 3_600_000 + i64::from(minute_of_day) * 60_000
}

/// A normal morning temperature, 36.0–37.1 ℃.
fn normal_temperature(dice: &mut Dice) -> f64 {
    f64::from(360 + dice.below(12)) / 10.0
}

/// A fever, 37.3–38.6 ℃.
fn fever(dice: &mut Dice) -> f64 {
    f64::from(373 + dice.below(14)) / 10.0
}

/// Everything generated, before it is written.
struct Records {
    declarations: Vec<BulkDeclaration>,
    check_ins: Vec<NewCheckIn>,
    /// Persons (ids) with a risk arrival in the community worker's community: who may appeal.
    appeal_candidates: Vec<i64>,
}

struct Builder<'a> {
    dice: Dice,
    day: NaiveDate,
    /// The day Zhejiang's health code went live: nobody applied before it.
    launched: NaiveDate,
    list: RiskAreaList,
    /// Check-in days for a watched high / medium arrival.
    watch_high: i64,
    watch_medium: i64,
    community_names: HashMap<i64, &'a str>,
    out: Records,
}

impl Builder<'_> {
    fn day_between(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = (last - first).num_days().max(0);
        first + Duration::days(self.dice.between(0, span))
    }

    /// Daily check-ins from the day after `from` while the person is watched: until `watch`
    /// consecutive check-ins and days are complete, or the person drops out, or the report day.
    fn watched_check_ins(&mut self, person_id: i64, from: NaiveDate, watch: i64) {
        let dropout = self
            .dice
            .percent(DROPOUT_PCT)
            .then(|| self.dice.between(1, watch.max(1)));
        let mut run = 0;
        let mut d = from;
        while d < self.day {
            d += Duration::days(1);
            let days = (d - from).num_days();
            if dropout.is_some_and(|stop| days >= stop) {
                break;
            }
            if self.dice.percent(MISSED_CHECK_IN_PCT) {
                run = 0;
                continue;
            }
            self.check_in(person_id, d, false);
            run += 1;
            if run >= watch && days >= watch {
                break;
            }
        }
    }

    fn check_in(&mut self, person_id: i64, day: NaiveDate, abnormal: bool) {
        let (temperature, symptoms) = if abnormal {
            // Most abnormal check-ins are a fever; some are a cough without one.
            if self.dice.percent(75) {
                (fever(&mut self.dice), self.dice.percent(40))
            } else {
                (normal_temperature(&mut self.dice), true)
            }
        } else {
            (normal_temperature(&mut self.dice), false)
        };
        let minute = 7 * 60 + self.dice.below(4 * 60);
        self.out.check_ins.push(NewCheckIn {
            person_id,
            day: day.to_string(),
            temperature,
            symptoms,
            at: local_ms(day, minute),
        });
    }

    fn origin(&mut self, person: &NewPerson, category: &str) -> String {
        let home = person
            .id_number
            .as_deref()
            .and_then(|id| id.get(..6))
            .filter(|code| !code.starts_with("3304"));
        if category == "worker" && self.dice.percent(FROM_HUBEI_PCT) {
            return (*self.dice.weighted(HUBEI_ORIGINS)).to_owned();
        }
        match home {
            Some(code) if self.dice.percent(FROM_HOME_PCT) => code.to_owned(),
            _ => (*self.dice.weighted(OTHER_ORIGINS)).to_owned(),
        }
    }

    /// The trip of a person who travelled: where from and when.
    fn trip(&mut self, person: &NewPerson, category: &str) -> (String, NaiveDate) {
        let origin = self.origin(person, category);
        let hubei = origin.starts_with("42");
        let (first, last) = if hubei {
            (demo_day_minus(self.day, 14), self.day)
        } else {
            (demo_day_minus(self.day, 55), self.day)
        };
        // Two draws averaged: most came back in the middle of the period, few at its ends.
        let a = self.day_between(first, last);
        let b = self.day_between(first, last);
        let arrived = first + Duration::days(((a - first).num_days() + (b - first).num_days()) / 2);
        (origin, arrived)
    }

    /// The person's declaration: the one that applied for the code, with the itinerary of a
    /// trip when there was one.
    fn declare(
        &mut self,
        person_id: i64,
        person: &NewPerson,
        declared_on: NaiveDate,
        itinerary: Vec<(String, String)>,
        found_false_on: Option<String>,
    ) {
        let community = self
            .community_names
            .get(&person.community_id)
            .copied()
            .unwrap_or("");
        let address = format!(
            "{community}{}幢{}室",
            self.dice.between(1, 40),
            self.dice.between(1, 6) * 100 + self.dice.between(1, 4)
        );
        let id = i64::try_from(self.out.declarations.len()).unwrap_or(i64::MAX) + 1;
        self.out.declarations.push(BulkDeclaration {
            id,
            declared_at: local_ms(declared_on, 8 * 60 + self.dice.below(12 * 60)),
            found_false_on,
            declaration: NewDeclaration {
                person_id,
                declared_on: declared_on.to_string(),
                temperature: normal_temperature(&mut self.dice),
                symptoms: false,
                contact_case: false,
                contact_risk_area: false,
                address,
                itinerary,
            },
        });
    }

    fn person(&mut self, person_id: i64, person: &NewPerson, jinsui: i64) {
        let category = person.category.as_str();
        let travelled = TRAVELLED_PCT
            .iter()
            .find(|(c, _)| *c == category)
            .is_some_and(|(_, pct)| self.dice.percent(*pct));
        if !travelled {
            // Applied for the code once it was launched, most in its first days.
            let first = self.launched;
            let a = self.day_between(first, self.day);
            let b = self.day_between(first, self.day);
            self.declare(person_id, person, a.min(b), vec![], None);
            if self.dice.percent(FEVER_PCT) {
                // Checked in daily for two weeks, sick on one of the days.
                let first = demo_day_minus(self.day, 13);
                let sick = self.day_between(first, self.day);
                let mut d = first;
                while d <= self.day {
                    self.check_in(person_id, d, d == sick);
                    d += Duration::days(1);
                }
            }
            return;
        }
        let (origin, arrived) = self.trip(person, category);
        let declared_on = if self.dice.percent(LATE_DECLARATION_PCT) {
            (arrived + Duration::days(self.dice.between(1, 3))).min(self.day)
        } else {
            arrived
        };
        let found_false_on = self
            .dice
            .below(1000)
            .lt(&FALSE_DECLARATION_PER_MILLE)
            .then(|| declared_on + Duration::days(self.dice.between(1, 7)))
            .filter(|d| *d <= self.day)
            .map(|d| d.to_string());
        let itinerary = vec![(origin.clone(), arrived.to_string())];
        self.declare(person_id, person, declared_on, itinerary, found_false_on);
        if let Some(level) = self.list.level_on(&origin, arrived) {
            let watch = match level {
                RiskAreaLevel::High => self.watch_high,
                RiskAreaLevel::Medium => self.watch_medium,
            };
            self.watched_check_ins(person_id, arrived, watch);
            if person.community_id == jinsui {
                self.out.appeal_candidates.push(person_id);
            }
        }
    }
}

fn demo_day_minus(day: NaiveDate, days: i64) -> NaiveDate {
    day - Duration::days(days)
}

/// Build the records for `persons`, whose ids run from `first_id` in order.
fn build(
    plan: &Plan,
    persons: &[NewPerson],
    holder: Option<usize>,
    first_id: i64,
    seed: u64,
    jinsui: i64,
) -> Result<Records> {
    let ruleset = Ruleset::default_zhejiang();
    let arrival_at = |level: RiskAreaLevel| move |c: &Condition| matches!(c, Condition::RiskAreaArrival { levels, .. } if levels.contains(&level));
    let mut b = Builder {
        dice: Dice::new(seed, Stream::Codes),
        day: demo_day(),
        launched: NaiveDate::from_ymd_opt(2020, 2, 14).expect("constant date"),
        list: risk_list()?,
        watch_high: watch_days(&ruleset, arrival_at(RiskAreaLevel::High)),
        watch_medium: watch_days(&ruleset, arrival_at(RiskAreaLevel::Medium)),
        community_names: plan
            .communities
            .iter()
            .map(|c| (c.node.row.id, c.node.row.name.as_str()))
            .collect(),
        out: Records {
            declarations: vec![],
            check_ins: vec![],
            appeal_candidates: vec![],
        },
    };
    for (i, p) in persons.iter().enumerate() {
        // The demo resident has not applied yet: logging in as `resident` and declaring
        // shows how a code is first issued.
        if Some(i) == holder {
            continue;
        }
        let id = first_id + i64::try_from(i).unwrap_or(i64::MAX);
        b.person(id, p, jinsui);
    }
    Ok(b.out)
}

/// What residents wrote when they asked for their colour to be checked (纠错).
const APPEAL_TEXTS: [&str; 4] = [
    "已在湖北当地完成14天隔离，返嘉前核酸检测阴性，申请复核。",
    "行程填写有误，实际未到过风险地区，请核实。",
    "返嘉后每日按时打卡，体温均正常，申请转为绿码。",
    "单位点对点接回，途中未停留，附企业证明，申请复核。",
];

/// Write the demo's health-code records for `persons` (just inserted, in order, into an
/// empty table; `holder` is the demo resident's index), work out everyone's code with the bulk recompute week by week up to the
/// report day, file a few appeals, and record the report day as the platform's today.
pub(super) async fn generate(
    tx: &mut Tx,
    plan: &Plan,
    persons: &[NewPerson],
    holder: Option<usize>,
    seed: u64,
) -> Result<CodesReport> {
    let first_id = first_person_id(tx, persons).await?;
    let worker = super::demo_accounts()
        .iter()
        .find(|a| a.role == domain::Role::CommunityWorker)
        .ok_or_else(|| AppError::Internal("demo: no community worker".into()))?;
    let community = plan
        .by_code(worker.scope)
        .ok_or_else(|| AppError::Internal(format!("demo: no area {}", worker.scope)))?
        .row
        .id;
    let records = build(plan, persons, holder, first_id, seed, community)?;
    let day = demo_day();
    let now = domain::time::now_ms();
    for (code, level, from, to) in RISK_AREAS {
        tx.insert_risk_area(code, level, from, *to, now).await?;
    }
    tx.insert_declarations_with_ids(&records.declarations)
        .await?;
    tx.insert_check_ins(&records.check_ins).await?;
    for back in HISTORY_DAYS_BACK {
        crate::codes::recompute_all(tx, day - Duration::days(back), ACTOR).await?;
    }
    let appeals = file_appeals(tx, &records.appeal_candidates, worker.username).await?;
    tx.set_meta(crate::AS_OF_KEY, &day.to_string()).await?;

    let mut report = CodesReport {
        risk_areas: RISK_AREAS.len(),
        declarations: records.declarations.len(),
        check_ins: records.check_ins.len(),
        appeals,
        ..Default::default()
    };
    for (colour, n) in tx.code_counts().await? {
        let n = usize::try_from(n).unwrap_or(0);
        match colour.parse::<CodeColor>() {
            Ok(CodeColor::Green) => report.green = n,
            Ok(CodeColor::Yellow) => report.yellow = n,
            Ok(CodeColor::Red) => report.red = n,
            Err(_) => {}
        }
    }
    Ok(report)
}

/// The id of the first of `persons`: they went into an empty table in order, so their ids
/// run on from it; the last one is checked to be sure.
async fn first_person_id(tx: &mut Tx, persons: &[NewPerson]) -> Result<i64> {
    let mut located = persons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.id_number.as_deref().map(|id| (i, id)));
    let (Some((i, first)), Some((j, last))) = (located.next(), located.next_back()) else {
        return Err(AppError::Internal(
            "demo: persons without ID numbers".into(),
        ));
    };
    let id_of =
        |row: Option<store::PersonRow>| row.map(|r| r.id).ok_or(AppError::NotFound("demo person"));
    let first_id = id_of(tx.person_by_id_number(first).await?)? - i64::try_from(i).unwrap_or(0);
    let last_id = id_of(tx.person_by_id_number(last).await?)?;
    if last_id != first_id + i64::try_from(j).unwrap_or(0) {
        return Err(AppError::Internal(
            "demo: persons did not get consecutive ids".into(),
        ));
    }
    Ok(first_id)
}

/// One appeal per `APPEAL_EVERY` candidates whose code is not green, filed through the
/// community on the resident's behalf.
async fn file_appeals(tx: &mut Tx, candidates: &[i64], filed_by: &str) -> Result<usize> {
    let wanted = candidates.len().div_ceil(APPEAL_EVERY);
    let now = domain::time::now_ms();
    let mut filed = 0;
    for (n, person_id) in candidates.iter().enumerate() {
        if filed == wanted {
            break;
        }
        let Some(code) = tx.health_code(*person_id).await? else {
            continue;
        };
        if code.colour == CodeColor::Green.as_str() {
            continue;
        }
        tx.insert_appeal(
            &NewAppeal {
                person_id: *person_id,
                explanation: APPEAL_TEXTS[n % APPEAL_TEXTS.len()].to_owned(),
                colour: code.colour,
                reasons: code.reasons,
                filed_by: filed_by.to_owned(),
            },
            now,
        )
        .await?;
        filed += 1;
    }
    Ok(filed)
}
