//! The daily resumption report, filed by the enterprise's contact for today (or corrected
//! for an earlier day within a week): checked against itself and the enterprise's headcount.

use chrono::NaiveDate;
use domain::enterprise::DailyFigures;

use crate::{Actor, App, AppError, FieldError, Result};

/// How far back a contact may correct a report.
pub const CORRECTION_DAYS: i64 = 7;

/// File (or correct) the report of `day` for the actor's enterprise.
pub async fn submit(app: &App, actor: &Actor, day: &str, f: &DailyFigures) -> Result<()> {
    let today = app.today();
    let day: NaiveDate = day
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("day", "bad_date", "a day such as 2020-03-01"))?;
    if day > today || (today - day).num_days() > CORRECTION_DAYS {
        return Err(AppError::invalid(
            "day",
            "out_of_range",
            format!("a report is for today or one of the {CORRECTION_DAYS} days before"),
        ));
    }
    let mut tx = app.store.write().await?;
    let enterprise_id = super::own_enterprise(&mut tx, actor).await?;
    let e = tx.enterprise(enterprise_id).await?;
    let problems = f.check(e.employees);
    if !problems.is_empty() {
        return Err(AppError::Invalid(
            problems
                .into_iter()
                .map(|(field, err)| FieldError::from_value(field, err))
                .collect(),
        ));
    }
    let now = domain::time::now_ms();
    tx.upsert_reports(
        &[to_row(
            enterprise_id,
            &day.to_string(),
            f,
            Some(actor.user_id),
        )],
        now,
    )
    .await?;
    let mut entry = actor.audit("report.submit", "enterprise", enterprise_id);
    entry.detail = day.to_string();
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) fn to_row(
    enterprise_id: i64,
    day: &str,
    f: &DailyFigures,
    by: Option<i64>,
) -> store::NewReport {
    store::NewReport {
        enterprise_id,
        day: day.to_owned(),
        resumed: f.resumed,
        on_site: f.on_site,
        total: f.total,
        returned_outside: f.returned_outside,
        in_quarantine: f.in_quarantine,
        capacity_pct: f.capacity_pct,
        masks: f.masks,
        materials_days: f.materials_days,
        problems: f.problems.trim().to_owned(),
        reported_by: by,
    }
}

/// The contact's enterprise with its latest reports.
pub async fn mine(
    app: &App,
    actor: &Actor,
) -> Result<(super::enterprises::EnterpriseView, Vec<store::ReportRow>)> {
    let mut tx = app.store.read().await?;
    let id = super::own_enterprise(&mut tx, actor).await?;
    let e = tx.enterprise(id).await?;
    let reports = tx.reports_of_enterprise(id, 14).await?;
    tx.rollback().await?;
    Ok(((&e).into(), reports))
}

/// An enterprise's latest reports (newest first), for its contact or an official in scope.
pub async fn of_enterprise(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    limit: i64,
) -> Result<Vec<store::ReportRow>> {
    let mut tx = app.store.read().await?;
    super::require_enterprise_access(&mut tx, actor, enterprise_id).await?;
    let reports = tx
        .reports_of_enterprise(enterprise_id, limit.clamp(1, 366))
        .await?;
    tx.rollback().await?;
    Ok(reports)
}
