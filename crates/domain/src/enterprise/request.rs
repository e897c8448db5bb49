//! Requests (诉求): what an enterprise needs and the closed loop that answers it —
//! received → assigned → (deadline on working days) → supervised → answered → feedback.
//! An overdue request climbs the escalation ladder micro-grid → grid → command centre →
//! department, one rung per working day late, so the lateness itself decides who is asked.

use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use crate::ValueError;

macro_rules! word {
    ($name:ident, $what:literal, $($variant:ident = $text:literal / $zh:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $(Self::$variant => $text),+ } }
            pub fn zh(self) -> &'static str { match self { $(Self::$variant => $zh),+ } }
            pub fn parse(s: &str) -> Result<Self, ValueError> {
                let s = s.trim();
                Self::ALL.iter().copied()
                    .find(|v| v.as_str() == s || v.zh() == s)
                    .ok_or_else(|| ValueError::new(concat!("unknown_", $what),
                        format!(concat!("unknown ", $what, " {:?}"), s)))
            }
        }
    };
}

word!(
    RequestCategory,
    "category",
    Workers = "workers" / "用工",
    Materials = "materials" / "原材料",
    Logistics = "logistics" / "物流",
    Finance = "finance" / "资金",
    Permits = "permits" / "审批",
    Policy = "policy" / "政策",
    Other = "other" / "其他",
);

word!(
    Complexity,
    "complexity",
    Simple = "simple" / "简单",
    Complex = "complex" / "复杂",
);

word!(
    RequestStatus,
    "status",
    Received = "received" / "已受理",
    Assigned = "assigned" / "已交办",
    Answered = "answered" / "已答复",
    Closed = "closed" / "已评价",
);

word!(
    EscalationLevel,
    "level",
    MicroGrid = "micro_grid" / "企业微网格",
    Grid = "grid" / "网格",
    CommandCentre = "command_centre" / "指挥部",
    Department = "department" / "职能部门",
);

impl Complexity {
    /// Working days to answer: 1 for a simple request, 3 for a complex one.
    pub fn working_days(self) -> u32 {
        match self {
            Complexity::Simple => 1,
            Complexity::Complex => 3,
        }
    }
}

impl RequestStatus {
    /// The step that may follow; the loop never skips a step or goes back.
    pub fn next(self) -> Option<RequestStatus> {
        match self {
            RequestStatus::Received => Some(RequestStatus::Assigned),
            RequestStatus::Assigned => Some(RequestStatus::Answered),
            RequestStatus::Answered => Some(RequestStatus::Closed),
            RequestStatus::Closed => None,
        }
    }

    /// Still waiting for an answer: the only states that can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Received | RequestStatus::Assigned)
    }

    /// Refuse a step that is not the next one.
    pub fn step_to(self, to: RequestStatus) -> Result<RequestStatus, ValueError> {
        if self.next() == Some(to) {
            Ok(to)
        } else {
            Err(ValueError::new(
                "bad_step",
                format!(
                    "a request that is {} cannot become {}",
                    self.as_str(),
                    to.as_str()
                ),
            ))
        }
    }
}

impl EscalationLevel {
    fn rank(self) -> usize {
        Self::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    fn from_rank(rank: usize) -> EscalationLevel {
        Self::ALL[rank.min(Self::ALL.len() - 1)]
    }
}

/// Where an open request should be, `now_ms` against its deadline: where it started until the
/// deadline passes; then one rung up at once, and one more for each further working day late.
pub fn escalation_level(
    calendar: &WorkCalendar,
    start: EscalationLevel,
    deadline_ms: i64,
    now_ms: i64,
) -> EscalationLevel {
    if now_ms < deadline_ms {
        return start;
    }
    // The deadline is local midnight ending the last day allowed; that day is `due`.
    let due = crate::time::to_local(deadline_ms - 1).date_naive();
    let today = crate::time::to_local(now_ms).date_naive();
    let late_days = calendar.working_days_between(due, today) as usize;
    // Today itself not being a working day does not matter: the count is of whole working
    // days passed since the due day, and the first rung is taken at the deadline.
    EscalationLevel::from_rank(start.rank() + 1 + late_days.saturating_sub(1))
}

/// Satisfaction on feedback: 1 (very unsatisfied) to 5 (very satisfied).
pub fn parse_satisfaction(n: i64) -> Result<i64, ValueError> {
    if (1..=5).contains(&n) {
        Ok(n)
    } else {
        Err(ValueError::new("out_of_range", "satisfaction is 1 to 5"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprise::calendar::end_of_day_ms;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_loop_moves_one_step_forward() {
        assert!(
            RequestStatus::Received
                .step_to(RequestStatus::Assigned)
                .is_ok()
        );
        assert!(
            RequestStatus::Received
                .step_to(RequestStatus::Answered)
                .is_err()
        );
        assert!(
            RequestStatus::Closed
                .step_to(RequestStatus::Received)
                .is_err()
        );
        assert!(!RequestStatus::Answered.is_open());
    }

    #[test]
    fn escalation_climbs_one_rung_per_working_day() {
        let cal = WorkCalendar::china();
        // Due at the end of Thursday 23 April 2020.
        let deadline = end_of_day_ms(day("2020-04-23"));
        let at =
            |d: &str, h: i64| end_of_day_ms(day(d) - chrono::Duration::days(1)) + h * 3_600_000;
        let lvl = |now| escalation_level(&cal, EscalationLevel::MicroGrid, deadline, now);
        assert_eq!(lvl(at("2020-04-23", 17)), EscalationLevel::MicroGrid);
        assert_eq!(lvl(at("2020-04-24", 9)), EscalationLevel::Grid);
        // Saturday 25 April is no working day: still one day late.
        assert_eq!(lvl(at("2020-04-25", 9)), EscalationLevel::Grid);
        // Sunday 26 April is a make-up workday: two days late.
        assert_eq!(lvl(at("2020-04-26", 9)), EscalationLevel::CommandCentre);
        assert_eq!(lvl(at("2020-04-27", 9)), EscalationLevel::Department);
        assert_eq!(lvl(at("2020-05-20", 9)), EscalationLevel::Department);
    }

    #[test]
    fn words_parse() {
        assert_eq!(
            RequestCategory::parse("物流").unwrap(),
            RequestCategory::Logistics
        );
        assert!(RequestCategory::parse("weather").is_err());
        assert_eq!(Complexity::Complex.working_days(), 3);
        assert!(parse_satisfaction(0).is_err());
    }
}
