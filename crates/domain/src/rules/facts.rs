//! What the engine evaluates: one person's dated records, filled by the app layer from its store,
//! and the risk-area list shared by everyone.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValueError;

/// One person's facts. Every list may be in any order; facts dated after the evaluated day are
/// ignored (they had not happened yet).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Case status (确诊 / 疑似 / 无症状), each with the day it began and the day it ended.
    pub cases: Vec<CaseStatus>,
    /// Contacts (密接 / 次密接) with the day of last exposure.
    pub contacts: Vec<ContactExposure>,
    /// Periods of medical observation (医学观察).
    pub observations: Vec<Observation>,
    /// Itinerary: arrivals in the zone and where from.
    pub arrivals: Vec<Arrival>,
    /// The risk-area list the arrivals are matched against; shared, so one list serves a whole
    /// recompute.
    pub risk_areas: Arc<RiskAreaList>,
    /// Days on which a declaration of this person was found false.
    pub false_declarations: Vec<NaiveDate>,
    /// Daily health check-ins (健康打卡); several on one day are allowed (all must be normal).
    pub check_ins: Vec<CheckIn>,
    /// Periods in quarantine (隔离): entered on `start`, released or transferred on `end`.
    pub quarantines: Vec<Observation>,
    /// Days this person was formally released from quarantine (解除隔离).
    pub quarantine_releases: Vec<NaiveDate>,
    /// Colours set by hand (人工赋码), each approved as the rules of manual change demand.
    pub manual: Vec<ManualCode>,
}

/// A colour set by an accountable person, in force from `from` through `until` (inclusive), or
/// until revoked when `until` is None. While one is in force it decides the colour; the rules'
/// own reasons are still listed beside it so that nobody loses sight of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualCode {
    /// The stored override's id: the later of two overlapping ones wins.
    pub id: i64,
    pub colour: crate::rules::CodeColor,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    /// Why, in the words of the person who set it.
    pub reason: String,
}

impl ManualCode {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Confirmed,
    Suspected,
    Asymptomatic,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [Self::Confirmed, Self::Suspected, Self::Asymptomatic];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Suspected => "suspected",
            Self::Asymptomatic => "asymptomatic",
        }
    }
}

impl FromStr for CaseKind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!(
                        "unknown case kind {s:?}; expected confirmed, suspected or asymptomatic"
                    ),
                )
            })
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A case status from `since`; `ended` is the day of discharge (confirmed, asymptomatic) or
/// exclusion (suspected). An end before `since` is read as `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStatus {
    pub kind: CaseKind,
    pub since: NaiveDate,
    pub ended: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactDegree {
    /// 密切接触者.
    Close,
    /// 次密切接触者: a contact of a close contact.
    Secondary,
}

impl ContactDegree {
    pub const ALL: [ContactDegree; 2] = [Self::Close, Self::Secondary];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::Secondary => "secondary",
        }
    }
}

impl FromStr for ContactDegree {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!("unknown contact degree {s:?}; expected close or secondary"),
                )
            })
    }
}

impl fmt::Display for ContactDegree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactExposure {
    pub degree: ContactDegree,
    pub last_exposure: NaiveDate,
}

/// Medical observation from `start`; `end` is the day it ended (None: still under observation).
/// An end before `start` is read as `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// An itinerary entry: arrival on `arrived` from the administrative division `division`
/// (GB/T 2260 code, or a longer town/village code). `declared` is the day the entry became known;
/// None means it was known on arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub arrived: NaiveDate,
    pub division: String,
    pub declared: Option<NaiveDate>,
}

/// A daily check-in. Normal means a temperature below the ruleset's threshold (37.3 ℃ by
/// default) and no symptoms; a temperature that is not a number is abnormal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub date: NaiveDate,
    /// Degrees Celsius.
    pub temperature: f64,
    /// Fever-like or respiratory symptoms (cough, sore throat, shortness of breath, …).
    pub symptoms: bool,
}

/// Level of a listed risk area. The list (issue: import, edit) only knows high and medium.
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
pub enum RiskAreaLevel {
    Medium,
    High,
}

impl RiskAreaLevel {
    pub const ALL: [RiskAreaLevel; 2] = [Self::Medium, Self::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

impl FromStr for RiskAreaLevel {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!("unknown risk level {s:?}; expected high or medium"),
                )
            })
    }
}

impl fmt::Display for RiskAreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the risk-area list: `division` was at `level` from `valid_from` to `valid_to`,
/// both days included (`valid_to` None: until further notice). A division code covers every
/// division inside it: `420100` (Wuhan) covers `420102`, `420000` (Hubei) covers all of Hubei.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskArea {
    pub division: String,
    pub level: RiskAreaLevel,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl RiskArea {
    /// Whether the area was listed (at its level) on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// The risk-area list, indexed by the significant prefix of each division code so that matching
/// an arrival costs a handful of hash lookups however long the list is.
#[derive(Debug, Clone, Default)]
pub struct RiskAreaList {
    by_prefix: HashMap<String, Vec<RiskArea>>,
    len: usize,
}

/// Lengths of the groups of an administrative division code: province, city, county (GB/T 2260),
/// town, village.
const GROUPS: [usize; 5] = [2, 2, 2, 3, 3];

/// Prefix lengths at which a code of `len` digits may be cut: 2, 4, 6, 9, 12.
fn boundaries(len: usize) -> impl Iterator<Item = usize> {
    GROUPS
        .iter()
        .scan(0, |acc, g| {
            *acc += g;
            Some(*acc)
        })
        .take_while(move |b| *b <= len)
}

/// Whether `code` has the shape of a division code: 6 (GB/T 2260), 9 (town) or 12 (village)
/// ASCII digits.
fn is_structured(code: &str) -> bool {
    matches!(code.len(), 6 | 9 | 12) && code.bytes().all(|b| b.is_ascii_digit())
}

/// The significant prefix of a division code: trailing all-zero groups dropped, so `420100` →
/// `4201`, `420000` → `42`, `330402001000` → `330402001`. Anything that is not 6, 9 or 12 ASCII
/// digits is returned unchanged (trimmed) and only matches itself.
pub fn division_prefix(code: &str) -> &str {
    let code = code.trim();
    if !is_structured(code) {
        return code;
    }
    let mut keep = 2;
    let mut start = 0;
    for end in boundaries(code.len()) {
        if code[start..end].bytes().any(|c| c != b'0') {
            keep = end;
        }
        start = end;
    }
    &code[..keep]
}

impl RiskAreaList {
    pub fn new(areas: impl IntoIterator<Item = RiskArea>) -> Self {
        let mut list = Self::default();
        for area in areas {
            list.by_prefix
                .entry(division_prefix(&area.division).to_owned())
                .or_default()
                .push(area);
            list.len += 1;
        }
        list
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &RiskArea> {
        self.by_prefix.values().flatten()
    }

    /// Every listed area that covers `division` and was valid on `date`.
    pub fn matching<'a>(
        &'a self,
        division: &'a str,
        date: NaiveDate,
    ) -> impl Iterator<Item = &'a RiskArea> + 'a {
        let code = division.trim();
        let structured = is_structured(code);
        let prefixes: Vec<&str> = if structured {
            boundaries(code.len()).map(|b| &code[..b]).collect()
        } else {
            vec![code]
        };
        prefixes
            .into_iter()
            .filter_map(|p| self.by_prefix.get(p))
            .flatten()
            // Anything that is not a division code matches only the same text.
            .filter(move |a| structured || a.division.trim() == code)
            .filter(move |a| a.valid_on(date))
    }

    /// The highest level at which `division` was listed on `date`, if any.
    pub fn level_on(&self, division: &str, date: NaiveDate) -> Option<RiskAreaLevel> {
        self.matching(division, date).map(|a| a.level).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn prefixes_drop_trailing_zero_groups() {
        assert_eq!(division_prefix("420100"), "4201");
        assert_eq!(division_prefix("420000"), "42");
        assert_eq!(division_prefix("420102"), "420102");
        assert_eq!(division_prefix("330402001000"), "330402001");
        assert_eq!(division_prefix("330402000000"), "330402");
        assert_eq!(division_prefix("ABC"), "ABC");
        assert_eq!(division_prefix("12345"), "12345");
    }

    #[test]
    fn a_city_covers_its_districts_but_not_its_neighbours() {
        let list = RiskAreaList::new([RiskArea {
            division: "420100".into(),
            level: RiskAreaLevel::High,
            valid_from: d("2020-01-23"),
            valid_to: Some(d("2020-04-08")),
        }]);
        assert_eq!(
            list.level_on("420102", d("2020-02-01")),
            Some(RiskAreaLevel::High)
        );
        assert_eq!(
            list.level_on("420100", d("2020-02-01")),
            Some(RiskAreaLevel::High)
        );
        assert_eq!(
            list.level_on("420102001", d("2020-02-01")),
            Some(RiskAreaLevel::High)
        );
        assert_eq!(list.level_on("420200", d("2020-02-01")), None);
        assert_eq!(
            list.level_on("4201", d("2020-02-01")),
            None,
            "not a code shape"
        );
        assert_eq!(list.level_on("420102", d("2020-01-22")), None);
        assert_eq!(
            list.level_on("420102", d("2020-04-08")),
            Some(RiskAreaLevel::High)
        );
        assert_eq!(list.level_on("420102", d("2020-04-09")), None);
    }

    #[test]
    fn highest_level_wins_when_several_match() {
        let list = RiskAreaList::new([
            RiskArea {
                division: "420000".into(),
                level: RiskAreaLevel::Medium,
                valid_from: d("2020-01-01"),
                valid_to: None,
            },
            RiskArea {
                division: "420102".into(),
                level: RiskAreaLevel::High,
                valid_from: d("2020-01-01"),
                valid_to: None,
            },
        ]);
        assert_eq!(list.len(), 2);
        assert_eq!(
            list.level_on("420102", d("2020-02-01")),
            Some(RiskAreaLevel::High)
        );
        assert_eq!(
            list.level_on("420103", d("2020-02-01")),
            Some(RiskAreaLevel::Medium)
        );
    }
}
