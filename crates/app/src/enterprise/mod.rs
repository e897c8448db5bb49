//! Enterprise service (三服务) use cases: enterprises (import, export), the grid and officers
//! with their visits and prevention checks, daily resumption reports and the 三率一度 rates,
//! requests on the working-day calendar, and policy redemption with its ledger.
//! See docs/ENTERPRISE.md.

pub mod directory;
pub mod electricity;
pub mod enterprises;
pub mod export;
pub mod grid;
pub mod import;
pub mod policies;
pub mod rates;
pub mod reports;
pub mod requests;

use domain::Right;

use crate::{Actor, AppError, Result};

/// The enterprise an actor may act for: a contact only for its own enterprise; officers,
/// reviewers, commanders and admins for those inside their area scope.
pub(crate) async fn require_enterprise_access(
    tx: &mut store::Tx,
    actor: &Actor,
    enterprise_id: i64,
) -> Result<store::EnterpriseRow> {
    let e = tx.enterprise(enterprise_id).await?;
    if actor.role.has(Right::ReportResumption) {
        if tx.enterprise_of_contact(actor.user_id).await? != Some(e.id) {
            return Err(AppError::Forbidden("this is not your enterprise".into()));
        }
        return Ok(e);
    }
    actor.require(Right::ServeEnterprises)?;
    actor.require_in_scope(&e.area_path)?;
    Ok(e)
}

/// The enterprise a contact speaks for.
pub(crate) async fn own_enterprise(tx: &mut store::Tx, actor: &Actor) -> Result<i64> {
    actor.require(Right::ReportResumption)?;
    tx.enterprise_of_contact(actor.user_id)
        .await?
        .ok_or(AppError::NotFound("enterprise of this account"))
}

/// A text field: trimmed, not empty when `required`, at most `max` characters.
pub(crate) fn text(
    v: &mut crate::error::Validation,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    let t = value.trim();
    if required && t.is_empty() {
        v.push(crate::FieldError::new(
            field,
            "required",
            format!("{field} is required"),
        ));
    } else if t.chars().count() > max {
        v.push(crate::FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    t.to_owned()
}

/// The records the pages show, re-exported so the web layer needs no storage crate.
pub use store::{
    ApplicationRow, OfficerRow, PayoutRow, PayoutTotalRow, ReportRow, RequestRow, RequestStepRow,
    VisitRow,
};
