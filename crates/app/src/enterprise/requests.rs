//! Requests (诉求) through their closed loop: raised (by the enterprise's contact or an
//! officer) → assigned → answered → feedback, with a deadline on the working-day calendar and
//! supervision that escalates what is overdue. Every step is a row in `ent_request_steps`
//! (who, when, at which level) and an audit entry. Use cases take the instant `at` from the
//! caller, so a replayed day and the tests decide the clock, not the machine.

use domain::Right;
use domain::enterprise::request::{escalation_level, parse_satisfaction};
use domain::enterprise::{
    Complexity, EscalationLevel, RequestCategory, RequestStatus, WorkCalendar,
};
use serde::Serialize;

use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

#[derive(Debug, Clone)]
pub struct RequestInput {
    /// Ignored for a contact (its own enterprise); required for an officer.
    pub enterprise_id: Option<i64>,
    pub category: String,
    pub complexity: String,
    pub title: String,
    pub detail: String,
}

fn step(
    tx_request: i64,
    at: i64,
    action: &str,
    level: &str,
    actor: &Actor,
    note: &str,
) -> store::RequestStepRow {
    store::RequestStepRow {
        id: 0,
        request_id: tx_request,
        at,
        action: action.into(),
        level: level.into(),
        user_id: (actor.user_id > 0).then_some(actor.user_id),
        username: actor.username.clone(),
        note: note.into(),
    }
}

async fn record(tx: &mut store::Tx, actor: &Actor, s: store::RequestStepRow) -> Result<()> {
    let mut entry = actor.audit(&format!("request.{}", s.action), "request", s.request_id);
    entry.detail = s.level.clone();
    tx.insert_request_step(&s).await?;
    tx.insert_audit(&entry, s.at).await?;
    Ok(())
}

/// Raise a request; it starts at the micro-grid with its deadline counted on the calendar.
pub async fn raise(app: &App, actor: &Actor, input: &RequestInput, at: i64) -> Result<i64> {
    let mut v = Validation::default();
    let category = v.check("category", RequestCategory::parse(&input.category));
    let complexity = v.check("complexity", Complexity::parse(&input.complexity));
    let title = super::text(&mut v, "title", &input.title, true, 100);
    let detail = super::text(&mut v, "detail", &input.detail, false, 4000);
    v.finish()?;
    let (Some(category), Some(complexity)) = (category, complexity) else {
        return Err(AppError::invalid("category", "unknown", "unknown category"));
    };
    let mut tx = app.store.write().await?;
    let enterprise_id = if actor.role.has(Right::ReportResumption) {
        super::own_enterprise(&mut tx, actor).await?
    } else {
        let id = input.enterprise_id.ok_or_else(|| {
            AppError::invalid("enterprise_id", "required", "which enterprise raises it")
        })?;
        super::require_enterprise_access(&mut tx, actor, id)
            .await?
            .id
    };
    let deadline_at = WorkCalendar::china().deadline_ms(at, complexity.working_days());
    let level = EscalationLevel::MicroGrid.as_str();
    let id = tx
        .insert_request(&store::NewRequest {
            enterprise_id,
            category: category.as_str().into(),
            complexity: complexity.as_str().into(),
            title,
            detail,
            level: level.into(),
            raised_by: (actor.user_id > 0).then_some(actor.user_id),
            received_at: at,
            deadline_at,
        })
        .await?;
    record(&mut tx, actor, step(id, at, "receive", level, actor, "")).await?;
    tx.commit().await?;
    Ok(id)
}

/// Hand a request to an officer and/or a department.
pub async fn assign(
    app: &App,
    actor: &Actor,
    id: i64,
    officer_id: Option<i64>,
    department: &str,
    at: i64,
) -> Result<()> {
    actor.require(Right::ServeEnterprises)?;
    let department = department.trim();
    if officer_id.is_none() && department.is_empty() {
        return Err(AppError::invalid(
            "department",
            "required",
            "assign to an officer or a department",
        ));
    }
    let mut tx = app.store.write().await?;
    let r = tx.request(id).await?;
    super::require_enterprise_access(&mut tx, actor, r.enterprise_id).await?;
    status_of(&r)?
        .step_to(RequestStatus::Assigned)
        .map_err(|e| FieldError::from_value("status", e))
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let department = match officer_id {
        Some(o) => {
            let officer = tx.officer(o).await?;
            if department.is_empty() {
                officer.department
            } else {
                department.to_owned()
            }
        }
        None => department.to_owned(),
    };
    if !tx.assign_request(id, officer_id, &department, at).await? {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "the request was assigned meanwhile".into(),
        });
    }
    record(
        &mut tx,
        actor,
        step(id, at, "assign", &r.level, actor, &department),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn status_of(r: &store::RequestRow) -> Result<RequestStatus> {
    RequestStatus::parse(&r.status).map_err(|e| AppError::Internal(e.message))
}

/// Answer an assigned request.
pub async fn answer(app: &App, actor: &Actor, id: i64, text: &str, at: i64) -> Result<()> {
    actor.require(Right::ServeEnterprises)?;
    let mut v = Validation::default();
    let text = super::text(&mut v, "answer", text, true, 4000);
    v.finish()?;
    let mut tx = app.store.write().await?;
    let r = tx.request(id).await?;
    super::require_enterprise_access(&mut tx, actor, r.enterprise_id).await?;
    status_of(&r)?
        .step_to(RequestStatus::Answered)
        .map_err(|e| AppError::Invalid(vec![FieldError::from_value("status", e)]))?;
    if !tx.answer_request(id, &text, at).await? {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "the request changed meanwhile".into(),
        });
    }
    let note = if at <= r.deadline_at {
        "on time"
    } else {
        "late"
    };
    record(
        &mut tx,
        actor,
        step(id, at, "answer", &r.level, actor, note),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The enterprise's feedback on an answer: satisfaction 1–5 and a comment. Closes the loop.
/// Given by the enterprise's contact, or recorded by an officer on a return visit (回访) —
/// the step names who recorded it.
pub async fn feedback(
    app: &App,
    actor: &Actor,
    id: i64,
    satisfaction: i64,
    comment: &str,
    at: i64,
) -> Result<()> {
    let mut v = Validation::default();
    let satisfaction = v.check("satisfaction", parse_satisfaction(satisfaction));
    let comment = super::text(&mut v, "feedback", comment, false, 2000);
    v.finish()?;
    let mut tx = app.store.write().await?;
    let r = tx.request(id).await?;
    let by_contact = actor.role.has(Right::ReportResumption);
    if by_contact {
        if super::own_enterprise(&mut tx, actor).await? != r.enterprise_id {
            return Err(AppError::Forbidden(
                "this request is not your enterprise's".into(),
            ));
        }
    } else {
        super::require_enterprise_access(&mut tx, actor, r.enterprise_id).await?;
    }
    status_of(&r)?
        .step_to(RequestStatus::Closed)
        .map_err(|e| AppError::Invalid(vec![FieldError::from_value("status", e)]))?;
    let satisfaction = satisfaction.unwrap_or(0);
    if !tx.close_request(id, satisfaction, &comment, at).await? {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "the request changed meanwhile".into(),
        });
    }
    let how = if by_contact { "" } else { "return visit, " };
    let note = format!("{how}satisfaction {satisfaction}");
    record(
        &mut tx,
        actor,
        step(id, at, "feedback", &r.level, actor, &note),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Supervision (督办): move every overdue request to the level its lateness calls for.
/// Returns how many moved. Idempotent: a request already at its level is left alone.
pub async fn supervise(app: &App, actor: &Actor, at: i64) -> Result<usize> {
    actor.require(Right::ServeEnterprises)?;
    let calendar = WorkCalendar::china();
    let mut tx = app.store.write().await?;
    let mut moved = 0;
    let overdue = tx.overdue_requests(at, i64::MAX).await?;
    for r in overdue {
        let current = EscalationLevel::parse(&r.level).unwrap_or(EscalationLevel::MicroGrid);
        let due = escalation_level(&calendar, EscalationLevel::MicroGrid, r.deadline_at, at);
        if due > current {
            tx.set_request_level(r.id, due.as_str()).await?;
            record(
                &mut tx,
                actor,
                step(r.id, at, "escalate", due.as_str(), actor, current.as_str()),
            )
            .await?;
            moved += 1;
        }
    }
    tx.commit().await?;
    Ok(moved)
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestDetail {
    pub request: store::RequestRow,
    pub steps: Vec<store::RequestStepRow>,
    pub overdue: bool,
}

pub async fn detail(app: &App, actor: &Actor, id: i64, at: i64) -> Result<RequestDetail> {
    let mut tx = app.store.read().await?;
    let request = tx.request(id).await?;
    super::require_enterprise_access(&mut tx, actor, request.enterprise_id).await?;
    let steps = tx.request_steps(id).await?;
    tx.rollback().await?;
    let open = RequestStatus::parse(&request.status)
        .map(RequestStatus::is_open)
        .unwrap_or(false);
    let overdue = open && request.deadline_at <= at;
    Ok(RequestDetail {
        request,
        steps,
        overdue,
    })
}

/// The command centre's list: open requests past their deadline, most overdue first.
pub async fn overdue(
    app: &App,
    actor: &Actor,
    at: i64,
    limit: i64,
) -> Result<Vec<store::RequestRow>> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let rows = tx.overdue_requests(at, limit.clamp(1, 1000)).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// A contact's requests, or an officer's.
pub async fn mine(app: &App, actor: &Actor) -> Result<Vec<store::RequestRow>> {
    let mut tx = app.store.read().await?;
    let rows = if actor.role.has(Right::ReportResumption) {
        let id = super::own_enterprise(&mut tx, actor).await?;
        tx.requests_of_enterprise(id, 100).await?
    } else {
        let o = super::grid::acting_officer(&mut tx, actor).await?;
        tx.requests_for_officer(o.id, 100).await?
    };
    tx.rollback().await?;
    Ok(rows)
}

#[derive(Debug, Clone, Serialize)]
pub struct OnTime {
    pub key: String,
    pub answered: i64,
    pub on_time: i64,
    pub rate_bp: Option<i64>,
}

/// On-time rate per department and per officer (officer id as text).
pub async fn on_time(app: &App, actor: &Actor) -> Result<(Vec<OnTime>, Vec<OnTime>)> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let conv = |rows: Vec<store::OnTimeRow>| {
        rows.into_iter()
            .map(|r| OnTime {
                rate_bp: domain::enterprise::report::ratio_bp(r.on_time, r.answered),
                key: r.key,
                answered: r.answered,
                on_time: r.on_time,
            })
            .collect::<Vec<_>>()
    };
    let by_department = conv(tx.on_time_rates(true).await?);
    let by_officer = conv(tx.on_time_rates(false).await?);
    tx.rollback().await?;
    Ok((by_department, by_officer))
}

/// The acting officer takes a request: assigned to the officer (and the officer's
/// department unless another is named).
pub async fn take(app: &App, actor: &Actor, id: i64, department: &str, at: i64) -> Result<()> {
    let mut tx = app.store.read().await?;
    let officer = super::grid::acting_officer(&mut tx, actor).await?;
    tx.rollback().await?;
    assign(app, actor, id, Some(officer.id), department, at).await
}
