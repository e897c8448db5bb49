//! The search itself: the case's own scans (one range of the `(person_id, at)` index), then
//! who was at each of those places within the window (merged ranges of the
//! `(checkpoint_id, at, person_id)` index); the same again from every close contact gives
//! the secondary contacts. Only those ranges are read, never the day's scans as a whole, and
//! in a few set-based statements (all close contacts at once, up to 100 ranges a statement).

use std::collections::{HashMap, HashSet};

use domain::tracing::{Exposure, Sighting, TracingParams, match_sightings, ranges};
use store::{CaseRow, SightingRow, Tx};

use crate::{AppError, Result};

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// `[from, to)` searched, ms UTC.
    pub from: i64,
    pub to: i64,
    /// The case's own scans in the period.
    pub index_scans: usize,
    pub close: Vec<Exposure>,
    pub secondary: Vec<Exposure>,
    /// Scans read from the place ranges (the work done).
    pub scans_read: usize,
}

fn sighting(r: SightingRow) -> Sighting {
    Sighting {
        place: r.checkpoint_id,
        at: r.at,
        person: r.person_id,
    }
}

async fn read_ranges(tx: &mut Tx, sources: &[Sighting], window_ms: i64) -> Result<Vec<Sighting>> {
    let merged: Vec<(i64, i64, i64)> = ranges(sources, window_ms)
        .into_iter()
        .map(|r| (r.place, r.from, r.to))
        .collect();
    Ok(tx
        .sightings_in_ranges(&merged)
        .await?
        .into_iter()
        .map(sighting)
        .collect())
}

/// Trace `case` with `params`: close contacts, then secondary contacts. A close contact
/// can pass the virus on only after meeting the case, so their own scans count from their
/// first encounter to the end of the period.
pub async fn search(tx: &mut Tx, case: &CaseRow, params: TracingParams) -> Result<Found> {
    let reported = case
        .reported_on
        .parse()
        .map_err(|_| AppError::Internal("stored report day".into()))?;
    let (from, to) = params.period(reported);
    let w = params.window_ms();
    let index: Vec<Sighting> = tx
        .sightings_of_person(case.person_id, from, to)
        .await?
        .into_iter()
        .map(sighting)
        .collect();
    let around = read_ranges(tx, &index, w).await?;
    let mut scans_read = around.len();
    let close = match_sightings(&index, &around, w, |p| p == case.person_id);

    // All close contacts' scans in one pass (a statement per 500 contacts), each kept from
    // that contact's first encounter on.
    let first_met: HashMap<i64, i64> = close.iter().map(|c| (c.person, c.first_at)).collect();
    let earliest = close.iter().map(|c| c.first_at).min().unwrap_or(to);
    let ids: Vec<i64> = first_met.keys().copied().collect();
    let sources: Vec<Sighting> = tx
        .sightings_of_persons(&ids, earliest, to)
        .await?
        .into_iter()
        .filter(|s| {
            first_met
                .get(&s.person_id)
                .is_some_and(|first| s.at >= *first)
        })
        .map(sighting)
        .collect();
    let around = read_ranges(tx, &sources, w).await?;
    scans_read += around.len();
    let close_set: HashSet<i64> = close.iter().map(|c| c.person).collect();
    let secondary = match_sightings(&sources, &around, w, |p| {
        p == case.person_id || close_set.contains(&p)
    });
    Ok(Found {
        from,
        to,
        index_scans: index.len(),
        close,
        secondary,
        scans_read,
    })
}
