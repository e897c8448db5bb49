//! What the economy pages share: reading the year and month of a query (a wrong one is a 422
//! naming the field, like any other bad input), and refused fields as lines a person reads.

use app::{AppError, FieldError};
use domain::economy::period::{MAX_YEAR, MIN_YEAR};
use serde::Deserialize;

use crate::i18n::Lang;

/// `?year=2019&through=7`, as text so that a wrong value is our error, not the extractor's.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub year: Option<String>,
    pub through: Option<String>,
}

impl PeriodQuery {
    /// The year asked for (none: the dashboard picks the latest on record) and the last month
    /// of the stretch (12: the whole year).
    pub fn parse(&self) -> Result<(Option<i32>, u8), AppError> {
        let year = match self.year.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(
                t.parse::<i32>()
                    .ok()
                    .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
                    .ok_or_else(|| {
                        AppError::invalid(
                            "year",
                            "bad_year",
                            format!("{t:?} is not a year from {MIN_YEAR} to {MAX_YEAR}"),
                        )
                    })?,
            ),
        };
        let through = match self.through.as_deref().map(str::trim) {
            None | Some("") => 12,
            Some(t) => t
                .parse::<u8>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| {
                    AppError::invalid(
                        "through",
                        "bad_month",
                        format!("{t:?} is not a month from 1 to 12"),
                    )
                })?,
        };
        Ok((year, through))
    }
}

/// A refused field, labelled in the page's language.
pub struct FormError {
    pub field: String,
    pub label: &'static str,
    pub message: String,
}

/// The fields the economy forms and queries name, with their text keys.
const LABELS: &[(&str, &str)] = &[
    ("indicator", "econ.field.indicator"),
    ("region", "econ.field.region"),
    ("period", "econ.field.period"),
    ("cumulative", "econ.field.cumulative"),
    ("value", "econ.field.value"),
    ("unit", "econ.field.unit"),
    ("growth", "econ.field.growth"),
    ("source", "econ.field.source"),
    ("project", "econ.field.project"),
    ("stage", "econ.field.stage"),
    ("on", "econ.field.on"),
    ("reason", "econ.field.reason"),
    ("kind", "econ.field.kind"),
    ("file", "econ.field.file"),
    ("year", "econ.field.year"),
    ("through", "econ.field.through"),
    ("format", "econ.field.format"),
    ("from", "econ.field.from"),
    ("to", "econ.field.to"),
];

pub fn form_errors(lang: Lang, fields: &[FieldError]) -> Vec<FormError> {
    fields
        .iter()
        .map(|f| FormError {
            field: f.field.clone(),
            label: LABELS
                .iter()
                .find(|(name, _)| *name == f.field)
                .map_or("", |(_, key)| lang.t(key)),
            message: f.message.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_label_is_translated() {
        for (_, key) in LABELS {
            assert_ne!(Lang::En.t(key), *key, "{key}");
        }
    }
}
