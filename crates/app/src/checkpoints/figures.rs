//! Screening figures: cumulative distinct persons screened (累计排查), scans per day per
//! checkpoint, refer and stop counts — each an SQL aggregate, never a load of scans.

use chrono::{NaiveDate, TimeZone};
use serde::Serialize;

use crate::{Actor, App, Result};

#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub total: i64,
    pub pass: i64,
    pub refer: i64,
    pub stop: i64,
}

impl From<store::DecisionCounts> for Counts {
    fn from(c: store::DecisionCounts) -> Self {
        Counts {
            total: c.total,
            pass: c.pass,
            refer: c.refer,
            stop: c.stop,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayAtCheckpoint {
    pub checkpoint_id: i64,
    pub checkpoint: String,
    pub day: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Distinct persons ever screened.
    pub screened_cumulative: i64,
    /// Every scan, by decision.
    pub all_scans: Counts,
    /// The days shown, first and last (business days).
    pub from: String,
    pub to: String,
    pub per_day: Vec<DayAtCheckpoint>,
}

/// The day's number in `scan_day_counts` (days since 1970-01-01).
pub(crate) fn day_number(day: NaiveDate) -> i64 {
    (day - epoch()).num_days()
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Local midnight of `day`, in ms UTC.
pub(crate) fn midnight(day: NaiveDate) -> i64 {
    domain::time::shanghai()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// The figures over the `days` business days up to today (1–62).
pub async fn figures(app: &App, actor: &Actor, days: i64) -> Result<Figures> {
    super::require_view(actor)?;
    let days = days.clamp(1, 62);
    let to = app.today();
    let from = to - chrono::Duration::days(days - 1);
    let mut tx = app.store.read().await?;
    let screened_cumulative = tx.screened_cumulative().await?;
    let all_scans = tx.scan_counts().await?.into();
    let names: std::collections::HashMap<i64, String> = tx
        .checkpoint_records(&actor.scope_path, true)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let rows = tx
        .scans_per_day(day_number(from), day_number(to) + 1)
        .await?;
    tx.rollback().await?;
    let per_day = rows
        .into_iter()
        .filter_map(|r| {
            // Only checkpoints inside the actor's area.
            let name = names.get(&r.checkpoint_id)?.clone();
            Some(DayAtCheckpoint {
                checkpoint_id: r.checkpoint_id,
                checkpoint: name,
                day: (epoch() + chrono::Duration::days(r.day_number)).to_string(),
                counts: r.counts.into(),
            })
        })
        .collect();
    Ok(Figures {
        screened_cumulative,
        all_scans,
        from: from.to_string(),
        to: to.to_string(),
        per_day,
    })
}

/// Today's counts at one checkpoint, for its page. Device scans carry the real clock, so
/// "today" here is the calendar day in Asia/Shanghai, not a replayed business day.
pub async fn today(app: &App, actor: &Actor, checkpoint_id: i64) -> Result<Counts> {
    super::require_view(actor)?;
    let day = domain::time::to_local(domain::time::now_ms()).date_naive();
    let mut tx = app.store.read().await?;
    let cp = tx.checkpoint_record(checkpoint_id).await?;
    actor.require_in_scope(&cp.area_path)?;
    let c = tx
        .scan_counts_at(
            checkpoint_id,
            midnight(day),
            midnight(day + chrono::Duration::days(1)),
        )
        .await?;
    tx.rollback().await?;
    Ok(c.into())
}
