//! Ruleset files: the default parses, bad files are refused with a message naming the problem.

use domain::rules::{CodeColor, Condition, CountFrom, Ruleset, ZHEJIANG_2020_TOML};

const GOOD_RULE: &str = r#"
[[rule]]
id = "red.close_contact"
when = "contact"
degree = "close"
colour = "red"
reason = "close_contact"
release = { days = 14, normal_check_ins = 14 }
"#;

fn with_header(rules: &str) -> String {
    format!("version = \"test.1\"\n{rules}")
}

#[track_caller]
fn refused(text: &str, needles: &[&str]) -> String {
    let err = Ruleset::parse(text).expect_err("must be refused");
    for needle in needles {
        assert!(
            err.message.contains(needle),
            "{needle:?} not in: {}",
            err.message
        );
    }
    err.message
}

#[test]
fn the_default_file_parses_with_its_version() {
    let rules = Ruleset::parse(ZHEJIANG_2020_TOML).unwrap();
    assert_eq!(rules.version(), "zhejiang-2020.1");
    assert!(rules.title().contains("Zhejiang"));
    let confirmed = rules.rule("red.confirmed_case").unwrap();
    assert_eq!(confirmed.release.count_from, CountFrom::End);
    assert!(confirmed.release.by_quarantine_release);
    let observation = rules.rule("red.medical_observation").unwrap();
    assert_eq!(observation.release.count_from, CountFrom::Start);
    assert!(matches!(
        rules.rule("red.high_risk_arrival").unwrap().condition,
        Condition::RiskAreaArrival {
            within_days: Some(14),
            ..
        }
    ));
    let fever = rules.rule("yellow.fever_or_symptoms").unwrap();
    assert_eq!(fever.colour, CodeColor::Yellow);
    assert!(!fever.release.by_quarantine_release);
    for rule in rules.rules() {
        assert!(rule.description.is_some(), "{} is documented", rule.id);
    }
}

#[test]
fn a_minimal_file_parses_with_defaults() {
    let rules = Ruleset::parse(&with_header(GOOD_RULE)).unwrap();
    assert_eq!(rules.version(), "test.1");
    assert_eq!(rules.title(), "");
    assert_eq!(rules.normal_below(), 37.3);
    let r = &rules.rules()[0];
    assert_eq!(r.release.count_from, CountFrom::End);
    assert!(!r.release.by_quarantine_release);
    // `color` is accepted for `colour`.
    let us = with_header(&GOOD_RULE.replace("colour =", "color ="));
    assert_eq!(
        Ruleset::parse(&us).unwrap().rules()[0].colour,
        CodeColor::Red
    );
}

#[test]
fn syntax_errors_are_reported_with_their_line() {
    let e = Ruleset::parse("version = \"x\"\n[[rule]\n").unwrap_err();
    assert_eq!(e.code, "ruleset_syntax");
    assert!(e.message.contains("line 2"), "{}", e.message);
}

#[test]
fn missing_fields_are_named() {
    refused(
        &with_header(&GOOD_RULE.replace("colour = \"red\"\n", "")),
        &["colour"],
    );
    refused(GOOD_RULE, &["version"]);
    refused(
        &with_header(&GOOD_RULE.replace(", normal_check_ins = 14", "")),
        &["normal_check_ins"],
    );
    refused(
        &with_header(&GOOD_RULE.replace("degree = \"close\"\n", "")),
        &["degree"],
    );
    refused(
        &with_header(
            &GOOD_RULE
                .replace("when = \"contact\"", "when = \"case\"")
                .replace("degree = \"close\"\n", ""),
        ),
        &["case_kinds"],
    );
    refused(
        &with_header(
            &GOOD_RULE
                .replace("when = \"contact\"", "when = \"risk_area_arrival\"")
                .replace("degree = \"close\"\n", ""),
        ),
        &["levels"],
    );
}

#[test]
fn unknown_condition_kind_lists_the_known_ones() {
    let e = refused(
        &with_header(&GOOD_RULE.replace("when = \"contact\"", "when = \"contract\"")),
        &[
            "rule 1",
            "red.close_contact",
            "unknown condition kind \"contract\"",
            "risk_area_arrival",
        ],
    );
    assert!(e.contains("abnormal_check_in"));
}

#[test]
fn bad_colours_are_refused() {
    refused(
        &with_header(&GOOD_RULE.replace("\"red\"", "\"purple\"")),
        &["bad colour \"purple\"", "\"red\" or \"yellow\""],
    );
    refused(
        &with_header(&GOOD_RULE.replace("\"red\"", "\"green\"")),
        &["bad colour \"green\"", "no rule applies"],
    );
}

#[test]
fn bad_values_are_refused() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "degree = \"close\"",
            "degree = \"distant\"",
            "unknown contact degree",
        ),
        (
            "reason = \"close_contact\"",
            "reason = \"Close Contact\"",
            "snake_case",
        ),
        ("id = \"red.close_contact\"", "id = \"\"", "id must be"),
        (
            "days = 14",
            "days = 400",
            "release.days must be at most 365",
        ),
        ("days = 14", "days = -1", "days"),
        (
            "normal_check_ins = 14 }",
            "normal_check_ins = 14, count_from = \"later\" }",
            "count_from",
        ),
        (
            "degree = \"close\"",
            "degree = \"close\"\nlevels = [\"high\"]",
            "levels does not apply",
        ),
        (
            "degree = \"close\"",
            "degree = \"close\"\nshade = 3",
            "shade",
        ),
    ];
    for (from, to, needle) in cases {
        assert!(GOOD_RULE.contains(from), "{from}");
        refused(&with_header(&GOOD_RULE.replace(from, to)), &[needle]);
    }
    let case_rule = GOOD_RULE
        .replace("when = \"contact\"", "when = \"case\"")
        .replace("degree = \"close\"", "case_kinds = [\"probable\"]");
    refused(
        &with_header(&case_rule),
        &["unknown case kind \"probable\""],
    );
    let arrival = GOOD_RULE
        .replace("when = \"contact\"", "when = \"risk_area_arrival\"")
        .replace("degree = \"close\"", "levels = [\"high\"]\nwithin_days = 0");
    refused(&with_header(&arrival), &["within_days"]);
    let arrival = arrival.replace("levels = [\"high\"]", "levels = [\"extreme\"]");
    refused(&with_header(&arrival), &["unknown risk level \"extreme\""]);
}

#[test]
fn ruleset_level_problems_are_refused() {
    refused("version = \"x\"\n", &["at least one [[rule]]"]);
    refused(&format!("version = \"\"\n{GOOD_RULE}"), &["version"]);
    refused(
        &format!("version = \"x\"\nnormal_below = 50.0\n{GOOD_RULE}"),
        &["normal_below"],
    );
    refused(
        &with_header(&format!("{GOOD_RULE}{GOOD_RULE}")),
        &["\"red.close_contact\" is used more than once"],
    );
    refused(
        &format!("version = \"x\"\nauthor = \"me\"\n{GOOD_RULE}"),
        &["author"],
    );
}

#[test]
fn no_input_makes_the_parser_panic() {
    for text in [
        "",
        "\u{0}",
        "[[rule]]",
        "version = 1",
        "rule = 3\nversion = \"v\"",
    ] {
        assert!(Ruleset::parse(text).is_err(), "{text:?}");
    }
    // Every prefix of the default file either parses or is refused.
    for end in (0..ZHEJIANG_2020_TOML.len()).filter(|i| ZHEJIANG_2020_TOML.is_char_boundary(*i)) {
        let _ = Ruleset::parse(&ZHEJIANG_2020_TOML[..end]);
    }
}
