//! Daily monitoring: two checks a day (temperature and symptoms) for everyone in quarantine,
//! generated per day and assigned round-robin to the site's staff or the community's team;
//! fast entry for a whole floor; nucleic-acid tests; alerts on fever or a positive test to the
//! community and the command centre.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use domain::quarantine::{
    CHECK_SLOTS, FEVER_FROM, QuarantineState, TestResult, check_temperature, due_at,
};
use serde::{Deserialize, Serialize};
use store::{CheckRow, NewAlert, NewCheck, Tx};

use super::orders::day_or_today;
use super::{order_in_scope, parse_enum, require_manage, require_view};
use crate::{Actor, App, AppError, FieldError, Result};

/// What one day's generation did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUpReport {
    pub day: String,
    /// Persons in quarantine on the day.
    pub persons: usize,
    /// Checks created now (those there already are kept).
    pub created: u64,
    /// Checks with nobody to assign (a site or community without a team).
    pub unassigned: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckView {
    pub id: i64,
    pub order_id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub day: String,
    pub slot: i64,
    pub site: Option<String>,
    pub floor: Option<i64>,
    pub room: Option<String>,
    pub community: String,
    pub assignee: Option<String>,
    /// Asia/Shanghai `HH:MM`.
    pub due: String,
    /// open | done | late (done after due) | missed (the day passed) | overdue (open, past due)
    pub status: String,
    pub temperature: Option<f64>,
    pub symptoms: Option<String>,
    pub done_by: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CheckEntry {
    pub check_id: i64,
    /// ℃, 34.0–42.5.
    pub temperature: f64,
    /// Free text; empty for none.
    #[serde(default)]
    pub symptoms: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct FloorEntryInput {
    /// Checks with their temperatures; blank ones are left out by the page.
    pub entries: Vec<CheckEntry>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TestInput {
    /// Day sampled (YYYY-MM-DD); default today.
    #[serde(default)]
    pub sampled_on: Option<String>,
    /// pending (default) | negative | positive
    #[serde(default)]
    pub result: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TestResultInput {
    /// negative | positive
    pub result: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TestView {
    pub id: i64,
    pub order_id: i64,
    pub sampled_on: String,
    pub result: String,
    pub result_on: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub order_id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    /// fever | positive
    pub kind: String,
    pub day: String,
    pub detail: String,
    pub community: String,
    pub at: String,
    pub acknowledged_by: Option<String>,
}

impl CheckView {
    /// The interface text key of the status.
    pub fn status_key(&self) -> &'static str {
        match self.status.as_str() {
            "done" => "quarantine.status.done",
            "late" => "quarantine.status.late",
            "missed" => "quarantine.status.missed",
            "overdue" => "quarantine.status.overdue",
            _ => "quarantine.status.open",
        }
    }
}

pub(crate) fn check_status(k: &CheckRow, now: i64, today: &str) -> &'static str {
    match k.done_at {
        Some(d) if d <= k.due_at => "done",
        Some(_) => "late",
        None if k.day.as_str() < today => "missed",
        None if now > k.due_at => "overdue",
        None => "open",
    }
}

pub(crate) fn check_view(k: CheckRow, now: i64, today: &str) -> CheckView {
    let status = check_status(&k, now, today).to_owned();
    CheckView {
        id: k.id,
        order_id: k.order_id,
        person_id: k.person_id,
        person_name: domain::mask::mask_name(&k.person_name),
        day: k.day,
        slot: k.slot,
        site: k.site_name,
        floor: k.floor,
        room: k.room_number,
        community: k.community_name,
        assignee: k.assignee,
        due: domain::time::format_local(k.due_at)
            .get(11..16)
            .unwrap_or_default()
            .to_owned(),
        status,
        temperature: k.temperature,
        symptoms: k.symptoms,
        done_by: k.done_by,
    }
}

/// The checks for everyone in quarantine on `day`, two each, assigned round-robin within each
/// team (a site's staff, a community's team), the rotation shifted by the day so the same
/// member does not always see the same rooms. Idempotent: a check there already is kept.
pub(crate) async fn generate_in(tx: &mut Tx, day: NaiveDate) -> Result<FollowUpReport> {
    let d = day.to_string();
    let targets = tx.follow_up_targets(&d).await?;
    let team = tx.quarantine_team().await?;
    let mut sites: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut communities: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in team {
        if let Some(s) = m.site_id {
            sites.entry(s).or_default().push(m.user_id);
        } else if let Some(c) = m.community_id {
            communities.entry(c).or_default().push(m.user_id);
        }
    }
    let shift = day.num_days_from_ce() as usize;
    let dues: Vec<(i64, i64)> = CHECK_SLOTS
        .iter()
        .map(|(s, _)| (*s, due_at(day, *s)))
        .collect();
    let mut counters: HashMap<(bool, i64), usize> = HashMap::new();
    let mut checks = Vec::with_capacity(targets.len() * dues.len());
    let mut unassigned = 0;
    for t in &targets {
        let (key, members) = match t.site_id {
            Some(s) => ((true, s), sites.get(&s)),
            None => ((false, t.community_id), communities.get(&t.community_id)),
        };
        let assignee = members.filter(|m| !m.is_empty()).map(|m| {
            let i = counters.entry(key).or_insert(0);
            let who = m[(*i + shift) % m.len()];
            *i += 1;
            who
        });
        if assignee.is_none() {
            unassigned += dues.len();
        }
        for (slot, due) in &dues {
            checks.push(NewCheck {
                order_id: t.order_id,
                day: d.clone(),
                slot: *slot,
                site_id: t.site_id,
                community_id: t.community_id,
                street_id: t.street_id,
                assignee_id: assignee,
                due_at: *due,
            });
        }
    }
    let created = tx.insert_quarantine_checks(&checks).await?;
    Ok(FollowUpReport {
        day: d,
        persons: targets.len(),
        created,
        unassigned,
    })
}

/// Generate `day`'s follow-up checks (run daily: the quarantine page's button or
/// `POST /api/v1/quarantine/follow-ups`).
pub async fn generate_follow_ups(
    app: &App,
    actor: &Actor,
    day: NaiveDate,
) -> Result<FollowUpReport> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let r = generate_in(&mut tx, day).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("quarantine.followups", "quarantine_checks", &r.day);
    entry.detail = format!("{} persons, {} new checks", r.persons, r.created);
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(r)
}

/// A day's checks at a site, or of a community's home quarantine. Generates the day's checks
/// first when it is today and none exist yet, so the page is never empty by omission.
pub async fn checks_of_day(
    app: &App,
    actor: &Actor,
    day: NaiveDate,
    site_id: Option<i64>,
    community_id: Option<i64>,
) -> Result<Vec<CheckView>> {
    require_view(actor)?;
    let today = app.today();
    if site_id.is_none() && community_id.is_none() {
        return Err(AppError::invalid(
            "site_id",
            "required",
            "choose a site or a community",
        ));
    }
    let mut tx = app.store.read().await?;
    match (site_id, community_id) {
        (Some(s), _) => {
            let site = tx.quarantine_site(s).await?;
            actor.require_in_scope(&site.area_path)?;
        }
        (None, Some(c)) => {
            let area = tx.area(c).await?;
            actor.require_in_scope(&area.path)?;
        }
        (None, None) => {}
    }
    let rows = tx
        .quarantine_checks_of_day(&day.to_string(), site_id, community_id)
        .await?;
    tx.rollback().await?;
    let now = domain::time::now_ms();
    let t = today.to_string();
    Ok(rows.into_iter().map(|k| check_view(k, now, &t)).collect())
}

async fn record_in(
    tx: &mut Tx,
    app: &App,
    actor: &Actor,
    e: &CheckEntry,
    field: &str,
    now: i64,
) -> Result<()> {
    let t = check_temperature(e.temperature)
        .map_err(|v| AppError::invalid(&format!("{field}temperature"), v.code, v.message))?;
    let symptoms = e.symptoms.trim();
    if symptoms.chars().count() > 200 {
        return Err(AppError::invalid(
            &format!("{field}symptoms"),
            "too_long",
            "at most 200 characters",
        ));
    }
    let k = tx
        .quarantine_check(e.check_id)
        .await
        .map_err(|err| match err {
            store::StoreError::NotFound(_) => AppError::invalid(
                &format!("{field}check_id"),
                "unknown",
                format!("no check {}", e.check_id),
            ),
            other => other.into(),
        })?;
    let o = order_in_scope(tx, actor, k.order_id).await?;
    if o.state != QuarantineState::InQuarantine.as_str() {
        return Err(AppError::invalid(
            &format!("{field}check_id"),
            "not_in_quarantine",
            format!("the order is {}", o.state),
        ));
    }
    let today = app.today().to_string();
    if k.day > today {
        return Err(AppError::invalid(
            &format!("{field}check_id"),
            "future",
            format!("the check is for {}", k.day),
        ));
    }
    if !tx
        .record_quarantine_check(k.id, t, symptoms, now, &actor.username)
        .await?
    {
        return Err(AppError::invalid(
            &format!("{field}check_id"),
            "done",
            format!("check {} was entered already", k.id),
        ));
    }
    let fever = t >= FEVER_FROM;
    if fever || !symptoms.is_empty() {
        let detail = if fever {
            format!(
                "{t:.1} ℃{}",
                if symptoms.is_empty() {
                    String::new()
                } else {
                    format!(", {symptoms}")
                }
            )
        } else {
            symptoms.to_owned()
        };
        let id = tx
            .insert_quarantine_alert(
                &NewAlert {
                    order_id: o.id,
                    kind: "fever".into(),
                    day: k.day.clone(),
                    detail: detail.clone(),
                    community_id: o.community_id,
                    street_id: o.street_id,
                },
                now,
            )
            .await?;
        let mut entry = actor.audit("quarantine.alert", "quarantine_alert", id);
        entry.detail = detail;
        tx.insert_audit(&entry, now).await?;
    }
    let mut entry = actor.audit("quarantine.check", "quarantine_check", k.id);
    entry.detail = format!("{t:.1}");
    tx.insert_audit(&entry, now).await?;
    Ok(())
}

/// Enter one check.
pub async fn record_check(app: &App, actor: &Actor, e: &CheckEntry) -> Result<()> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    record_in(&mut tx, app, actor, e, "", domain::time::now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Enter a whole floor at once: all or nothing; every refused line is reported by its index.
pub async fn enter_floor(app: &App, actor: &Actor, input: &FloorEntryInput) -> Result<usize> {
    require_manage(actor)?;
    if input.entries.is_empty() {
        return Err(AppError::invalid(
            "entries",
            "required",
            "enter at least one temperature",
        ));
    }
    if input.entries.len() > 500 {
        return Err(AppError::invalid(
            "entries",
            "too_many",
            "at most 500 at once",
        ));
    }
    let mut tx = app.store.write().await?;
    let now = domain::time::now_ms();
    let mut errors: Vec<FieldError> = vec![];
    for (i, e) in input.entries.iter().enumerate() {
        match record_in(&mut tx, app, actor, e, &format!("entries[{i}]."), now).await {
            Ok(()) => {}
            Err(AppError::Invalid(f)) => errors.extend(f),
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Invalid(errors));
    }
    tx.commit().await?;
    Ok(input.entries.len())
}

fn test_view(t: store::TestRow) -> TestView {
    TestView {
        id: t.id,
        order_id: t.order_id,
        sampled_on: t.sampled_on,
        result: t.result,
        result_on: t.result_on,
        recorded_by: t.recorded_by,
    }
}

async fn positive_alert(
    tx: &mut Tx,
    actor: &Actor,
    o: &store::OrderRow,
    day: &str,
    now: i64,
) -> Result<()> {
    let id = tx
        .insert_quarantine_alert(
            &NewAlert {
                order_id: o.id,
                kind: "positive".into(),
                day: day.to_owned(),
                detail: "nucleic-acid test positive".into(),
                community_id: o.community_id,
                street_id: o.street_id,
            },
            now,
        )
        .await?;
    tx.insert_audit(
        &actor.audit("quarantine.alert", "quarantine_alert", id),
        now,
    )
    .await?;
    Ok(())
}

/// Record a test sampled during the quarantine (result now or later).
pub async fn record_test(
    app: &App,
    actor: &Actor,
    order_id: i64,
    input: &TestInput,
) -> Result<TestView> {
    require_manage(actor)?;
    let today = app.today();
    let sampled = day_or_today("sampled_on", input.sampled_on.as_deref(), today, 30, 0)?;
    let result: TestResult = match input.result.as_deref().map(str::trim) {
        None | Some("") => TestResult::Pending,
        Some(r) => parse_enum("result", r)?,
    };
    let mut tx = app.store.write().await?;
    let o = order_in_scope(&mut tx, actor, order_id).await?;
    let state: QuarantineState = parse_enum("state", &o.state)?;
    if !state.is_active() {
        return Err(AppError::invalid(
            "order",
            "closed",
            format!("the order is {}", o.state),
        ));
    }
    let from = o.entered_on.as_deref().unwrap_or(&o.start_on);
    if sampled.to_string().as_str() < from {
        return Err(AppError::invalid(
            "sampled_on",
            "before_start",
            format!("the quarantine began on {from}"),
        ));
    }
    let now = domain::time::now_ms();
    let t = today.to_string();
    let result_on = (result != TestResult::Pending).then_some(t.as_str());
    let id = tx
        .insert_quarantine_test(
            order_id,
            &sampled.to_string(),
            result.as_str(),
            result_on,
            &actor.username,
            now,
        )
        .await?;
    let mut entry = actor.audit("quarantine.test", "quarantine_test", id);
    entry.detail = format!("{sampled} {}", result.as_str());
    tx.insert_audit(&entry, now).await?;
    if result == TestResult::Positive {
        positive_alert(&mut tx, actor, &o, &t, now).await?;
    }
    let v = test_view(tx.quarantine_test(id).await?);
    tx.commit().await?;
    Ok(v)
}

/// Enter the result of a pending test.
pub async fn set_test_result(
    app: &App,
    actor: &Actor,
    test_id: i64,
    input: &TestResultInput,
) -> Result<TestView> {
    require_manage(actor)?;
    let result: TestResult = parse_enum("result", &input.result)?;
    if result == TestResult::Pending {
        return Err(AppError::invalid(
            "result",
            "pending",
            "a result is negative or positive",
        ));
    }
    let mut tx = app.store.write().await?;
    let t = tx.quarantine_test(test_id).await?;
    let o = order_in_scope(&mut tx, actor, t.order_id).await?;
    if t.result != TestResult::Pending.as_str() {
        return Err(AppError::invalid(
            "result",
            "done",
            format!("the result is {} already", t.result),
        ));
    }
    let now = domain::time::now_ms();
    let today = app.today().to_string();
    tx.set_quarantine_test_result(test_id, result.as_str(), &today)
        .await?;
    let mut entry = actor.audit("quarantine.test.result", "quarantine_test", test_id);
    entry.detail = result.as_str().to_owned();
    tx.insert_audit(&entry, now).await?;
    if result == TestResult::Positive {
        positive_alert(&mut tx, actor, &o, &today, now).await?;
    }
    let v = test_view(tx.quarantine_test(test_id).await?);
    tx.commit().await?;
    Ok(v)
}

pub async fn tests_of_order(app: &App, actor: &Actor, order_id: i64) -> Result<Vec<TestView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    order_in_scope(&mut tx, actor, order_id).await?;
    let rows = tx.quarantine_tests_of_order(order_id).await?;
    tx.rollback().await?;
    Ok(rows.into_iter().map(test_view).collect())
}

pub async fn checks_of_order(app: &App, actor: &Actor, order_id: i64) -> Result<Vec<CheckView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    order_in_scope(&mut tx, actor, order_id).await?;
    let rows = tx.quarantine_checks_of_order(order_id).await?;
    tx.rollback().await?;
    let now = domain::time::now_ms();
    let t = app.today().to_string();
    Ok(rows.into_iter().map(|k| check_view(k, now, &t)).collect())
}

/// Alerts of the last `days` days in the actor's area (the community sees its own; the
/// command centre, zone-wide, sees all), newest first.
pub async fn alerts(app: &App, actor: &Actor, days: i64) -> Result<Vec<AlertView>> {
    require_view(actor)?;
    let since = app.today() - chrono::Duration::days(days.clamp(0, 60));
    let mut tx = app.store.read().await?;
    let rows = tx
        .quarantine_alerts(&since.to_string(), &actor.scope_path, 500)
        .await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|a| AlertView {
            id: a.id,
            order_id: a.order_id,
            person_id: a.person_id,
            person_name: domain::mask::mask_name(&a.person_name),
            kind: a.kind,
            day: a.day,
            detail: a.detail,
            community: a.community_name,
            at: domain::time::format_local(a.created_at),
            acknowledged_by: a.acknowledged_by,
        })
        .collect())
}

pub async fn acknowledge_alert(app: &App, actor: &Actor, id: i64) -> Result<()> {
    require_manage(actor)?;
    let mut tx = app.store.write().await?;
    let order_id = tx.quarantine_alert_order(id).await?;
    order_in_scope(&mut tx, actor, order_id).await?;
    let now = domain::time::now_ms();
    if !tx
        .acknowledge_quarantine_alert(id, &actor.username, now)
        .await?
    {
        return Err(AppError::invalid("alert", "done", "acknowledged already"));
    }
    tx.insert_audit(
        &actor.audit("quarantine.alert.ack", "quarantine_alert", id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
