//! 精密智控指数: a weighted control part (管控指数, 5 indicators) and smooth-flow part (畅通指数,
//! 7 indicators), each 0–100. The weights are data (`rulesets/index-2020.toml`); an indicator
//! without data is left out and the others' weights renormalised — never a guessed value.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::ValueError;

pub const DEFAULT_TOML: &str = include_str!("../../rulesets/index-2020.toml");

static DEFAULT: LazyLock<IndexTable> =
    LazyLock::new(|| IndexTable::parse(DEFAULT_TOML).expect("the embedded index table is valid"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Control,
    Flow,
}

/// The twelve indicators, in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    NewLocalCases14d,
    DaysSinceLastCase,
    ValidCodeShare,
    QuarantineChecksOnTime,
    ContactsRedHours,
    ResumptionRate,
    WorkerReturnRate,
    CapacityRate,
    ProjectIntensity,
    CheckpointPassShare,
    RequestsOnTime,
    PolicyDisbursed,
}

impl Indicator {
    pub const ALL: [Indicator; 12] = [
        Self::NewLocalCases14d,
        Self::DaysSinceLastCase,
        Self::ValidCodeShare,
        Self::QuarantineChecksOnTime,
        Self::ContactsRedHours,
        Self::ResumptionRate,
        Self::WorkerReturnRate,
        Self::CapacityRate,
        Self::ProjectIntensity,
        Self::CheckpointPassShare,
        Self::RequestsOnTime,
        Self::PolicyDisbursed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewLocalCases14d => "new_local_cases_14d",
            Self::DaysSinceLastCase => "days_since_last_case",
            Self::ValidCodeShare => "valid_code_share",
            Self::QuarantineChecksOnTime => "quarantine_checks_on_time",
            Self::ContactsRedHours => "contacts_red_hours",
            Self::ResumptionRate => "resumption_rate",
            Self::WorkerReturnRate => "worker_return_rate",
            Self::CapacityRate => "capacity_rate",
            Self::ProjectIntensity => "project_intensity",
            Self::CheckpointPassShare => "checkpoint_pass_share",
            Self::RequestsOnTime => "requests_on_time",
            Self::PolicyDisbursed => "policy_disbursed",
        }
    }

    pub fn part(self) -> Part {
        match self {
            Self::NewLocalCases14d
            | Self::DaysSinceLastCase
            | Self::ValidCodeShare
            | Self::QuarantineChecksOnTime
            | Self::ContactsRedHours => Part::Control,
            _ => Part::Flow,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::NewLocalCases14d => "14天新增本地病例",
            Self::DaysSinceLastCase => "无新增病例天数",
            Self::ValidCodeShare => "绿码持有率",
            Self::QuarantineChecksOnTime => "隔离检查按时率",
            Self::ContactsRedHours => "密接赋红码时长",
            Self::ResumptionRate => "复工率",
            Self::WorkerReturnRate => "复岗率",
            Self::CapacityRate => "产能恢复率",
            Self::ProjectIntensity => "重点项目复工强度",
            Self::CheckpointPassShare => "卡口通行顺畅率",
            Self::RequestsOnTime => "企业诉求按时办结率",
            Self::PolicyDisbursed => "政策资金兑付进度",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::NewLocalCases14d => "new local cases, 14 days",
            Self::DaysSinceLastCase => "days since the last case",
            Self::ValidCodeShare => "residents with a green code",
            Self::QuarantineChecksOnTime => "quarantine checks on time",
            Self::ContactsRedHours => "hours until contacts are red",
            Self::ResumptionRate => "enterprise resumption",
            Self::WorkerReturnRate => "worker return",
            Self::CapacityRate => "capacity recovery",
            Self::ProjectIntensity => "major-project resumption",
            Self::CheckpointPassShare => "checkpoint passes without a stop",
            Self::RequestsOnTime => "enterprise requests on time",
            Self::PolicyDisbursed => "policy funds disbursed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale {
    weight: f64,
    best: f64,
    worst: f64,
}

/// A validated index table. Built only by [`IndexTable::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct IndexTable {
    version: String,
    title: String,
    control_weight: f64,
    flow_weight: f64,
    scales: Vec<(Indicator, Scale)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTable {
    version: String,
    title: String,
    control_weight: f64,
    flow_weight: f64,
    indicator: Vec<FileIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIndicator {
    id: String,
    weight: f64,
    best: f64,
    worst: f64,
}

/// One indicator's value and points for a street and day; `value` None = no data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub indicator: Indicator,
    pub value: Option<f64>,
    pub points: Option<f64>,
    /// The weight it carried after renormalising within its part (0 without data).
    pub effective_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexPart {
    pub points: Option<f64>,
    pub indicators: Vec<IndicatorScore>,
}

/// A street's index on a day: None where no indicator of a part (or of both) has data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub index: Option<f64>,
    pub control: IndexPart,
    pub flow: IndexPart,
    pub table_version: String,
}

fn bad(message: String) -> ValueError {
    ValueError::new("bad_index_table", message)
}

impl IndexTable {
    pub fn default_table() -> &'static IndexTable {
        &DEFAULT
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The configured weight of an indicator (before renormalising).
    pub fn weight(&self, i: Indicator) -> f64 {
        self.scales
            .iter()
            .find(|s| s.0 == i)
            .map_or(0.0, |s| s.1.weight)
    }

    pub fn part_weight(&self, p: Part) -> f64 {
        match p {
            Part::Control => self.control_weight,
            Part::Flow => self.flow_weight,
        }
    }

    /// Parse and check: every one of the twelve indicators exactly once; weights finite and
    /// not negative, not all zero within a part; `best` ≠ `worst`; part weights in 0..=1 and
    /// summing to 1.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let f: FileTable = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
        if f.version.trim().is_empty() {
            return Err(bad("version must not be empty".into()));
        }
        for (name, w) in [
            ("control_weight", f.control_weight),
            ("flow_weight", f.flow_weight),
        ] {
            if !w.is_finite() || !(0.0..=1.0).contains(&w) {
                return Err(bad(format!("{name} must be between 0 and 1, is {w}")));
            }
        }
        let sum = f.control_weight + f.flow_weight;
        if (sum - 1.0).abs() > 1e-6 {
            return Err(bad(format!(
                "control_weight + flow_weight must be 1, is {sum} ({} + {})",
                f.control_weight, f.flow_weight
            )));
        }
        let mut scales = vec![];
        for (k, i) in f.indicator.iter().enumerate() {
            let Some(ind) = Indicator::ALL.into_iter().find(|x| x.as_str() == i.id) else {
                return Err(bad(format!(
                    "indicator {k}: unknown id {:?} (known: {})",
                    i.id,
                    Indicator::ALL.map(Indicator::as_str).join(", ")
                )));
            };
            if scales.iter().any(|(x, _)| *x == ind) {
                return Err(bad(format!("indicator {}: listed twice", i.id)));
            }
            if !i.weight.is_finite() || i.weight < 0.0 {
                return Err(bad(format!(
                    "indicator {}: weight must be 0 or more, is {}",
                    i.id, i.weight
                )));
            }
            if !i.best.is_finite() || !i.worst.is_finite() || i.best == i.worst {
                return Err(bad(format!(
                    "indicator {}: best and worst must be different numbers",
                    i.id
                )));
            }
            scales.push((
                ind,
                Scale {
                    weight: i.weight,
                    best: i.best,
                    worst: i.worst,
                },
            ));
        }
        if let Some(missing) = Indicator::ALL
            .into_iter()
            .find(|x| !scales.iter().any(|(s, _)| s == x))
        {
            return Err(bad(format!("indicator {} is missing", missing.as_str())));
        }
        for (part, name) in [(Part::Control, "control"), (Part::Flow, "flow")] {
            let total: f64 = scales
                .iter()
                .filter(|(i, _)| i.part() == part)
                .map(|(_, s)| s.weight)
                .sum();
            if total <= 0.0 {
                return Err(bad(format!("the {name} indicators' weights are all zero")));
            }
        }
        scales.sort_by_key(|(i, _)| *i);
        Ok(Self {
            version: f.version,
            title: f.title,
            control_weight: f.control_weight,
            flow_weight: f.flow_weight,
            scales,
        })
    }

    /// Score a street from its indicator values (missing = no data).
    pub fn score(&self, value_of: impl Fn(Indicator) -> Option<f64>) -> Score {
        let part = |p: Part| {
            let with: Vec<(Indicator, Scale, Option<f64>)> = self
                .scales
                .iter()
                .filter(|(i, _)| i.part() == p)
                .map(|(i, s)| (*i, *s, value_of(*i).filter(|v| v.is_finite())))
                .collect();
            let total: f64 = with
                .iter()
                .filter(|x| x.2.is_some())
                .map(|x| x.1.weight)
                .sum();
            let indicators: Vec<IndicatorScore> = with
                .iter()
                .map(|(i, s, v)| {
                    let points =
                        v.map(|v| ((v - s.worst) / (s.best - s.worst)).clamp(0.0, 1.0) * 100.0);
                    IndicatorScore {
                        indicator: *i,
                        value: *v,
                        points,
                        effective_weight: if v.is_some() && total > 0.0 {
                            s.weight / total
                        } else {
                            0.0
                        },
                    }
                })
                .collect();
            let points = (total > 0.0).then(|| {
                indicators
                    .iter()
                    .filter_map(|x| Some(x.points? * x.effective_weight))
                    .sum::<f64>()
            });
            IndexPart { points, indicators }
        };
        let control = part(Part::Control);
        let flow = part(Part::Flow);
        let parts = [
            (control.points, self.control_weight),
            (flow.points, self.flow_weight),
        ];
        let w: f64 = parts.iter().filter(|p| p.0.is_some()).map(|p| p.1).sum();
        let index = (w > 0.0).then(|| {
            parts
                .iter()
                .filter_map(|(p, pw)| Some(p.as_ref()? * pw / w))
                .sum()
        });
        Score {
            index,
            control,
            flow,
            table_version: self.version.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_average_the_points_of_the_indicators_with_data() {
        let t = IndexTable::default_table();
        assert_eq!(t.version(), "zhikong-index-2020.1");
        // Control: 0 cases (100), 28+ days (100), 90% green between 80% and 100% (50); the
        // quarantine checks and the contacts have no data and are left out.
        let s = t.score(|i| match i {
            Indicator::NewLocalCases14d => Some(0.0),
            Indicator::DaysSinceLastCase => Some(54.0),
            Indicator::ValidCodeShare => Some(0.9),
            Indicator::ResumptionRate => Some(0.6),
            _ => None,
        });
        let c = s.control.points.unwrap();
        assert!((c - 250.0 / 3.0).abs() < 1e-9, "{c}");
        assert!((s.flow.points.unwrap() - 60.0).abs() < 1e-9);
        assert!((s.index.unwrap() - (c + 60.0) / 2.0).abs() < 1e-9);
        let q = &s.control.indicators[3];
        assert_eq!(
            (q.indicator, q.value, q.points, q.effective_weight),
            (Indicator::QuarantineChecksOnTime, None, None, 0.0)
        );
    }

    #[test]
    fn a_part_without_any_data_is_left_out_and_nothing_at_all_is_no_index() {
        let t = IndexTable::default_table();
        let s = t.score(|i| (i == Indicator::ResumptionRate).then_some(0.5));
        assert_eq!(s.control.points, None);
        assert_eq!(s.index, Some(50.0));
        assert_eq!(t.score(|_| None).index, None);
    }

    #[test]
    fn weights_that_do_not_sum_sensibly_are_refused_by_name() {
        let two = DEFAULT_TOML.replace("flow_weight = 0.5", "flow_weight = 0.7");
        assert!(
            IndexTable::parse(&two)
                .unwrap_err()
                .message
                .contains("must be 1, is 1.2")
        );
        let neg = DEFAULT_TOML.replacen("weight = 1.0", "weight = -1.0", 1);
        assert!(
            IndexTable::parse(&neg)
                .unwrap_err()
                .message
                .contains("new_local_cases_14d: weight must be 0 or more")
        );
        let zeros = DEFAULT_TOML
            .replace(
                "weight = 1.0\nbest = 1.0\nworst = 0.0",
                "weight = 0.0\nbest = 1.0\nworst = 0.0",
            )
            .replace(
                "weight = 1.0\nbest = 1.0\nworst = 0.8",
                "weight = 0.0\nbest = 1.0\nworst = 0.8",
            )
            .replace(
                "weight = 1.0\nbest = 1.0\nworst = 0.5",
                "weight = 0.0\nbest = 1.0\nworst = 0.5",
            );
        assert!(
            IndexTable::parse(&zeros)
                .unwrap_err()
                .message
                .contains("flow indicators' weights are all zero")
        );
        let unknown = DEFAULT_TOML.replace("id = \"capacity_rate\"", "id = \"capacity\"");
        assert!(
            IndexTable::parse(&unknown)
                .unwrap_err()
                .message
                .contains("unknown id \"capacity\"")
        );
        let flat = DEFAULT_TOML.replace("best = 28.0\nworst = 0.0", "best = 0.0\nworst = 0.0");
        assert!(
            IndexTable::parse(&flat)
                .unwrap_err()
                .message
                .contains("days_since_last_case: best and worst")
        );
        let over = DEFAULT_TOML.replace("control_weight = 0.5", "control_weight = 1.5");
        assert!(
            IndexTable::parse(&over)
                .unwrap_err()
                .message
                .contains("control_weight must be between 0 and 1")
        );
    }
}
