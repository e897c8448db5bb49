//! The command centre (一图一指数): the five-colour risk map of streets and communities, the
//! precision control index of streets, the dashboard and the daily briefing. Everything is
//! computed on read from the records for the day asked — a day's history is the same
//! computation for an earlier day, so every day since the records begin can be shown (see
//! docs/RISK_MAP.md for why nothing is stored, and the `map` benchmark for the cost).

pub mod briefing;
pub mod charts;
pub mod dashboard;
pub mod index;
pub mod risk;

use chrono::NaiveDate;
use domain::Right;
use domain::command::{IndexTable, RiskTable};

use crate::{Actor, App, AppError, Result};

/// The tables in force: the shipped defaults, or the TOML files named by
/// `ZHIKONG_RISK_TABLE` and `ZHIKONG_INDEX_TABLE`.
#[derive(Debug, Clone)]
pub struct Tables {
    pub risk: RiskTable,
    pub index: IndexTable,
}

pub const RISK_TABLE_ENV: &str = "ZHIKONG_RISK_TABLE";
pub const INDEX_TABLE_ENV: &str = "ZHIKONG_INDEX_TABLE";

impl Tables {
    pub fn defaults() -> Self {
        Self {
            risk: RiskTable::default_table().clone(),
            index: IndexTable::default_table().clone(),
        }
    }

    /// The defaults, replaced by the files the environment names. A file that cannot be read
    /// or does not validate is an error naming the file and the problem.
    pub fn load() -> Result<Self> {
        let mut t = Self::defaults();
        let read = |var: &str| -> Result<Option<(String, String)>> {
            match std::env::var(var) {
                Ok(path) if !path.trim().is_empty() => std::fs::read_to_string(&path)
                    .map(|text| Some((path.clone(), text)))
                    .map_err(|e| AppError::Internal(format!("{var}={path}: cannot read: {e}"))),
                _ => Ok(None),
            }
        };
        if let Some((path, text)) = read(RISK_TABLE_ENV)? {
            t.risk = RiskTable::parse(&text)
                .map_err(|e| AppError::Internal(format!("{path}: {}", e.message)))?;
        }
        if let Some((path, text)) = read(INDEX_TABLE_ENV)? {
            t.index = IndexTable::parse(&text)
                .map_err(|e| AppError::Internal(format!("{path}: {}", e.message)))?;
        }
        Ok(t)
    }
}

/// The day asked for: empty for today; otherwise a date no later than today and no earlier
/// than the first record. Errors name the field `day`.
pub async fn resolve_day(app: &App, actor: &Actor, text: &str) -> Result<NaiveDate> {
    actor.require(Right::ViewCommand)?;
    let today = app.today();
    let text = text.trim();
    if text.is_empty() {
        return Ok(today);
    }
    let day: NaiveDate = text.parse().map_err(|_| {
        AppError::invalid(
            "day",
            "bad_date",
            format!("{text:?} is not a day such as 2020-03-27"),
        )
    })?;
    if day > today {
        return Err(AppError::invalid(
            "day",
            "future",
            format!("{day} is after today ({today}): there are no figures for it yet"),
        ));
    }
    if let Some(first) = first_day(app).await?
        && day < first
    {
        return Err(AppError::invalid(
            "day",
            "before_data",
            format!("{day} is before the records begin ({first})"),
        ));
    }
    Ok(day)
}

/// The first day with any record (case, code change, enterprise report); None when empty.
pub async fn first_day(app: &App) -> Result<Option<NaiveDate>> {
    let mut tx = app.store.read().await?;
    let (first, first_change_at) = tx.first_record_day().await?;
    tx.rollback().await?;
    let change_day = first_change_at.map(|at| domain::time::to_local(at).date_naive());
    Ok([first.and_then(|d| d.parse().ok()), change_day]
        .into_iter()
        .flatten()
        .min())
}

/// The end of `day` (next local midnight), ms UTC.
pub(crate) fn end_of(day: NaiveDate) -> i64 {
    crate::checkpoints::figures::midnight(day + chrono::Days::new(1))
}

/// [`end_of`] for the benchmarks.
pub fn end_of_day(day: NaiveDate) -> i64 {
    end_of(day)
}

#[cfg(test)]
mod tests;
