//! Evaluation: facts and a day in, colour, reasons and the earliest possible change out.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CodeColor;
use super::facts::{Arrival, CaseStatus, ContactExposure, Facts, Observation, RiskArea};
use super::ruleset::{Condition, CountFrom, Release, Rule, Ruleset};

/// The result of evaluating one person on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assessment {
    pub colour: CodeColor,
    /// Every active reason, red before yellow, then by `since`.
    pub reasons: Vec<Reason>,
    /// The earliest day the colour can change if every check-in from the evaluated day on is
    /// normal; None when green by the rules, or when it waits on an event (discharge, end of
    /// observation) or on a colour set by hand without an end.
    #[schema(value_type = Option<String>, format = Date)]
    pub earliest_change: Option<NaiveDate>,
}

/// The reason code of a colour set by hand; reserved (`Ruleset::parse` refuses it in a rule).
pub const MANUAL_REASON: &str = "manual";

/// Why a code has its colour: one per rule with unreleased triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// Stable snake_case reason code, e.g. `close_contact`.
    pub code: String,
    pub rule_id: String,
    pub colour: CodeColor,
    /// The day the earliest still-active trigger of this rule started.
    #[schema(value_type = String, format = Date)]
    pub since: NaiveDate,
    /// The earliest day this reason can be released if every check-in from now on is normal;
    /// None when it waits on an event.
    #[schema(value_type = Option<String>, format = Date)]
    pub earliest_release: Option<NaiveDate>,
    /// English prose about the triggering fact, e.g. "close contact, last exposure 2020-02-01".
    pub detail: String,
}

/// A fact that matched a rule's condition.
#[derive(Clone, Copy)]
enum Source<'a> {
    Case(&'a CaseStatus),
    Contact(&'a ContactExposure),
    Observation(&'a Observation),
    Quarantine(&'a Observation),
    Arrival(&'a Arrival, &'a RiskArea),
    FalseDeclaration,
    CheckIn,
}

#[derive(Clone, Copy)]
struct Trigger<'a> {
    start: NaiveDate,
    /// None: still lasting on the evaluated day.
    end: Option<NaiveDate>,
    source: Source<'a>,
}

/// One day of check-ins: the day and whether every check-in that day was normal.
type DayLog = [(NaiveDate, bool)];

fn plus(date: NaiveDate, days: i64) -> NaiveDate {
    let r = if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    r.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// Length of the run of consecutive normal days ending on `day`, counting only days after
/// `anchor`; 0 if `day` has no check-in or an abnormal one.
fn run_ending(log: &DayLog, anchor: NaiveDate, day: NaiveDate) -> i64 {
    let Ok(mut i) = log.binary_search_by_key(&day, |e| e.0) else {
        return 0;
    };
    let mut run = 0;
    let mut expect = day;
    loop {
        let (date, normal) = log[i];
        if date != expect || !normal || date <= anchor {
            return run;
        }
        run += 1;
        if i == 0 {
            return run;
        }
        i -= 1;
        expect = plus(expect, -1);
    }
}

/// The first day in `from..=until` on which the streak condition holds: `n` consecutive normal
/// days after `anchor` complete on that day or the day before. With n = 0, `from` itself.
fn streak_release(
    log: &DayLog,
    anchor: NaiveDate,
    from: NaiveDate,
    n: i64,
    until: NaiveDate,
) -> Option<NaiveDate> {
    if from > until {
        return None;
    }
    if n == 0 {
        return Some(from);
    }
    // Walk the maximal runs of consecutive normal days after the anchor. A run [s, t] of length
    // at least n satisfies the condition on every day of [s + n - 1, t + 1].
    let first = log.partition_point(|e| e.0 <= anchor);
    let mut run_start: Option<NaiveDate> = None;
    let mut prev: Option<NaiveDate> = None;
    let close = |s: NaiveDate, t: NaiveDate| -> Option<NaiveDate> {
        if (t - s).num_days() + 1 < n {
            return None;
        }
        let candidate = from.max(plus(s, n - 1));
        (candidate <= plus(t, 1) && candidate <= until).then_some(candidate)
    };
    for &(date, normal) in &log[first..] {
        if date > until {
            break;
        }
        let continues = prev.is_some_and(|p| plus(p, 1) == date);
        if let (Some(s), Some(p)) = (run_start, prev)
            && (!continues || !normal)
        {
            if let Some(day) = close(s, p) {
                return Some(day);
            }
            run_start = None;
        }
        if normal && run_start.is_none() {
            run_start = Some(date);
        }
        prev = if normal { Some(date) } else { None };
    }
    match (run_start, prev) {
        (Some(s), Some(p)) => close(s, p),
        _ => None,
    }
}

enum Status {
    Released,
    /// Unreleased; the earliest release if every check-in from now on is normal.
    Active(Option<NaiveDate>),
}

struct Context<'a> {
    facts: &'a Facts,
    day: NaiveDate,
    log: &'a DayLog,
    /// Sorted, none after `day`.
    quarantine_releases: &'a [NaiveDate],
}

impl Context<'_> {
    fn status(&self, release: &Release, trigger: &Trigger) -> Status {
        let Some(end) = trigger.end else {
            return Status::Active(None);
        };
        let anchor = match release.count_from {
            CountFrom::Start => trigger.start,
            CountFrom::End => end,
        };
        let from = plus(anchor, release.days.into()).max(end);
        let n = i64::from(release.normal_check_ins);
        if streak_release(self.log, anchor, from, n, self.day).is_some() {
            return Status::Released;
        }
        if release.by_quarantine_release {
            let i = self.quarantine_releases.partition_point(|q| *q < from);
            if i < self.quarantine_releases.len() {
                return Status::Released;
            }
        }
        // Suppose a normal check-in today (unless there is one) and every day after.
        let run_today = match self.log.binary_search_by_key(&self.day, |e| e.0) {
            Ok(i) if !self.log[i].1 => 0,
            Ok(_) => run_ending(self.log, anchor, self.day),
            Err(_) if self.day <= anchor => 0,
            Err(_) => run_ending(self.log, anchor, plus(self.day, -1)) + 1,
        };
        let by_streak = plus(self.day, (n - run_today).max(0));
        Status::Active(Some(from.max(by_streak).max(self.day)))
    }

    fn triggers<'a>(&'a self, rule: &'a Rule) -> Vec<Trigger<'a>> {
        let day = self.day;
        let f = self.facts;
        let ended = |start: NaiveDate, end: Option<NaiveDate>| {
            end.filter(|e| *e <= day).map(|e| e.max(start))
        };
        let mut out = Vec::new();
        match &rule.condition {
            Condition::Case { kinds } => {
                for c in f
                    .cases
                    .iter()
                    .filter(|c| c.since <= day && kinds.contains(&c.kind))
                {
                    out.push(Trigger {
                        start: c.since,
                        end: ended(c.since, c.ended),
                        source: Source::Case(c),
                    });
                }
            }
            Condition::Contact { degree } => {
                for c in f
                    .contacts
                    .iter()
                    .filter(|c| c.last_exposure <= day && c.degree == *degree)
                {
                    out.push(Trigger {
                        start: c.last_exposure,
                        end: Some(c.last_exposure),
                        source: Source::Contact(c),
                    });
                }
            }
            Condition::MedicalObservation => {
                for o in f.observations.iter().filter(|o| o.start <= day) {
                    out.push(Trigger {
                        start: o.start,
                        end: ended(o.start, o.end),
                        source: Source::Observation(o),
                    });
                }
            }
            Condition::Quarantine => {
                for q in f.quarantines.iter().filter(|q| q.start <= day) {
                    out.push(Trigger {
                        start: q.start,
                        end: ended(q.start, q.end),
                        source: Source::Quarantine(q),
                    });
                }
            }
            Condition::RiskAreaArrival {
                levels,
                within_days,
            } => {
                for a in &f.arrivals {
                    let known = a.declared.unwrap_or(a.arrived).max(a.arrived);
                    if a.arrived > day || known > day {
                        continue;
                    }
                    if let Some(w) = within_days
                        && (known - a.arrived).num_days() >= i64::from(*w)
                    {
                        continue;
                    }
                    let area = f
                        .risk_areas
                        .matching(&a.division, a.arrived)
                        .filter(|r| levels.contains(&r.level))
                        .max_by_key(|r| r.level);
                    if let Some(area) = area {
                        out.push(Trigger {
                            start: a.arrived,
                            end: Some(a.arrived),
                            source: Source::Arrival(a, area),
                        });
                    }
                }
            }
            Condition::FalseDeclaration => {
                for d in f.false_declarations.iter().filter(|d| **d <= day) {
                    out.push(Trigger {
                        start: *d,
                        end: Some(*d),
                        source: Source::FalseDeclaration,
                    });
                }
            }
            Condition::AbnormalCheckIn => {
                for (d, _) in self.log.iter().filter(|e| !e.1) {
                    out.push(Trigger {
                        start: *d,
                        end: Some(*d),
                        source: Source::CheckIn,
                    });
                }
            }
        }
        out
    }

    fn detail(&self, ruleset: &Ruleset, trigger: &Trigger) -> String {
        match trigger.source {
            Source::Case(c) => match trigger.end {
                Some(end) => format!("{} case since {}, ended {end}", c.kind, c.since),
                None => format!("{} case since {}", c.kind, c.since),
            },
            Source::Contact(c) => {
                format!("{} contact, last exposure {}", c.degree, c.last_exposure)
            }
            Source::Observation(o) => match trigger.end {
                Some(end) => format!("medical observation from {} to {end}", o.start),
                None => format!("under medical observation since {}", o.start),
            },
            Source::Quarantine(q) => match trigger.end {
                Some(end) => format!("in quarantine from {} to {end}", q.start),
                None => format!("in quarantine since {}", q.start),
            },
            Source::Arrival(a, area) => format!(
                "arrived {} from {}, in {}-risk area {} (listed from {})",
                a.arrived,
                a.division.trim(),
                area.level,
                area.division.trim(),
                area.valid_from
            ),
            Source::FalseDeclaration => format!("declaration found false on {}", trigger.start),
            Source::CheckIn => {
                let mut parts = Vec::new();
                for c in self
                    .facts
                    .check_ins
                    .iter()
                    .filter(|c| c.date == trigger.start && !ruleset.is_normal(c))
                {
                    if c.temperature.is_nan() || c.temperature >= ruleset.normal_below() {
                        parts.push(format!("{:.1} ℃", c.temperature));
                    }
                    if c.symptoms {
                        parts.push("symptoms".to_owned());
                    }
                }
                parts.dedup();
                format!("check-in on {}: {}", trigger.start, parts.join(", "))
            }
        }
    }
}

impl Ruleset {
    /// Evaluate `facts` as of `day` (facts dated later are ignored).
    pub fn evaluate(&self, facts: &Facts, day: NaiveDate) -> Assessment {
        let mut log: Vec<(NaiveDate, bool)> = facts
            .check_ins
            .iter()
            .filter(|c| c.date <= day)
            .map(|c| (c.date, self.is_normal(c)))
            .collect();
        log.sort_unstable_by_key(|e| e.0);
        log.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 &= later.1;
            }
            same
        });
        let mut quarantine_releases: Vec<NaiveDate> = facts
            .quarantine_releases
            .iter()
            .copied()
            .filter(|d| *d <= day)
            .collect();
        quarantine_releases.sort_unstable();
        let cx = Context {
            facts,
            day,
            log: &log,
            quarantine_releases: &quarantine_releases,
        };

        let mut reasons = Vec::new();
        for rule in self.rules() {
            let mut since: Option<NaiveDate> = None;
            let mut earliest_release: Option<Option<NaiveDate>> = None;
            let mut latest: Option<Trigger> = None;
            let mut active = 0usize;
            for trigger in cx.triggers(rule) {
                let Status::Active(release) = cx.status(&rule.release, &trigger) else {
                    continue;
                };
                active += 1;
                since = Some(since.map_or(trigger.start, |s| s.min(trigger.start)));
                // The reason lasts until its last trigger is released; None (waiting on an
                // event) outlasts any date.
                earliest_release = Some(match (earliest_release, release) {
                    (None, r) => r,
                    (Some(None), _) | (_, None) => None,
                    (Some(Some(a)), Some(b)) => Some(a.max(b)),
                });
                if latest.is_none_or(|l| trigger.start >= l.start) {
                    latest = Some(trigger);
                }
            }
            let (Some(since), Some(latest)) = (since, latest) else {
                continue;
            };
            let mut detail = cx.detail(self, &latest);
            if active > 1 {
                detail.push_str(&format!(" (and {} earlier)", active - 1));
            }
            reasons.push(Reason {
                code: rule.reason.clone(),
                rule_id: rule.id.clone(),
                colour: rule.colour,
                since,
                earliest_release: earliest_release.flatten(),
                detail,
            });
        }
        reasons.sort_by(|a, b| b.colour.cmp(&a.colour).then(a.since.cmp(&b.since)));

        // A colour set by hand decides while in force (the latest one if several overlap).
        let manual = facts
            .manual
            .iter()
            .filter(|m| m.in_force(day))
            .max_by_key(|m| (m.from, m.id));
        if let Some(m) = manual {
            reasons.insert(
                0,
                Reason {
                    code: MANUAL_REASON.to_owned(),
                    rule_id: format!("manual-{}", m.id),
                    colour: m.colour,
                    since: m.from,
                    earliest_release: m.until.and_then(|u| u.succ_opt()),
                    detail: m.reason.clone(),
                },
            );
            return Assessment {
                colour: m.colour,
                reasons,
                earliest_change: m.until.and_then(|u| u.succ_opt()),
            };
        }

        let colour = reasons
            .iter()
            .map(|r| r.colour)
            .max()
            .unwrap_or(CodeColor::Green);
        // The colour changes when every reason of that colour is released.
        let earliest_change = if colour == CodeColor::Green {
            None
        } else {
            reasons
                .iter()
                .filter(|r| r.colour == colour)
                .try_fold(day, |acc, r| r.earliest_release.map(|e| acc.max(e)))
        };
        Assessment {
            colour,
            reasons,
            earliest_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn days(from: &str, to: &str) -> Vec<(NaiveDate, bool)> {
        d(from)
            .iter_days()
            .take_while(|x| *x <= d(to))
            .map(|x| (x, true))
            .collect()
    }

    #[test]
    fn runs_count_only_after_the_anchor() {
        let log = days("2020-02-01", "2020-02-10");
        assert_eq!(run_ending(&log, d("2020-01-01"), d("2020-02-10")), 10);
        assert_eq!(run_ending(&log, d("2020-02-05"), d("2020-02-10")), 5);
        assert_eq!(run_ending(&log, d("2020-02-05"), d("2020-02-11")), 0);
    }

    #[test]
    fn streak_release_needs_the_whole_streak_after_from() {
        let log = days("2020-02-02", "2020-02-15");
        let a = d("2020-02-01");
        assert_eq!(
            streak_release(&log, a, d("2020-02-15"), 14, d("2020-02-15")),
            Some(d("2020-02-15"))
        );
        assert_eq!(
            streak_release(&log, a, d("2020-02-15"), 14, d("2020-02-14")),
            None
        );
        // A streak of 7 that ended the day before `from` still counts on `from`, not later.
        let log = days("2020-02-08", "2020-02-14");
        assert_eq!(
            streak_release(&log, a, d("2020-02-15"), 7, d("2020-03-01")),
            Some(d("2020-02-15"))
        );
        assert_eq!(
            streak_release(&log, a, d("2020-02-16"), 7, d("2020-03-01")),
            None
        );
    }

    #[test]
    fn plus_saturates() {
        assert_eq!(plus(NaiveDate::MAX, 3), NaiveDate::MAX);
        assert_eq!(plus(NaiveDate::MIN, -3), NaiveDate::MIN);
    }
}
