//! The zone's outbreak in early 2020, as the records a command centre would hold: the
//! checkpoints' screening scans from 2020-01-20 (by ID number, the health code came on
//! 2020-02-14), a handful of confirmed cases — two imported from Wuhan, a family cluster
//! (聚集性疫情) of three, the last reported on 2020-02-02 — and a suspicion excluded. Every
//! case goes through the real use cases (`cases::create`, `cases::change`) and is traced
//! through `tracing::trace` over those scans, so the close and secondary contacts and their
//! codes are what the tracing code finds, not numbers the demo made up.

use chrono::{Duration, NaiveDate};
use domain::{AreaKind, Role};
use serde::Serialize;
use store::Store;

use super::Scale;
use super::dice::{Dice, Stream};
use super::screening::{
    self, Places, Routine, Scanner, ScreeningReport, Shown, local_ms, routines,
};
use crate::cases::{self, CaseChangeInput, CaseInput};
use crate::tracing::{self, TraceInput};
use crate::{Actor, App, AppError, Result, Settings};

/// The first day the checkpoints screened (the timeline's start).
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 20).expect("constant date")
}

/// Per mille of persons who go out on a day of the Spring Festival weeks: few did.
const OUT_PER_MILLE: u32 = 20;

/// One case of the demo, in report order.
struct CaseSpec {
    kind: &'static str,
    origin: &'static str,
    /// Days after the timeline's start: came back to the zone (imported only), fell ill,
    /// reported, and the change that ended it (excluded / discharged).
    arrived: Option<i64>,
    onset: i64,
    reported: i64,
    ended: (&'static str, i64),
    /// Index into the cluster's members (0 is the first case), if in the cluster.
    family: Option<usize>,
    note: &'static str,
}

/// 2020-01-20 is day 0; 2020-02-02, the last report, day 13.
const CASES: [CaseSpec; 6] = [
    CaseSpec {
        kind: "confirmed",
        origin: "imported",
        arrived: Some(0),
        onset: 2,
        reported: 4,
        ended: ("discharge", 21),
        family: None,
        note: "武汉返嘉，经嘉兴南站卡点登记",
    },
    CaseSpec {
        kind: "confirmed",
        origin: "imported",
        arrived: Some(1),
        onset: 5,
        reported: 7,
        ended: ("discharge", 25),
        family: None,
        note: "武汉返嘉，自驾经沪杭高速嘉兴东出口卡点",
    },
    CaseSpec {
        kind: "suspected",
        origin: "local",
        arrived: None,
        onset: 7,
        reported: 8,
        ended: ("exclude", 10),
        family: None,
        note: "发热门诊留观，两次核酸阴性后排除",
    },
    CaseSpec {
        kind: "confirmed",
        origin: "imported",
        arrived: Some(2),
        onset: 6,
        reported: 9,
        ended: ("discharge", 27),
        family: Some(0),
        note: "武汉返嘉，家庭聚集首发病例",
    },
    CaseSpec {
        kind: "confirmed",
        origin: "local",
        arrived: None,
        onset: 9,
        reported: 11,
        ended: ("discharge", 30),
        family: Some(1),
        note: "首发病例家属，密切接触者集中隔离中确诊",
    },
    CaseSpec {
        kind: "confirmed",
        origin: "local",
        arrived: None,
        onset: 12,
        reported: 13,
        ended: ("discharge", 33),
        family: Some(2),
        note: "首发病例家属，密切接触者集中隔离中确诊",
    },
];

/// What the outbreak part of the demo wrote, from the use cases' replies.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EpidemicReport {
    /// Scans from 2020-01-20 to the last report.
    pub scans: usize,
    pub cases: usize,
    pub confirmed: usize,
    pub clusters: usize,
    pub last_reported: String,
    /// Contacts found by tracing, summed over the cases.
    pub close: usize,
    pub secondary: usize,
    /// Outsiders and the screening from 2020-02-03 on.
    pub screening: ScreeningReport,
}

fn day(n: i64) -> NaiveDate {
    first_day() + Duration::days(n)
}

/// The persons the cases happen to: a family of three sharing a home gate, and three others.
fn pick_persons(dice: &mut Dice, routines: &[Routine]) -> Result<(Vec<Routine>, Vec<Routine>)> {
    let mut loners = vec![];
    while loners.len() < 3 {
        let r = *dice.pick(routines);
        if loners.iter().all(|l: &Routine| l.person_id != r.person_id) {
            loners.push(r);
        }
    }
    for _ in 0..1_000 {
        let head = *dice.pick(routines);
        let mut family: Vec<Routine> = routines
            .iter()
            .filter(|r| r.home == head.home && r.person_id != head.person_id)
            .filter(|r| loners.iter().all(|l| l.person_id != r.person_id))
            .take(2)
            .copied()
            .collect();
        if family.len() == 2 && loners.iter().all(|l| l.person_id != head.person_id) {
            family.insert(0, head);
            return Ok((loners, family));
        }
    }
    Err(AppError::Internal("demo: no family for the cluster".into()))
}

/// Write the scans of 2020-01-20 … 2020-02-02, then the cases, their tracing and their ends.
pub(super) async fn generate(store: &Store, scale: Scale, seed: u64) -> Result<EpidemicReport> {
    let mut read = store.read().await?;
    let zone = read
        .area_by_code(super::zone::ZONE_CODE)
        .await?
        .ok_or(AppError::NotFound("demo zone"))?;
    let persons = read.person_homes().await?;
    let places = Places::new(&read.list_checkpoints(&zone.path, None).await?);
    read.rollback().await?;
    let places = &places;

    let mut dice = Dice::new(seed, Stream::Cases);
    let all = routines(&persons, places, &mut dice);
    let (loners, family) = pick_persons(&mut dice, &all)?;
    let who = |spec: &CaseSpec, i: usize| match spec.family {
        Some(f) => family[f],
        None => loners[i.min(2)],
    };
    let last = CASES.iter().map(|c| c.reported).max().unwrap_or(0);

    let mut scanner = Scanner::new("e");
    for n in 0..=last {
        let d = day(n);
        for r in &all {
            if dice.below(1000) < OUT_PER_MILLE {
                scanner.outing(&mut dice, places, r, d, Shown::IdNumber);
            }
        }
    }
    // The cases kept going out every day from their return until the day before the report;
    // the family went out together (their scans a minute or two apart).
    let mut loner = 0;
    for spec in &CASES {
        let r = who(spec, loner);
        if spec.family.is_none() {
            loner += 1;
        } else if spec.family != Some(0) {
            continue;
        }
        let from = match spec.arrived {
            Some(a) => {
                let traffic = *dice.pick(&places.traffic);
                let at = local_ms(day(a), dice.between(14 * 60, 19 * 60));
                scanner.scan(&mut dice, traffic, r.person_id, at, true, Shown::IdNumber);
                scanner.scan(
                    &mut dice,
                    r.home,
                    r.person_id,
                    at + 45 * 60_000,
                    true,
                    Shown::IdNumber,
                );
                a + 1
            }
            None => 0,
        };
        for n in from..spec.reported {
            let start = scanner.out.len();
            scanner.outing(&mut dice, places, &r, day(n), Shown::IdNumber);
            if spec.family == Some(0) {
                let outing: Vec<_> = scanner.out[start..].to_vec();
                for member in &family[1..] {
                    for s in &outing {
                        let at = s.at + dice.between(20, 120) * 1_000;
                        let inbound = s.direction == "in";
                        scanner.scan(
                            &mut dice,
                            s.checkpoint_id,
                            member.person_id,
                            at,
                            inbound,
                            Shown::IdNumber,
                        );
                    }
                }
            }
        }
    }
    let mut report = EpidemicReport {
        scans: scanner.out.len(),
        ..EpidemicReport::default()
    };
    let now = domain::time::now_ms();
    let mut tx = store.write().await?;
    tx.insert_scans_unchecked(&scanner.out, now).await?;
    tx.commit().await?;
    drop(scanner);

    let app = App::new(
        store.clone(),
        Settings {
            as_of: Some(super::codes::demo_day()),
            ..Settings::default()
        },
    );
    let actor = Actor {
        user_id: 0,
        username: "流调组".into(),
        display_name: "开发区疫情防控指挥部流调组".into(),
        role: Role::Commander,
        scope_area_id: zone.id,
        scope_kind: AreaKind::Zone,
        scope_path: zone.path.clone(),
        person_id: None,
        client_addr: "demo".into(),
    };
    let cluster = "开发区家庭聚集性疫情";
    let mut ends = vec![];
    let mut loner = 0;
    for spec in &CASES {
        let r = who(spec, loner);
        if spec.family.is_none() {
            loner += 1;
        }
        let created = cases::create(
            &app,
            &actor,
            &CaseInput {
                person_id: r.person_id,
                kind: spec.kind.into(),
                origin: spec.origin.into(),
                onset_on: Some(day(spec.onset).to_string()),
                reported_on: day(spec.reported).to_string(),
                cluster: spec.family.map(|_| cluster.to_owned()),
                note: Some(spec.note.into()),
            },
        )
        .await?;
        report.cases += 1;
        if spec.kind == "confirmed" {
            report.confirmed += 1;
            report.last_reported = created.reported_on.clone();
            let traced = tracing::trace(&app, &actor, created.id, &TraceInput::default()).await?;
            report.close += traced.close;
            report.secondary += traced.secondary;
        }
        ends.push((created.id, spec.ended));
    }
    report.clusters = 1;
    ends.sort_by_key(|(_, (_, d))| *d);
    for (id, (change, n)) in ends {
        cases::change(
            &app,
            &actor,
            id,
            &CaseChangeInput {
                change: change.into(),
                on: Some(day(n).to_string()),
            },
        )
        .await?;
    }
    report.screening =
        screening::generate(store, scale, seed, places, &all, super::codes::demo_day()).await?;
    Ok(report)
}
