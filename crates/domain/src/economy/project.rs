//! Investment projects under the "3+1" mechanism: negotiating → signed → started → completed,
//! each stage with its date; a stage that goes backwards needs a reason. What the report
//! counts: projects started and completed in a year, projects negotiated, signed and started in
//! the same year (当年洽谈、当年签约、当年开工), days from signing to the business licence, and the
//! Fortune-500 projects signed to date.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStage {
    /// 洽谈
    Negotiating,
    /// 签约
    Signed,
    /// 开工
    Started,
    /// 竣工
    Completed,
}

impl ProjectStage {
    pub const ALL: [ProjectStage; 4] = [
        Self::Negotiating,
        Self::Signed,
        Self::Started,
        Self::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Negotiating => "negotiating",
            Self::Signed => "signed",
            Self::Started => "started",
            Self::Completed => "completed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Negotiating => "洽谈",
            Self::Signed => "签约",
            Self::Started => "开工",
            Self::Completed => "竣工",
        }
    }
}

impl FromStr for ProjectStage {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.name_zh() == s)
            .ok_or_else(|| ValueError::new("unknown", format!("unknown project stage {s:?}")))
    }
}

impl fmt::Display for ProjectStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a project's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEvent {
    pub stage: ProjectStage,
    pub on: NaiveDate,
    /// Required when the stage goes backwards (a signed project falls through, a site stops).
    pub reason: Option<String>,
}

/// Refuse a step that contradicts the history: dated before the last step, or going back (or
/// standing still) without a reason.
pub fn check_stage_change(history: &[StageEvent], next: &StageEvent) -> Result<(), ValueError> {
    let Some(last) = history.last() else {
        return Ok(());
    };
    if next.on < last.on {
        return Err(ValueError::new(
            "date_before_previous",
            format!(
                "{} on {} is dated before the last step ({} on {})",
                next.stage, next.on, last.stage, last.on
            ),
        ));
    }
    let has_reason = next.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    if next.stage <= last.stage && !has_reason {
        return Err(ValueError::new(
            "stage_backwards",
            format!(
                "the project goes from {} back to {}: give a reason",
                last.stage.name_zh(),
                next.stage.name_zh()
            ),
        ));
    }
    Ok(())
}

/// Check a whole history, step by step.
pub fn check_history(history: &[StageEvent]) -> Result<(), ValueError> {
    for i in 1..history.len() {
        check_stage_change(&history[..i], &history[i])?;
    }
    Ok(())
}

/// The date a project first reached `stage` (or a later one, where a stage was skipped:
/// a project recorded as started was signed by then).
pub fn reached(history: &[StageEvent], stage: ProjectStage) -> Option<NaiveDate> {
    history
        .iter()
        .filter(|e| e.stage >= stage)
        .map(|e| e.on)
        .min()
}

/// The date a project is first recorded at exactly `stage`.
pub fn entered(history: &[StageEvent], stage: ProjectStage) -> Option<NaiveDate> {
    history
        .iter()
        .filter(|e| e.stage == stage)
        .map(|e| e.on)
        .min()
}

/// The stage at the end of the history.
pub fn current_stage(history: &[StageEvent]) -> Option<ProjectStage> {
    history.last().map(|e| e.stage)
}

/// Negotiated, signed and started within `year` (当年洽谈、当年签约、当年开工).
pub fn same_year_track(history: &[StageEvent], year: i32) -> bool {
    [
        ProjectStage::Negotiating,
        ProjectStage::Signed,
        ProjectStage::Started,
    ]
    .into_iter()
    .all(|s| entered(history, s).is_some_and(|d| d.year() == year))
}

/// Days from signing to the business licence (0: licensed the day it signed — 当天签约、当天
/// 拿到营业执照); none without both dates or with a licence dated before the signing.
pub fn days_signing_to_licence(
    history: &[StageEvent],
    licence_on: Option<NaiveDate>,
) -> Option<i64> {
    let signed = reached(history, ProjectStage::Signed)?;
    let days = (licence_on? - signed).num_days();
    (days >= 0).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProjectStage::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ev(stage: ProjectStage, on: NaiveDate) -> StageEvent {
        StageEvent {
            stage,
            on,
            reason: None,
        }
    }

    #[test]
    fn stages_go_forward_and_back_only_with_a_reason() {
        let h = vec![ev(Negotiating, d(2019, 2, 1)), ev(Signed, d(2019, 4, 8))];
        check_stage_change(&h, &ev(Started, d(2019, 9, 1))).unwrap();
        // Skipping a stage is allowed: the next step is later.
        check_stage_change(&h, &ev(Completed, d(2019, 12, 30))).unwrap();
        let back = ev(Negotiating, d(2019, 5, 1));
        assert_eq!(
            check_stage_change(&h, &back).unwrap_err().code,
            "stage_backwards"
        );
        let with_reason = StageEvent {
            reason: Some("投资方调整方案".into()),
            ..back
        };
        check_stage_change(&h, &with_reason).unwrap();
        assert_eq!(
            check_stage_change(&h, &ev(Started, d(2019, 1, 1)))
                .unwrap_err()
                .code,
            "date_before_previous"
        );
        assert_eq!("开工".parse::<ProjectStage>().unwrap(), Started);
        check_history(&[ev(Negotiating, d(2019, 1, 1)), ev(Signed, d(2019, 1, 1))]).unwrap();
        assert!(check_history(&[ev(Signed, d(2019, 1, 1)), ev(Signed, d(2019, 2, 1))]).is_err());
    }

    #[test]
    fn same_year_tracking_and_licence_days() {
        // 卓高泰: negotiated, signed and started in 2019.
        let h = vec![
            ev(Negotiating, d(2019, 1, 15)),
            ev(Signed, d(2019, 3, 20)),
            ev(Started, d(2019, 10, 8)),
        ];
        assert!(same_year_track(&h, 2019));
        assert!(!same_year_track(&h[..2], 2019));
        assert_eq!(current_stage(&h), Some(Started));
        let late = vec![
            ev(Negotiating, d(2018, 11, 2)),
            ev(Signed, d(2019, 3, 20)),
            ev(Started, d(2019, 10, 8)),
        ];
        assert!(!same_year_track(&late, 2019));
        // Panasonic kitchen appliances: signed and licensed the same day.
        let p = vec![ev(Negotiating, d(2019, 5, 1)), ev(Signed, d(2019, 6, 18))];
        assert_eq!(days_signing_to_licence(&p, Some(d(2019, 6, 18))), Some(0));
        assert_eq!(days_signing_to_licence(&p, Some(d(2019, 7, 1))), Some(13));
        assert_eq!(days_signing_to_licence(&p, Some(d(2019, 6, 1))), None);
        assert_eq!(days_signing_to_licence(&p, None), None);
        // A project recorded as started without a signing step was signed by then.
        assert_eq!(
            reached(&[ev(Started, d(2019, 8, 1))], Signed),
            Some(d(2019, 8, 1))
        );
    }
}
