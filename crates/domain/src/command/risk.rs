//! Five colours from the cases of an area: a table of levels tried from the most severe, the
//! first whose conditions hold wins. The default table is `rulesets/risk-map-2020.toml`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValueError;

/// The default table, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../rulesets/risk-map-2020.toml");

static DEFAULT: LazyLock<RiskTable> =
    LazyLock::new(|| RiskTable::parse(DEFAULT_TOML).expect("the embedded risk table is valid"));

/// Longest window a table may look back.
const MAX_WINDOW: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Red,
    Orange,
    Yellow,
    Blue,
    Green,
}

impl RiskLevel {
    /// From the most severe.
    pub const ALL: [RiskLevel; 5] = [
        Self::Red,
        Self::Orange,
        Self::Yellow,
        Self::Blue,
        Self::Green,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Orange => "orange",
            Self::Yellow => "yellow",
            Self::Blue => "blue",
            Self::Green => "green",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "bad_risk_level",
                    format!("{s:?} is not red, orange, yellow, blue or green"),
                )
            })
    }

    /// The fill on the map.
    pub fn fill(self) -> &'static str {
        match self {
            Self::Red => "#d7191c",
            Self::Orange => "#f28c28",
            Self::Yellow => "#f5d328",
            Self::Blue => "#2c7bb6",
            Self::Green => "#1a9641",
        }
    }

    /// 高风险 … 低风险, the names used in Zhejiang's daily map.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Red => "高风险",
            Self::Orange => "较高风险",
            Self::Yellow => "中风险",
            Self::Blue => "较低风险",
            Self::Green => "低风险",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::Red => "high risk",
            Self::Orange => "higher risk",
            Self::Yellow => "medium risk",
            Self::Blue => "lower risk",
            Self::Green => "low risk",
        }
    }
}

/// One new confirmed case of an area: the day it became confirmed, and whether it belongs to
/// a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseEvent {
    pub day: NaiveDate,
    pub in_cluster: bool,
}

/// The figures behind a colour, as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskFigures {
    pub new_cases_3d: u32,
    pub new_cases_7d: u32,
    pub new_cases_14d: u32,
    pub cluster_cases_14d: u32,
    pub cumulative: u32,
    pub last_case_on: Option<NaiveDate>,
    /// Days from the last new case to the day (0 = a case that day); None without any case.
    pub days_since_last_case: Option<i64>,
}

/// A level with the rule that decided it and the figures behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub level: RiskLevel,
    /// The table's description of the level.
    pub reason: String,
    pub figures: RiskFigures,
    pub table_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Alternative {
    cases_within: Option<u32>,
    at_least: u32,
    cluster_within: Option<u32>,
    clusters_at_least: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Level {
    colour: RiskLevel,
    description: String,
    any: Vec<Alternative>,
}

/// A validated risk table. Built only by [`RiskTable::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskTable {
    version: String,
    title: String,
    levels: Vec<Level>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTable {
    version: String,
    title: String,
    level: Vec<FileLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLevel {
    colour: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    any: Vec<FileAlternative>,
    #[serde(default)]
    otherwise: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAlternative {
    cases_within: Option<u32>,
    at_least: Option<u32>,
    cluster_within: Option<u32>,
    clusters_at_least: Option<u32>,
}

fn bad(message: String) -> ValueError {
    ValueError::new("bad_risk_table", message)
}

impl RiskTable {
    /// The shipped default.
    pub fn default_table() -> &'static RiskTable {
        &DEFAULT
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The longest window any condition looks at: cases older than this never matter.
    pub fn horizon_days(&self) -> u32 {
        self.levels
            .iter()
            .flat_map(|l| &l.any)
            .flat_map(|a| [a.cases_within, a.cluster_within])
            .flatten()
            .chain([14])
            .max()
            .unwrap_or(14)
    }

    /// Parse and check a table: five levels, each colour once, from red to green, the last
    /// one `otherwise = true` and no other; every alternative with at least one condition and
    /// windows of 1 to 60 days. Errors name the level and the field.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let file: FileTable = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
        if file.version.trim().is_empty() {
            return Err(bad("version must not be empty".into()));
        }
        if file.level.len() != RiskLevel::ALL.len() {
            return Err(bad(format!(
                "the table needs exactly 5 levels (red, orange, yellow, blue, green), has {}",
                file.level.len()
            )));
        }
        let mut levels = vec![];
        for (i, (l, expected)) in file.level.iter().zip(RiskLevel::ALL).enumerate() {
            let colour = RiskLevel::parse(&l.colour)
                .map_err(|e| bad(format!("level {i}: {}", e.message)))?;
            if colour != expected {
                return Err(bad(format!(
                    "level {i} is {}, expected {} (levels go from red to green)",
                    colour.as_str(),
                    expected.as_str()
                )));
            }
            let last = i + 1 == file.level.len();
            if last != l.otherwise {
                return Err(bad(if last {
                    format!(
                        "level {i} ({}): the last level must say otherwise = true",
                        colour.as_str()
                    )
                } else {
                    format!(
                        "level {i} ({}): only the last level may say otherwise = true",
                        colour.as_str()
                    )
                }));
            }
            if last && !l.any.is_empty() {
                return Err(bad(format!(
                    "level {i} ({}): the otherwise level takes no conditions",
                    colour.as_str()
                )));
            }
            if !last && l.any.is_empty() {
                return Err(bad(format!(
                    "level {i} ({}): needs at least one alternative in any",
                    colour.as_str()
                )));
            }
            let mut any = vec![];
            for (k, a) in l.any.iter().enumerate() {
                let at = format!("level {i} ({}) alternative {k}", colour.as_str());
                if a.cases_within.is_none() && a.cluster_within.is_none() {
                    return Err(bad(format!("{at}: needs cases_within or cluster_within")));
                }
                for (name, days) in [
                    ("cases_within", a.cases_within),
                    ("cluster_within", a.cluster_within),
                ] {
                    if let Some(d) = days
                        && !(1..=MAX_WINDOW).contains(&d)
                    {
                        return Err(bad(format!(
                            "{at}: {name} must be 1 to {MAX_WINDOW} days, is {d}"
                        )));
                    }
                }
                if a.at_least.is_some() && a.cases_within.is_none() {
                    return Err(bad(format!("{at}: at_least needs cases_within")));
                }
                if a.clusters_at_least.is_some() && a.cluster_within.is_none() {
                    return Err(bad(format!("{at}: clusters_at_least needs cluster_within")));
                }
                for (name, n) in [
                    ("at_least", a.at_least),
                    ("clusters_at_least", a.clusters_at_least),
                ] {
                    if n == Some(0) {
                        return Err(bad(format!("{at}: {name} must be at least 1")));
                    }
                }
                any.push(Alternative {
                    cases_within: a.cases_within,
                    at_least: a.at_least.unwrap_or(1),
                    cluster_within: a.cluster_within,
                    clusters_at_least: a.clusters_at_least.unwrap_or(1),
                });
            }
            levels.push(Level {
                colour,
                description: l.description.clone(),
                any,
            });
        }
        Ok(Self {
            version: file.version,
            title: file.title,
            levels,
        })
    }

    /// The level of an area on `day` from its new confirmed cases (any order; cases after
    /// `day` are ignored, so one list serves every day of the history).
    pub fn assess(&self, events: &[CaseEvent], day: NaiveDate) -> Assessment {
        let within = |n: u32, cluster_only: bool| {
            events
                .iter()
                .filter(|e| {
                    let age = (day - e.day).num_days();
                    (0..i64::from(n)).contains(&age) && (!cluster_only || e.in_cluster)
                })
                .count() as u32
        };
        let level = self
            .levels
            .iter()
            .find(|l| {
                l.any.is_empty()
                    || l.any.iter().any(|a| {
                        a.cases_within
                            .is_none_or(|n| within(n, false) >= a.at_least)
                            && a.cluster_within
                                .is_none_or(|n| within(n, true) >= a.clusters_at_least)
                    })
            })
            .unwrap_or_else(|| self.levels.last().expect("five levels"));
        let last_case_on = events.iter().map(|e| e.day).filter(|d| *d <= day).max();
        Assessment {
            level: level.colour,
            reason: level.description.clone(),
            figures: RiskFigures {
                new_cases_3d: within(3, false),
                new_cases_7d: within(7, false),
                new_cases_14d: within(14, false),
                cluster_cases_14d: within(14, true),
                cumulative: events.iter().filter(|e| e.day <= day).count() as u32,
                last_case_on,
                days_since_last_case: last_case_on.map(|d| (day - d).num_days()),
            },
            table_version: self.version.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ev(day: &str, in_cluster: bool) -> CaseEvent {
        CaseEvent {
            day: d(day),
            in_cluster,
        }
    }

    /// The level on each day from `from` for `days` days.
    fn levels(events: &[CaseEvent], from: &str, days: i64) -> Vec<RiskLevel> {
        let t = RiskTable::default_table();
        (0..days)
            .map(|i| {
                t.assess(events, d(from) + chrono::Days::new(i as u64))
                    .level
            })
            .collect()
    }

    use RiskLevel::*;

    #[test]
    fn one_case_walks_orange_yellow_blue_green_on_the_boundary_days() {
        // A case on 03-01: within 3 days on 03-01..03-03, within 7 until 03-07, 14 until 03-14.
        let e = [ev("2020-03-01", false)];
        let got = levels(&e, "2020-02-29", 16);
        let mut want = vec![Green];
        want.extend([Orange; 3]);
        want.extend([Yellow; 4]);
        want.extend([Blue; 7]);
        want.push(Green);
        assert_eq!(got, want);
        let t = RiskTable::default_table();
        let a = t.assess(&e, d("2020-03-15"));
        assert_eq!(a.figures.days_since_last_case, Some(14));
        assert_eq!(a.figures.new_cases_14d, 0);
        assert_eq!(a.figures.cumulative, 1);
        let a = t.assess(&e, d("2020-03-14"));
        assert_eq!(
            (a.level, a.figures.new_cases_14d, a.figures.new_cases_7d),
            (Blue, 1, 0)
        );
    }

    #[test]
    fn a_cluster_case_is_red_for_three_days_then_orange_until_day_fourteen() {
        let e = [ev("2020-03-01", true)];
        let got = levels(&e, "2020-03-01", 15);
        let mut want = vec![Red; 3];
        want.extend([Orange; 11]);
        want.push(Green);
        assert_eq!(got, want);
    }

    #[test]
    fn an_old_cluster_and_a_new_case_make_red_until_the_cluster_leaves_the_window() {
        // Cluster case 03-01 (in 14 days until 03-14); a plain case 03-12 (in 3 days until 03-14).
        let e = [ev("2020-03-01", true), ev("2020-03-12", false)];
        let got = levels(&e, "2020-03-11", 5);
        assert_eq!(got, vec![Orange, Red, Red, Red, Yellow]);
    }

    #[test]
    fn ten_cases_in_fourteen_days_are_red_nine_are_not() {
        let nine: Vec<CaseEvent> = (1..=9)
            .map(|i| ev(&format!("2020-03-{i:02}"), false))
            .collect();
        let t = RiskTable::default_table();
        // On 03-13, the nine cases of 03-01..03-09 are all within 14 days; none within 3.
        assert_eq!(t.assess(&nine, d("2020-03-13")).level, Yellow);
        let mut ten = nine.clone();
        ten.push(ev("2020-03-01", false));
        let a = t.assess(&ten, d("2020-03-13"));
        assert_eq!((a.level, a.figures.new_cases_14d), (Red, 10));
        // 03-15: the two cases of 03-01 left the 14-day window (eight remain).
        assert_eq!(t.assess(&ten, d("2020-03-15")).level, Yellow);
        assert_eq!(t.assess(&ten, d("2020-03-14")).level, Red);
    }

    #[test]
    fn cases_after_the_day_do_not_count() {
        let e = [ev("2020-03-10", true)];
        let a = RiskTable::default_table().assess(&e, d("2020-03-09"));
        assert_eq!(
            (a.level, a.figures.cumulative, a.figures.last_case_on),
            (Green, 0, None)
        );
    }

    #[test]
    fn the_default_parses_and_bad_tables_are_named() {
        let t = RiskTable::default_table();
        assert_eq!(t.version(), "zhikong-risk-2020.1");
        assert_eq!(t.horizon_days(), 14);
        let swap = DEFAULT_TOML.replacen("colour = \"orange\"", "colour = \"yellow\"", 1);
        assert!(
            RiskTable::parse(&swap)
                .unwrap_err()
                .message
                .contains("level 1 is yellow, expected orange")
        );
        let wide = DEFAULT_TOML.replace(
            "cases_within = 14, at_least = 10",
            "cases_within = 90, at_least = 10",
        );
        assert!(
            RiskTable::parse(&wide)
                .unwrap_err()
                .message
                .contains("cases_within must be 1 to 60 days, is 90")
        );
        let zero = DEFAULT_TOML.replace("at_least = 10", "at_least = 0");
        assert!(
            RiskTable::parse(&zero)
                .unwrap_err()
                .message
                .contains("at_least must be at least 1")
        );
        let no_otherwise = DEFAULT_TOML.replace("otherwise = true", "any = [{ cases_within = 1 }]");
        assert!(
            RiskTable::parse(&no_otherwise)
                .unwrap_err()
                .message
                .contains("otherwise = true")
        );
        let typo = DEFAULT_TOML.replace("cluster_within = 14 }", "clustr_within = 14 }");
        assert!(
            RiskTable::parse(&typo)
                .unwrap_err()
                .message
                .contains("clustr_within")
        );
        let four = DEFAULT_TOML
            .split("[[level]]\ncolour = \"blue\"")
            .next()
            .unwrap()
            .to_owned();
        assert!(
            RiskTable::parse(&four)
                .unwrap_err()
                .message
                .contains("exactly 5 levels")
        );
    }

    #[test]
    fn levels_round_trip_their_names() {
        for l in RiskLevel::ALL {
            assert_eq!(RiskLevel::parse(l.as_str()).unwrap(), l);
        }
        assert!(RiskLevel::parse("purple").is_err());
    }
}
