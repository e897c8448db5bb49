//! Screening scans (排查): what a checkpoint device reports of one person passing, and the
//! decision an officer acts on — pass, refer (to a second check) or stop.

use crate::ValueError;
use crate::rules::CodeColor;

/// Lowest and highest temperatures a thermometer reading can be; outside is a typing error.
pub const TEMPERATURE_RANGE: (f64, f64) = (30.0, 45.0);

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::ValueError::new(
                        "unknown",
                        format!(concat!("unknown ", $what, " {:?}; expected one of {}"), s, names.join(", ")),
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// Whether the person was entering or leaving through the checkpoint.
    ScanDirection, "direction", { In => "in", Out => "out" }
);

text_enum!(
    /// How the person was identified: a scanned code, or an ID number typed by the officer
    /// for someone without a phone.
    ScanMethod, "method", { Code => "code", IdNumber => "id_number" }
);

text_enum!(
    /// What the officer does: let pass, refer to a second check (yellow code, fever), or stop.
    ScanDecision, "decision", { Pass => "pass", Refer => "refer", Stop => "stop" }
);

/// What checking the person's code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFinding {
    /// A valid code, or a registered person, with the colour of their record.
    Colour(CodeColor),
    /// A valid code that carries no colour of ours (a foreign certificate), or a registered
    /// person without a code yet.
    NoColour,
    /// The ID number belongs to nobody registered.
    Unregistered,
    /// The signature or the structure failed.
    Invalid,
    /// The code had expired at the time of the scan (a screenshot, or an old code).
    Expired,
    /// The code is valid but belongs to someone else than the ID number presented with it.
    NotHolder,
}

/// The decision and a stable reason code for it. Stop outranks refer: a red code with a
/// fever is a stop. `fever_from` is the ruleset's threshold (37.3 ℃ by default).
pub fn decide(
    finding: CodeFinding,
    temperature: Option<f64>,
    fever_from: f64,
) -> (ScanDecision, &'static str) {
    let fever = temperature.is_some_and(|t| t >= fever_from);
    match finding {
        CodeFinding::Invalid => (ScanDecision::Stop, "invalid"),
        CodeFinding::Expired => (ScanDecision::Stop, "expired"),
        CodeFinding::NotHolder => (ScanDecision::Stop, "not_holder"),
        CodeFinding::Colour(CodeColor::Red) => (ScanDecision::Stop, "red"),
        _ if fever => (ScanDecision::Refer, "fever"),
        CodeFinding::Colour(CodeColor::Yellow) => (ScanDecision::Refer, "yellow"),
        CodeFinding::Unregistered => (ScanDecision::Refer, "unregistered"),
        CodeFinding::NoColour => (ScanDecision::Refer, "no_colour"),
        CodeFinding::Colour(CodeColor::Green) => (ScanDecision::Pass, "green"),
    }
}

/// A temperature as typed or measured: a number inside [`TEMPERATURE_RANGE`].
pub fn parse_temperature(t: f64) -> Result<f64, ValueError> {
    let (lo, hi) = TEMPERATURE_RANGE;
    if t.is_finite() && (lo..=hi).contains(&t) {
        Ok(t)
    } else {
        Err(ValueError::new(
            "out_of_range",
            format!("temperature {t} is outside {lo}–{hi} ℃"),
        ))
    }
}

/// A device's event id: 1–64 printable ASCII characters without spaces, unique per checkpoint.
pub fn parse_event_id(s: &str) -> Result<&str, ValueError> {
    if s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_graphic()) {
        Err(ValueError::new(
            "invalid",
            "event id must be 1–64 printable ASCII characters without spaces",
        ))
    } else {
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_outranks_refer() {
        let (d, r) = decide(CodeFinding::Colour(CodeColor::Red), Some(38.5), 37.3);
        assert_eq!((d, r), (ScanDecision::Stop, "red"));
    }

    #[test]
    fn fever_refers_a_green_code_at_the_threshold() {
        assert_eq!(
            decide(CodeFinding::Colour(CodeColor::Green), Some(37.3), 37.3).0,
            ScanDecision::Refer
        );
        assert_eq!(
            decide(CodeFinding::Colour(CodeColor::Green), Some(37.2), 37.3).0,
            ScanDecision::Pass
        );
    }

    #[test]
    fn names_round_trip() {
        for d in ScanDirection::ALL {
            assert_eq!(d.as_str().parse::<ScanDirection>().unwrap(), *d);
        }
        assert!("sideways".parse::<ScanDirection>().is_err());
    }

    #[test]
    fn event_ids_are_bounded() {
        assert!(parse_event_id("dev-1:000042").is_ok());
        assert!(parse_event_id("").is_err());
        assert!(parse_event_id("a b").is_err());
        assert!(parse_event_id(&"x".repeat(65)).is_err());
    }
}
