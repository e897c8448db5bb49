//! 精密智控指数 per street per day: the twelve indicators from the records as of the end of
//! the day, scored by the index table. Indicators without records are "no data".

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::command::{IndexTable, Indicator, Score};
use serde::Serialize;

use super::dashboard::DayReads;
use super::end_of;
use super::risk::Inputs;
use crate::{Actor, App, Result};

#[derive(Debug, Clone, Serialize)]
pub struct StreetIndex {
    pub area_id: i64,
    pub code: String,
    pub name: String,
    /// 1 = best; None without an index.
    pub rank: Option<usize>,
    #[serde(flatten)]
    pub score: Score,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexRanking {
    pub day: String,
    pub table_version: String,
    /// Best first; streets without an index last.
    pub streets: Vec<StreetIndex>,
}

/// Indicator values of every street for one day.
type Values = HashMap<i64, HashMap<Indicator, f64>>;

fn ratio(yes: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| yes as f64 / of as f64)
}

/// The days-since and case indicators, and the hours until close contacts were red.
fn case_values(
    inputs: &Inputs,
    changes: &Changes,
    streets: &[i64],
    day: NaiveDate,
    v: &mut Values,
) {
    let horizon = chrono::Days::new(14);
    for s in streets {
        let cases: Vec<&store::ConfirmedCaseRow> = inputs
            .cases
            .iter()
            .filter(|c| c.street_id == *s)
            .filter(|c| c.confirmed_on.parse::<NaiveDate>().is_ok_and(|d| d <= day))
            .collect();
        let e = v.entry(*s).or_default();
        let local_14 = cases
            .iter()
            .filter(|c| c.origin == "local")
            .filter(|c| {
                c.confirmed_on
                    .parse::<NaiveDate>()
                    .is_ok_and(|d| d + horizon > day)
            })
            .count();
        e.insert(Indicator::NewLocalCases14d, local_14 as f64);
        // Days since the last case: since the records began when there was none.
        let last = cases
            .iter()
            .filter_map(|c| c.confirmed_on.parse::<NaiveDate>().ok())
            .max()
            .or(changes.first_day);
        if let Some(last) = last {
            e.insert(Indicator::DaysSinceLastCase, (day - last).num_days() as f64);
        }
        // Hours from each case's report (in the last 14 days) until its last close contact
        // turned red; a contact still not red at the end of the day counts until then.
        let until = end_of(day);
        let hours: Vec<f64> = cases
            .iter()
            .filter(|c| {
                c.confirmed_on
                    .parse::<NaiveDate>()
                    .is_ok_and(|d| d + horizon > day)
                    && c.created_at < until
            })
            .filter_map(|c| {
                let contacts = changes.contacts.get(&c.id)?;
                let worst = contacts
                    .iter()
                    .map(|p| {
                        changes
                            .red_from(*p, c.created_at)
                            .unwrap_or(until)
                            .min(until)
                    })
                    .max()?;
                Some((worst - c.created_at).max(0) as f64 / 3_600_000.0)
            })
            .collect();
        if !hours.is_empty() {
            e.insert(
                Indicator::ContactsRedHours,
                hours.iter().sum::<f64>() / hours.len() as f64,
            );
        }
    }
}

/// Close contacts per case and their code changes.
struct Changes {
    contacts: HashMap<i64, Vec<i64>>,
    by_person: HashMap<i64, Vec<(i64, String)>>,
    first_day: Option<NaiveDate>,
}

impl Changes {
    /// When a person's code was red at or after `from`: `from` if it was already red then,
    /// else the first change to red after it.
    fn red_from(&self, person: i64, from: i64) -> Option<i64> {
        let changes = self.by_person.get(&person)?;
        let before = changes.iter().rfind(|c| c.0 <= from);
        if before.is_some_and(|c| c.1 == "red") {
            return Some(from);
        }
        changes
            .iter()
            .find(|c| c.0 > from && c.1 == "red")
            .map(|c| c.0)
    }
}

async fn changes(app: &App, inputs: &Inputs) -> Result<Changes> {
    let ids: Vec<i64> = inputs.cases.iter().map(|c| c.id).collect();
    let mut tx = app.store.read().await?;
    let pairs = tx.close_contacts_of_cases(&ids).await?;
    let mut persons: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    persons.sort_unstable();
    persons.dedup();
    let rows = tx.code_changes_of_persons(&persons).await?;
    tx.rollback().await?;
    let mut contacts: HashMap<i64, Vec<i64>> = HashMap::new();
    for (case, person) in pairs {
        contacts.entry(case).or_default().push(person);
    }
    let mut by_person: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (person, at, colour) in rows {
        by_person.entry(person).or_default().push((at, colour));
    }
    Ok(Changes {
        contacts,
        by_person,
        first_day: super::first_day(app).await?,
    })
}

/// The record-based indicators of every street for the day of `reads`.
async fn record_values(app: &App, actor: &Actor, reads: &DayReads, v: &mut Values) -> Result<()> {
    let day = reads.day;
    // Quarantine checks done on time (none due: no data).
    if actor.role.has(domain::Right::ViewQuarantine) {
        for s in crate::quarantine::checks_on_time(app, actor, day).await? {
            if let Some(x) = s.share_on_time {
                v.entry(s.street_id)
                    .or_default()
                    .insert(Indicator::QuarantineChecksOnTime, x);
            }
        }
    }
    let until = end_of(day);
    let d = day.to_string();
    let mut tx = app.store.read().await?;
    // Green codes among the persons of the street; no data where nobody had a code yet.
    let mut persons: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for (street, colour, n) in &reads.colours {
        let (street, n) = (*street, *n);
        let e = persons.entry(street).or_default();
        e.0 += n;
        match colour.as_deref() {
            Some("green") => (e.1, e.2) = (e.1 + n, e.2 + n),
            Some(_) => e.1 += n,
            None => {}
        }
    }
    for (street, (of, with_code, green)) in &persons {
        if *with_code > 0
            && let Some(r) = ratio(*green, *of)
        {
            v.entry(*street)
                .or_default()
                .insert(Indicator::ValidCodeShare, r);
        }
    }
    // The 三率一度 of the day's enterprise reports.
    for r in tx.rate_groups(&d, true).await? {
        let Ok(street) = r.group.parse::<i64>() else {
            continue;
        };
        let inputs = domain::enterprise::report::RateInputs {
            enterprises: r.enterprises,
            reported: r.reported,
            resumed: r.resumed,
            on_site: r.on_site,
            total: r.total,
            capacity_sum: r.capacity_sum,
            major_projects: r.major_projects,
            major_projects_resumed: r.major_projects_resumed,
        };
        if r.reported == 0 {
            continue;
        }
        let rates = inputs.rates();
        let e = v.entry(street).or_default();
        for (i, bp) in [
            (Indicator::ResumptionRate, rates.resumption_bp),
            (Indicator::WorkerReturnRate, rates.worker_return_bp),
            (Indicator::CapacityRate, rates.capacity_bp),
            (Indicator::ProjectIntensity, rates.project_intensity_bp),
        ] {
            if let Some(bp) = bp {
                e.insert(i, bp as f64 / 10_000.0);
            }
        }
    }
    for r in tx.requests_on_time_by_street(until).await? {
        if let Some(x) = ratio(r.yes, r.of) {
            v.entry(r.street_id)
                .or_default()
                .insert(Indicator::RequestsOnTime, x);
        }
    }
    for r in tx.payouts_by_street(until).await? {
        if let Some(x) = ratio(r.yes, r.of) {
            v.entry(r.street_id)
                .or_default()
                .insert(Indicator::PolicyDisbursed, x);
        }
    }
    // Checkpoint passes without a stop, by the street the checkpoint stands in.
    let checkpoints = tx.checkpoint_records("/", true).await?;
    let scans = &reads.scans;
    let streets = tx.areas_of_kind("street", "/").await?;
    tx.rollback().await?;
    let street_of_path = |path: &str| {
        streets
            .iter()
            .find(|s| path.starts_with(&s.path))
            .map(|s| s.id)
    };
    let street_of: HashMap<i64, i64> = checkpoints
        .iter()
        .filter_map(|c| Some((c.id, street_of_path(&c.area_path)?)))
        .collect();
    let mut passes: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in scans {
        if let Some(s) = street_of.get(&r.checkpoint_id) {
            let e = passes.entry(*s).or_default();
            e.0 += r.counts.total;
            e.1 += r.counts.total - r.counts.stop;
        }
    }
    for (s, (of, ok)) in passes {
        if let Some(x) = ratio(ok, of) {
            v.entry(s)
                .or_default()
                .insert(Indicator::CheckpointPassShare, x);
        }
    }
    Ok(())
}

/// Every street's index on `day`, ranked.
pub async fn ranking(
    app: &App,
    actor: &Actor,
    table: &IndexTable,
    inputs: &Inputs,
    day: NaiveDate,
) -> Result<IndexRanking> {
    actor.require(domain::Right::ViewCommand)?;
    let reads = DayReads::load(app, day).await?;
    ranking_with(app, actor, table, inputs, &reads).await
}

/// [`ranking`] from the day's reads already made.
pub async fn ranking_with(
    app: &App,
    actor: &Actor,
    table: &IndexTable,
    inputs: &Inputs,
    reads: &DayReads,
) -> Result<IndexRanking> {
    actor.require(domain::Right::ViewCommand)?;
    let changes = changes(app, inputs).await?;
    rank_day(app, actor, table, inputs, &changes, reads).await
}

async fn rank_day(
    app: &App,
    actor: &Actor,
    table: &IndexTable,
    inputs: &Inputs,
    changes: &Changes,
    reads: &DayReads,
) -> Result<IndexRanking> {
    let day = reads.day;
    let streets: Vec<&store::AreaRow> =
        inputs.areas.iter().filter(|a| a.kind == "street").collect();
    let ids: Vec<i64> = streets.iter().map(|s| s.id).collect();
    let mut values = Values::new();
    case_values(inputs, changes, &ids, day, &mut values);
    record_values(app, actor, reads, &mut values).await?;
    let mut out: Vec<StreetIndex> = streets
        .iter()
        .map(|s| {
            let v = values.get(&s.id);
            StreetIndex {
                area_id: s.id,
                code: s.code.clone(),
                name: s.name.clone(),
                rank: None,
                score: table.score(|i| v.and_then(|m| m.get(&i).copied())),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .index
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.score.index.unwrap_or(f64::NEG_INFINITY))
            .then(a.area_id.cmp(&b.area_id))
    });
    for (i, s) in out.iter_mut().enumerate() {
        if s.score.index.is_some() {
            s.rank = Some(i + 1);
        }
    }
    Ok(IndexRanking {
        day: day.to_string(),
        table_version: table.version().to_owned(),
        streets: out,
    })
}

/// The index of every street on each of the `days` days up to `day`, oldest first (days
/// before the first record are left out).
pub async fn trend(
    app: &App,
    actor: &Actor,
    table: &IndexTable,
    inputs: &Inputs,
    day: NaiveDate,
    days: u32,
) -> Result<Vec<IndexRanking>> {
    actor.require(domain::Right::ViewCommand)?;
    let changes = changes(app, inputs).await?;
    let first = changes.first_day;
    let shown: Vec<NaiveDate> = (0..days.clamp(1, 60))
        .rev()
        .map(|i| day - chrono::Days::new(u64::from(i)))
        .filter(|d| first.is_none_or(|f| *d >= f))
        .collect();
    let mut out = Vec::with_capacity(shown.len());
    for reads in DayReads::load_days(app, &shown).await? {
        out.push(rank_day(app, actor, table, inputs, &changes, &reads).await?);
    }
    Ok(out)
}
