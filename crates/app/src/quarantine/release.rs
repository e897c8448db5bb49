//! The release rule: the planned end reached, every daily check done, the required negative
//! tests present (none pending, none positive). The page shows what is missing.

use chrono::NaiveDate;
use domain::quarantine::{
    CHECK_SLOTS, Missing, QuarantineReason, QuarantineState, ReleaseFacts, TestResult,
    release_missing,
};
use serde::Serialize;
use store::{OrderRow, Tx};

use super::{order_in_scope, parse_enum, require_view, rule_for};
use crate::{Actor, App, AppError, Result};

/// May an order be released on a day, and if not, why not.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReleaseCheck {
    pub order_id: i64,
    pub day: String,
    pub ready: bool,
    pub missing: Vec<Missing>,
    pub checks_due: u32,
    pub checks_done: u32,
    pub negative_tests: u32,
    pub negative_tests_required: u32,
}

pub(crate) async fn facts_for(tx: &mut Tx, o: &OrderRow, day: NaiveDate) -> Result<ReleaseFacts> {
    let state: QuarantineState = parse_enum("state", &o.state)
        .map_err(|_| AppError::Internal("stored quarantine state".into()))?;
    let reason: QuarantineReason = parse_enum("reason", &o.reason)
        .map_err(|_| AppError::Internal("stored quarantine reason".into()))?;
    let rule = rule_for(tx, reason).await?;
    let entered = o
        .entered_on
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok());
    // Every day from entry up to the day before the release has its two checks.
    let (checks_due, checks_done) = match entered {
        Some(e) if e < day => {
            let days = (day - e).num_days() as u32;
            let (_, done) = tx
                .quarantine_check_counts(o.id, &e.to_string(), &day.to_string())
                .await?;
            (days * CHECK_SLOTS.len() as u32, done as u32)
        }
        _ => (0, 0),
    };
    let tests = tx
        .quarantine_tests_of_order(o.id)
        .await?
        .into_iter()
        .filter_map(|t| t.result.parse::<TestResult>().ok())
        .collect();
    Ok(ReleaseFacts {
        state,
        entered_on: entered,
        planned_end: o
            .planned_end_on
            .parse()
            .map_err(|_| AppError::Internal("stored planned end".into()))?,
        checks_due,
        checks_done: checks_done.min(checks_due),
        tests,
        negative_tests_required: rule.negative_tests,
    })
}

pub(crate) async fn missing_for(tx: &mut Tx, o: &OrderRow, day: NaiveDate) -> Result<Vec<Missing>> {
    let f = facts_for(tx, o, day).await?;
    Ok(release_missing(&f, day))
}

/// What a release of order `id` today still needs.
pub async fn release_check(app: &App, actor: &Actor, id: i64) -> Result<ReleaseCheck> {
    require_view(actor)?;
    let day = app.today();
    let mut tx = app.store.read().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let f = facts_for(&mut tx, &o, day).await?;
    tx.rollback().await?;
    let missing = release_missing(&f, day);
    Ok(ReleaseCheck {
        order_id: id,
        day: day.to_string(),
        ready: missing.is_empty(),
        missing,
        checks_due: f.checks_due,
        checks_done: f.checks_done,
        negative_tests: f
            .tests
            .iter()
            .filter(|t| **t == TestResult::Negative)
            .count() as u32,
        negative_tests_required: f.negative_tests_required,
    })
}
