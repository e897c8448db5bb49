//! Data entry by the statistics office, one record at a time: enter or correct one indicator
//! value, record a project's next stage. A value goes through the import's checks as a file
//! of one row (unit against the indicator, period, series without gaps), so a value typed in
//! a form is held to exactly the rules of a value imported from a spreadsheet.

use chrono::NaiveDate;
use domain::economy::project::{ProjectStage, StageEvent};
use serde::{Deserialize, Serialize};

use super::import::{FileFormat, import_table, table_of};
use super::projects::record_stage;
use super::require_edit;
use super::table::empty_report;
use crate::{Actor, App, AppError, FieldError, Result};

/// One value as the statistics office writes it (the import's columns).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValueInput {
    /// Code or name, e.g. `retail_sales` or 社会消费品零售总额.
    #[serde(default)]
    pub indicator: String,
    /// Code or name; the zone when empty.
    #[serde(default)]
    pub region: String,
    /// `2019`, `2019-Q3`, `2019-07`, `2019年7月`.
    #[serde(default)]
    pub period: String,
    /// January to the end of the period (a year always is).
    #[serde(default)]
    pub cumulative: bool,
    #[serde(default)]
    pub value: String,
    /// e.g. 亿元, 万美元, %.
    #[serde(default)]
    pub unit: String,
    /// The reported growth in percent, if any.
    #[serde(default)]
    pub growth: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordedValue {
    /// The value replaced one stored for the same indicator, region and period.
    pub replaced: bool,
}

/// What a value written through a form is recorded as coming from, when no source is given.
const WEB_SOURCE: &str = "web";

/// Enter or correct one value. Every problem comes back as a field error named after the
/// input's field (`unit`, `period`, …).
pub async fn record_value(app: &App, actor: &Actor, input: &ValueInput) -> Result<RecordedValue> {
    require_edit(actor)?;
    let region = match input.region.trim() {
        "" => super::catalog(app)
            .await?
            .home()
            .map(|r| r.code.clone())
            .unwrap_or_default(),
        r => r.to_owned(),
    };
    // The import's columns, by name, with the form's text.
    let fields = [
        ("indicator", input.indicator.as_str()),
        ("region", region.as_str()),
        ("period", input.period.as_str()),
        ("cumulative", if input.cumulative { "1" } else { "0" }),
        ("value", input.value.as_str()),
        ("unit", input.unit.as_str()),
        ("growth", input.growth.as_str()),
        ("source", input.source.as_str()),
    ];
    let cells = vec![
        fields.iter().map(|(name, _)| (*name).to_owned()).collect(),
        fields.iter().map(|(_, text)| (*text).to_owned()).collect(),
    ];
    let table = table_of(cells).map_err(|issues| {
        AppError::Internal(format!(
            "the entry form's own table was refused: {issues:?}"
        ))
    })?;
    let report = empty_report(WEB_SOURCE, FileFormat::Csv);
    let report = import_table(app, Some(actor), report, &table, "economy.value.record").await?;
    if report.ok() {
        Ok(RecordedValue {
            replaced: report.replaced > 0,
        })
    } else {
        Err(AppError::Invalid(
            report
                .issues
                .into_iter()
                .map(|i| {
                    FieldError::new(i.column.as_deref().unwrap_or("value"), &i.code, i.message)
                })
                .collect(),
        ))
    }
}

/// A project's next stage as typed in a form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StageInput {
    #[serde(default)]
    pub project: String,
    /// `negotiating`, `signed`, `started`, `completed` (or 洽谈, 签约, 开工, 竣工).
    #[serde(default)]
    pub stage: String,
    /// `2020-03-02`.
    #[serde(default)]
    pub on: String,
    /// Required when the stage goes back.
    #[serde(default)]
    pub reason: String,
}

/// Record a project's next stage; each field's problem is named.
pub async fn record_stage_input(app: &App, actor: &Actor, input: &StageInput) -> Result<()> {
    require_edit(actor)?;
    let mut errors = vec![];
    let project = input
        .project
        .trim()
        .parse::<i64>()
        .map_err(|_| errors.push(FieldError::new("project", "required", "choose the project")));
    let stage = input.stage.trim().parse::<ProjectStage>().map_err(|e| {
        errors.push(FieldError::from_value("stage", e));
    });
    let on = NaiveDate::parse_from_str(input.on.trim(), "%Y-%m-%d").map_err(|_| {
        errors.push(FieldError::new(
            "on",
            "bad_date",
            format!("{:?} is not a date such as 2020-03-02", input.on),
        ))
    });
    let (Ok(project), Ok(stage), Ok(on)) = (project, stage, on) else {
        return Err(AppError::Invalid(errors));
    };
    let reason = Some(input.reason.trim().to_owned()).filter(|r| !r.is_empty());
    record_stage(app, Some(actor), project, StageEvent { stage, on, reason }).await
}
