//! A ruleset: versioned data parsed from TOML (the caller reads the file; this parses a `&str`).

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

use super::CodeColor;
use super::facts::{CaseKind, CheckIn, ContactDegree, RiskAreaLevel};
use crate::ValueError;

/// The default ruleset file, as shipped.
pub const ZHEJIANG_2020_TOML: &str = include_str!("../../rulesets/zhejiang-2020.toml");

static ZHEJIANG_2020: LazyLock<Ruleset> = LazyLock::new(|| {
    Ruleset::parse(ZHEJIANG_2020_TOML).expect("the embedded default ruleset is valid")
});

/// Longest release period or check-in count a ruleset may ask for.
const MAX_DAYS: u32 = 365;

/// A validated set of rules with a version. Built only by [`Ruleset::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ruleset {
    version: String,
    title: String,
    normal_below: f64,
    rules: Vec<Rule>,
}

/// One rule: when `condition` holds for a fact, the person's code is at least `colour`, with
/// reason `reason`, until the trigger is released by `release`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique within the ruleset; stored with each code change.
    pub id: String,
    pub colour: CodeColor,
    /// Stable snake_case reason code (the web layer translates it).
    pub reason: String,
    pub condition: Condition,
    pub release: Release,
    pub description: Option<String>,
}

/// What triggers a rule. Each matching fact is one trigger with a start day and, for the kinds
/// that last (cases, observation), an end day.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// A case status of one of `kinds`; lasts until discharge or exclusion.
    Case { kinds: Vec<CaseKind> },
    /// A contact of this degree; starts (and ends) on the day of last exposure.
    Contact { degree: ContactDegree },
    /// Under medical observation; lasts until the observation ends.
    MedicalObservation,
    /// In quarantine (隔离), centralized or at home; lasts until released or transferred.
    Quarantine,
    /// An arrival from a division listed at one of `levels` on the arrival day. With
    /// `within_days`, an arrival declared `within_days` or more days after it happened does not
    /// count (the itinerary window is over).
    RiskAreaArrival {
        levels: Vec<RiskAreaLevel>,
        within_days: Option<u32>,
    },
    /// A declaration found false; on the day it was found.
    FalseDeclaration,
    /// An abnormal daily check-in (fever or symptoms); on its day.
    AbnormalCheckIn,
}

impl Condition {
    /// The kind name used in ruleset files.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Case { .. } => "case",
            Self::Contact { .. } => "contact",
            Self::MedicalObservation => "medical_observation",
            Self::Quarantine => "quarantine",
            Self::RiskAreaArrival { .. } => "risk_area_arrival",
            Self::FalseDeclaration => "false_declaration",
            Self::AbnormalCheckIn => "abnormal_check_in",
        }
    }
}

const KINDS: &str = "case, contact, medical_observation, quarantine, risk_area_arrival, false_declaration, \
     abnormal_check_in";

/// Where the day count of a release starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountFrom {
    /// From the day the trigger started (the exposure, the arrival, the start of observation).
    Start,
    /// From the day a lasting trigger ended (discharge); the same as `Start` for one-day triggers.
    End,
}

/// When a trigger is released: on the first day that is at least `days` after the anchor (see
/// [`CountFrom`]) and not before the trigger ended, on which `normal_check_ins` consecutive
/// normal daily check-ins dated after the anchor are complete (the last of them that day or the
/// day before). With `by_quarantine_release`, a formal release from quarantine on such a day
/// releases the trigger without the check-ins; never earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    pub days: u32,
    pub normal_check_ins: u32,
    pub count_from: CountFrom,
    pub by_quarantine_release: bool,
}

// ---- the file format ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleset {
    version: String,
    title: Option<String>,
    normal_below: Option<f64>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    when: String,
    #[serde(alias = "color")]
    colour: String,
    reason: String,
    release: RawRelease,
    description: Option<String>,
    case_kinds: Option<Vec<String>>,
    degree: Option<String>,
    levels: Option<Vec<String>>,
    within_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    days: u32,
    normal_check_ins: u32,
    count_from: Option<String>,
    by_quarantine_release: Option<bool>,
}

fn bad(message: String) -> ValueError {
    ValueError::new("ruleset", message)
}

fn is_snake_case(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && !s.ends_with('_')
        && !s.contains("__")
}

fn is_rule_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-'))
}

impl RawRule {
    fn into_rule(self, index: usize) -> Result<Rule, ValueError> {
        let at = format!("rule {} ({:?})", index + 1, self.id);
        if !is_rule_id(&self.id) {
            return Err(bad(format!(
                "{at}: id must be 1 to 64 characters of a-z, 0-9, '_', '.' and '-'"
            )));
        }
        let colour = match self.colour.as_str() {
            "red" => CodeColor::Red,
            "yellow" => CodeColor::Yellow,
            "green" => {
                return Err(bad(format!(
                    "{at}: bad colour \"green\": a rule makes a code red or yellow; green is what \
                     remains when no rule applies"
                )));
            }
            other => {
                return Err(bad(format!(
                    "{at}: bad colour {other:?}; expected \"red\" or \"yellow\""
                )));
            }
        };
        if !is_snake_case(&self.reason) {
            return Err(bad(format!(
                "{at}: reason {:?} must be a snake_case code such as \"close_contact\"",
                self.reason
            )));
        }
        if self.reason == super::MANUAL_REASON {
            return Err(bad(format!(
                "{at}: reason {:?} is reserved for colours set by hand",
                self.reason
            )));
        }

        // Parameters: say which is missing, and refuse those that do not apply to the kind.
        let mut allowed: &[&str] = &[];
        let condition = match self.when.as_str() {
            "case" => {
                allowed = &["case_kinds"];
                let kinds = self.case_kinds.as_deref().ok_or_else(|| {
                    bad(format!(
                        "{at}: condition \"case\" needs parameter case_kinds, e.g. \
                         case_kinds = [\"confirmed\"]"
                    ))
                })?;
                if kinds.is_empty() {
                    return Err(bad(format!("{at}: case_kinds must not be empty")));
                }
                let kinds = kinds
                    .iter()
                    .map(|k| k.parse::<CaseKind>().map_err(|e| bad(format!("{at}: {e}"))))
                    .collect::<Result<Vec<_>, _>>()?;
                Condition::Case { kinds }
            }
            "contact" => {
                allowed = &["degree"];
                let degree = self.degree.as_deref().ok_or_else(|| {
                    bad(format!(
                        "{at}: condition \"contact\" needs parameter degree (\"close\" or \
                         \"secondary\")"
                    ))
                })?;
                let degree = degree
                    .parse::<ContactDegree>()
                    .map_err(|e| bad(format!("{at}: {e}")))?;
                Condition::Contact { degree }
            }
            "medical_observation" => Condition::MedicalObservation,
            "quarantine" => Condition::Quarantine,
            "risk_area_arrival" => {
                allowed = &["levels", "within_days"];
                let levels = self.levels.as_deref().ok_or_else(|| {
                    bad(format!(
                        "{at}: condition \"risk_area_arrival\" needs parameter levels, e.g. \
                         levels = [\"high\"]"
                    ))
                })?;
                if levels.is_empty() {
                    return Err(bad(format!("{at}: levels must not be empty")));
                }
                let levels = levels
                    .iter()
                    .map(|l| {
                        l.parse::<RiskAreaLevel>()
                            .map_err(|e| bad(format!("{at}: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if let Some(w) = self.within_days
                    && !(1..=MAX_DAYS).contains(&w)
                {
                    return Err(bad(format!(
                        "{at}: within_days must be from 1 to {MAX_DAYS}, not {w}"
                    )));
                }
                Condition::RiskAreaArrival {
                    levels,
                    within_days: self.within_days,
                }
            }
            "false_declaration" => Condition::FalseDeclaration,
            "abnormal_check_in" => Condition::AbnormalCheckIn,
            other => {
                return Err(bad(format!(
                    "{at}: unknown condition kind {other:?}; expected one of {KINDS}"
                )));
            }
        };
        let given = [
            ("case_kinds", self.case_kinds.is_some()),
            ("degree", self.degree.is_some()),
            ("levels", self.levels.is_some()),
            ("within_days", self.within_days.is_some()),
        ];
        if let Some((name, _)) = given
            .iter()
            .find(|(name, present)| *present && !allowed.contains(name))
        {
            return Err(bad(format!(
                "{at}: parameter {name} does not apply to condition {:?}",
                self.when
            )));
        }

        let r = self.release;
        for (name, value) in [("days", r.days), ("normal_check_ins", r.normal_check_ins)] {
            if value > MAX_DAYS {
                return Err(bad(format!(
                    "{at}: release.{name} must be at most {MAX_DAYS}, not {value}"
                )));
            }
        }
        let count_from = match r.count_from.as_deref() {
            None | Some("end") => CountFrom::End,
            Some("start") => CountFrom::Start,
            Some(other) => {
                return Err(bad(format!(
                    "{at}: release.count_from {other:?} must be \"start\" or \"end\""
                )));
            }
        };
        Ok(Rule {
            id: self.id,
            colour,
            reason: self.reason,
            condition,
            release: Release {
                days: r.days,
                normal_check_ins: r.normal_check_ins,
                count_from,
                by_quarantine_release: r.by_quarantine_release.unwrap_or(false),
            },
            description: self.description,
        })
    }
}

impl Ruleset {
    /// Parse and validate a ruleset file. Errors (code `ruleset_syntax` for TOML and structure,
    /// `ruleset` for content) name the rule and the field.
    pub fn parse(text: &str) -> Result<Ruleset, ValueError> {
        let raw: RawRuleset = toml::from_str(text).map_err(|e| {
            ValueError::new(
                "ruleset_syntax",
                format!("ruleset file is not valid: {}", e.to_string().trim_end()),
            )
        })?;
        let version = raw.version.trim().to_owned();
        if version.is_empty() || version.len() > 64 || version.chars().any(char::is_control) {
            return Err(bad(
                "version must be 1 to 64 printable characters, e.g. \"zhejiang-2020.1\"".into(),
            ));
        }
        let normal_below = raw.normal_below.unwrap_or(37.3);
        if !(35.0..=42.0).contains(&normal_below) {
            return Err(bad(format!(
                "normal_below must be a temperature from 35.0 to 42.0 ℃, not {normal_below}"
            )));
        }
        if raw.rule.is_empty() {
            return Err(bad(
                "a ruleset needs at least one [[rule]]; with none every code would be green".into(),
            ));
        }
        let rules = raw
            .rule
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.into_rule(i))
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen = HashSet::new();
        if let Some(dup) = rules.iter().find(|r| !seen.insert(r.id.as_str())) {
            return Err(bad(format!("rule id {:?} is used more than once", dup.id)));
        }
        Ok(Ruleset {
            version,
            title: raw.title.unwrap_or_default(),
            normal_below,
            rules,
        })
    }

    /// The Zhejiang 2020 rules of DOMAIN.md (`rulesets/zhejiang-2020.toml`, embedded).
    pub fn default_zhejiang() -> Ruleset {
        ZHEJIANG_2020.clone()
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// A check-in is normal when its temperature is below this (℃) and it reports no symptoms.
    pub fn normal_below(&self) -> f64 {
        self.normal_below
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Temperature below [`Self::normal_below`] and no symptoms. NaN is not normal.
    pub fn is_normal(&self, check_in: &CheckIn) -> bool {
        check_in.temperature < self.normal_below && !check_in.symptoms
    }
}
