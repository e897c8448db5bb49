//! The figures of quarantine for a business day, and what the daily briefing needs from it:
//! the share of checks done on time per street, the overdue follow-ups and the quarantines
//! due to end. Every figure is read from the records (orders, stays, checks); nothing is kept
//! as a counter.
//!
//! These four functions are the stable interface for the dashboard and the daily briefing
//! (issue 6): their signatures do not change; fields may only be added to the returned types.

use chrono::NaiveDate;
use domain::Right;
use serde::Serialize;

use crate::{Actor, App, Result};

/// Quarantine on one business day, within the actor's area.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// The day (ISO) the figures are for.
    pub day: String,
    /// Distinct persons who entered quarantine on or before the day (累计隔离).
    pub cumulative: i64,
    /// Distinct persons in quarantine on the day (entered, not released or transferred by it).
    pub current: i64,
    /// Of `current`: at a centralized site, and at home.
    pub centralized: i64,
    pub home: i64,
    /// Every site in scope, by code, with the stays open on the day.
    pub sites: Vec<SiteOccupancy>,
    /// Every community in scope that has had anyone in quarantine by the day.
    pub communities: Vec<CommunityQuarantine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SiteOccupancy {
    pub site_id: i64,
    pub name: String,
    pub street_id: i64,
    /// Beds (the rooms' capacities summed).
    pub capacity: i64,
    /// Persons staying there on the day.
    pub occupied: i64,
    /// `occupied / capacity`, None without beds.
    pub occupancy: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CommunityQuarantine {
    pub community_id: i64,
    pub name: String,
    pub street_id: i64,
    /// Persons of the community at a site on the day.
    pub centralized: i64,
    /// Persons of the community in home quarantine on the day.
    pub home: i64,
    /// `centralized + home`.
    pub current: i64,
    /// Distinct persons of the community quarantined by the day.
    pub cumulative: i64,
}

/// One street's checks (two a day per person in quarantine) of one day.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StreetOnTime {
    pub street_id: i64,
    pub name: String,
    /// Checks due on the day.
    pub due: i64,
    /// Done by their due time.
    pub on_time: i64,
    /// Done after their due time.
    pub late: i64,
    /// Not done (yet).
    pub open: i64,
    /// `on_time / due`; None when nothing was due.
    pub share_on_time: Option<f64>,
}

/// A follow-up check not done by its due time (its person is still in quarantine).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OverdueFollowUp {
    pub check_id: i64,
    pub order_id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub day: String,
    /// 1 (morning, due 10:00) or 2 (afternoon, due 16:00).
    pub slot: i64,
    /// Due time, Asia/Shanghai, `YYYY-MM-DD HH:MM`.
    pub due: String,
    /// The site, or None for home quarantine.
    pub site: Option<String>,
    pub room: Option<String>,
    pub community: String,
    pub street_id: i64,
    /// Username of the member it is assigned to.
    pub assignee: Option<String>,
    /// "late" on the day itself (still open), "missed" once the day has passed.
    pub status: String,
}

/// A quarantine whose planned end is on or before the day and that is not released yet.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EndingQuarantine {
    pub order_id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub kind: String,
    pub reason: String,
    pub planned_end_on: String,
    pub site: Option<String>,
    pub community: String,
    pub street_id: i64,
    /// What a release on the day still needs (empty: ready to release).
    pub missing: Vec<domain::quarantine::Missing>,
}

/// Most overdue follow-ups listed (the count of all is in `checks_on_time`).
pub const OVERDUE_LIMIT: i64 = 1000;

/// Cumulative, current, per-site occupancy and per-community figures on `day`, within the
/// actor's area. Needs `ViewQuarantine`.
pub async fn figures(app: &App, actor: &Actor, day: NaiveDate) -> Result<Figures> {
    actor.require(Right::ViewQuarantine)?;
    let d = day.to_string();
    let scope = actor.scope_path.as_str();
    let mut tx = app.store.read().await?;
    let (cumulative, current) = tx.quarantine_totals(&d, scope).await?;
    let sites = tx
        .quarantine_site_occupancy(&d, scope)
        .await?
        .into_iter()
        .map(|s| SiteOccupancy {
            occupancy: (s.capacity > 0).then(|| s.occupied as f64 / s.capacity as f64),
            site_id: s.site_id,
            name: s.name,
            street_id: s.street_id,
            capacity: s.capacity,
            occupied: s.occupied,
        })
        .collect();
    let communities: Vec<CommunityQuarantine> = tx
        .quarantine_by_community(&d, scope)
        .await?
        .into_iter()
        .map(|c| CommunityQuarantine {
            community_id: c.community_id,
            name: c.name,
            street_id: c.street_id,
            centralized: c.centralized,
            home: c.home,
            current: c.centralized + c.home,
            cumulative: c.cumulative,
        })
        .collect();
    tx.rollback().await?;
    Ok(Figures {
        day: d,
        cumulative,
        current,
        centralized: communities.iter().map(|c| c.centralized).sum(),
        home: communities.iter().map(|c| c.home).sum(),
        sites,
        communities,
    })
}

/// The share of `day`'s checks done on time, per street, within the actor's area.
pub async fn checks_on_time(app: &App, actor: &Actor, day: NaiveDate) -> Result<Vec<StreetOnTime>> {
    actor.require(Right::ViewQuarantine)?;
    let mut tx = app.store.read().await?;
    let rows = tx
        .quarantine_checks_by_street(&day.to_string(), &actor.scope_path)
        .await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|r| StreetOnTime {
            share_on_time: (r.due > 0).then(|| r.on_time as f64 / r.due as f64),
            street_id: r.street_id,
            name: r.name,
            due: r.due,
            on_time: r.on_time,
            late: r.late,
            open: r.open,
        })
        .collect())
}

/// Checks of `day` and before still not done after their due time, of persons still in
/// quarantine, oldest first (at most [`OVERDUE_LIMIT`]). "Now" is the real clock, but never
/// later than the end of `day`, so a past day shows what was overdue at its end.
pub async fn overdue_follow_ups(
    app: &App,
    actor: &Actor,
    day: NaiveDate,
) -> Result<Vec<OverdueFollowUp>> {
    actor.require(Right::ViewQuarantine)?;
    let end_of_day = domain::quarantine::start_of_day(day.succ_opt().unwrap_or(day));
    let now = domain::time::now_ms().min(end_of_day);
    let d = day.to_string();
    let mut tx = app.store.read().await?;
    let rows = tx
        .overdue_quarantine_checks(&d, now, &actor.scope_path, OVERDUE_LIMIT)
        .await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|k| OverdueFollowUp {
            status: if k.day < d { "missed" } else { "late" }.to_owned(),
            check_id: k.id,
            order_id: k.order_id,
            person_id: k.person_id,
            person_name: domain::mask::mask_name(&k.person_name),
            due: domain::time::format_local(k.due_at)
                .get(..16)
                .unwrap_or_default()
                .to_owned(),
            day: k.day,
            slot: k.slot,
            site: k.site_name,
            room: k.room_number,
            community: k.community_name,
            street_id: k.street_id,
            assignee: k.assignee,
        })
        .collect())
}

/// Quarantines in the actor's area whose planned end is on or before `day` and that are still
/// running, soonest first, each with what its release on `day` still needs.
pub async fn ending_on(app: &App, actor: &Actor, day: NaiveDate) -> Result<Vec<EndingQuarantine>> {
    actor.require(Right::ViewQuarantine)?;
    let mut tx = app.store.read().await?;
    let rows = tx
        .quarantine_ending(&day.to_string(), &actor.scope_path)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for o in rows {
        let missing = super::release::missing_for(&mut tx, &o, day).await?;
        out.push(EndingQuarantine {
            order_id: o.id,
            person_id: o.person_id,
            person_name: domain::mask::mask_name(&o.person_name),
            kind: o.kind,
            reason: o.reason,
            planned_end_on: o.planned_end_on,
            site: o.site_name,
            community: o.community_name,
            street_id: o.street_id,
            missing,
        });
    }
    tx.rollback().await?;
    Ok(out)
}
