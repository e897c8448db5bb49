//! Recomputing many codes at once: after a risk-area change (the persons who arrived from
//! there) and once a day (everyone). The risk list is read once, every fact with a handful of
//! set-based queries, the rules run in memory, and only the codes that changed are written, in
//! multi-row statements, each colour change with its history entry — all in the caller's
//! transaction, so the change that caused the recompute and its effects commit together.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use domain::rules::{Assessment, CodeColor, Facts, RiskAreaList, Ruleset, division_prefix};
use serde::Serialize;
use store::{
    BulkScope, BulkWindow, CodeUpsert, NO_REASONS, NewCodeChange, PersonAreasRow, StoredCodeRow, Tx,
};

use super::facts;
use crate::{AppError, Result};

/// Above this many distinct division prefixes, reading everyone is as cheap as the filter.
const MAX_PREFIXES: usize = 64;

/// What a bulk recompute did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecomputeReport {
    /// The day the rules were evaluated for.
    pub day: String,
    /// Persons whose code was evaluated (everyone with records that can colour a code, or
    /// whose stored code is not plain green, or who had no code).
    pub evaluated: usize,
    /// Codes written because something in them changed (colour, reasons, next change).
    pub written: usize,
    /// Colour changes, each written to the code history.
    pub colour_changes: usize,
    /// The new colours of those changes.
    pub to_green: usize,
    pub to_yellow: usize,
    pub to_red: usize,
    pub millis: u64,
}

/// Recompute every code for `day`, and give a first code to everyone who applied (declared or
/// checked in) and has none; `actor` is who or what prompted it ("daily").
pub async fn recompute_all(tx: &mut Tx, day: NaiveDate, actor: &str) -> Result<RecomputeReport> {
    recompute_scope(tx, day, actor, BulkScope::Everyone).await
}

/// Recompute the codes of the persons who arrived from any of `divisions` (risk-area division
/// codes; each covers its subdivisions) within the lookback window: the only codes a change
/// of those entries can affect.
pub async fn recompute_affected(
    tx: &mut Tx,
    day: NaiveDate,
    actor: &str,
    divisions: &[String],
) -> Result<RecomputeReport> {
    let mut prefixes: Vec<String> = divisions
        .iter()
        .map(|d| division_prefix(d).to_owned())
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    prefixes.sort();
    prefixes.dedup();
    // A prefix covering another makes it redundant ("42" covers "4201").
    let kept: Vec<String> = prefixes
        .iter()
        .filter(|p| {
            !prefixes
                .iter()
                .any(|q| q.len() < p.len() && p.starts_with(q.as_str()))
        })
        .cloned()
        .collect();
    if kept.len() > MAX_PREFIXES {
        return recompute_scope(tx, day, actor, BulkScope::Everyone).await;
    }
    recompute_scope(tx, day, actor, BulkScope::ArrivedFrom(&kept)).await
}

/// Recompute exactly these persons' codes (a tracing's new contacts): one set of bulk reads
/// over a temporary table of their ids instead of a single recompute each. Everyone of them
/// without a code gets one, as [`super::recompute`] would give it; `actor` is the cause the
/// history names ("case 12").
pub async fn recompute_persons(
    tx: &mut Tx,
    day: NaiveDate,
    actor: &str,
    person_ids: &[i64],
) -> Result<RecomputeReport> {
    if person_ids.is_empty() {
        return Ok(RecomputeReport {
            day: day.to_string(),
            ..RecomputeReport::default()
        });
    }
    tx.set_scope_persons(person_ids).await?;
    let members: HashSet<i64> = person_ids.iter().copied().collect();
    recompute_in(tx, day, actor, BulkScope::Persons, Some(&members)).await
}

async fn recompute_scope(
    tx: &mut Tx,
    day: NaiveDate,
    actor: &str,
    scope: BulkScope<'_>,
) -> Result<RecomputeReport> {
    recompute_in(tx, day, actor, scope, None).await
}

/// `members`: the persons of a `BulkScope::Persons`, whose cases, contacts and hand-set
/// colours count even when nothing else of theirs was read.
async fn recompute_in(
    tx: &mut Tx,
    day: NaiveDate,
    actor: &str,
    scope: BulkScope<'_>,
    members: Option<&HashSet<i64>>,
) -> Result<RecomputeReport> {
    let started = Instant::now();
    let ruleset = Ruleset::default_zhejiang();
    let risk_areas = Arc::new(facts::risk_area_list(tx).await?);
    let since = facts::window_start(day);
    let day_text = day.to_string();
    let window = BulkWindow {
        day: &day_text,
        since: &since,
        normal_below: ruleset.normal_below(),
    };
    let loaded = load(tx, scope, members, window, &ruleset, day, risk_areas).await?;
    let outcome = evaluate(&ruleset, &loaded, day)?;
    let mut report = write(tx, &ruleset, outcome, &loaded.without_code, day, actor).await?;
    report.evaluated = loaded.evaluated.len();
    report.millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(?report, "bulk recompute");
    Ok(report)
}

/// A stored code as far as a recompute compares it.
enum Stored<'a> {
    None,
    PlainGreen,
    Other(&'a StoredCodeRow),
}

/// Everything read for one recompute.
struct Loaded {
    /// Persons with records, and their facts.
    facts: HashMap<i64, Facts>,
    /// Stored codes that are not plain green.
    stored: HashMap<i64, StoredCodeRow>,
    /// Persons without a code yet, with their areas.
    without_code: HashMap<i64, PersonAreasRow>,
    /// Everyone to evaluate, in id order.
    evaluated: Vec<i64>,
    /// What a person without records is evaluated with.
    empty: Facts,
}

impl Loaded {
    fn stored(&self, person_id: i64) -> Stored<'_> {
        if self.without_code.contains_key(&person_id) {
            Stored::None
        } else if let Some(row) = self.stored.get(&person_id) {
            Stored::Other(row)
        } else {
            Stored::PlainGreen
        }
    }
}

fn facts_of<'a>(
    map: &'a mut HashMap<i64, Facts>,
    person_id: i64,
    risk_areas: &Arc<RiskAreaList>,
) -> &'a mut Facts {
    map.entry(person_id).or_insert_with(|| Facts {
        risk_areas: risk_areas.clone(),
        ..Default::default()
    })
}

async fn load(
    tx: &mut Tx,
    scope: BulkScope<'_>,
    members: Option<&HashSet<i64>>,
    window: BulkWindow<'_>,
    ruleset: &Ruleset,
    day: NaiveDate,
    risk_areas: Arc<RiskAreaList>,
) -> Result<Loaded> {
    let mut by_person: HashMap<i64, Facts> = HashMap::new();
    // Whether a record read for everyone belongs to the scope.
    let counts = |by_person: &HashMap<i64, Facts>, person_id: i64| match (scope, members) {
        (BulkScope::Everyone, _) => true,
        (_, Some(m)) => m.contains(&person_id),
        (_, None) => by_person.contains_key(&person_id),
    };
    for r in tx.bulk_arrivals(scope, window).await? {
        facts_of(&mut by_person, r.person_id, &risk_areas)
            .arrivals
            .push(facts::arrival(&r.arrival)?);
    }
    for (person_id, found) in tx.bulk_false_declarations(scope, window).await? {
        facts_of(&mut by_person, person_id, &risk_areas)
            .false_declarations
            .push(facts::day(&found)?);
    }
    // Hand-set colours are few; in a narrower scope only those of persons already in it count.
    for o in tx.all_active_overrides().await? {
        if counts(&by_person, o.person_id) {
            facts_of(&mut by_person, o.person_id, &risk_areas)
                .manual
                .push(facts::manual_code(&o)?);
        }
    }
    // Cases and contacts are few next to check-ins; like hand-set colours, in a narrower
    // scope only those of persons already in it count.
    for c in tx.cases_since(window.since).await? {
        if counts(&by_person, c.person_id) {
            facts_of(&mut by_person, c.person_id, &risk_areas)
                .cases
                .push(facts::case_status(&c)?);
        }
    }
    for e in tx.exposures_since(window.since).await? {
        if counts(&by_person, e.person_id) {
            facts_of(&mut by_person, e.person_id, &risk_areas)
                .contacts
                .push(facts::contact_exposure(&e)?);
        }
    }
    for (person_id, entered, ended, state) in tx.quarantine_periods_since(window.since).await? {
        if counts(&by_person, person_id) {
            let f = facts_of(&mut by_person, person_id, &risk_areas);
            facts::add_quarantine(f, &entered, ended.as_deref(), &state)?;
        }
    }
    // Normal check-ins matter only to release a trigger, so they are read only for the persons
    // whose other records trigger a rule, and for those with an abnormal check-in (itself a
    // trigger): thousands of persons, not everyone's daily check-ins.
    let mut watched: Vec<i64> = by_person
        .iter()
        .filter(|(_, f)| !ruleset.evaluate(f, day).reasons.is_empty())
        .map(|(id, _)| *id)
        .collect();
    watched.extend(tx.bulk_abnormal_check_in_persons(scope, window).await?);
    watched.sort_unstable();
    watched.dedup();
    for r in tx.check_ins_of(&watched, window.since).await? {
        facts_of(&mut by_person, r.person_id, &risk_areas)
            .check_ins
            .push(facts::check_in(&r.check_in)?);
    }
    let stored: HashMap<i64, StoredCodeRow> = tx
        .bulk_stored_codes(scope, window, ruleset.version())
        .await?
        .into_iter()
        .map(|r| (r.person_id, r))
        .collect();
    let without_code: HashMap<i64, PersonAreasRow> = tx
        .bulk_persons_without_code(scope, window)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut evaluated: Vec<i64> = by_person
        .keys()
        .chain(stored.keys())
        .chain(without_code.keys())
        .copied()
        .collect();
    evaluated.sort_unstable();
    evaluated.dedup();
    Ok(Loaded {
        facts: by_person,
        stored,
        without_code,
        evaluated,
        empty: Facts {
            risk_areas,
            ..Default::default()
        },
    })
}

/// A code to write, and the colour change to record with it, if any.
struct Changed {
    person_id: i64,
    colour: CodeColor,
    from_colour: Option<String>,
    reasons: String,
    earliest_change: Option<String>,
}

fn reasons_json(a: &Assessment) -> Result<String> {
    serde_json::to_string(&a.reasons).map_err(|e| AppError::Internal(e.to_string()))
}

/// Evaluate everyone in memory and keep what differs from the stored codes.
fn evaluate(ruleset: &Ruleset, loaded: &Loaded, day: NaiveDate) -> Result<Vec<Changed>> {
    // Everyone without records gets the same answer; work it out once.
    let plain = ruleset.evaluate(&loaded.empty, day);
    let plain_reasons = reasons_json(&plain)?;
    let mut out = vec![];
    for &person_id in &loaded.evaluated {
        let (a, reasons) = match loaded.facts.get(&person_id) {
            Some(f) => {
                let a = ruleset.evaluate(f, day);
                let r = reasons_json(&a)?;
                (a, r)
            }
            None => (plain.clone(), plain_reasons.clone()),
        };
        let colour = a.colour.as_str();
        let earliest_change = a.earliest_change.map(|d| d.to_string());
        let (from_colour, same) = match loaded.stored(person_id) {
            Stored::None => (None, false),
            Stored::PlainGreen => (
                Some(CodeColor::Green.as_str().to_owned()),
                colour == CodeColor::Green.as_str()
                    && reasons == NO_REASONS
                    && earliest_change.is_none(),
            ),
            Stored::Other(s) => (
                Some(s.colour.clone()),
                s.colour == colour
                    && s.reasons == reasons
                    && s.earliest_change == earliest_change
                    && s.ruleset_version == ruleset.version(),
            ),
        };
        if !same {
            out.push(Changed {
                person_id,
                colour: a.colour,
                from_colour,
                reasons,
                earliest_change,
            });
        }
    }
    Ok(out)
}

async fn write(
    tx: &mut Tx,
    ruleset: &Ruleset,
    changed: Vec<Changed>,
    new_codes: &HashMap<i64, PersonAreasRow>,
    day: NaiveDate,
    actor: &str,
) -> Result<RecomputeReport> {
    // A new code's areas came with the read; a stored code's are read now, for those changed.
    let stored_ids: Vec<i64> = changed
        .iter()
        .map(|c| c.person_id)
        .filter(|id| !new_codes.contains_key(id))
        .collect();
    let stored_areas: HashMap<i64, PersonAreasRow> = tx
        .persons_areas(&stored_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let day_text = day.to_string();
    let mut report = RecomputeReport {
        day: day_text.clone(),
        ..Default::default()
    };
    let mut codes = Vec::with_capacity(changed.len());
    let mut changes = vec![];
    for c in changed {
        let area = new_codes
            .get(&c.person_id)
            .or_else(|| stored_areas.get(&c.person_id))
            .ok_or(AppError::NotFound("person"))?;
        let colour = c.colour.as_str().to_owned();
        if c.from_colour.as_deref() != Some(colour.as_str()) {
            match c.colour {
                CodeColor::Green => report.to_green += 1,
                CodeColor::Yellow => report.to_yellow += 1,
                CodeColor::Red => report.to_red += 1,
            }
            changes.push(NewCodeChange {
                person_id: c.person_id,
                day: day_text.clone(),
                from_colour: c.from_colour.clone(),
                to_colour: colour.clone(),
                reasons: c.reasons.clone(),
                ruleset_version: ruleset.version().to_owned(),
                actor: actor.to_owned(),
                kind: "rule",
            });
        }
        codes.push(CodeUpsert {
            person_id: c.person_id,
            // Only a new code takes it: the upsert leaves a stored code's reference alone.
            r#ref: super::new_ref(),
            colour,
            // Kept by the store when the colour stays.
            since: day_text.clone(),
            reasons: c.reasons,
            earliest_change: c.earliest_change,
            ruleset_version: ruleset.version().to_owned(),
            zone_id: area.zone_id,
            street_id: area.street_id,
            community_id: area.community_id,
        });
    }
    let now = domain::time::now_ms();
    tx.upsert_health_codes(&codes, now).await?;
    tx.insert_code_changes(&changes, now).await?;
    report.written = codes.len();
    report.colour_changes = changes.len();
    Ok(report)
}
