//! What a change to the list would be, checked exactly as the change itself, with how many
//! persons' codes it would recompute: the confirmation a person sees before committing it.
//! Nothing is written.

use domain::Right;
use domain::rules::division_prefix;
use serde::Serialize;
use store::{RiskAreaRow, Tx};

use super::entry::ValidEntry;
use super::{RiskAreaEdit, RiskAreaInput, end_edit, refuse_duplicate};
use crate::codes::facts::window_start;
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskAreaPreview {
    /// The entry changed; None for a new one.
    pub id: Option<i64>,
    pub division_code: String,
    pub level: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    /// Persons who arrived from the division within the lookback window: their codes are
    /// recomputed.
    pub affected_persons: i64,
}

async fn preview(mut tx: Tx, app: &App, id: Option<i64>, e: ValidEntry) -> Result<RiskAreaPreview> {
    let affected_persons = tx
        .count_arrived_from(
            division_prefix(&e.division_code),
            &window_start(app.today()),
        )
        .await?;
    tx.rollback().await?;
    Ok(RiskAreaPreview {
        id,
        division_code: e.division_code,
        level: e.level,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
        affected_persons,
    })
}

async fn listed(tx: &mut Tx, id: i64) -> Result<RiskAreaRow> {
    tx.risk_area(id)
        .await?
        .ok_or(AppError::NotFound("risk area"))
}

pub async fn preview_add(
    app: &App,
    actor: &Actor,
    input: &RiskAreaInput,
) -> Result<RiskAreaPreview> {
    actor.require(Right::ManageRiskAreas)?;
    let e = input.validate()?;
    let mut tx = app.store.read().await?;
    refuse_duplicate(&mut tx, &e.division_code, &e.valid_from, None).await?;
    preview(tx, app, None, e).await
}

pub async fn preview_change(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: &RiskAreaEdit,
) -> Result<RiskAreaPreview> {
    actor.require(Right::ManageRiskAreas)?;
    let mut tx = app.store.read().await?;
    let before = listed(&mut tx, id).await?;
    let e = edit.validate(&before)?;
    refuse_duplicate(&mut tx, &before.division_code, &e.valid_from, Some(id)).await?;
    preview(tx, app, Some(id), e).await
}

pub async fn preview_end(
    app: &App,
    actor: &Actor,
    id: i64,
    last_day: Option<&str>,
) -> Result<RiskAreaPreview> {
    actor.require(Right::ManageRiskAreas)?;
    let mut tx = app.store.read().await?;
    let before = listed(&mut tx, id).await?;
    let e = end_edit(app, &before, last_day)?.validate(&before)?;
    preview(tx, app, Some(id), e).await
}
