//! One entry of the risk-area list as typed or imported, and the checks that name each bad
//! field: a known division code, level high or medium, real days in order.

use chrono::{Datelike, NaiveDate};
use domain::rules::{RiskAreaLevel, division_prefix};
use serde::Deserialize;
use store::RiskAreaRow;

use crate::error::Validation;
use crate::{AppError, FieldError, Result};

/// A new entry.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RiskAreaInput {
    /// GB/T 2260 division code (six digits); it covers its subdivisions (`420100` all of Wuhan).
    pub division_code: String,
    /// `high` or `medium` (高 / 中 accepted).
    pub level: String,
    /// First day listed, YYYY-MM-DD.
    pub valid_from: String,
    /// Last day listed, YYYY-MM-DD; empty or absent: until further notice.
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// A change to an entry: its level and period (the division stays).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RiskAreaEdit {
    pub level: String,
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// A checked entry, in the form stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValidEntry {
    pub division_code: String,
    pub level: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// Days a risk list can sensibly name.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub(crate) fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let day = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        AppError::invalid(field, "format", format!("{t:?} is not a day as YYYY-MM-DD"))
    })?;
    if !YEARS.contains(&day.year()) {
        return Err(AppError::invalid(
            field,
            "range",
            format!("{t} is outside the years 2000–2100"),
        ));
    }
    Ok(day)
}

fn check_level(v: &mut Validation, text: &str) -> Option<String> {
    let t = text.trim();
    let t = match t {
        "高" | "高风险" => "high",
        "中" | "中风险" => "medium",
        other => other,
    };
    v.check("level", t.to_ascii_lowercase().parse::<RiskAreaLevel>())
        .map(|l| l.as_str().to_owned())
}

fn check_day(v: &mut Validation, field: &str, text: &str) -> Option<NaiveDate> {
    match parse_day(field, text) {
        Ok(d) => Some(d),
        Err(AppError::Invalid(errors)) => {
            errors.into_iter().for_each(|e| v.push(e));
            None
        }
        Err(_) => None,
    }
}

/// The period's checks, shared by new entries and changes.
fn check_period(
    v: &mut Validation,
    valid_from: &str,
    valid_to: Option<&str>,
) -> (Option<NaiveDate>, Option<Option<NaiveDate>>) {
    let from = check_day(v, "valid_from", valid_from);
    let to = match valid_to.map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(None),
        Some(t) => check_day(v, "valid_to", t).map(Some),
    };
    if let (Some(f), Some(Some(t))) = (from, to)
        && t < f
    {
        v.push(FieldError::new(
            "valid_to",
            "order",
            format!("the last day {t} is before the first day {f}"),
        ));
    }
    (from, to)
}

pub(crate) fn check_division(v: &mut Validation, text: &str) -> Option<String> {
    let code = v.check("division_code", domain::division::parse_division_code(text))?;
    // Every six-digit code has a significant prefix; the check keeps the promise explicit.
    if division_prefix(&code).is_empty() {
        v.push(FieldError::new(
            "division_code",
            "format",
            format!("division code {code} names no area"),
        ));
        return None;
    }
    Some(code)
}

impl RiskAreaInput {
    pub(crate) fn validate(&self) -> Result<ValidEntry> {
        let mut v = Validation::default();
        let division = check_division(&mut v, &self.division_code);
        let level = check_level(&mut v, &self.level);
        let (from, to) = check_period(&mut v, &self.valid_from, self.valid_to.as_deref());
        v.finish()?;
        match (division, level, from, to) {
            (Some(division_code), Some(level), Some(from), Some(to)) => Ok(ValidEntry {
                division_code,
                level,
                valid_from: from.to_string(),
                valid_to: to.map(|d| d.to_string()),
            }),
            _ => Err(AppError::Internal("risk area: unchecked field".into())),
        }
    }
}

impl RiskAreaEdit {
    pub(crate) fn validate(&self, before: &RiskAreaRow) -> Result<ValidEntry> {
        let mut v = Validation::default();
        let level = check_level(&mut v, &self.level);
        let (from, to) = check_period(&mut v, &self.valid_from, self.valid_to.as_deref());
        v.finish()?;
        match (level, from, to) {
            (Some(level), Some(from), Some(to)) => Ok(ValidEntry {
                division_code: before.division_code.clone(),
                level,
                valid_from: from.to_string(),
                valid_to: to.map(|d| d.to_string()),
            }),
            _ => Err(AppError::Internal("risk area: unchecked field".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, level: &str, from: &str, to: Option<&str>) -> RiskAreaInput {
        RiskAreaInput {
            division_code: code.into(),
            level: level.into(),
            valid_from: from.into(),
            valid_to: to.map(Into::into),
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Invalid(f) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other}"),
        }
    }

    #[test]
    fn accepts_wuhan_and_chinese_levels() {
        let e = input(" 420100 ", "高", "2020-01-23", Some("2020-04-08"))
            .validate()
            .unwrap();
        assert_eq!(e.division_code, "420100");
        assert_eq!(e.level, "high");
        assert_eq!(e.valid_to.as_deref(), Some("2020-04-08"));
        let open = input("420000", "Medium", "2020-03-25", Some(" ")).validate();
        assert_eq!(open.unwrap().valid_to, None);
    }

    #[test]
    fn names_every_bad_field() {
        let e = input("4201", "severe", "2020-02-30", Some("yesterday"))
            .validate()
            .unwrap_err();
        assert_eq!(
            fields(e),
            ["division_code", "level", "valid_from", "valid_to"]
        );
        let e = input("960100", "high", "2020-02-01", Some("2020-01-31"))
            .validate()
            .unwrap_err();
        assert_eq!(fields(e), ["division_code", "valid_to"]);
        let e = input("420100", "high", "1850-01-01", None)
            .validate()
            .unwrap_err();
        assert_eq!(fields(e), ["valid_from"]);
    }
}
