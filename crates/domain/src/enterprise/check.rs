//! The prevention check (防疫检查) an officer makes on a visit: the plan (方案), the staff
//! roster with one health form per person (人员) and the site (现场), each passed or not, with
//! findings and the follow-up agreed.

use serde::Serialize;

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreventionCheck {
    pub plan_ok: bool,
    pub staff_ok: bool,
    pub site_ok: bool,
    pub findings: String,
    pub follow_up: String,
}

pub const MAX_TEXT_CHARS: usize = 2000;

impl PreventionCheck {
    pub fn passed(&self) -> bool {
        self.plan_ok && self.staff_ok && self.site_ok
    }

    /// A failed part must say what was found and what follows; texts are bounded.
    pub fn check(&self) -> Vec<(&'static str, ValueError)> {
        let mut out = vec![];
        if !self.passed() && self.findings.trim().is_empty() {
            out.push((
                "findings",
                ValueError::new("required", "say what failed the check"),
            ));
        }
        if !self.passed() && self.follow_up.trim().is_empty() {
            out.push((
                "follow_up",
                ValueError::new("required", "say what follows a failed check"),
            ));
        }
        for (field, text) in [("findings", &self.findings), ("follow_up", &self.follow_up)] {
            if text.chars().count() > MAX_TEXT_CHARS {
                out.push((
                    field,
                    ValueError::new("too_long", format!("at most {MAX_TEXT_CHARS} characters")),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_part_needs_findings() {
        let c = PreventionCheck {
            plan_ok: true,
            staff_ok: false,
            site_ok: true,
            findings: String::new(),
            follow_up: String::new(),
        };
        assert_eq!(c.check().len(), 2);
        let c = PreventionCheck {
            plan_ok: true,
            staff_ok: true,
            site_ok: true,
            findings: String::new(),
            follow_up: String::new(),
        };
        assert!(c.check().is_empty());
    }
}
