//! The change policy (`rulesets/change-policy-2020.toml`): for every path that can change a
//! person's colour, whether a stricter and a less strict result take effect at once or wait
//! for a second, different person. Data beside the rules, parsed and validated like them.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::CodeColor;
use crate::ValueError;

pub const CHANGE_POLICY_2020_TOML: &str = include_str!("../../rulesets/change-policy-2020.toml");

static CHANGE_POLICY_2020: LazyLock<ChangePolicy> = LazyLock::new(|| {
    ChangePolicy::parse(CHANGE_POLICY_2020_TOML).expect("the embedded change policy is valid")
});

/// Every path by which a colour can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangePath {
    Rules,
    HandSet,
    Appeal,
    OverrideRevoke,
    CaseStatus,
    ManualContact,
    Tracing,
    QuarantineEnd,
    QuarantineRelease,
    RiskArea,
    DeclarationForOther,
    CheckInForOther,
}

impl ChangePath {
    pub const ALL: [ChangePath; 12] = [
        Self::Rules,
        Self::HandSet,
        Self::Appeal,
        Self::OverrideRevoke,
        Self::CaseStatus,
        Self::ManualContact,
        Self::Tracing,
        Self::QuarantineEnd,
        Self::QuarantineRelease,
        Self::RiskArea,
        Self::DeclarationForOther,
        Self::CheckInForOther,
    ];

    /// The name in the policy file and in `code_changes.cause`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::HandSet => "hand_set",
            Self::Appeal => "appeal",
            Self::OverrideRevoke => "override_revoke",
            Self::CaseStatus => "case_status",
            Self::ManualContact => "manual_contact",
            Self::Tracing => "tracing",
            Self::QuarantineEnd => "quarantine_end",
            Self::QuarantineRelease => "quarantine_release",
            Self::RiskArea => "risk_area",
            Self::DeclarationForOther => "declaration_for_other",
            Self::CheckInForOther => "check_in_for_other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Paths whose result is the rules' own colour: the only ones that may relax at once.
    fn restores_rules(self) -> bool {
        matches!(
            self,
            Self::Rules | Self::OverrideRevoke | Self::QuarantineRelease
        )
    }
}

/// Who must act for a change to take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    AtOnce,
    SecondPerson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathPolicy {
    pub stricter: Approval,
    pub less_strict: Approval,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePolicy {
    version: String,
    title: String,
    /// A hand-set colour's last day lies at most this many days ahead.
    pub hand_set_max_days: i64,
    pub one_active: bool,
    paths: BTreeMap<ChangePath, PathPolicy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: String,
    title: Option<String>,
    hand_set: RawHandSet,
    path: BTreeMap<String, RawPath>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandSet {
    max_days: i64,
    one_active: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPath {
    stricter: String,
    less_strict: String,
}

fn bad(message: String) -> ValueError {
    ValueError::new("change_policy", message)
}

fn approval(path: &str, field: &str, v: &str) -> Result<Approval, ValueError> {
    match v {
        "at_once" => Ok(Approval::AtOnce),
        "second_person" => Ok(Approval::SecondPerson),
        other => Err(bad(format!(
            "path.{path}.{field} {other:?} must be \"at_once\" or \"second_person\""
        ))),
    }
}

impl ChangePolicy {
    /// Parse and validate: every path named once, no unknown path, and no path that relaxes
    /// a code on one person's word unless its result is the rules' own colour.
    pub fn parse(text: &str) -> Result<ChangePolicy, ValueError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| {
            ValueError::new(
                "change_policy_syntax",
                format!(
                    "change policy file is not valid: {}",
                    e.to_string().trim_end()
                ),
            )
        })?;
        let version = raw.version.trim().to_owned();
        if version.is_empty() || version.len() > 64 || version.chars().any(char::is_control) {
            return Err(bad("version must be 1 to 64 printable characters".into()));
        }
        if !(1..=90).contains(&raw.hand_set.max_days) {
            return Err(bad(format!(
                "hand_set.max_days must be 1 to 90, not {}",
                raw.hand_set.max_days
            )));
        }
        let mut paths = BTreeMap::new();
        for (name, p) in &raw.path {
            let path = ChangePath::parse(name)
                .ok_or_else(|| bad(format!("path.{name} is not a known path")))?;
            let policy = PathPolicy {
                stricter: approval(name, "stricter", &p.stricter)?,
                less_strict: approval(name, "less_strict", &p.less_strict)?,
            };
            if policy.less_strict == Approval::AtOnce && !path.restores_rules() {
                return Err(bad(format!(
                    "path.{name}.less_strict must be \"second_person\": only a path whose result \
                     is the rules' colour may relax a code on one person's word"
                )));
            }
            paths.insert(path, policy);
        }
        if let Some(missing) = ChangePath::ALL.iter().find(|p| !paths.contains_key(p)) {
            return Err(bad(format!(
                "path.{} is missing: every path that can change a colour needs an entry",
                missing.as_str()
            )));
        }
        Ok(ChangePolicy {
            version,
            title: raw.title.unwrap_or_default(),
            hand_set_max_days: raw.hand_set.max_days,
            one_active: raw.hand_set.one_active,
            paths,
        })
    }

    /// The embedded policy (`rulesets/change-policy-2020.toml`).
    pub fn default_2020() -> &'static ChangePolicy {
        &CHANGE_POLICY_2020
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn path(&self, path: ChangePath) -> PathPolicy {
        // Every path is present after `parse`.
        self.paths.get(&path).copied().unwrap_or(PathPolicy {
            stricter: Approval::SecondPerson,
            less_strict: Approval::SecondPerson,
        })
    }

    /// What a change by `path` from `rule` (the rules' colour without any hand-set colour) to
    /// `to` needs. Equal counts as not less strict.
    pub fn approval(&self, path: ChangePath, rule: CodeColor, to: CodeColor) -> Approval {
        let p = self.path(path);
        if to < rule { p.less_strict } else { p.stricter }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_policy_names_every_path() {
        let p = ChangePolicy::default_2020();
        assert_eq!(p.version(), "change-policy-2020.1");
        for path in ChangePath::ALL {
            let _ = p.path(path);
        }
        assert_eq!(
            p.approval(ChangePath::HandSet, CodeColor::Red, CodeColor::Yellow),
            Approval::SecondPerson
        );
        assert_eq!(
            p.approval(ChangePath::HandSet, CodeColor::Green, CodeColor::Red),
            Approval::AtOnce
        );
    }

    #[test]
    fn a_policy_that_relaxes_on_one_word_is_refused() {
        let text = CHANGE_POLICY_2020_TOML.replace(
            "[path.case_status]      # confirm / exclude / discharge a case\nstricter = \"at_once\"\nless_strict = \"second_person\"",
            "[path.case_status]\nstricter = \"at_once\"\nless_strict = \"at_once\"",
        );
        assert_ne!(text, CHANGE_POLICY_2020_TOML);
        let e = ChangePolicy::parse(&text).unwrap_err();
        assert!(e.message.contains("case_status"), "{}", e.message);
    }

    #[test]
    fn a_missing_or_unknown_path_is_refused() {
        let text = CHANGE_POLICY_2020_TOML.replace("[path.tracing]", "[path.tracer]");
        let e = ChangePolicy::parse(&text).unwrap_err();
        assert!(e.message.contains("tracer"), "{}", e.message);
        let e = ChangePolicy::parse(
            "version = \"x\"\n[hand_set]\nmax_days = 30\none_active = true\n[path]\n",
        )
        .unwrap_err();
        assert!(e.message.contains("missing"), "{}", e.message);
    }
}
