//! Property tests of the rule engine's invariants, under the default ruleset and a second one with
//! very different parameters, against a naive day-by-day model of what a ruleset means written
//! independently of the engine.

use std::sync::{Arc, LazyLock};

use chrono::{Datelike, Days, NaiveDate};
use domain::rules::{
    Arrival, CaseKind, CaseStatus, CheckIn, CodeColor, Condition, ContactDegree, ContactExposure,
    CountFrom, Facts, ManualCode, Observation, Release, RiskArea, RiskAreaLevel, RiskAreaList,
    Ruleset,
};
use proptest::prelude::*;

static RULES: LazyLock<Ruleset> = LazyLock::new(Ruleset::default_zhejiang);

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
}

fn day_at(offset: u64) -> NaiveDate {
    base() + Days::new(offset)
}

/// Days of the generated window: facts fall in 0..100, evaluated days in 0..130.
const SPAN: u64 = 100;

fn date() -> impl Strategy<Value = NaiveDate> {
    (0..SPAN).prop_map(day_at)
}

fn eval_day() -> impl Strategy<Value = NaiveDate> {
    (0..SPAN + 30).prop_map(day_at)
}

const DIVISIONS: &[&str] = &["420102", "420202", "330102", "110105", "310101"];

static AREAS: LazyLock<Arc<RiskAreaList>> = LazyLock::new(|| {
    let area = |division: &str, level, from: u64, to: Option<u64>| RiskArea {
        division: division.into(),
        level,
        valid_from: day_at(from),
        valid_to: to.map(day_at),
    };
    Arc::new(RiskAreaList::new([
        area("420100", RiskAreaLevel::High, 20, Some(60)),
        area("420000", RiskAreaLevel::Medium, 10, None),
        area("330100", RiskAreaLevel::Medium, 30, Some(40)),
        area("110105", RiskAreaLevel::High, 45, None),
    ]))
});

/// One day of check-ins: none, normal, or abnormal (fever or symptoms); mostly normal so that
/// streaks complete.
fn check_in_days() -> impl Strategy<Value = Vec<CheckIn>> {
    prop::collection::vec(
        prop_oneof![
            3 => Just(None),
            24 => (35.5..37.25f64).prop_map(|t| Some((t, false))),
            1 => (37.3..40.0f64, any::<bool>()).prop_map(|(t, s)| Some((t, s))),
            1 => (35.5..37.25f64).prop_map(|t| Some((t, true))),
        ],
        SPAN as usize,
    )
    .prop_map(|days| {
        days.into_iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.map(|(temperature, symptoms)| CheckIn {
                    date: day_at(i as u64),
                    temperature,
                    symptoms,
                })
            })
            .collect()
    })
}

fn end_of(start: NaiveDate) -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of((0u64..30).prop_map(move |n| start + Days::new(n)))
}

fn facts() -> impl Strategy<Value = Facts> {
    let case = (
        prop::sample::select(CaseKind::ALL.to_vec()),
        date().prop_flat_map(|s| (Just(s), end_of(s))),
    )
        .prop_map(|(kind, (since, ended))| CaseStatus { kind, since, ended });
    let contact = (prop::sample::select(ContactDegree::ALL.to_vec()), date()).prop_map(
        |(degree, last_exposure)| ContactExposure {
            degree,
            last_exposure,
        },
    );
    let observation = || {
        date()
            .prop_flat_map(|s| (Just(s), end_of(s)))
            .prop_map(|(start, end)| Observation { start, end })
    };
    let arrival = (
        date(),
        prop::sample::select(DIVISIONS),
        prop::option::of(0u64..20),
    )
        .prop_map(|(arrived, division, late)| Arrival {
            arrived,
            division: division.into(),
            declared: late.map(|n| arrived + Days::new(n)),
        });
    (
        prop::collection::vec(case, 0..2),
        prop::collection::vec(contact, 0..3),
        prop::collection::vec(observation(), 0..2),
        prop::collection::vec(observation(), 0..2),
        prop::collection::vec(arrival, 0..3),
        prop::collection::vec(date(), 0..2),
        check_in_days(),
        prop::collection::vec(date(), 0..2),
    )
        .prop_map(
            |(
                cases,
                contacts,
                observations,
                quarantines,
                arrivals,
                false_declarations,
                check_ins,
                qr,
            )| Facts {
                cases,
                contacts,
                observations,
                quarantines,
                arrivals,
                risk_areas: AREAS.clone(),
                false_declarations,
                check_ins,
                quarantine_releases: qr,
                manual: vec![],
            },
        )
}

// ---- a naive day-by-day model of what a ruleset means ----

/// A second ruleset whose parameters differ from the default in every way that matters: release
/// days longer and shorter than the check-in count, zero of either, counting from start and from
/// end, other colours and another threshold.
const ALT: &str = r#"
version = "alt.1"
normal_below = 37.0

[[rule]]
id = "case"
when = "case"
case_kinds = ["confirmed", "suspected", "asymptomatic"]
colour = "red"
reason = "case"
release = { days = 10, normal_check_ins = 3, count_from = "start", by_quarantine_release = true }

[[rule]]
id = "close"
when = "contact"
degree = "close"
colour = "yellow"
reason = "close_contact"
release = { days = 3, normal_check_ins = 10 }

[[rule]]
id = "secondary"
when = "contact"
degree = "secondary"
colour = "red"
reason = "secondary_contact"
release = { days = 0, normal_check_ins = 0 }

[[rule]]
id = "observation"
when = "medical_observation"
colour = "yellow"
reason = "medical_observation"
release = { days = 20, normal_check_ins = 5, count_from = "end", by_quarantine_release = true }

[[rule]]
id = "arrival"
when = "risk_area_arrival"
levels = ["high", "medium"]
within_days = 7
colour = "red"
reason = "risk_arrival"
release = { days = 5, normal_check_ins = 5 }

[[rule]]
id = "false"
when = "false_declaration"
colour = "yellow"
reason = "false_declaration"
release = { days = 1, normal_check_ins = 1 }

[[rule]]
id = "fever"
when = "abnormal_check_in"
colour = "red"
reason = "fever_or_symptoms"
release = { days = 2, normal_check_ins = 4, by_quarantine_release = true }
"#;

static ALT_RULES: LazyLock<Ruleset> = LazyLock::new(|| Ruleset::parse(ALT).unwrap());

fn both() -> [&'static Ruleset; 2] {
    [&RULES, &ALT_RULES]
}

struct Trig {
    colour: CodeColor,
    start: NaiveDate,
    /// None: still lasting.
    end: Option<NaiveDate>,
    release: Release,
}

/// None: no check-in that day; Some(normal).
fn day_status(rules: &Ruleset, facts: &Facts, day: NaiveDate) -> Option<bool> {
    let mut any = false;
    let mut normal = true;
    for c in facts.check_ins.iter().filter(|c| c.date == day) {
        any = true;
        normal &= c.temperature < rules.normal_below() && !c.symptoms;
    }
    any.then_some(normal)
}

/// (start, end) of every fact matching `condition` as of `day`.
fn model_matches(
    rules: &Ruleset,
    condition: &Condition,
    facts: &Facts,
    day: NaiveDate,
) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let lasting = |start: NaiveDate, end: Option<NaiveDate>| {
        (start, end.filter(|e| *e <= day).map(|e| e.max(start)))
    };
    let mut out = Vec::new();
    match condition {
        Condition::Case { kinds } => {
            for c in &facts.cases {
                if c.since <= day && kinds.contains(&c.kind) {
                    out.push(lasting(c.since, c.ended));
                }
            }
        }
        Condition::Contact { degree } => {
            for c in &facts.contacts {
                if c.last_exposure <= day && c.degree == *degree {
                    out.push((c.last_exposure, Some(c.last_exposure)));
                }
            }
        }
        Condition::MedicalObservation => {
            for o in facts.observations.iter().filter(|o| o.start <= day) {
                out.push(lasting(o.start, o.end));
            }
        }
        Condition::Quarantine => {
            for o in facts.quarantines.iter().filter(|o| o.start <= day) {
                out.push(lasting(o.start, o.end));
            }
        }
        Condition::RiskAreaArrival {
            levels,
            within_days,
        } => {
            for a in &facts.arrivals {
                let known = a.declared.unwrap_or(a.arrived).max(a.arrived);
                let late = within_days.is_some_and(|w| (known - a.arrived).num_days() >= w as i64);
                if a.arrived > day || known > day || late {
                    continue;
                }
                let listed = facts.risk_areas.iter().any(|r| {
                    a.division.starts_with(r.division.trim_end_matches("00"))
                        && r.valid_from <= a.arrived
                        && r.valid_to.is_none_or(|t| a.arrived <= t)
                        && levels.contains(&r.level)
                });
                if listed {
                    out.push((a.arrived, Some(a.arrived)));
                }
            }
        }
        Condition::FalseDeclaration => {
            for f in facts.false_declarations.iter().filter(|f| **f <= day) {
                out.push((*f, Some(*f)));
            }
        }
        Condition::AbnormalCheckIn => {
            let mut x = base() - Days::new(1);
            while x <= day {
                if day_status(rules, facts, x) == Some(false) {
                    out.push((x, Some(x)));
                }
                x = x + Days::new(1);
            }
        }
    }
    out
}

fn model_triggers(rules: &Ruleset, facts: &Facts, day: NaiveDate) -> Vec<Trig> {
    let mut out = Vec::new();
    for rule in rules.rules() {
        for (start, end) in model_matches(rules, &rule.condition, facts, day) {
            out.push(Trig {
                colour: rule.colour,
                start,
                end,
                release: rule.release,
            });
        }
    }
    out
}

/// Consecutive normal days ending on `x`, after `anchor`.
fn model_run(rules: &Ruleset, facts: &Facts, anchor: NaiveDate, x: NaiveDate) -> u32 {
    let mut run = 0;
    let mut y = x;
    while y > anchor && day_status(rules, facts, y) == Some(true) {
        run += 1;
        y = y - Days::new(1);
    }
    run
}

fn model_released(rules: &Ruleset, facts: &Facts, t: &Trig, day: NaiveDate) -> bool {
    let Some(end) = t.end else { return false };
    let anchor = match t.release.count_from {
        CountFrom::Start => t.start,
        CountFrom::End => end,
    };
    let n = t.release.normal_check_ins;
    let from = (anchor + Days::new(t.release.days.into())).max(end);
    let mut x = from;
    while x <= day {
        if n == 0
            || model_run(rules, facts, anchor, x) >= n
            || model_run(rules, facts, anchor, x - Days::new(1)) >= n
            || (t.release.by_quarantine_release && facts.quarantine_releases.contains(&x))
        {
            return true;
        }
        x = x + Days::new(1);
    }
    false
}

fn model_colour(rules: &Ruleset, facts: &Facts, day: NaiveDate) -> CodeColor {
    model_triggers(rules, facts, day)
        .iter()
        .filter(|t| !model_released(rules, facts, t, day))
        .map(|t| t.colour)
        .max()
        .unwrap_or(CodeColor::Green)
}

/// The facts as known on `day`: everything dated later dropped.
fn as_of(facts: &Facts, day: NaiveDate) -> Facts {
    let mut f = facts.clone();
    f.cases.retain(|c| c.since <= day);
    for c in &mut f.cases {
        c.ended = c.ended.filter(|e| *e <= day);
    }
    f.contacts.retain(|c| c.last_exposure <= day);
    f.observations.retain(|o| o.start <= day);
    for o in &mut f.observations {
        o.end = o.end.filter(|e| *e <= day);
    }
    f.quarantines.retain(|o| o.start <= day);
    for o in &mut f.quarantines {
        o.end = o.end.filter(|e| *e <= day);
    }
    f.arrivals
        .retain(|a| a.arrived <= day && a.declared.is_none_or(|d| d <= day));
    f.false_declarations.retain(|d| *d <= day);
    f.check_ins.retain(|c| c.date <= day);
    f.quarantine_releases.retain(|d| *d <= day);
    f
}

/// `facts` with a normal check-in added on every day from `from` to `to` that has none.
fn with_normal_check_ins(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Facts {
    let mut f = facts.clone();
    let mut x = from;
    while x <= to {
        if !f.check_ins.iter().any(|c| c.date == x) {
            f.check_ins.push(CheckIn {
                date: x,
                temperature: 36.5,
                symptoms: false,
            });
        }
        x = x + Days::new(1);
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The engine agrees with the naive model: never green (or yellow) while a red (or yellow)
    /// trigger is unreleased, and never a colour without an unreleased trigger behind it.
    #[test]
    fn colour_is_exactly_the_highest_unreleased_trigger(facts in facts(), day in eval_day()) {
        for rules in both() {
            let a = rules.evaluate(&facts, day);
            prop_assert_eq!(a.colour, model_colour(rules, &facts, day), "{}: {:#?}", rules.version(), a);
            prop_assert_eq!(a.colour == CodeColor::Green, a.reasons.is_empty());
            prop_assert!(a.reasons.iter().all(|r| r.colour <= a.colour && r.since <= day));
        }
    }

    #[test]
    fn removing_a_normal_check_in_never_makes_the_colour_better(
        facts in facts(),
        day in eval_day(),
        pick in any::<prop::sample::Index>(),
    ) {
        let normal: Vec<usize> = facts
            .check_ins
            .iter()
            .enumerate()
            .filter(|(_, c)| both().iter().all(|r| r.is_normal(c)))
            .map(|(i, _)| i)
            .collect();
        prop_assume!(!normal.is_empty());
        let mut fewer = facts.clone();
        fewer.check_ins.remove(normal[pick.index(normal.len())]);
        // Nor does turning it abnormal.
        let mut worse = facts.clone();
        worse.check_ins[normal[pick.index(normal.len())]].temperature = 38.5;
        for rules in both() {
            let before = rules.evaluate(&facts, day).colour;
            prop_assert!(rules.evaluate(&fewer, day).colour >= before);
            prop_assert!(rules.evaluate(&worse, day).colour >= before);
        }
    }

    #[test]
    fn adding_a_trigger_never_makes_the_colour_better(
        facts in facts(),
        day in eval_day(),
        extra in (prop::sample::select(ContactDegree::ALL.to_vec()), date()),
    ) {
        let mut more = facts.clone();
        more.contacts.push(ContactExposure { degree: extra.0, last_exposure: extra.1 });
        for rules in both() {
            prop_assert!(rules.evaluate(&more, day).colour >= rules.evaluate(&facts, day).colour);
        }
    }

    /// A single missed day before the streak could complete restarts it: a contact exposed on
    /// `a` with a normal check-in every day except `a + gap` is released exactly `n` days after
    /// the missed day.
    #[test]
    fn a_missed_check_in_resets_the_count(
        a in date(),
        close in any::<bool>(),
        gap_seed in 1u64..=14,
        offset in 0u64..45,
    ) {
        let (degree, n) = if close { (ContactDegree::Close, 14) } else { (ContactDegree::Secondary, 7) };
        let gap = 1 + (gap_seed - 1) % n;
        let missed = a + Days::new(gap);
        let mut facts = Facts {
            contacts: vec![ContactExposure { degree, last_exposure: a }],
            ..Facts::default()
        };
        facts = with_normal_check_ins(&facts, a + Days::new(1), a + Days::new(60));
        facts.check_ins.retain(|c| c.date != missed);
        let day = a + Days::new(offset);
        let released_on = missed + Days::new(n);
        let colour = RULES.evaluate(&facts, day).colour;
        prop_assert_eq!(colour == CodeColor::Green, day >= released_on, "day {}", day);
        // On the missed day itself the check-in may still come.
        if day > missed && day < released_on {
            prop_assert_eq!(RULES.evaluate(&facts, day).earliest_change, Some(released_on));
        }
    }

    /// `earliest_change` is never before the day; with every check-in normal from the day on,
    /// the colour is unchanged the day before it and better on it.
    #[test]
    fn earliest_change_is_exact(facts in facts(), day in eval_day()) {
        let known = as_of(&facts, day);
        for rules in both() {
            let a = rules.evaluate(&known, day);
            prop_assert_eq!(&a, &rules.evaluate(&facts, day), "later facts are ignored");
            let Some(change) = a.earliest_change else {
                // Green, or waiting on an event: a case, an observation or a quarantine that has
                // not ended.
                prop_assert!(
                    a.colour == CodeColor::Green
                        || known.cases.iter().any(|c| c.ended.is_none())
                        || known.observations.iter().any(|o| o.end.is_none())
                        || known.quarantines.iter().any(|o| o.end.is_none())
                );
                continue;
            };
            prop_assert!(a.colour > CodeColor::Green);
            prop_assert!(change >= day);
            let future = with_normal_check_ins(&known, day, change);
            if change > day {
                let eve = change - Days::new(1);
                prop_assert_eq!(rules.evaluate(&future, eve).colour, a.colour, "on {}", eve);
            }
            prop_assert!(rules.evaluate(&future, change).colour < a.colour, "on {}", change);
        }
    }

    /// Nothing panics, whatever the dates, temperatures and codes.
    #[test]
    fn evaluate_never_panics(
        days in prop::collection::vec(
            prop_oneof![
                Just(NaiveDate::MIN),
                Just(NaiveDate::MAX),
                (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
                    .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
                date(),
            ],
            12,
        ),
        temperatures in prop::collection::vec(any::<f64>(), 4),
        division in "\\PC{0,14}",
        area in "[0-9]{0,12}",
        n_rules in 0usize..3,
    ) {
        let p = |i: usize| days[i % days.len()];
        let facts = Facts {
            cases: vec![CaseStatus { kind: CaseKind::Confirmed, since: p(0), ended: Some(p(1)) }],
            contacts: vec![ContactExposure { degree: ContactDegree::Close, last_exposure: p(2) }],
            observations: vec![Observation { start: p(3), end: Some(p(4)) }],
            arrivals: vec![
                Arrival { arrived: p(5), division: division.clone(), declared: Some(p(6)) },
                Arrival { arrived: p(5), division: area.clone(), declared: None },
            ],
            risk_areas: Arc::new(RiskAreaList::new([RiskArea {
                division: area.clone(),
                level: RiskAreaLevel::High,
                valid_from: p(7),
                valid_to: Some(p(8)),
            }])),
            false_declarations: vec![p(9)],
            check_ins: temperatures
                .iter()
                .enumerate()
                .map(|(i, t)| CheckIn { date: p(i + 8), temperature: *t, symptoms: i == 3 })
                .collect(),
            quarantine_releases: vec![p(10)],
            quarantines: vec![],
            manual: vec![ManualCode { id: 1, colour: CodeColor::Green, from: p(10), until: Some(p(11)), reason: division.clone() }],
        };
        let extreme = Ruleset::parse(&format!(
            "version = \"x\"\n{}",
            [
                "[[rule]]\nid = \"a\"\nwhen = \"abnormal_check_in\"\ncolour = \"red\"\nreason = \"a\"\n\
                 release = { days = 365, normal_check_ins = 365, by_quarantine_release = true }\n",
                "[[rule]]\nid = \"b\"\nwhen = \"contact\"\ndegree = \"close\"\ncolour = \"yellow\"\n\
                 reason = \"b\"\nrelease = { days = 0, normal_check_ins = 0 }\n",
                "[[rule]]\nid = \"c\"\nwhen = \"case\"\ncase_kinds = [\"confirmed\"]\ncolour = \"red\"\n\
                 reason = \"c\"\nrelease = { days = 0, normal_check_ins = 365, count_from = \"start\" }\n",
            ][..=n_rules]
                .concat()
        ))
        .unwrap();
        for rules in [&*RULES, &extreme] {
            for day in &days {
                let a = rules.evaluate(&facts, *day);
                prop_assert!(a.earliest_change.is_none_or(|c| c >= *day));
                match a.reasons.first() {
                    // A colour set by hand decides, whatever the rules' reasons say.
                    Some(r) if r.code == "manual" => prop_assert_eq!(a.colour, r.colour),
                    _ => prop_assert_eq!(a.colour == CodeColor::Green, a.reasons.is_empty()),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A colour set by hand decides exactly while in force, keeps the rules' reasons beside
    /// it, and outside its window the rules alone decide.
    #[test]
    fn a_manual_colour_decides_only_while_in_force(
        facts in facts(),
        day in eval_day(),
        from in date(),
        len in prop::option::of(0u64..20),
        colour in prop::sample::select(vec![CodeColor::Green, CodeColor::Yellow, CodeColor::Red]),
    ) {
        let rules = Ruleset::default_zhejiang();
        let plain = rules.evaluate(&facts, day);
        let manual = ManualCode { id: 7, colour, from, until: len.map(|n| from + Days::new(n)), reason: "x".into() };
        let in_force = manual.in_force(day);
        let mut with = facts.clone();
        with.manual.push(manual);
        let a = rules.evaluate(&with, day);
        if in_force {
            prop_assert_eq!(a.colour, colour);
            prop_assert_eq!(a.reasons[0].code.as_str(), "manual");
            prop_assert_eq!(&a.reasons[1..], &plain.reasons[..]);
        } else {
            prop_assert_eq!(a, plain);
        }
    }
}
