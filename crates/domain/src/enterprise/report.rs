//! The daily resumption report (复工复产日报) and the 三率一度 rates computed from many of them.
//! Figures are checked against each other and against the enterprise's headcount, so an
//! impossible report (more on site than employed) never reaches the rates.

use serde::Serialize;

use crate::ValueError;

/// One enterprise's report for one day, as the contact fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyFigures {
    pub resumed: bool,
    /// Employees at work on the site today.
    pub on_site: i64,
    /// Employees on the payroll.
    pub total: i64,
    /// Of them, back from outside the province.
    pub returned_outside: i64,
    /// Of them, in quarantine today.
    pub in_quarantine: i64,
    /// Production capacity in use, percent of normal (0–100).
    pub capacity_pct: i64,
    pub masks: i64,
    /// Days of production the materials in stock last.
    pub materials_days: i64,
    pub problems: String,
}

pub const MAX_PROBLEMS_CHARS: usize = 2000;

impl DailyFigures {
    /// Every problem at once, each as (field, error). `employees` is the enterprise's
    /// registered headcount: a report may not claim more people than that.
    pub fn check(&self, employees: i64) -> Vec<(&'static str, ValueError)> {
        let mut out = vec![];
        let mut neg = |field: &'static str, v: i64| {
            if v < 0 {
                out.push((
                    field,
                    ValueError::new("negative", format!("{field} cannot be negative")),
                ));
            }
        };
        neg("on_site", self.on_site);
        neg("total", self.total);
        neg("returned_outside", self.returned_outside);
        neg("in_quarantine", self.in_quarantine);
        neg("masks", self.masks);
        neg("materials_days", self.materials_days);
        if !(0..=100).contains(&self.capacity_pct) {
            out.push((
                "capacity_pct",
                ValueError::new("out_of_range", "capacity is a percentage from 0 to 100"),
            ));
        }
        if self.total > employees {
            out.push((
                "total",
                ValueError::new(
                    "above_employees",
                    format!(
                        "{} employees reported, but the enterprise has {employees}",
                        self.total
                    ),
                ),
            ));
        }
        if self.on_site > self.total {
            out.push((
                "on_site",
                ValueError::new(
                    "above_total",
                    format!(
                        "{} on site is more than the {} employed",
                        self.on_site, self.total
                    ),
                ),
            ));
        }
        if self.returned_outside > self.total {
            out.push((
                "returned_outside",
                ValueError::new(
                    "above_total",
                    "more returned from outside the province than employed",
                ),
            ));
        }
        if self.in_quarantine > self.total {
            out.push((
                "in_quarantine",
                ValueError::new("above_total", "more in quarantine than employed"),
            ));
        }
        if self.on_site + self.in_quarantine > self.total {
            out.push((
                "in_quarantine",
                ValueError::new(
                    "above_total",
                    "people on site and in quarantine together exceed the employees",
                ),
            ));
        }
        if !self.resumed && (self.capacity_pct > 0) {
            out.push((
                "capacity_pct",
                ValueError::new(
                    "not_resumed",
                    "an enterprise that has not resumed uses no capacity",
                ),
            ));
        }
        if self.problems.chars().count() > MAX_PROBLEMS_CHARS {
            out.push((
                "problems",
                ValueError::new(
                    "too_long",
                    format!("at most {MAX_PROBLEMS_CHARS} characters"),
                ),
            ));
        }
        out
    }
}

/// The sums one group of enterprises (a street, a sector) gives for one day; the store
/// computes them with SQL aggregates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RateInputs {
    pub enterprises: i64,
    pub reported: i64,
    pub resumed: i64,
    pub on_site: i64,
    pub total: i64,
    /// Sum of capacity percentages over the reports.
    pub capacity_sum: i64,
    pub major_projects: i64,
    pub major_projects_resumed: i64,
}

/// 三率一度, each in basis points (10000 = 100%), None when the group has nothing to divide by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rates {
    /// 复工率: resumed enterprises / enterprises.
    pub resumption_bp: Option<i64>,
    /// 复岗率: employees on site / employees of the reporting enterprises.
    pub worker_return_bp: Option<i64>,
    /// 产能恢复率: mean capacity over the reports.
    pub capacity_bp: Option<i64>,
    /// 重点项目复工强度: resumed major projects / major projects.
    pub project_intensity_bp: Option<i64>,
}

/// `num / den` in basis points, rounded half up; None for a zero denominator.
pub fn ratio_bp(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| (num * 10_000 * 2 + den) / (den * 2))
}

impl RateInputs {
    pub fn rates(&self) -> Rates {
        Rates {
            resumption_bp: ratio_bp(self.resumed, self.enterprises),
            worker_return_bp: ratio_bp(self.on_site, self.total),
            capacity_bp: ratio_bp(self.capacity_sum, self.reported * 100),
            project_intensity_bp: ratio_bp(self.major_projects_resumed, self.major_projects),
        }
    }
}

/// Whether electricity says the enterprise works: its day's use is at least `threshold_pct`
/// of its December-2019 daily average. No baseline → no opinion.
pub fn resumed_by_electricity(
    day_kwh: i64,
    baseline_daily_kwh: Option<i64>,
    threshold_pct: i64,
) -> Option<bool> {
    baseline_daily_kwh
        .filter(|b| *b > 0)
        .map(|b| day_kwh * 100 >= b * threshold_pct)
}

/// The share the grid company used in one province.
pub const DEFAULT_ELECTRICITY_THRESHOLD_PCT: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> DailyFigures {
        DailyFigures {
            resumed: true,
            on_site: 80,
            total: 100,
            returned_outside: 20,
            in_quarantine: 5,
            capacity_pct: 70,
            masks: 500,
            materials_days: 10,
            problems: String::new(),
        }
    }

    #[test]
    fn a_sound_report_passes() {
        assert!(ok().check(120).is_empty());
    }

    #[test]
    fn impossible_figures_are_named() {
        let r = DailyFigures {
            on_site: 101,
            ..ok()
        };
        assert!(
            r.check(120)
                .iter()
                .any(|(f, e)| *f == "on_site" && e.code == "above_total")
        );
        assert!(ok().check(90).iter().any(|(f, _)| *f == "total"));
        let r = DailyFigures {
            masks: -1,
            capacity_pct: 101,
            ..ok()
        };
        let fields: Vec<_> = r.check(120).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["masks", "capacity_pct"]);
        let r = DailyFigures {
            resumed: false,
            ..ok()
        };
        assert!(r.check(120).iter().any(|(_, e)| e.code == "not_resumed"));
    }

    #[test]
    fn rates_in_basis_points() {
        let r = RateInputs {
            enterprises: 3,
            reported: 2,
            resumed: 2,
            on_site: 150,
            total: 200,
            capacity_sum: 130,
            major_projects: 0,
            major_projects_resumed: 0,
        }
        .rates();
        assert_eq!(r.resumption_bp, Some(6667));
        assert_eq!(r.worker_return_bp, Some(7500));
        assert_eq!(r.capacity_bp, Some(6500));
        assert_eq!(r.project_intensity_bp, None);
    }

    #[test]
    fn electricity_threshold() {
        assert_eq!(resumed_by_electricity(30, Some(100), 30), Some(true));
        assert_eq!(resumed_by_electricity(29, Some(100), 30), Some(false));
        assert_eq!(resumed_by_electricity(29, None, 30), None);
    }
}
