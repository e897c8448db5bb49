//! Quarantine (隔离): the kinds, reasons and states of an order, its state machine, the planned
//! end by per-reason rule, changes of the end date, the twice-daily checks and the release rule.
//! Pure: every function is given the day it decides for.

use chrono::{Duration, NaiveDate, NaiveTime};

use crate::ValueError;
use crate::scan::text_enum;

text_enum!(
    /// Centralized at a site (集中隔离) or at home (居家隔离), run by the community's team.
    QuarantineKind, "quarantine kind", { Centralized => "centralized", Home => "home" }
);

text_enum!(
    /// Why a person is quarantined.
    QuarantineReason, "quarantine reason", {
        CloseContact => "close_contact",
        RiskAreaArrival => "risk_area_arrival",
        ForeignArrival => "foreign_arrival",
        DischargedCase => "discharged_case",
        Other => "other",
    }
);

text_enum!(
    /// ordered → in_quarantine → released, or → transferred_to_hospital.
    QuarantineState, "quarantine state", {
        Ordered => "ordered",
        InQuarantine => "in_quarantine",
        Released => "released",
        TransferredToHospital => "transferred_to_hospital",
    }
);

text_enum!(
    /// A step of the state machine.
    QuarantineStep, "step", {
        Enter => "enter",
        Release => "release",
        TransferToHospital => "transfer_to_hospital",
        Transfer => "transfer",
    }
);

text_enum!(
    /// A nucleic-acid test result.
    TestResult, "test result", { Pending => "pending", Negative => "negative", Positive => "positive" }
);

impl QuarantineState {
    /// Ordered or in quarantine: the order still binds the person (one at a time).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Ordered | Self::InQuarantine)
    }
}

impl QuarantineReason {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::CloseContact => "密切接触者",
            Self::RiskAreaArrival => "来自风险地区",
            Self::ForeignArrival => "境外来嘉",
            Self::DischargedCase => "出院病例随访",
            Self::Other => "其他",
        }
    }
}

/// The state after `step`, or why the step does not apply. A transfer between sites keeps the
/// state (and is allowed while ordered or in quarantine).
pub fn apply_step(
    state: QuarantineState,
    step: QuarantineStep,
) -> Result<QuarantineState, ValueError> {
    use QuarantineState::*;
    use QuarantineStep::*;
    match (state, step) {
        (Ordered, Enter) => Ok(InQuarantine),
        (InQuarantine, Release) => Ok(Released),
        (Ordered | InQuarantine, TransferToHospital) => Ok(TransferredToHospital),
        (Ordered | InQuarantine, Transfer) => Ok(state),
        (InQuarantine, Enter) => Err(ValueError::new(
            "not_allowed",
            "the person is in quarantine already",
        )),
        (Ordered, Release) => Err(ValueError::new(
            "not_allowed",
            "the person has not entered quarantine yet",
        )),
        (Released | TransferredToHospital, _) => Err(ValueError::new(
            "not_allowed",
            format!("the order is closed ({})", state.as_str()),
        )),
    }
}

/// How long a reason quarantines (configurable per reason, stored as data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuarantineRule {
    pub reason: QuarantineReason,
    /// Days at a site for a centralized order.
    pub centralized_days: u32,
    /// Days at home for an order that starts at home.
    pub home_days: u32,
    /// Days at home after a released centralized stay (e.g. 14 + 7 for foreign arrivals); 0 for
    /// none.
    pub home_after_days: u32,
    /// Negative nucleic-acid tests a release needs.
    pub negative_tests: u32,
}

impl QuarantineRule {
    /// The default: 14 days, two negative tests for contacts, cases and foreign arrivals (the
    /// latter 14 centralized + 7 at home), one for the rest.
    pub fn default_for(reason: QuarantineReason) -> Self {
        let (home_after_days, negative_tests) = match reason {
            QuarantineReason::ForeignArrival => (7, 2),
            QuarantineReason::CloseContact | QuarantineReason::DischargedCase => (0, 2),
            QuarantineReason::RiskAreaArrival | QuarantineReason::Other => (0, 1),
        };
        Self {
            reason,
            centralized_days: 14,
            home_days: 14,
            home_after_days,
            negative_tests,
        }
    }

    pub fn days(&self, kind: QuarantineKind) -> u32 {
        match kind {
            QuarantineKind::Centralized => self.centralized_days,
            QuarantineKind::Home => self.home_days,
        }
    }

    /// The planned end: `days` after the start (released on that day, at the earliest).
    pub fn planned_end(&self, kind: QuarantineKind, start: NaiveDate) -> NaiveDate {
        start + Duration::days(i64::from(self.days(kind)))
    }

    pub fn validate(&self) -> Result<(), (&'static str, ValueError)> {
        let range = |field, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err((
                    field,
                    ValueError::new("out_of_range", format!("between {lo} and {hi} days")),
                ))
            }
        };
        range("centralized_days", self.centralized_days, 1, 60)?;
        range("home_days", self.home_days, 1, 60)?;
        range("home_after_days", self.home_after_days, 0, 60)?;
        if self.negative_tests > 10 {
            return Err((
                "negative_tests",
                ValueError::new("out_of_range", "between 0 and 10 tests"),
            ));
        }
        Ok(())
    }
}

/// A change of the planned end. Later is always allowed; earlier only with a reviewer (not
/// the person asking) and a reason, and never before `today` or the start.
pub fn check_end_change(
    start: NaiveDate,
    current_end: NaiveDate,
    new_end: NaiveDate,
    today: NaiveDate,
    reason: &str,
    requester: &str,
    reviewer: Option<&str>,
) -> Result<(), (&'static str, ValueError)> {
    if new_end == current_end {
        return Err((
            "planned_end_on",
            ValueError::new(
                "unchanged",
                format!("the planned end is {current_end} already"),
            ),
        ));
    }
    if new_end <= start {
        return Err((
            "planned_end_on",
            ValueError::new("before_start", format!("must be after the start ({start})")),
        ));
    }
    if reason.trim().is_empty() {
        return Err((
            "reason",
            ValueError::new("required", "say why the end date changes"),
        ));
    }
    if new_end < current_end {
        if new_end < today {
            return Err((
                "planned_end_on",
                ValueError::new("in_past", format!("cannot end before today ({today})")),
            ));
        }
        match reviewer.map(str::trim).filter(|r| !r.is_empty()) {
            None => {
                return Err((
                    "reviewer",
                    ValueError::new(
                        "required",
                        "shortening a quarantine needs a reviewer who approves it",
                    ),
                ));
            }
            Some(r) if r == requester => {
                return Err((
                    "reviewer",
                    ValueError::new("same_person", "the reviewer must be someone else"),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Body temperatures a person can have (℃); anything else is a typing error.
pub const TEMPERATURE_RANGE: (f64, f64) = (34.0, 42.5);
/// A fever: at or above this (℃), as the code rules' `normal_below`.
pub const FEVER_FROM: f64 = 37.3;

pub fn check_temperature(t: f64) -> Result<f64, ValueError> {
    let (lo, hi) = TEMPERATURE_RANGE;
    if !t.is_finite() || !(lo..=hi).contains(&t) {
        return Err(ValueError::new(
            "out_of_range",
            format!("a body temperature is between {lo} and {hi} ℃; got {t}"),
        ));
    }
    Ok((t * 10.0).round() / 10.0)
}

/// The two daily checks: slot 1 due by 10:00, slot 2 by 16:00 (Asia/Shanghai). Done after the
/// due time is late; not done by the end of the day is missed.
pub const CHECK_SLOTS: [(i64, u32); 2] = [(1, 10), (2, 16)];

/// The instant (ms UTC) a check of `slot` on `day` is due.
pub fn due_at(day: NaiveDate, slot: i64) -> i64 {
    let hour = CHECK_SLOTS.iter().find(|s| s.0 == slot).map_or(16, |s| s.1);
    let local = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"));
    local
        .and_local_timezone(crate::time::shanghai())
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

/// The instant (ms UTC) `day` begins in Asia/Shanghai.
pub fn start_of_day(day: NaiveDate) -> i64 {
    day.and_time(NaiveTime::MIN)
        .and_local_timezone(crate::time::shanghai())
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

/// What a release still needs, as stable codes with a message; empty when it may go ahead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Missing {
    pub code: String,
    pub message: String,
}

/// The facts a release is decided on.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseFacts {
    pub state: QuarantineState,
    pub entered_on: Option<NaiveDate>,
    pub planned_end: NaiveDate,
    /// Checks due from entry through the day before release (the release day's are not
    /// required) and how many of them were done.
    pub checks_due: u32,
    pub checks_done: u32,
    /// Results of tests sampled during the quarantine, in sampling order.
    pub tests: Vec<TestResult>,
    pub negative_tests_required: u32,
}

/// May the person be released on `day`? Every unmet condition is listed.
pub fn release_missing(f: &ReleaseFacts, day: NaiveDate) -> Vec<Missing> {
    let mut out = vec![];
    let mut miss = |code: &str, message: String| {
        out.push(Missing {
            code: code.to_owned(),
            message,
        })
    };
    if f.state != QuarantineState::InQuarantine {
        miss("state", format!("the order is {}", f.state.as_str()));
    }
    if day < f.planned_end {
        let left = (f.planned_end - day).num_days();
        miss(
            "end_not_reached",
            format!("the planned end is {} ({left} more days)", f.planned_end),
        );
    }
    if f.checks_done < f.checks_due {
        miss(
            "checks_incomplete",
            format!(
                "{} of {} daily checks are missing",
                f.checks_due - f.checks_done,
                f.checks_due
            ),
        );
    }
    if f.tests.contains(&TestResult::Positive) {
        miss(
            "positive_test",
            "a test was positive: transfer to hospital instead".into(),
        );
    }
    if f.tests.contains(&TestResult::Pending) {
        miss("test_pending", "a test result is still pending".into());
    }
    let negatives = f
        .tests
        .iter()
        .filter(|t| **t == TestResult::Negative)
        .count() as u32;
    if negatives < f.negative_tests_required {
        miss(
            "negative_tests",
            format!(
                "{negatives} of {} required negative tests",
                f.negative_tests_required
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn state_machine() {
        use QuarantineState::*;
        use QuarantineStep::*;
        assert_eq!(apply_step(Ordered, Enter).unwrap(), InQuarantine);
        assert_eq!(apply_step(InQuarantine, Release).unwrap(), Released);
        assert_eq!(
            apply_step(InQuarantine, TransferToHospital).unwrap(),
            TransferredToHospital
        );
        assert_eq!(apply_step(InQuarantine, Transfer).unwrap(), InQuarantine);
        assert!(apply_step(Ordered, Release).is_err());
        assert!(apply_step(Released, Enter).is_err());
        assert!(apply_step(TransferredToHospital, Transfer).is_err());
        assert!(apply_step(InQuarantine, Enter).is_err());
    }

    #[test]
    fn planned_end_by_rule() {
        let r = QuarantineRule::default_for(QuarantineReason::ForeignArrival);
        assert_eq!(
            r.planned_end(QuarantineKind::Centralized, d("2020-03-01")),
            d("2020-03-15")
        );
        assert_eq!(r.home_after_days, 7);
        let mut bad = r;
        bad.centralized_days = 0;
        assert_eq!(bad.validate().unwrap_err().0, "centralized_days");
    }

    #[test]
    fn end_changes() {
        let (s, e, t) = (d("2020-03-01"), d("2020-03-15"), d("2020-03-10"));
        assert!(check_end_change(s, e, d("2020-03-20"), t, "still coughing", "a", None).is_ok());
        assert_eq!(
            check_end_change(s, e, d("2020-03-12"), t, "early", "a", None)
                .unwrap_err()
                .0,
            "reviewer"
        );
        assert_eq!(
            check_end_change(s, e, d("2020-03-12"), t, "early", "a", Some("a"))
                .unwrap_err()
                .0,
            "reviewer"
        );
        assert!(check_end_change(s, e, d("2020-03-12"), t, "early", "a", Some("b")).is_ok());
        assert_eq!(
            check_end_change(s, e, d("2020-03-09"), t, "early", "a", Some("b"))
                .unwrap_err()
                .0,
            "planned_end_on"
        );
        assert_eq!(
            check_end_change(s, e, d("2020-03-20"), t, " ", "a", None)
                .unwrap_err()
                .0,
            "reason"
        );
    }

    #[test]
    fn temperatures() {
        assert_eq!(check_temperature(36.54).unwrap(), 36.5);
        assert!(check_temperature(45.0).is_err());
        assert!(check_temperature(f64::NAN).is_err());
        assert!(check_temperature(3.65).is_err());
    }

    #[test]
    fn due_times_are_local() {
        // 10:00 in Shanghai is 02:00 UTC.
        let ms = due_at(d("2020-03-27"), 1);
        assert_eq!(crate::time::format_local(ms).get(11..16), Some("10:00"));
    }

    #[test]
    fn release_day_by_day() {
        let mut f = ReleaseFacts {
            state: QuarantineState::InQuarantine,
            entered_on: Some(d("2020-03-01")),
            planned_end: d("2020-03-15"),
            checks_due: 28,
            checks_done: 28,
            tests: vec![TestResult::Negative, TestResult::Negative],
            negative_tests_required: 2,
        };
        for day in 1..15 {
            let day = d("2020-03-01") + Duration::days(day - 1);
            let m = release_missing(&f, day);
            assert_eq!(m.len(), 1, "{day}");
            assert_eq!(m[0].code, "end_not_reached");
        }
        assert!(release_missing(&f, d("2020-03-15")).is_empty());
        f.checks_done = 27;
        f.tests = vec![TestResult::Negative, TestResult::Pending];
        let codes: Vec<String> = release_missing(&f, d("2020-03-15"))
            .into_iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(
            codes,
            ["checks_incomplete", "test_pending", "negative_tests"]
        );
    }
}
