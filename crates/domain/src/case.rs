//! Cases (病例) and their life: a suspected case is confirmed or excluded, a confirmed or
//! asymptomatic one is discharged. The kinds are the rule engine's `CaseKind`; a case's
//! current kind and state become the engine's `CaseStatus` fact.

use chrono::NaiveDate;

use crate::ValueError;
use crate::rules::{CaseKind, CaseStatus, ContactDegree};
use crate::scan::text_enum;

text_enum!(
    /// Where a case stands: under treatment or observation, excluded (a suspicion that proved
    /// wrong), or discharged.
    CaseState, "case state", { Active => "active", Excluded => "excluded", Discharged => "discharged" }
);

text_enum!(
    /// Imported (infected elsewhere, e.g. arrived from Wuhan) or local.
    CaseOrigin, "origin", { Imported => "imported", Local => "local" }
);

text_enum!(
    /// Where a contact happened: found at a checkpoint by tracing, or added by hand.
    ContactSetting, "setting", {
        Checkpoint => "checkpoint",
        Household => "household",
        Workplace => "workplace",
        Other => "other",
    }
);

text_enum!(
    /// A change of a case's status.
    CaseChange, "change", { Confirm => "confirm", Exclude => "exclude", Discharge => "discharge" }
);

/// The kind and state after `change`, or why the change does not apply.
pub fn apply_change(
    kind: CaseKind,
    state: CaseState,
    change: CaseChange,
) -> Result<(CaseKind, CaseState), ValueError> {
    let refuse = |why: &str| {
        Err(ValueError::new(
            "not_allowed",
            format!("cannot {change} a {} {kind} case: {why}", state.as_str()),
        ))
    };
    if state != CaseState::Active {
        return refuse("it is closed");
    }
    match (change, kind) {
        (CaseChange::Confirm, CaseKind::Suspected | CaseKind::Asymptomatic) => {
            Ok((CaseKind::Confirmed, CaseState::Active))
        }
        (CaseChange::Confirm, CaseKind::Confirmed) => refuse("it is confirmed already"),
        (CaseChange::Exclude, CaseKind::Suspected) => Ok((kind, CaseState::Excluded)),
        (CaseChange::Exclude, _) => refuse("only a suspected case is excluded"),
        (CaseChange::Discharge, CaseKind::Confirmed | CaseKind::Asymptomatic) => {
            Ok((kind, CaseState::Discharged))
        }
        (CaseChange::Discharge, CaseKind::Suspected) => {
            refuse("a suspected case is confirmed or excluded")
        }
    }
}

/// The case as the rule engine sees it: its current kind since the day it took that kind,
/// until the day it was closed.
pub fn as_fact(kind: CaseKind, kind_since: NaiveDate, ended: Option<NaiveDate>) -> CaseStatus {
    CaseStatus {
        kind,
        since: kind_since,
        ended,
    }
}

/// Only close contacts are traced onwards; a secondary contact's contacts are not contacts.
pub fn next_degree(d: ContactDegree) -> Option<ContactDegree> {
    match d {
        ContactDegree::Close => Some(ContactDegree::Secondary),
        ContactDegree::Secondary => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspected_is_confirmed_or_excluded() {
        let a = CaseState::Active;
        assert_eq!(
            apply_change(CaseKind::Suspected, a, CaseChange::Confirm).unwrap(),
            (CaseKind::Confirmed, a)
        );
        assert_eq!(
            apply_change(CaseKind::Suspected, a, CaseChange::Exclude)
                .unwrap()
                .1,
            CaseState::Excluded
        );
        assert!(apply_change(CaseKind::Suspected, a, CaseChange::Discharge).is_err());
        assert!(apply_change(CaseKind::Confirmed, a, CaseChange::Exclude).is_err());
    }

    #[test]
    fn closed_cases_do_not_change() {
        assert!(
            apply_change(
                CaseKind::Confirmed,
                CaseState::Discharged,
                CaseChange::Discharge
            )
            .is_err()
        );
    }
}
