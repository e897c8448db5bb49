//! The health-code rule engine (健康码规则引擎): pure, versioned data in, colour and reasons out.
//!
//! The model, in a few lines:
//! - A [`Ruleset`] is data (a TOML file, see `docs/RULES.md`); the default is
//!   `rulesets/zhejiang-2020.toml`, embedded. Each [`Rule`] is a [`Condition`] (what triggers it),
//!   a colour (red or yellow), a stable reason code and a [`Release`] condition.
//! - [`Facts`] are one person's dated records: case status, contacts, medical observation,
//!   arrivals (matched against a [`RiskAreaList`] on the arrival date), false declarations, daily
//!   check-ins and formal quarantine releases. Facts dated after the evaluated day are ignored.
//! - Every fact that matches a rule's condition is a *trigger*. A trigger is released on the first
//!   day that is at least `days` after its anchor (its start, or its end for a case that must end
//!   first), not before the trigger ended, and on which `normal_check_ins` consecutive normal daily
//!   check-ins after the anchor are complete (ending that day or the day before). A missed day or
//!   an abnormal check-in restarts the count. Once released, a trigger stays released.
//! - [`Ruleset::evaluate`] returns the highest colour of all unreleased triggers (red > yellow >
//!   green), one [`Reason`] per rule with unreleased triggers, and the earliest day the colour can
//!   change if every check-in from that day on is normal. There is no clock: the day is passed in.

mod engine;
mod facts;
mod ruleset;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

pub use engine::{Assessment, MANUAL_REASON, Reason};
pub use facts::{
    Arrival, CaseKind, CaseStatus, CheckIn, ContactDegree, ContactExposure, Facts, ManualCode,
    Observation, RiskArea, RiskAreaLevel, RiskAreaList, division_prefix,
};
pub use ruleset::{Condition, CountFrom, Release, Rule, Ruleset, ZHEJIANG_2020_TOML};

/// The colour of a health code. Ordered so that `Red > Yellow > Green`: the colour of a person
/// is the maximum over their active reasons.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CodeColor {
    Green,
    Yellow,
    Red,
}

impl CodeColor {
    pub const ALL: [CodeColor; 3] = [Self::Green, Self::Yellow, Self::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Green => "绿码",
            Self::Yellow => "黄码",
            Self::Red => "红码",
        }
    }
}

impl FromStr for CodeColor {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!("unknown code colour {s:?}; expected green, yellow or red"),
                )
            })
    }
}

impl fmt::Display for CodeColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_ordered_and_round_trip() {
        assert!(CodeColor::Red > CodeColor::Yellow && CodeColor::Yellow > CodeColor::Green);
        for c in CodeColor::ALL {
            assert_eq!(c.as_str().parse::<CodeColor>().unwrap(), c);
            assert_eq!(serde_json_like(c), format!("\"{}\"", c.as_str()));
        }
        assert_eq!("purple".parse::<CodeColor>().unwrap_err().code, "unknown");
    }

    fn serde_json_like(c: CodeColor) -> String {
        // Round-trip through TOML (a dependency already) to check the serde names.
        #[derive(Serialize, Deserialize)]
        struct W {
            c: CodeColor,
        }
        let text = toml::to_string(&W { c }).unwrap();
        let back: W = toml::from_str(&text).unwrap();
        assert_eq!(back.c, c);
        text.trim().trim_start_matches("c = ").to_owned()
    }
}
