//! Day-by-day tests of every rule of the default ruleset (Zhejiang 2020), of precedence and of
//! the risk-area validity window.

use std::sync::Arc;

use chrono::NaiveDate;
use domain::rules::{
    Arrival, Assessment, CaseKind, CaseStatus, CheckIn, CodeColor, ContactDegree, ContactExposure,
    Facts, Observation, RiskArea, RiskAreaLevel, RiskAreaList, Ruleset,
};

use CodeColor::{Green, Red, Yellow};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn zj() -> Ruleset {
    Ruleset::default_zhejiang()
}

fn normal(date: NaiveDate) -> CheckIn {
    CheckIn {
        date,
        temperature: 36.5,
        symptoms: false,
    }
}

/// Normal check-ins on every day from `from` to `to`, both included.
fn normal_days(from: &str, to: &str) -> Vec<CheckIn> {
    d(from)
        .iter_days()
        .take_while(|x| *x <= d(to))
        .map(normal)
        .collect()
}

fn without(mut check_ins: Vec<CheckIn>, missed: &str) -> Vec<CheckIn> {
    check_ins.retain(|c| c.date != d(missed));
    check_ins
}

fn eval(facts: &Facts, day: &str) -> Assessment {
    zj().evaluate(facts, d(day))
}

/// Asserts the colour on every day from `from` to `to`: `before` until the day before `change`,
/// `after` from `change` on.
#[track_caller]
fn assert_turns(
    facts: &Facts,
    from: &str,
    change: &str,
    to: &str,
    before: CodeColor,
    after: CodeColor,
) {
    let rules = zj();
    for day in d(from).iter_days().take_while(|x| *x <= d(to)) {
        let expected = if day < d(change) { before } else { after };
        let got = rules.evaluate(facts, day);
        assert_eq!(got.colour, expected, "on {day}: {got:#?}");
    }
}

#[track_caller]
fn assert_colour_throughout(facts: &Facts, from: &str, to: &str, colour: CodeColor) {
    assert_turns(facts, from, to, to, colour, colour);
}

fn contact(degree: ContactDegree, last_exposure: &str) -> Facts {
    Facts {
        contacts: vec![ContactExposure {
            degree,
            last_exposure: d(last_exposure),
        }],
        ..Facts::default()
    }
}

fn reason_codes(a: &Assessment) -> Vec<&str> {
    a.reasons.iter().map(|r| r.code.as_str()).collect()
}

// ---- the ruleset itself ----

#[test]
fn default_ruleset_has_every_rule_of_domain_md() {
    let rules = zj();
    assert_eq!(rules.version(), "zhejiang-2020.1");
    assert_eq!(rules.normal_below(), 37.3);
    let mut got: Vec<(&str, CodeColor, u32, u32)> = rules
        .rules()
        .iter()
        .map(|r| {
            (
                r.reason.as_str(),
                r.colour,
                r.release.days,
                r.release.normal_check_ins,
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("confirmed_case", Red, 14, 14),
        ("suspected_case", Red, 14, 14),
        ("asymptomatic_case", Red, 14, 14),
        ("close_contact", Red, 14, 14),
        ("medical_observation", Red, 14, 14),
        ("high_risk_arrival", Red, 14, 14),
        ("false_declaration", Red, 14, 14),
        // Not in DOMAIN.md's list: red while the person is in quarantine (issue 5).
        ("in_quarantine", Red, 0, 0),
        ("fever_or_symptoms", Yellow, 7, 7),
        ("medium_risk_arrival", Yellow, 7, 7),
        ("secondary_contact", Yellow, 7, 7),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        zj(),
        Ruleset::parse(domain::rules::ZHEJIANG_2020_TOML).unwrap()
    );
}

#[test]
fn no_facts_is_green_with_no_reasons() {
    let a = eval(&Facts::default(), "2020-02-01");
    assert_eq!(a.colour, Green);
    assert!(a.reasons.is_empty());
    assert_eq!(a.earliest_change, None);
}

// ---- close contact (red) ----

#[test]
fn close_contact_is_red_from_exposure_and_green_exactly_when_both_conditions_hold() {
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    assert_turns(&facts, "2020-01-25", "2020-02-01", "2020-02-14", Green, Red);
    assert_turns(&facts, "2020-02-14", "2020-02-15", "2020-03-31", Red, Green);

    let a = eval(&facts, "2020-02-01");
    assert_eq!(reason_codes(&a), ["close_contact"]);
    let r = &a.reasons[0];
    assert_eq!(r.rule_id, "red.close_contact");
    assert_eq!(r.colour, Red);
    assert_eq!(r.since, d("2020-02-01"));
    assert!(
        r.detail.contains("last exposure 2020-02-01"),
        "{}",
        r.detail
    );
    assert_eq!(a.earliest_change, Some(d("2020-02-15")));
    assert_eq!(
        eval(&facts, "2020-02-14").earliest_change,
        Some(d("2020-02-15"))
    );
}

#[test]
fn close_contact_needs_the_check_in_of_the_last_day() {
    // Day 14 without its check-in yet: still red, but it can change today.
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.check_ins = normal_days("2020-02-02", "2020-02-14");
    let a = eval(&facts, "2020-02-15");
    assert_eq!(a.colour, Red);
    assert_eq!(a.earliest_change, Some(d("2020-02-15")));
}

#[test]
fn close_contact_without_check_ins_stays_red() {
    let facts = contact(ContactDegree::Close, "2020-02-01");
    assert_colour_throughout(&facts, "2020-02-01", "2020-04-30", Red);
    // Checking in from 04-30 on: green 14 days later.
    assert_eq!(
        eval(&facts, "2020-04-30").earliest_change,
        Some(d("2020-05-13"))
    );
}

#[test]
fn a_missed_check_in_pushes_the_close_contact_release() {
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.check_ins = without(normal_days("2020-02-02", "2020-03-31"), "2020-02-10");
    // The streak restarts on 02-11 and completes on 02-24.
    assert_turns(&facts, "2020-02-01", "2020-02-24", "2020-03-31", Red, Green);
    assert_eq!(
        eval(&facts, "2020-02-09").earliest_change,
        Some(d("2020-02-15"))
    );
    assert_eq!(
        eval(&facts, "2020-02-11").earliest_change,
        Some(d("2020-02-24"))
    );
}

#[test]
fn a_fever_during_quarantine_restarts_the_count_and_adds_yellow() {
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    facts.check_ins.retain(|c| c.date != d("2020-02-05"));
    facts.check_ins.push(CheckIn {
        date: d("2020-02-05"),
        temperature: 38.2,
        symptoms: false,
    });
    let a = eval(&facts, "2020-02-05");
    assert_eq!(a.colour, Red);
    assert_eq!(reason_codes(&a), ["close_contact", "fever_or_symptoms"]);
    assert!(
        a.reasons[1].detail.contains("38.2 ℃"),
        "{}",
        a.reasons[1].detail
    );
    // Streak restarts 02-06: 14 normal check-ins complete on 02-19; the fever's 7 on 02-12.
    assert_eq!(a.earliest_change, Some(d("2020-02-19")));
    assert_eq!(a.reasons[1].earliest_release, Some(d("2020-02-12")));
    assert_turns(&facts, "2020-02-01", "2020-02-19", "2020-03-31", Red, Green);
}

#[test]
fn a_quarantine_release_replaces_the_check_ins_but_never_early() {
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.quarantine_releases = vec![d("2020-02-10")];
    assert_colour_throughout(&facts, "2020-02-01", "2020-03-31", Red);
    facts.quarantine_releases.push(d("2020-02-16"));
    assert_turns(&facts, "2020-02-01", "2020-02-16", "2020-03-31", Red, Green);
}

#[test]
fn in_quarantine_is_red_while_it_lasts_then_the_rules_decide() {
    // A close contact quarantined from the day after exposure, released on day 14.
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.quarantines = vec![domain::rules::Observation {
        start: d("2020-02-02"),
        end: None,
    }];
    let a = eval(&facts, "2020-02-10");
    assert_eq!(reason_codes(&a), ["close_contact", "in_quarantine"]);
    assert_eq!(a.colour, Red);
    facts.quarantines[0].end = Some(d("2020-02-16"));
    facts.quarantine_releases = vec![d("2020-02-16")];
    assert_turns(&facts, "2020-02-01", "2020-02-16", "2020-03-31", Red, Green);
    // Without the contact, the quarantine alone: red from entry to the day of release.
    let mut alone = Facts {
        quarantines: facts.quarantines.clone(),
        ..Default::default()
    };
    assert_colour_throughout(&alone, "2020-02-02", "2020-02-15", Red);
    assert_eq!(eval(&alone, "2020-02-01").colour, Green);
    assert_eq!(eval(&alone, "2020-02-16").colour, Green);
    // A transfer to hospital ends the quarantine but is no release: the contact stays red.
    alone.quarantines[0].end = Some(d("2020-02-05"));
    facts.quarantines[0].end = Some(d("2020-02-05"));
    facts.quarantine_releases.clear();
    assert_eq!(eval(&facts, "2020-02-16").colour, Red);
}

// ---- cases (red) ----

#[test]
fn confirmed_case_is_red_until_discharge_and_14_days_after() {
    let mut facts = Facts {
        cases: vec![CaseStatus {
            kind: CaseKind::Confirmed,
            since: d("2020-02-01"),
            ended: None,
        }],
        check_ins: normal_days("2020-02-02", "2020-04-30"),
        ..Facts::default()
    };
    assert_turns(&facts, "2020-01-20", "2020-02-01", "2020-04-30", Green, Red);
    let a = eval(&facts, "2020-03-01");
    assert_eq!(reason_codes(&a), ["confirmed_case"]);
    assert_eq!(a.earliest_change, None, "waits on discharge");
    assert_eq!(a.reasons[0].earliest_release, None);

    // Discharged 02-20: check-ins while in hospital do not count; 14 after discharge do.
    facts.cases[0].ended = Some(d("2020-02-20"));
    assert_turns(&facts, "2020-02-01", "2020-03-05", "2020-04-30", Red, Green);
    assert_eq!(
        eval(&facts, "2020-02-20").earliest_change,
        Some(d("2020-03-05"))
    );
    assert_eq!(eval(&facts, "2020-02-19").earliest_change, None);
}

#[test]
fn asymptomatic_case_counts_from_its_end() {
    let facts = Facts {
        cases: vec![CaseStatus {
            kind: CaseKind::Asymptomatic,
            since: d("2020-02-01"),
            ended: Some(d("2020-02-10")),
        }],
        check_ins: without(normal_days("2020-02-02", "2020-04-30"), "2020-02-15"),
        ..Facts::default()
    };
    assert_eq!(
        reason_codes(&eval(&facts, "2020-02-01")),
        ["asymptomatic_case"]
    );
    // From 02-24 on; the streak restarted after the missed 02-15 and completes on 02-29.
    assert_turns(&facts, "2020-02-01", "2020-02-29", "2020-04-30", Red, Green);
}

#[test]
fn suspected_case_counts_from_suspicion_but_waits_for_exclusion() {
    let mut facts = Facts {
        cases: vec![CaseStatus {
            kind: CaseKind::Suspected,
            since: d("2020-02-01"),
            ended: Some(d("2020-02-05")),
        }],
        check_ins: normal_days("2020-02-02", "2020-04-30"),
        ..Facts::default()
    };
    assert_eq!(
        reason_codes(&eval(&facts, "2020-02-01")),
        ["suspected_case"]
    );
    assert_turns(&facts, "2020-02-01", "2020-02-15", "2020-03-31", Red, Green);
    // Excluded only on 02-20: green that day, not before.
    facts.cases[0].ended = Some(d("2020-02-20"));
    assert_turns(&facts, "2020-02-01", "2020-02-20", "2020-03-31", Red, Green);
    // An exclusion recorded for a later day has not happened yet.
    assert_eq!(eval(&facts, "2020-02-19").earliest_change, None);
}

#[test]
fn case_kinds_are_separate_rules() {
    let facts = Facts {
        cases: vec![
            CaseStatus {
                kind: CaseKind::Suspected,
                since: d("2020-02-01"),
                ended: Some(d("2020-02-03")),
            },
            CaseStatus {
                kind: CaseKind::Confirmed,
                since: d("2020-02-03"),
                ended: None,
            },
        ],
        ..Facts::default()
    };
    let a = eval(&facts, "2020-02-03");
    assert_eq!(reason_codes(&a), ["suspected_case", "confirmed_case"]);
    assert_eq!(a.earliest_change, None);
}

// ---- medical observation (red) ----

#[test]
fn medical_observation_is_red_while_it_lasts_and_14_days_from_its_start() {
    let mut facts = Facts {
        observations: vec![Observation {
            start: d("2020-02-01"),
            end: None,
        }],
        check_ins: normal_days("2020-02-02", "2020-03-31"),
        ..Facts::default()
    };
    assert_turns(&facts, "2020-01-25", "2020-02-01", "2020-03-31", Green, Red);
    assert_eq!(
        reason_codes(&eval(&facts, "2020-02-01")),
        ["medical_observation"]
    );
    // Ended early on paper: still not green before 14 days.
    facts.observations[0].end = Some(d("2020-02-10"));
    assert_turns(&facts, "2020-02-01", "2020-02-15", "2020-03-31", Red, Green);
    // Ended late: green on the day it ends.
    facts.observations[0].end = Some(d("2020-02-21"));
    assert_turns(&facts, "2020-02-01", "2020-02-21", "2020-03-31", Red, Green);
    // A streak completed before the end counts on the end day, even before that day's check-in.
    facts.check_ins = without(facts.check_ins, "2020-02-21");
    assert_turns(&facts, "2020-02-01", "2020-02-21", "2020-03-31", Red, Green);
    facts.check_ins = without(facts.check_ins, "2020-02-20");
    assert_turns(&facts, "2020-02-01", "2020-03-06", "2020-03-31", Red, Green);
}

// ---- arrivals (red, yellow) and the risk-area list ----

fn wuhan_high() -> RiskArea {
    RiskArea {
        division: "420100".into(),
        level: RiskAreaLevel::High,
        valid_from: d("2020-01-23"),
        valid_to: Some(d("2020-04-08")),
    }
}

fn arrival(arrived: &str, division: &str, areas: Vec<RiskArea>) -> Facts {
    Facts {
        arrivals: vec![Arrival {
            arrived: d(arrived),
            division: division.into(),
            declared: None,
        }],
        risk_areas: Arc::new(RiskAreaList::new(areas)),
        ..Facts::default()
    }
}

#[test]
fn high_risk_arrival_is_red_for_14_days_with_14_check_ins() {
    let mut facts = arrival("2020-02-01", "420102", vec![wuhan_high()]);
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    assert_turns(&facts, "2020-01-25", "2020-02-01", "2020-02-14", Green, Red);
    assert_turns(&facts, "2020-02-14", "2020-02-15", "2020-03-31", Red, Green);
    let a = eval(&facts, "2020-02-01");
    assert_eq!(reason_codes(&a), ["high_risk_arrival"]);
    assert!(
        a.reasons[0].detail.contains("420102"),
        "{}",
        a.reasons[0].detail
    );
    facts.check_ins = without(facts.check_ins, "2020-02-14");
    assert_turns(&facts, "2020-02-01", "2020-02-28", "2020-03-31", Red, Green);
}

#[test]
fn an_arrival_counts_only_if_the_area_was_listed_on_the_arrival_day() {
    let checks = normal_days("2020-01-01", "2020-05-31");
    for (arrived, expected) in [
        ("2020-01-22", Green), // before the listing
        ("2020-01-23", Red),   // first day listed
        ("2020-04-08", Red),   // last day listed
        ("2020-04-09", Green), // after the listing
    ] {
        let mut facts = arrival(arrived, "420102", vec![wuhan_high()]);
        facts.check_ins = checks.clone();
        assert_eq!(eval(&facts, arrived).colour, expected, "arrived {arrived}");
    }
    // A later downgrade of the list does not undo an arrival while the area was high.
    let mut facts = arrival("2020-04-08", "420102", vec![wuhan_high()]);
    facts.check_ins = checks;
    assert_turns(&facts, "2020-04-08", "2020-04-22", "2020-05-31", Red, Green);
}

#[test]
fn an_area_covers_its_subdivisions_only() {
    let areas = vec![RiskArea {
        division: "420000".into(),
        level: RiskAreaLevel::High,
        valid_from: d("2020-01-23"),
        valid_to: None,
    }];
    assert_eq!(
        eval(
            &arrival("2020-02-01", "420982", areas.clone()),
            "2020-02-01"
        )
        .colour,
        Red
    );
    assert_eq!(
        eval(&arrival("2020-02-01", "430102", areas), "2020-02-01").colour,
        Green
    );
}

#[test]
fn an_arrival_declared_after_its_14_day_window_does_not_count() {
    let mut facts = arrival("2020-02-01", "420102", vec![wuhan_high()]);
    facts.arrivals[0].declared = Some(d("2020-02-15"));
    assert_colour_throughout(&facts, "2020-02-01", "2020-03-01", Green);
    // Declared on day 13: unknown (green) before, red from the declaration on.
    facts.arrivals[0].declared = Some(d("2020-02-14"));
    facts.check_ins = normal_days("2020-02-14", "2020-03-31");
    assert_turns(&facts, "2020-02-01", "2020-02-14", "2020-02-20", Green, Red);
    // Check-ins start with the declaration: 14 of them from 02-14 complete on 02-27.
    assert_turns(&facts, "2020-02-14", "2020-02-27", "2020-03-31", Red, Green);
}

#[test]
fn medium_risk_arrival_is_yellow_for_7_check_ins() {
    let area = RiskArea {
        division: "330100".into(),
        level: RiskAreaLevel::Medium,
        valid_from: d("2020-01-30"),
        valid_to: Some(d("2020-02-20")),
    };
    let mut facts = arrival("2020-02-01", "330102", vec![area]);
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    assert_turns(
        &facts,
        "2020-01-25",
        "2020-02-01",
        "2020-02-07",
        Green,
        Yellow,
    );
    assert_turns(
        &facts,
        "2020-02-07",
        "2020-02-08",
        "2020-03-31",
        Yellow,
        Green,
    );
    let a = eval(&facts, "2020-02-01");
    assert_eq!(reason_codes(&a), ["medium_risk_arrival"]);
    assert_eq!(a.earliest_change, Some(d("2020-02-08")));
    facts.check_ins = without(facts.check_ins, "2020-02-04");
    assert_turns(
        &facts,
        "2020-02-01",
        "2020-02-11",
        "2020-03-31",
        Yellow,
        Green,
    );
}

// ---- false declaration (red) ----

#[test]
fn false_declaration_is_red_for_14_days_with_14_check_ins() {
    let facts = Facts {
        false_declarations: vec![d("2020-03-01")],
        check_ins: normal_days("2020-02-01", "2020-04-30"),
        ..Facts::default()
    };
    assert_turns(&facts, "2020-02-01", "2020-03-01", "2020-03-14", Green, Red);
    assert_turns(&facts, "2020-03-14", "2020-03-15", "2020-04-30", Red, Green);
    assert_eq!(
        reason_codes(&eval(&facts, "2020-03-01")),
        ["false_declaration"]
    );
}

// ---- fever or symptoms (yellow) ----

fn fever_on(date: &str, temperature: f64, symptoms: bool) -> Facts {
    let mut check_ins = without(normal_days("2020-01-20", "2020-03-31"), date);
    check_ins.push(CheckIn {
        date: d(date),
        temperature,
        symptoms,
    });
    Facts {
        check_ins,
        ..Facts::default()
    }
}

#[test]
fn fever_is_yellow_until_7_normal_check_ins() {
    let facts = fever_on("2020-02-01", 38.0, false);
    assert_turns(
        &facts,
        "2020-01-20",
        "2020-02-01",
        "2020-02-07",
        Green,
        Yellow,
    );
    assert_turns(
        &facts,
        "2020-02-07",
        "2020-02-08",
        "2020-03-31",
        Yellow,
        Green,
    );
    let a = eval(&facts, "2020-02-01");
    assert_eq!(reason_codes(&a), ["fever_or_symptoms"]);
    assert_eq!(a.earliest_change, Some(d("2020-02-08")));
}

#[test]
fn symptoms_alone_and_the_threshold_itself_are_abnormal() {
    assert_eq!(
        eval(&fever_on("2020-02-01", 36.6, true), "2020-02-01").colour,
        Yellow
    );
    assert_eq!(
        eval(&fever_on("2020-02-01", 37.3, false), "2020-02-01").colour,
        Yellow
    );
    assert_eq!(
        eval(&fever_on("2020-02-01", 37.2, false), "2020-02-01").colour,
        Green
    );
    assert_eq!(
        eval(&fever_on("2020-02-01", f64::NAN, false), "2020-02-01").colour,
        Yellow
    );
}

#[test]
fn one_abnormal_check_in_among_several_on_a_day_makes_the_day_abnormal() {
    let mut facts = Facts {
        check_ins: normal_days("2020-01-25", "2020-03-01"),
        ..Facts::default()
    };
    facts.check_ins.push(CheckIn {
        date: d("2020-02-01"),
        temperature: 37.8,
        symptoms: false,
    });
    assert_turns(
        &facts,
        "2020-01-25",
        "2020-02-01",
        "2020-02-07",
        Green,
        Yellow,
    );
    assert_turns(
        &facts,
        "2020-02-07",
        "2020-02-08",
        "2020-03-01",
        Yellow,
        Green,
    );
}

#[test]
fn a_second_fever_or_a_missed_day_pushes_the_yellow() {
    let mut facts = fever_on("2020-02-01", 38.0, false);
    facts.check_ins.retain(|c| c.date != d("2020-02-05"));
    assert_turns(
        &facts,
        "2020-02-01",
        "2020-02-12",
        "2020-03-31",
        Yellow,
        Green,
    );
    facts.check_ins.push(CheckIn {
        date: d("2020-02-05"),
        temperature: 37.5,
        symptoms: true,
    });
    let a = eval(&facts, "2020-02-06");
    assert_eq!(a.reasons.len(), 1, "one reason per rule");
    assert_eq!(a.reasons[0].since, d("2020-02-01"));
    assert!(
        a.reasons[0].detail.contains("2020-02-05"),
        "{}",
        a.reasons[0].detail
    );
    assert!(
        a.reasons[0].detail.contains("and 1 earlier"),
        "{}",
        a.reasons[0].detail
    );
    assert_turns(
        &facts,
        "2020-02-01",
        "2020-02-12",
        "2020-03-31",
        Yellow,
        Green,
    );
}

#[test]
fn a_quarantine_release_does_not_release_yellow() {
    let mut facts = fever_on("2020-02-01", 38.0, false);
    facts.check_ins.retain(|c| c.date <= d("2020-02-01"));
    facts.quarantine_releases = vec![d("2020-02-10")];
    assert_colour_throughout(&facts, "2020-02-01", "2020-03-01", Yellow);
}

// ---- secondary contact (yellow) ----

#[test]
fn secondary_contact_is_yellow_for_7_check_ins() {
    let mut facts = contact(ContactDegree::Secondary, "2020-02-01");
    facts.check_ins = normal_days("2020-02-01", "2020-03-31");
    assert_turns(
        &facts,
        "2020-01-25",
        "2020-02-01",
        "2020-02-07",
        Green,
        Yellow,
    );
    assert_turns(
        &facts,
        "2020-02-07",
        "2020-02-08",
        "2020-03-31",
        Yellow,
        Green,
    );
    assert_eq!(
        reason_codes(&eval(&facts, "2020-02-01")),
        ["secondary_contact"]
    );
    facts.check_ins = without(facts.check_ins, "2020-02-08");
    assert_turns(
        &facts,
        "2020-02-01",
        "2020-02-15",
        "2020-03-31",
        Yellow,
        Green,
    );
}

// ---- precedence and bookkeeping ----

#[test]
fn red_outranks_yellow_and_both_reasons_are_listed() {
    let area = RiskArea {
        division: "330100".into(),
        level: RiskAreaLevel::Medium,
        valid_from: d("2020-01-01"),
        valid_to: None,
    };
    let mut facts = arrival("2020-02-01", "330102", vec![area]);
    facts.contacts.push(ContactExposure {
        degree: ContactDegree::Close,
        last_exposure: d("2020-01-20"),
    });
    facts.check_ins = normal_days("2020-01-21", "2020-03-31");
    let a = eval(&facts, "2020-02-01");
    assert_eq!(a.colour, Red);
    assert_eq!(reason_codes(&a), ["close_contact", "medium_risk_arrival"]);
    // Red ends on 02-03 (14 days from 01-20); the arrival keeps it yellow until 02-08.
    assert_eq!(a.earliest_change, Some(d("2020-02-03")));
    assert_turns(
        &facts,
        "2020-01-20",
        "2020-02-03",
        "2020-02-07",
        Red,
        Yellow,
    );
    assert_turns(
        &facts,
        "2020-02-07",
        "2020-02-08",
        "2020-03-31",
        Yellow,
        Green,
    );
    let y = eval(&facts, "2020-02-03");
    assert_eq!(reason_codes(&y), ["medium_risk_arrival"]);
    assert_eq!(y.earliest_change, Some(d("2020-02-08")));
}

#[test]
fn red_waits_for_its_last_trigger() {
    let mut facts = contact(ContactDegree::Close, "2020-02-01");
    facts.contacts.push(ContactExposure {
        degree: ContactDegree::Close,
        last_exposure: d("2020-02-05"),
    });
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    let a = eval(&facts, "2020-02-06");
    assert_eq!(a.reasons.len(), 1);
    assert_eq!(a.reasons[0].since, d("2020-02-01"));
    assert_eq!(a.earliest_change, Some(d("2020-02-19")));
    assert_turns(&facts, "2020-02-01", "2020-02-19", "2020-03-31", Red, Green);
}

#[test]
fn facts_after_the_day_are_ignored() {
    let mut facts = contact(ContactDegree::Close, "2020-03-01");
    facts.check_ins = vec![CheckIn {
        date: d("2020-02-20"),
        temperature: 39.0,
        symptoms: true,
    }];
    let a = eval(&facts, "2020-02-19");
    assert_eq!(a.colour, Green);
    assert_eq!(eval(&facts, "2020-02-20").colour, Yellow);
}

#[test]
fn a_stricter_ruleset_is_just_data() {
    let text = r#"
        version = "strict.1"
        normal_below = 37.0

        [[rule]]
        id = "secondary"
        when = "contact"
        degree = "secondary"
        colour = "red"
        reason = "secondary_contact"
        release = { days = 21, normal_check_ins = 21 }

        [[rule]]
        id = "fever"
        when = "abnormal_check_in"
        colour = "yellow"
        reason = "fever_or_symptoms"
        release = { days = 0, normal_check_ins = 3 }
    "#;
    let rules = Ruleset::parse(text).unwrap();
    let mut facts = contact(ContactDegree::Secondary, "2020-02-01");
    facts.check_ins = normal_days("2020-02-02", "2020-03-31");
    let first = rules.evaluate(&facts, d("2020-02-01"));
    assert_eq!(first.colour, Red);
    assert_eq!(first.earliest_change, Some(d("2020-02-22")));
    assert_eq!(rules.evaluate(&facts, d("2020-02-21")).colour, Red);
    assert_eq!(rules.evaluate(&facts, d("2020-02-22")).colour, Green);

    let mut facts = fever_on("2020-02-01", 37.1, false);
    facts.check_ins.retain(|c| c.date >= d("2020-02-01"));
    assert_eq!(rules.evaluate(&facts, d("2020-02-01")).colour, Yellow);
    assert_eq!(rules.evaluate(&facts, d("2020-02-03")).colour, Yellow);
    assert_eq!(rules.evaluate(&facts, d("2020-02-04")).colour, Green);
    // The default threshold would call 37.1 normal.
    assert_eq!(zj().evaluate(&facts, d("2020-02-01")).colour, Green);
}
