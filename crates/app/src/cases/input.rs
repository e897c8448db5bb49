//! Cases and status changes as typed, and their checks.

use chrono::NaiveDate;
use domain::case::CaseOrigin;
use domain::rules::CaseKind;
use serde::Deserialize;
use store::NewCase;

use crate::error::{FieldError, Validation};
use crate::{AppError, Result};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseInput {
    pub person_id: i64,
    /// confirmed | suspected | asymptomatic
    pub kind: String,
    /// imported | local
    pub origin: String,
    /// Day symptoms began (YYYY-MM-DD), if known.
    #[serde(default)]
    pub onset_on: Option<String>,
    /// Day reported (YYYY-MM-DD), at most today.
    pub reported_on: String,
    /// Cluster name; created when new.
    #[serde(default)]
    pub cluster: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseChangeInput {
    /// confirm | exclude | discharge
    pub change: String,
    /// The day of the change (YYYY-MM-DD); default today.
    #[serde(default)]
    pub on: Option<String>,
}

pub(crate) struct ValidCase {
    pub case: NewCase,
    pub cluster: Option<String>,
}

/// A day no later than `today`.
pub fn parse_day(field: &str, s: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d: NaiveDate = s
        .trim()
        .parse()
        .map_err(|_| AppError::invalid(field, "invalid", "give a day as YYYY-MM-DD"))?;
    if d > today {
        return Err(AppError::invalid(
            field,
            "future",
            format!("{d} is after today ({today})"),
        ));
    }
    Ok(d)
}

impl CaseInput {
    pub(crate) fn validate(&self, today: NaiveDate) -> Result<ValidCase> {
        let mut v = Validation::default();
        let kind = v.check("kind", self.kind.parse::<CaseKind>());
        let origin = v.check("origin", self.origin.parse::<CaseOrigin>());
        let mut day = |field: &str, s: &str| match parse_day(field, s, today) {
            Ok(d) => Some(d),
            Err(AppError::Invalid(e)) => {
                e.into_iter().for_each(|e| v.push(e));
                None
            }
            Err(_) => None,
        };
        let reported = day("reported_on", &self.reported_on);
        let onset = self
            .onset_on
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| day("onset_on", s));
        if let (Some(Some(o)), Some(r)) = (onset, reported)
            && o > r
        {
            v.push(FieldError::new(
                "onset_on",
                "after_report",
                "onset comes on or before the report",
            ));
        }
        let cluster = self
            .cluster
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if cluster.as_ref().is_some_and(|c| c.chars().count() > 100) {
            v.push(FieldError::new(
                "cluster",
                "too_long",
                "at most 100 characters",
            ));
        }
        let note = self.note.as_deref().unwrap_or("").trim().to_owned();
        if note.chars().count() > 2_000 {
            v.push(FieldError::new(
                "note",
                "too_long",
                "at most 2,000 characters",
            ));
        }
        v.finish()?;
        let (Some(kind), Some(origin), Some(reported)) = (kind, origin, reported) else {
            return Err(AppError::invalid(
                "kind",
                "required",
                "kind, origin and report day are required",
            ));
        };
        Ok(ValidCase {
            case: NewCase {
                person_id: self.person_id,
                kind: kind.as_str().to_owned(),
                origin: origin.as_str().to_owned(),
                onset_on: onset.flatten().map(|d| d.to_string()),
                reported_on: reported.to_string(),
                cluster_id: None,
                note,
            },
            cluster,
        })
    }
}
