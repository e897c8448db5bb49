//! Contact tracing (流调) by place and time: whoever was scanned at the same checkpoint or gate
//! within a few minutes of a case is a contact. Pure: the app reads the sightings from the
//! store (index range scans) and this module matches them.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};

use crate::ValueError;
use crate::time::shanghai;

/// How tracing searches; both values are settings, these are the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TracingParams {
    /// Two scans at one place this many minutes apart or less are an encounter (inclusive).
    pub window_minutes: i64,
    /// Days before the report day that are searched (the report day itself counts too).
    pub lookback_days: i64,
}

impl Default for TracingParams {
    fn default() -> Self {
        Self {
            window_minutes: 30,
            lookback_days: 14,
        }
    }
}

impl TracingParams {
    pub fn new(window_minutes: i64, lookback_days: i64) -> Result<Self, ValueError> {
        if !(1..=24 * 60).contains(&window_minutes) {
            return Err(ValueError::new(
                "out_of_range",
                "the tracing window is 1 to 1,440 minutes",
            ));
        }
        if !(1..=60).contains(&lookback_days) {
            return Err(ValueError::new(
                "out_of_range",
                "the tracing lookback is 1 to 60 days",
            ));
        }
        Ok(Self {
            window_minutes,
            lookback_days,
        })
    }

    pub fn window_ms(&self) -> i64 {
        self.window_minutes * 60_000
    }

    /// The instants searched for a case reported on `reported`: from local midnight
    /// `lookback_days` before it to the end of the report day, `[from, to)`.
    pub fn period(&self, reported: NaiveDate) -> (i64, i64) {
        let midnight = |d: NaiveDate| {
            shanghai()
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .map_or(0, |t| t.timestamp_millis())
        };
        let from = reported - chrono::Duration::days(self.lookback_days);
        let to = reported + chrono::Duration::days(1);
        (midnight(from), midnight(to))
    }
}

/// One scan as tracing sees it: a person at a place at an instant (ms UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sighting {
    pub place: i64,
    pub at: i64,
    pub person: i64,
}

/// What tracing found about one contact: their nearest encounter with someone already
/// traced (the source), and how often they met anyone traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposure {
    pub person: i64,
    /// The traced person met most closely in time (ties: the earlier encounter).
    pub source: i64,
    /// The place of that closest encounter.
    pub place: i64,
    /// The contact's first and last matched scans.
    pub first_at: i64,
    pub last_at: i64,
    /// Smallest time between the contact's scan and a traced person's scan there, in ms.
    pub closest_ms: i64,
    /// The contact's scans that fell within the window of a traced person's scan.
    pub encounters: i64,
}

/// A time range at one place to read from the store: `[from, to]`, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceRange {
    pub place: i64,
    pub from: i64,
    pub to: i64,
}

/// The ranges to read so that every scan within `window_ms` of a source sighting is seen,
/// overlapping ranges merged so no scan is read twice.
pub fn ranges(sources: &[Sighting], window_ms: i64) -> Vec<PlaceRange> {
    let mut s: Vec<(i64, i64)> = sources.iter().map(|x| (x.place, x.at)).collect();
    s.sort_unstable();
    let mut out: Vec<PlaceRange> = vec![];
    for (place, at) in s {
        let (from, to) = (at.saturating_sub(window_ms), at.saturating_add(window_ms));
        match out.last_mut() {
            Some(r) if r.place == place && from <= r.to => r.to = r.to.max(to),
            _ => out.push(PlaceRange { place, from, to }),
        }
    }
    out
}

/// Match `others` (scans read from the ranges) against the sources' sightings: each other
/// scan within `window_ms` (inclusive) of a source scan at the same place is an encounter.
/// Persons for whom `skip` is true (the case, the sources, contacts already found) are left
/// out. Results in person order.
pub fn match_sightings(
    sources: &[Sighting],
    others: &[Sighting],
    window_ms: i64,
    skip: impl Fn(i64) -> bool,
) -> Vec<Exposure> {
    let mut by_place: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for s in sources {
        by_place.entry(s.place).or_default().push((s.at, s.person));
    }
    for v in by_place.values_mut() {
        v.sort_unstable();
    }
    let mut found: HashMap<i64, Exposure> = HashMap::new();
    for o in others {
        if skip(o.person) {
            continue;
        }
        let Some(list) = by_place.get(&o.place) else {
            continue;
        };
        let Some((gap, source)) = nearest(list, o.at) else {
            continue;
        };
        if gap > window_ms {
            continue;
        }
        let e = found.entry(o.person).or_insert(Exposure {
            person: o.person,
            source,
            place: o.place,
            first_at: o.at,
            last_at: o.at,
            closest_ms: gap,
            encounters: 0,
        });
        e.encounters += 1;
        e.first_at = e.first_at.min(o.at);
        e.last_at = e.last_at.max(o.at);
        if gap < e.closest_ms {
            e.closest_ms = gap;
            e.source = source;
            e.place = o.place;
        }
    }
    let mut out: Vec<Exposure> = found.into_values().collect();
    out.sort_unstable_by_key(|e| e.person);
    out
}

/// The source sighting nearest to `at` in a list sorted by time: (gap, source person).
fn nearest(list: &[(i64, i64)], at: i64) -> Option<(i64, i64)> {
    let i = list.partition_point(|(t, _)| *t < at);
    let after = list.get(i).map(|(t, p)| (t - at, *p));
    let before = i
        .checked_sub(1)
        .and_then(|j| list.get(j))
        .map(|(t, p)| (at - t, *p));
    match (before, after) {
        (Some(b), Some(a)) => Some(if a.0 < b.0 { a } else { b }),
        (b, a) => b.or(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn s(place: i64, at_min: i64, person: i64) -> Sighting {
        Sighting {
            place,
            at: at_min * MIN,
            person,
        }
    }

    #[test]
    fn exactly_the_window_is_an_encounter_one_more_millisecond_is_not() {
        let src = [s(1, 100, 7)];
        let others = [
            s(1, 70, 1),
            s(1, 130, 2),
            Sighting {
                place: 1,
                at: 70 * MIN - 1,
                person: 3,
            },
            s(2, 100, 4),
        ];
        let got: Vec<i64> = match_sightings(&src, &others, 30 * MIN, |p| p == 7)
            .iter()
            .map(|e| e.person)
            .collect();
        assert_eq!(got, [1, 2]);
    }

    #[test]
    fn a_person_seen_twice_is_one_contact_with_two_encounters() {
        let src = [s(1, 100, 7), s(1, 500, 7)];
        let others = [s(1, 110, 1), s(1, 495, 1)];
        let e = match_sightings(&src, &others, 30 * MIN, |_| false);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].encounters, 2);
        assert_eq!(e[0].closest_ms, 5 * MIN);
        assert_eq!((e[0].first_at, e[0].last_at), (110 * MIN, 495 * MIN));
    }

    #[test]
    fn ranges_merge_overlaps_per_place() {
        let r = ranges(
            &[s(1, 100, 7), s(1, 120, 7), s(1, 300, 7), s(2, 100, 7)],
            30 * MIN,
        );
        assert_eq!(r.len(), 3);
        assert_eq!((r[0].from, r[0].to), (70 * MIN, 150 * MIN));
    }

    #[test]
    fn the_period_runs_from_midnight_lookback_days_before_to_the_end_of_the_report_day() {
        let p = TracingParams::default();
        let d = NaiveDate::from_ymd_opt(2020, 2, 2).unwrap();
        let (from, to) = p.period(d);
        assert_eq!(crate::time::format_local(from), "2020-01-19 00:00");
        assert_eq!(to - from, 15 * 86_400_000);
    }
}
