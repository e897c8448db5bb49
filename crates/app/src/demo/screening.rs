//! Screening scans (排查) of the demo: people keep routines — a home gate, and for workers a
//! factory or park gate — and every outing is four scans (home gate out, destination in,
//! destination out, home gate in). The weeks around the cases (from 2020-01-20) are scanned
//! as the checkpoints then did, by ID number before the health code existed; tracing runs on
//! exactly these records (`epidemic`). From 2020-02-03 visitors and workers from outside the
//! zone are registered at a traffic checkpoint on arrival and scanned again at the gate they
//! came for; the last 14 days before the demo's day carry the full daily screening of the
//! resumed zone, about 300,000 scans a day at zone scale, each judged by the person's code.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use domain::rules::CodeColor;
use domain::scan::{CodeFinding, ScanMethod, decide};
use domain::{CheckpointKind, PersonCategory};
use serde::Serialize;
use store::{CheckpointRow, NewScan, Store};

use super::Scale;
use super::dice::{Dice, Stream};
use crate::{AppError, Result};

/// Days of full daily screening, up to and including the demo's day.
const FULL_DAYS: i64 = 14;
/// Percent of persons with a workplace in the zone who go to work on a day of those weeks
/// (shifts were staggered and not every firm had resumed), and of everyone else who goes out
/// on an errand: about 300,000 scans a day at zone scale with the outsiders' arrivals.
const WORK_PCT: u32 = 55;
const ERRAND_PCT: u32 = 8;

/// The first day visitors and workers from outside came (after the Spring Festival holiday).
fn outsiders_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 3).expect("constant date")
}

/// The day Zhejiang's health code was launched: before it, checkpoints typed in ID numbers.
fn code_launched() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 2, 14).expect("constant date")
}

/// Visitors and workers from outside registered at checkpoints, per scale: with the zone's
/// own residents screened, more than the 840,000 persons the work report counts.
fn outsider_count(scale: Scale) -> usize {
    match scale {
        Scale::Zone => 560_000,
        Scale::Small => 7_800,
    }
}

/// What the screening after the cases wrote; `screened` is counted from the stored scans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScreeningReport {
    pub outsiders: usize,
    /// Scans written from 2020-02-03 to the demo's day.
    pub scans: usize,
    /// Scans on each of the last 14 days, the lowest and the highest.
    pub daily_min: usize,
    pub daily_max: usize,
    /// Distinct persons ever screened, from the records (all of the demo's scans).
    pub screened: i64,
}

/// The ruleset's fever threshold, which the demo's checkpoints apply.
const FEVER_FROM: f64 = 37.3;
/// Per mille of scans with a fever (the season's colds and flu).
const FEVER_PER_MILLE: u32 = 3;
/// The demo's scans carry this in place of a device's content digest: their event ids are the
/// demo's own and never resent.
pub(super) const FINGERPRINT: &str = "demo";

/// The checkpoints by what they are for.
pub(super) struct Places {
    /// Area path of every checkpoint (a gate's is its community's).
    pub paths: HashMap<i64, String>,
    /// Community gates by community id.
    pub gates: HashMap<i64, Vec<i64>>,
    pub traffic: Vec<i64>,
    pub factories: Vec<i64>,
    pub parks: Vec<i64>,
    pub commercial: Vec<i64>,
}

impl Places {
    pub fn new(checkpoints: &[CheckpointRow]) -> Self {
        let mut p = Places {
            paths: checkpoints
                .iter()
                .map(|c| (c.id, c.area_path.clone()))
                .collect(),
            gates: HashMap::new(),
            traffic: vec![],
            factories: vec![],
            parks: vec![],
            commercial: vec![],
        };
        for c in checkpoints {
            match c.kind.parse::<CheckpointKind>() {
                Ok(CheckpointKind::CommunityGate) => {
                    p.gates.entry(c.area_id).or_default().push(c.id);
                }
                Ok(CheckpointKind::Traffic) => p.traffic.push(c.id),
                Ok(CheckpointKind::FactoryGate) => p.factories.push(c.id),
                Ok(CheckpointKind::ParkGate) => p.parks.push(c.id),
                Ok(CheckpointKind::CommercialGate) => p.commercial.push(c.id),
                _ => {}
            }
        }
        p
    }

    /// Where a person without a workplace goes: a shop or market mostly, sometimes a park.
    fn errand(&self, dice: &mut Dice) -> i64 {
        if dice.percent(80) || self.parks.is_empty() {
            *dice.pick(&self.commercial)
        } else {
            *dice.pick(&self.parks)
        }
    }
}

/// A person's habits: the gate they leave by, where they work (if they do, in the zone), and
/// when they usually leave, in minutes after local midnight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Routine {
    pub person_id: i64,
    pub home: i64,
    pub work: Option<i64>,
    pub leaves: u32,
}

/// One routine per person with a community gate; persons are `(id, community, category)`.
pub(super) fn routines(
    persons: &[(i64, i64, String)],
    places: &Places,
    dice: &mut Dice,
) -> Vec<Routine> {
    persons
        .iter()
        .filter_map(|(id, community, category)| {
            let home = *dice.pick(places.gates.get(community)?);
            let works = category == "worker" || (category == "resident" && dice.percent(10));
            let work = works.then(|| {
                if dice.percent(85) {
                    *dice.pick(&places.factories)
                } else {
                    *dice.pick(&places.parks)
                }
            });
            let leaves = if work.is_some() {
                dice.between(6 * 60 + 30, 8 * 60 + 30)
            } else {
                dice.between(8 * 60, 18 * 60)
            } as u32;
            Some(Routine {
                person_id: *id,
                home,
                work,
                leaves,
            })
        })
        .collect()
}

/// Milliseconds (UTC) of a local time on `day` in Asia/Shanghai.
pub(super) fn local_ms(day: NaiveDate, minute_of_day: i64) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis()
        - 8 * 3_600_000
        + minute_of_day * 60_000
}

/// How a checkpoint identified a person and what the person's code said.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shown {
    /// Before the health code (launched 2020-02-14): an ID number typed in for a registered
    /// person, who has no code yet.
    IdNumber,
    /// A code of this colour.
    Code(CodeColor),
}

/// Writes scans with event ids unique per checkpoint (`tag` names the run, the counter the
/// scan).
pub(super) struct Scanner {
    pub tag: String,
    pub next: u64,
    pub out: Vec<NewScan>,
}

impl Scanner {
    pub fn new(tag: &str) -> Self {
        Self {
            tag: tag.to_owned(),
            next: 0,
            out: vec![],
        }
    }

    /// The scanner of one day's screening: event ids `d20200314-…`.
    fn new_on(day: NaiveDate) -> Self {
        Self::new(&format!("d{}", day.format("%Y%m%d")))
    }

    pub fn scan(
        &mut self,
        dice: &mut Dice,
        checkpoint_id: i64,
        person_id: i64,
        at: i64,
        inbound: bool,
        shown: Shown,
    ) {
        let temperature = if dice.below(1000) < FEVER_PER_MILLE {
            f64::from(373 + dice.below(14)) / 10.0
        } else {
            f64::from(360 + dice.below(12)) / 10.0
        };
        let (method, colour, finding) = match shown {
            Shown::IdNumber => (ScanMethod::IdNumber, None, CodeFinding::NoColour),
            Shown::Code(c) => (ScanMethod::Code, Some(c), CodeFinding::Colour(c)),
        };
        let (decision, reason) = decide(finding, Some(temperature), FEVER_FROM);
        self.next += 1;
        self.out.push(NewScan {
            checkpoint_id,
            event_id: format!("{}-{}", self.tag, self.next),
            at,
            person_id: Some(person_id),
            method: method.as_str().to_owned(),
            direction: if inbound { "in" } else { "out" }.to_owned(),
            temperature: Some(temperature),
            colour: colour.map(|c| c.as_str().to_owned()),
            decision: decision.as_str().to_owned(),
            reason: reason.to_owned(),
            fingerprint: FINGERPRINT.to_owned(),
        });
    }

    /// A person's outing on `day` by their routine, leaving `jitter` minutes off their usual
    /// time; `errand` is where someone without a workplace goes. Four scans.
    pub fn outing(
        &mut self,
        dice: &mut Dice,
        places: &Places,
        r: &Routine,
        day: NaiveDate,
        shown: Shown,
    ) {
        let leave = local_ms(day, i64::from(r.leaves) + dice.between(-10, 10));
        let (dest, stay) = match r.work {
            Some(w) => (w, dice.between(8 * 60, 10 * 60)),
            None => (places.errand(dice), dice.between(40, 150)),
        };
        let way = dice.between(10, 30) * 60_000;
        let arrive = leave + way;
        let depart = arrive + stay * 60_000;
        self.scan(dice, r.home, r.person_id, leave, false, shown);
        self.scan(dice, dest, r.person_id, arrive, true, shown);
        self.scan(dice, dest, r.person_id, depart, false, shown);
        self.scan(dice, r.home, r.person_id, depart + way, true, shown);
    }
}

/// The `(zone, street, community)` ids of a checkpoint's area path (`/zone/street/community/`).
fn area_ids(path: &str) -> Result<(i64, i64, i64)> {
    let ids: Vec<i64> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| AppError::Internal(format!("demo: area path {path}")))?;
    match ids[..] {
        [zone, street, community, ..] => Ok((zone, street, community)),
        _ => Err(AppError::Internal(format!(
            "demo: gate outside a community: {path}"
        ))),
    }
}

/// Outsiders registered, then the daily screening from 2020-02-03 to the demo's day: the
/// outsiders' arrival scans throughout, everyone's routines on the last 14 days. A day is
/// written at a time (one transaction each), so memory stays at one day's scans.
pub(super) async fn generate(
    store: &Store,
    scale: Scale,
    seed: u64,
    places: &Places,
    routines: &[Routine],
    last: NaiveDate,
) -> Result<ScreeningReport> {
    let mut dice = Dice::new(seed, Stream::Screening);
    let mut read = store.read().await?;
    let taken = read.person_identifiers().await?;
    read.rollback().await?;

    // Where each outsider is going, and so where they are registered: a factory or park gate
    // for a worker, a shop or market for a visitor.
    let mut destinations = vec![];
    let mut failed = None;
    let rows =
        super::people::outsiders(outsider_count(scale), &mut dice, taken, |dice, category| {
            let dest = match category {
                PersonCategory::Worker if dice.percent(85) => *dice.pick(&places.factories),
                PersonCategory::Worker => *dice.pick(&places.parks),
                _ => *dice.pick(&places.commercial),
            };
            destinations.push(dest);
            let path = places.paths.get(&dest).cloned().unwrap_or_default();
            match area_ids(&path) {
                Ok((z, s, c)) => (z, s, c, path),
                Err(e) => {
                    failed = Some(e);
                    (0, 0, 0, path)
                }
            }
        });
    if let Some(e) = failed {
        return Err(e);
    }
    let now = domain::time::now_ms();
    let mut tx = store.write().await?;
    tx.insert_persons(&rows, now).await?;
    // Their ids, in the order written (the ID numbers are unique).
    let first_id = match rows.first().and_then(|p| p.id_number.as_deref()) {
        Some(id) => {
            tx.person_by_id_number(id)
                .await?
                .ok_or(AppError::NotFound("demo outsider"))?
                .id
        }
        None => 0,
    };
    // A bulk insert numbers its rows in order; make sure, on the last one.
    if let Some(id) = rows.last().and_then(|p| p.id_number.as_deref()) {
        let last_id = tx
            .person_by_id_number(id)
            .await?
            .ok_or(AppError::NotFound("demo outsider"))?
            .id;
        if last_id != first_id + rows.len() as i64 - 1 {
            return Err(AppError::Internal(
                "demo: outsiders were not numbered in order".into(),
            ));
        }
    }
    let outsiders = rows.len();
    drop(rows);
    // Arrivals spread over the weeks, more as work resumed: the day is the span times the
    // square root of a uniform draw.
    let span = (last - outsiders_from()).num_days();
    let mut by_day: Vec<Vec<usize>> = vec![vec![]; span as usize + 1];
    for i in 0..outsiders {
        let u = f64::from(dice.below(1_000_000)) / 1e6;
        let d = ((span + 1) as f64 * u.sqrt()).floor() as usize;
        by_day[d.min(span as usize)].push(i);
    }
    // Registering at the checkpoint was applying for Zhejiang's code: the rules give each
    // outsider one on the day they came (no records of theirs colour it, so green), or on
    // the day the code was launched for those who came before — one bulk recompute a day, so
    // the history says when each code began, as a live system's would.
    let launched = code_launched();
    let mut registering: Vec<i64> = vec![];
    for (n, arrivals) in by_day.iter().enumerate() {
        let day = outsiders_from() + Duration::days(n as i64);
        registering.extend(arrivals.iter().map(|&i| first_id + i as i64));
        if day >= launched && !registering.is_empty() {
            crate::codes::recompute_persons(&mut tx, day, "registration", &registering).await?;
            registering.clear();
        }
    }
    let colours: HashMap<i64, CodeColor> = tx
        .code_colours()
        .await?
        .into_iter()
        .filter_map(|(p, c)| Some((p, c.parse().ok()?)))
        .collect();
    tx.commit().await?;
    // What a checkpoint saw on `day`: before the code existed, an ID number typed in.
    let shown = |person_id: i64, day: NaiveDate| match colours.get(&person_id) {
        Some(c) if day >= launched => Shown::Code(*c),
        _ => Shown::IdNumber,
    };
    let full_from = last - Duration::days(FULL_DAYS - 1);
    // Millions of rows: load them without the two tracing indexes and build those once after
    // (a sort instead of a B-tree insert per row and index). Nothing traces meanwhile.
    let mut tx = store.write().await?;
    tx.drop_scan_search_indexes().await?;
    tx.commit().await?;
    let mut report = ScreeningReport {
        outsiders,
        daily_min: usize::MAX,
        ..ScreeningReport::default()
    };
    for (n, arrivals) in by_day.iter().enumerate() {
        let day = outsiders_from() + Duration::days(n as i64);
        let mut scanner = Scanner::new_on(day);
        for &i in arrivals {
            let person_id = first_id + i as i64;
            let traffic = *dice.pick(&places.traffic);
            let at = local_ms(day, dice.between(7 * 60, 18 * 60));
            scanner.scan(
                &mut dice,
                traffic,
                person_id,
                at,
                true,
                shown(person_id, day),
            );
            let way = dice.between(20, 50) * 60_000;
            scanner.scan(
                &mut dice,
                destinations[i],
                person_id,
                at + way,
                true,
                shown(person_id, day),
            );
        }
        if day >= full_from {
            for r in routines {
                let showing = shown(r.person_id, day);
                // A red code stays at home (or in quarantine).
                if matches!(showing, Shown::Code(CodeColor::Red)) {
                    continue;
                }
                let pct = if r.work.is_some() {
                    WORK_PCT
                } else {
                    ERRAND_PCT
                };
                if dice.percent(pct) {
                    scanner.outing(&mut dice, places, r, day, showing);
                }
            }
            report.daily_min = report.daily_min.min(scanner.out.len());
            report.daily_max = report.daily_max.max(scanner.out.len());
        }
        report.scans += scanner.out.len();
        let mut tx = store.write().await?;
        tx.insert_scans_unchecked(&scanner.out, now).await?;
        tx.commit().await?;
    }
    let indexing = Instant::now();
    let mut tx = store.write().await?;
    tx.create_scan_search_indexes().await?;
    tx.commit().await?;
    ::tracing::info!(
        scans = report.scans,
        index_ms = indexing.elapsed().as_millis() as u64,
        "demo screening scans stored, search indexes built"
    );
    if report.daily_min == usize::MAX {
        report.daily_min = 0;
    }
    let mut read = store.read().await?;
    report.screened = read.screened_cumulative().await?;
    read.rollback().await?;
    Ok(report)
}
