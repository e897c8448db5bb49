//! Screening scans (排查) of the demo: people keep routines — a home gate, and for workers a
//! factory or park gate — and every outing is four scans (home gate out, destination in,
//! destination out, home gate in). The weeks around the cases (from 2020-01-20) are scanned
//! as the checkpoints then did, by ID number before the health code existed; tracing runs on
//! exactly these records.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::CheckpointKind;
use domain::rules::CodeColor;
use domain::scan::{CodeFinding, ScanMethod, decide};
use store::{CheckpointRow, NewScan};

use super::dice::Dice;

/// The ruleset's fever threshold, which the demo's checkpoints apply.
const FEVER_FROM: f64 = 37.3;
/// Per mille of scans with a fever (the season's colds and flu).
const FEVER_PER_MILLE: u32 = 3;
/// The demo's scans carry this in place of a device's content digest: their event ids are the
/// demo's own and never resent.
pub(super) const FINGERPRINT: &str = "demo";

/// The checkpoints by what they are for.
pub(super) struct Places {
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
            let works = category == "worker" || (category == "resident" && dice.percent(25));
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
}

/// Writes scans with event ids unique per checkpoint (`tag` names the run, the counter the
/// scan).
pub(super) struct Scanner {
    pub tag: &'static str,
    pub next: u64,
    pub out: Vec<NewScan>,
}

impl Scanner {
    pub fn new(tag: &'static str) -> Self {
        Self {
            tag,
            next: 0,
            out: vec![],
        }
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
        let (method, colour, finding): (_, Option<CodeColor>, _) = match shown {
            Shown::IdNumber => (ScanMethod::IdNumber, None, CodeFinding::NoColour),
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
