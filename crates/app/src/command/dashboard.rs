//! The day's headline figures for the command dashboard and the briefing: days without a new
//! confirmed case, screened, quarantine, codes, scans by checkpoint, cases and contacts.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::end_of;
use super::risk::Inputs;
use crate::checkpoints::figures::{Counts, day_number};
use crate::{Actor, App, Result};

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointDay {
    pub checkpoint_id: i64,
    pub name: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayFigures {
    pub date: String,
    /// Days from the last new confirmed case to the day; None if there never was one.
    pub days_without_new_confirmed: Option<i64>,
    pub last_confirmed_on: Option<String>,
    pub new_confirmed: i64,
    pub confirmed_cumulative: i64,
    /// Distinct persons screened at checkpoints up to the end of the day.
    pub screened_cumulative: i64,
    /// From the quarantine records (app::quarantine::figures); None when the account may not
    /// see quarantine.
    pub quarantine_cumulative: Option<i64>,
    pub quarantine_current: Option<i64>,
    /// Persons by the colour of their code at the end of the day (green, yellow, red, none).
    pub codes: BTreeMap<String, i64>,
    pub contacts_close: i64,
    pub contacts_secondary: i64,
    pub scans_total: i64,
    /// The day's scans per checkpoint, most first.
    pub scans_by_checkpoint: Vec<CheckpointDay>,
}

/// The reads of one day that the figures and the index ranking both need, made once per day
/// (the briefing and the dashboard show both).
#[derive(Debug, Clone)]
pub struct DayReads {
    pub day: NaiveDate,
    /// Persons per street by code colour at the end of the day: (street, colour, count).
    pub colours: Vec<(i64, Option<String>, i64)>,
    /// The day's scans per checkpoint.
    pub scans: Vec<store::ScansPerDayRow>,
}

impl DayReads {
    pub async fn load(app: &App, day: NaiveDate) -> Result<Self> {
        let mut days = Self::load_days(app, &[day]).await?;
        days.pop()
            .ok_or_else(|| crate::AppError::Internal("no reads for the day".into()))
    }

    /// The reads of several days (a trend) in one transaction, the persons per street (the
    /// same every day) read once.
    pub async fn load_days(app: &App, days: &[NaiveDate]) -> Result<Vec<Self>> {
        let mut tx = app.store.read().await?;
        let persons = tx.persons_by_street().await?;
        let mut out = Vec::with_capacity(days.len());
        for &day in days {
            let colours = tx
                .code_colours_by_street_of(&persons, &day.to_string())
                .await?;
            let scans = tx
                .scans_per_day(day_number(day), day_number(day) + 1)
                .await?;
            out.push(Self {
                day,
                colours,
                scans,
            });
        }
        tx.rollback().await?;
        Ok(out)
    }
}

/// The figures of `day` inside the actor's scope.
pub async fn figures(
    app: &App,
    actor: &Actor,
    inputs: &Inputs,
    day: NaiveDate,
) -> Result<DayFigures> {
    actor.require(domain::Right::ViewCommand)?;
    figures_with(app, actor, inputs, &DayReads::load(app, day).await?).await
}

/// [`figures`] from the day's reads already made.
pub async fn figures_with(
    app: &App,
    actor: &Actor,
    inputs: &Inputs,
    reads: &DayReads,
) -> Result<DayFigures> {
    actor.require(domain::Right::ViewCommand)?;
    let day = reads.day;
    let in_scope: HashSet<i64> = inputs.areas.iter().map(|a| a.id).collect();
    let confirmed: Vec<NaiveDate> = inputs
        .cases
        .iter()
        .filter(|c| in_scope.contains(&c.street_id))
        .filter_map(|c| c.confirmed_on.parse::<NaiveDate>().ok())
        .filter(|d| *d <= day)
        .collect();
    let last = confirmed.iter().max().copied();
    let d = day.to_string();
    let until = end_of(day);
    let mut tx = app.store.read().await?;
    let mut codes: BTreeMap<String, i64> = ["green", "yellow", "red", "none"]
        .iter()
        .map(|c| ((*c).to_owned(), 0))
        .collect();
    for (street, colour, n) in &reads.colours {
        if in_scope.contains(street) {
            *codes
                .entry(colour.clone().unwrap_or_else(|| "none".into()))
                .or_default() += n;
        }
    }
    let screened_cumulative = tx.screened_before(until).await?;
    let (contacts_close, contacts_secondary) = tx.contacts_until(&d).await?;
    let names: std::collections::HashMap<i64, String> = tx
        .checkpoint_records(&actor.scope_path, true)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let rows = reads.scans.clone();
    tx.rollback().await?;
    let quarantine = if actor.role.has(domain::Right::ViewQuarantine) {
        Some(crate::quarantine::figures(app, actor, day).await?)
    } else {
        None
    };
    let mut scans_by_checkpoint: Vec<CheckpointDay> = rows
        .into_iter()
        .filter_map(|r| {
            Some(CheckpointDay {
                checkpoint_id: r.checkpoint_id,
                name: names.get(&r.checkpoint_id)?.clone(),
                counts: r.counts.into(),
            })
        })
        .collect();
    scans_by_checkpoint.sort_by(|a, b| {
        b.counts
            .total
            .cmp(&a.counts.total)
            .then(a.checkpoint_id.cmp(&b.checkpoint_id))
    });
    Ok(DayFigures {
        date: d,
        days_without_new_confirmed: last.map(|l| (day - l).num_days()),
        last_confirmed_on: last.map(|l| l.to_string()),
        new_confirmed: confirmed.iter().filter(|c| **c == day).count() as i64,
        confirmed_cumulative: confirmed.len() as i64,
        screened_cumulative,
        quarantine_cumulative: quarantine.as_ref().map(|q| q.cumulative),
        quarantine_current: quarantine.as_ref().map(|q| q.current),
        codes,
        contacts_close,
        contacts_secondary,
        scans_total: scans_by_checkpoint.iter().map(|c| c.counts.total).sum(),
        scans_by_checkpoint,
    })
}

/// New confirmed cases per day over the `days` days up to `day`, oldest first, for the chart.
pub fn new_cases_per_day(inputs: &Inputs, day: NaiveDate, days: u32) -> Vec<(NaiveDate, i64)> {
    (0..days)
        .rev()
        .map(|i| {
            let d = day - chrono::Days::new(u64::from(i));
            let n = inputs
                .cases
                .iter()
                .filter(|c| c.confirmed_on == d.to_string())
                .count() as i64;
            (d, n)
        })
        .collect()
}
