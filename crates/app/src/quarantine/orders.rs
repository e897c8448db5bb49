//! Orders and their state machine: create (ordered, or in quarantine at once), enter,
//! transfer between sites (or home), transfer to hospital, change the planned end, release.
//! Each step is one transaction with its audit entry and the person's code recomputed.

use chrono::{Duration, NaiveDate};
use domain::Right;
use domain::quarantine::{
    QuarantineKind, QuarantineReason, QuarantineState, QuarantineStep, apply_step,
    check_end_change, release_missing,
};
use serde::{Deserialize, Serialize};
use store::{EndChangeRow, NewOrder, OrderQuery, OrderRow, PersonRow, Tx};

use super::{
    OrderView, order_in_scope, order_view, parse_enum, release as rel, require_manage,
    require_view, rule_for,
};
use crate::codes::{Cause, recompute};
use crate::error::FieldError;
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrderInput {
    pub person_id: i64,
    /// centralized | home
    pub kind: String,
    /// close_contact | risk_area_arrival | foreign_arrival | discharged_case | other
    pub reason: String,
    /// First day (YYYY-MM-DD); default today. At most 30 days back, at most 7 ahead.
    #[serde(default)]
    pub start_on: Option<String>,
    /// Required for centralized.
    #[serde(default)]
    pub site_id: Option<i64>,
    /// A room of the site; when absent, the first room with a free bed.
    #[serde(default)]
    pub room_id: Option<i64>,
    /// The person is there already: the order starts in quarantine (entered on the start day).
    #[serde(default)]
    pub entered: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    /// The day (YYYY-MM-DD); default today.
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TransferInput {
    /// The site to move to; none for home quarantine in the person's community.
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub room_id: Option<i64>,
    /// The day (YYYY-MM-DD); default today.
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct EndChangeInput {
    /// The new planned end (YYYY-MM-DD).
    pub planned_end_on: String,
    /// Why; required.
    pub reason: String,
    /// Username of the approving reviewer; required to shorten.
    #[serde(default)]
    pub reviewer: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EndChangeView {
    pub old_end_on: String,
    pub new_end_on: String,
    pub reason: String,
    pub changed_by: String,
    pub reviewer: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct OrderListQuery {
    /// active (ordered or in quarantine, the default) | ordered | in_quarantine | released |
    /// transferred_to_hospital | all
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub community_id: Option<i64>,
    /// Name prefix.
    #[serde(default)]
    pub q: Option<String>,
    /// start (default) | end | name
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderList {
    pub orders: Vec<OrderView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A day: default today; at most `back` days before and `ahead` days after today.
pub(crate) fn day_or_today(
    field: &str,
    s: Option<&str>,
    today: NaiveDate,
    back: i64,
    ahead: i64,
) -> Result<NaiveDate> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let d: NaiveDate = s
        .parse()
        .map_err(|_| AppError::invalid(field, "invalid", "give a day as YYYY-MM-DD"))?;
    if d > today + Duration::days(ahead) {
        return Err(AppError::invalid(
            field,
            "future",
            format!("{d} is more than {ahead} days after today ({today})"),
        ));
    }
    if d < today - Duration::days(back) {
        return Err(AppError::invalid(
            field,
            "too_old",
            format!("{d} is more than {back} days before today ({today})"),
        ));
    }
    Ok(d)
}

fn note_of(s: Option<&str>) -> Result<String> {
    let n = s.unwrap_or_default().trim().to_owned();
    if n.chars().count() > 500 {
        return Err(AppError::invalid(
            "note",
            "too_long",
            "at most 500 characters",
        ));
    }
    Ok(n)
}

/// A bed for a centralized order: the room given (checked against the site and its
/// capacity), or the first room of the site with a free bed. `except` is an order already
/// placed there (a transfer within the site), not counted.
pub(crate) async fn place(
    tx: &mut Tx,
    actor: &Actor,
    site_id: i64,
    room_id: Option<i64>,
) -> Result<i64> {
    let site = tx.quarantine_site(site_id).await.map_err(|e| match e {
        store::StoreError::NotFound(_) => AppError::invalid(
            "site_id",
            "unknown",
            format!("no quarantine site {site_id}"),
        ),
        other => other.into(),
    })?;
    actor.require_in_scope(&site.area_path).or_else(|_| {
        // Sites serve the whole zone: a community worker may send a resident to any site.
        if actor.role.has(Right::ManageQuarantine) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the site lies outside your area".into(),
            ))
        }
    })?;
    if site.retired_at.is_some() {
        return Err(AppError::invalid(
            "site_id",
            "retired",
            format!("{} is closed", site.name),
        ));
    }
    match room_id {
        Some(r) => {
            let room = tx.quarantine_room(r).await.map_err(|e| match e {
                store::StoreError::NotFound(_) => {
                    AppError::invalid("room_id", "unknown", format!("no room {r}"))
                }
                other => other.into(),
            })?;
            if room.site_id != site_id {
                return Err(AppError::invalid(
                    "room_id",
                    "other_site",
                    format!("room {} is not at {}", room.number, site.name),
                ));
            }
            if room.occupied >= room.capacity {
                return Err(AppError::invalid(
                    "room_id",
                    "room_full",
                    format!(
                        "room {} is full ({} of {} beds taken)",
                        room.number, room.occupied, room.capacity
                    ),
                ));
            }
            Ok(room.id)
        }
        None => {
            let rooms = tx.quarantine_rooms(site_id).await?;
            rooms
                .iter()
                .find(|r| r.occupied < r.capacity)
                .map(|r| r.id)
                .ok_or_else(|| {
                    AppError::invalid(
                        "site_id",
                        "site_full",
                        format!(
                            "{} is full ({} of {} beds taken)",
                            site.name, site.occupied, site.capacity
                        ),
                    )
                })
        }
    }
}

async fn person_in_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<PersonRow> {
    let person = tx.person(id).await.map_err(|e| match e {
        store::StoreError::NotFound(_) => {
            AppError::invalid("person_id", "unknown", "no such person")
        }
        other => other.into(),
    })?;
    actor.require_in_scope(&person.area_path)?;
    Ok(person)
}

/// Refuse a second active order for a person.
async fn no_active_order(tx: &mut Tx, person_id: i64) -> Result<()> {
    if let Some(o) = tx.active_quarantine_order(person_id).await? {
        return Err(AppError::invalid(
            "person_id",
            "already_active",
            format!(
                "the person already has an active order #{} ({}, until {})",
                o.id, o.state, o.planned_end_on
            ),
        ));
    }
    Ok(())
}

pub(crate) struct Created {
    pub id: i64,
}

/// Create an order inside a transaction (the returnee desk uses it too).
pub(crate) async fn create_in(
    tx: &mut Tx,
    app: &App,
    actor: &Actor,
    input: &OrderInput,
) -> Result<Created> {
    let today = app.today();
    let mut errors = vec![];
    let kind = parse_enum::<QuarantineKind>("kind", &input.kind)
        .map_err(|e| errors.push(e))
        .ok();
    let reason = parse_enum::<QuarantineReason>("reason", &input.reason)
        .map_err(|e| errors.push(e))
        .ok();
    let start = day_or_today("start_on", input.start_on.as_deref(), today, 30, 7)
        .map_err(|e| errors.push(e))
        .ok();
    if !errors.is_empty() {
        let fields: Vec<FieldError> = errors
            .into_iter()
            .flat_map(|e| match e {
                AppError::Invalid(f) => f,
                _ => vec![],
            })
            .collect();
        return Err(AppError::Invalid(fields));
    }
    let (kind, reason, start) = (kind.unwrap(), reason.unwrap(), start.unwrap());
    if input.entered && start > today {
        return Err(AppError::invalid(
            "start_on",
            "future",
            "a person cannot have entered on a day still to come",
        ));
    }
    let note = note_of(input.note.as_deref())?;
    let person = person_in_scope(tx, actor, input.person_id).await?;
    no_active_order(tx, person.id).await?;
    let (site_id, room_id) = match kind {
        QuarantineKind::Centralized => {
            let site = input.site_id.ok_or_else(|| {
                AppError::invalid("site_id", "required", "a centralized order needs a site")
            })?;
            (
                Some(site),
                Some(place(tx, actor, site, input.room_id).await?),
            )
        }
        QuarantineKind::Home => {
            if input.site_id.is_some() || input.room_id.is_some() {
                return Err(AppError::invalid(
                    "site_id",
                    "not_allowed",
                    "home quarantine has no site or room",
                ));
            }
            (None, None)
        }
    };
    let rule = rule_for(tx, reason).await?;
    let now = domain::time::now_ms();
    let start_text = start.to_string();
    let order = NewOrder {
        person_id: person.id,
        kind: kind.as_str().to_owned(),
        reason: reason.as_str().to_owned(),
        state: if input.entered {
            QuarantineState::InQuarantine
        } else {
            QuarantineState::Ordered
        }
        .as_str()
        .to_owned(),
        start_on: start_text.clone(),
        planned_end_on: rule.planned_end(kind, start).to_string(),
        site_id,
        room_id,
        community_id: person.community_id,
        street_id: person.street_id,
        area_path: person.area_path.clone(),
        entered_on: input.entered.then(|| start_text.clone()),
        ended_on: None,
        note,
        follows_order_id: None,
        case_id: None,
        contact_id: None,
        created_by: actor.username.clone(),
    };
    let id = tx
        .insert_quarantine_orders(std::slice::from_ref(&order), now)
        .await
        .map_err(|e| match e {
            // Two requests raced past the check above: the unique index decides.
            store::StoreError::Conflict(_) => AppError::invalid(
                "person_id",
                "already_active",
                "the person already has an active order",
            ),
            other => other.into(),
        })?[0];
    let mut entry = actor.audit("quarantine.order", "quarantine_order", id);
    entry.detail = format!("{} {} {}", order.kind, order.reason, order.start_on);
    tx.insert_audit(&entry, now).await?;
    if input.entered {
        recompute(tx, &person, today, Cause::Rule(&format!("quarantine {id}"))).await?;
    }
    Ok(Created { id })
}

/// Order a person into quarantine.
pub async fn create_order(app: &App, actor: &Actor, input: &OrderInput) -> Result<OrderView> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let c = create_in(&mut tx, app, actor, input).await?;
    let v = order_view(tx.quarantine_order(c.id).await?);
    tx.commit().await?;
    Ok(v)
}

async fn step_day(app: &App, o: &OrderRow, on: Option<&str>) -> Result<NaiveDate> {
    let day = day_or_today("on", on, app.today(), 30, 0)?;
    let floor = o.entered_on.as_deref().unwrap_or(&o.start_on);
    if day.to_string().as_str() < floor {
        return Err(AppError::invalid(
            "on",
            "before_start",
            format!("the order runs from {floor}"),
        ));
    }
    Ok(day)
}

fn step(o: &OrderRow, s: QuarantineStep) -> Result<QuarantineState> {
    let state: QuarantineState = o
        .state
        .parse()
        .map_err(|_| AppError::Internal("stored quarantine state".into()))?;
    apply_step(state, s).map_err(|e| AppError::invalid("state", e.code, e.message))
}

async fn finish(
    mut tx: Tx,
    app: &App,
    actor: &Actor,
    id: i64,
    action: &str,
    detail: String,
) -> Result<OrderView> {
    let now = domain::time::now_ms();
    let mut entry = actor.audit(action, "quarantine_order", id);
    entry.detail = detail;
    tx.insert_audit(&entry, now).await?;
    let o = tx.quarantine_order(id).await?;
    let person = tx.person(o.person_id).await?;
    recompute(
        &mut tx,
        &person,
        app.today(),
        Cause::Rule(&format!("quarantine {id}")),
    )
    .await?;
    let v = order_view(tx.quarantine_order(id).await?);
    tx.commit().await?;
    Ok(v)
}

/// The person arrived: ordered → in quarantine, from the day given.
pub async fn enter(app: &App, actor: &Actor, id: i64, input: &StepInput) -> Result<OrderView> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let next = step(&o, QuarantineStep::Enter)?;
    let day = step_day(app, &o, input.on.as_deref()).await?;
    let d = day.to_string();
    let now = domain::time::now_ms();
    tx.set_quarantine_state(id, next.as_str(), Some(&d), None, None, now)
        .await?;
    tx.move_stay(id, &d, false).await?;
    finish(tx, app, actor, id, "quarantine.enter", d).await
}

/// Move to another site and room, or home (no site), keeping the state and the dates. A
/// full room or site is refused.
pub async fn transfer(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &TransferInput,
) -> Result<OrderView> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    step(&o, QuarantineStep::Transfer)?;
    let day = step_day(app, &o, input.on.as_deref()).await?;
    let note = note_of(input.note.as_deref())?;
    let (kind, site, room) = match input.site_id {
        Some(s) => {
            if o.site_id == Some(s) && input.room_id.is_none_or(|r| Some(r) == o.room_id) {
                return Err(AppError::invalid(
                    "site_id",
                    "unchanged",
                    "the person is at this site and room already",
                ));
            }
            let room = place(&mut tx, actor, s, input.room_id).await?;
            (QuarantineKind::Centralized, Some(s), Some(room))
        }
        None => {
            if o.site_id.is_none() {
                return Err(AppError::invalid(
                    "site_id",
                    "unchanged",
                    "the person is in home quarantine already; choose a site",
                ));
            }
            (QuarantineKind::Home, None, None)
        }
    };
    let now = domain::time::now_ms();
    tx.set_quarantine_place(id, kind.as_str(), site, room, now)
        .await?;
    let d = day.to_string();
    if o.state == QuarantineState::InQuarantine.as_str() {
        tx.move_stay(id, &d, false).await?;
    }
    // The checks still open from the transfer day on go to the new place's team (a site's
    // staff, or the person's community team at home): the old team no longer sees the person.
    let team: Vec<i64> = tx
        .quarantine_team()
        .await?
        .into_iter()
        .filter(|m| match site {
            Some(s) => m.site_id == Some(s),
            None => m.site_id.is_none() && m.community_id == Some(o.community_id),
        })
        .map(|m| m.user_id)
        .collect();
    let assignee = (!team.is_empty()).then(|| team[id.unsigned_abs() as usize % team.len()]);
    let moved = tx
        .move_open_quarantine_checks(id, &d, site, assignee)
        .await?;
    let detail = format!(
        "{} → {} on {d}, {moved} open checks handed over{}",
        o.site_name.as_deref().unwrap_or("home"),
        match site {
            Some(s) => tx.quarantine_site(s).await?.name,
            None => "home".into(),
        },
        if note.is_empty() {
            String::new()
        } else {
            format!(": {note}")
        }
    );
    finish(tx, app, actor, id, "quarantine.transfer", detail).await
}

/// A positive test or severe symptoms: the order ends, the person goes to hospital (a case is
/// recorded separately).
pub async fn transfer_to_hospital(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &StepInput,
) -> Result<OrderView> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let next = step(&o, QuarantineStep::TransferToHospital)?;
    let day = step_day(app, &o, input.on.as_deref()).await?;
    let note = note_of(input.note.as_deref())?;
    let d = day.to_string();
    let now = domain::time::now_ms();
    // An order that never started ends without a stay.
    let entered = o
        .entered_on
        .clone()
        .or_else(|| (o.state == QuarantineState::Ordered.as_str()).then(|| d.clone()));
    tx.set_quarantine_state(
        id,
        next.as_str(),
        entered.as_deref(),
        Some(&d),
        Some(&note),
        now,
    )
    .await?;
    tx.move_stay(id, &d, true).await?;
    finish(tx, app, actor, id, "quarantine.hospital", d).await
}

/// Extend the planned end (anyone who runs the order), or shorten it (with a reviewer
/// holding `ReviewQuarantine` who is not the actor, and a reason). Audited either way.
pub async fn change_end(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &EndChangeInput,
) -> Result<OrderView> {
    require_manage(actor)?;
    let new_end: NaiveDate =
        input.planned_end_on.trim().parse().map_err(|_| {
            AppError::invalid("planned_end_on", "invalid", "give a day as YYYY-MM-DD")
        })?;
    if input.reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            "too_long",
            "at most 500 characters",
        ));
    }
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let state: QuarantineState = parse_enum("state", &o.state)?;
    if !state.is_active() {
        return Err(AppError::invalid(
            "state",
            "not_allowed",
            format!("the order is closed ({})", o.state),
        ));
    }
    let start: NaiveDate = o
        .start_on
        .parse()
        .map_err(|_| AppError::Internal("start".into()))?;
    let current: NaiveDate = o
        .planned_end_on
        .parse()
        .map_err(|_| AppError::Internal("end".into()))?;
    let reviewer = input
        .reviewer
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    check_end_change(
        start,
        current,
        new_end,
        app.today(),
        &input.reason,
        &actor.username,
        reviewer,
    )
    .map_err(|(f, e)| AppError::invalid(f, e.code, e.message))?;
    if new_end < current {
        let name = reviewer.unwrap_or_default();
        let user = tx.user_by_username(name).await?.ok_or_else(|| {
            AppError::invalid("reviewer", "unknown", format!("no account {name:?}"))
        })?;
        let role: domain::Role = user
            .role
            .parse()
            .map_err(|_| AppError::Internal("stored role".into()))?;
        if !role.has(Right::ReviewQuarantine) || user.disabled_at.is_some() {
            return Err(AppError::invalid(
                "reviewer",
                "not_reviewer",
                format!("{name} may not approve a shorter quarantine"),
            ));
        }
    }
    let now = domain::time::now_ms();
    let change = EndChangeRow {
        id: 0,
        order_id: id,
        old_end_on: o.planned_end_on.clone(),
        new_end_on: new_end.to_string(),
        reason: input.reason.trim().to_owned(),
        changed_by: actor.username.clone(),
        reviewer: if new_end < current {
            reviewer.map(str::to_owned)
        } else {
            None
        },
        at: now,
    };
    tx.change_quarantine_end(&change).await?;
    let action = if new_end > current {
        "quarantine.extend"
    } else {
        "quarantine.shorten"
    };
    let detail = format!(
        "{} → {}{}: {}",
        change.old_end_on,
        change.new_end_on,
        change
            .reviewer
            .as_deref()
            .map(|r| format!(" (approved by {r})"))
            .unwrap_or_default(),
        change.reason
    );
    finish(tx, app, actor, id, action, detail).await
}

/// Release today, when the rule allows it; otherwise refused with everything missing. A
/// centralized order whose reason has home days after (foreign arrivals: 14 + 7) is followed
/// by a home order from the same day.
pub async fn release(app: &App, actor: &Actor, id: i64, input: &StepInput) -> Result<OrderView> {
    require_manage(actor)?;
    let day = app.today();
    if input
        .on
        .as_deref()
        .is_some_and(|d| !d.trim().is_empty() && d.trim() != day.to_string())
    {
        return Err(AppError::invalid(
            "on",
            "not_today",
            "a release is recorded on the day it happens (today)",
        ));
    }
    let note = note_of(input.note.as_deref())?;
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let facts = rel::facts_for(&mut tx, &o, day).await?;
    let missing = release_missing(&facts, day);
    if !missing.is_empty() {
        return Err(AppError::Invalid(
            missing
                .into_iter()
                .map(|m| FieldError::new("release", &m.code, m.message))
                .collect(),
        ));
    }
    let next = step(&o, QuarantineStep::Release)?;
    let d = day.to_string();
    let now = domain::time::now_ms();
    tx.set_quarantine_state(id, next.as_str(), None, Some(&d), Some(&note), now)
        .await?;
    tx.move_stay(id, &d, true).await?;
    let reason: QuarantineReason = parse_enum("reason", &o.reason)?;
    let rule = rule_for(&mut tx, reason).await?;
    if o.kind == QuarantineKind::Centralized.as_str() && rule.home_after_days > 0 {
        let follow = NewOrder {
            person_id: o.person_id,
            kind: QuarantineKind::Home.as_str().to_owned(),
            reason: o.reason.clone(),
            state: QuarantineState::InQuarantine.as_str().to_owned(),
            start_on: d.clone(),
            planned_end_on: (day + Duration::days(i64::from(rule.home_after_days))).to_string(),
            site_id: None,
            room_id: None,
            community_id: o.community_id,
            street_id: o.street_id,
            area_path: o.area_path.clone(),
            entered_on: Some(d.clone()),
            ended_on: None,
            note: String::new(),
            follows_order_id: Some(id),
            case_id: o.case_id,
            contact_id: o.contact_id,
            created_by: actor.username.clone(),
        };
        let fid = tx.insert_quarantine_orders(&[follow], now).await?[0];
        let mut entry = actor.audit("quarantine.order", "quarantine_order", fid);
        entry.detail = format!("home after #{id}, {} days", rule.home_after_days);
        tx.insert_audit(&entry, now).await?;
    }
    finish(tx, app, actor, id, "quarantine.release", d).await
}

pub async fn get_order(
    app: &App,
    actor: &Actor,
    id: i64,
) -> Result<(OrderView, Vec<EndChangeView>)> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let o = order_in_scope(&mut tx, actor, id).await?;
    let changes = tx
        .quarantine_end_changes(id)
        .await?
        .into_iter()
        .map(|c| EndChangeView {
            old_end_on: c.old_end_on,
            new_end_on: c.new_end_on,
            reason: c.reason,
            changed_by: c.changed_by,
            reviewer: c.reviewer,
            at: domain::time::format_local(c.at),
        })
        .collect();
    tx.rollback().await?;
    Ok((order_view(o), changes))
}

pub async fn orders_of_person(app: &App, actor: &Actor, person_id: i64) -> Result<Vec<OrderView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let person = tx.person(person_id).await?;
    actor.require_in_scope(&person.area_path)?;
    let rows = tx.quarantine_orders_of_person(person_id).await?;
    tx.rollback().await?;
    Ok(rows.into_iter().map(order_view).collect())
}

pub const PER_PAGE: i64 = 50;

/// A page of orders in the actor's area.
pub async fn list_orders(app: &App, actor: &Actor, q: &OrderListQuery) -> Result<OrderList> {
    require_view(actor)?;
    let states = match q.state.as_deref().map(str::trim).unwrap_or("active") {
        "" | "active" => vec!["ordered".to_owned(), "in_quarantine".to_owned()],
        "all" => vec![],
        s => vec![
            parse_enum::<QuarantineState>("state", s)?
                .as_str()
                .to_owned(),
        ],
    };
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => Some(parse_enum::<QuarantineKind>("kind", k)?.as_str().to_owned()),
        None => None,
    };
    let reason = match q.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => Some(
            parse_enum::<QuarantineReason>("reason", r)?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let sort = match q.sort.as_deref().unwrap_or("start") {
        s @ ("start" | "end" | "name") => s.to_owned(),
        other => {
            return Err(AppError::invalid(
                "sort",
                "unknown",
                format!("unknown sort {other:?}; expected start, end or name"),
            ));
        }
    };
    let per_page = q.per_page.unwrap_or(PER_PAGE).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let mut tx = app.store.read().await?;
    // A site in the actor's area shows everyone placed there, wherever they live.
    let mut scope_path = actor.scope_path.clone();
    if let Some(s) = q.site_id {
        let site = tx.quarantine_site(s).await?;
        if actor.require_in_scope(&site.area_path).is_ok() {
            scope_path = "/".into();
        }
    }
    let (rows, total) = tx
        .list_quarantine_orders(&OrderQuery {
            scope_path,
            states,
            kind,
            reason,
            site_id: q.site_id,
            community_id: q.community_id,
            name: q
                .q
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            sort,
            limit: per_page,
            offset: (page - 1) * per_page,
        })
        .await?;
    tx.rollback().await?;
    Ok(OrderList {
        orders: rows.into_iter().map(order_view).collect(),
        total,
        page,
        per_page,
    })
}
