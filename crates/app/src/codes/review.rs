//! Colours set by hand (人工赋码) and appeals (纠错). No colour changes silently: a hand-set
//! colour needs the right to review codes and a reason; turning red into green or green into
//! red by hand needs a second approver who is not the requester; every request and decision is
//! audited, and the colour change itself goes to the code history through `recompute`.

use chrono::NaiveDate;
use domain::Right;
use domain::rules::CodeColor;
use serde::{Deserialize, Serialize};
use store::{AppealRow, Decision, NewAppeal, NewOverride, OverrideRow, PersonRow, Tx};

use super::{Cause, person_for, recompute};
use crate::error::{FieldError, Validation};
use crate::{Actor, App, AppError, Result};

/// How far ahead a hand-set colour may be fixed; beyond that the rules must decide again.
const MAX_OVERRIDE_DAYS: i64 = 30;
const MAX_TEXT: usize = 1000;

/// A request to set a person's colour by hand.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct OverrideInput {
    pub person_id: i64,
    /// green, yellow or red
    pub colour: String,
    /// Why, in words the resident will read.
    pub reason: String,
    /// Last day in force (YYYY-MM-DD); leave out to keep it until revoked.
    pub until: Option<String>,
}

/// A decision on a pending request or an active override: a note is required.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OverrideDecisionInput {
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AppealInput {
    /// What is wrong with the code, in the resident's words.
    pub explanation: String,
}

/// A reviewer's decision on an appeal. Upholding sets the colour by hand (green unless named),
/// which for red → green also waits for a second approver.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AppealDecisionInput {
    pub uphold: bool,
    /// The answer the resident will read.
    pub decision: String,
    pub colour: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverrideView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub colour: String,
    pub from_colour: String,
    pub reason: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub second_needed: bool,
    pub appeal_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: String,
    /// pending, active, rejected or revoked
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppealView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub explanation: String,
    /// The colour when the appeal was filed.
    pub colour: String,
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    pub filed_by: String,
    pub filed_at: String,
    /// pending, upheld or rejected
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision: Option<String>,
    pub override_id: Option<i64>,
    /// The state of the hand-set colour an upheld appeal led to (pending a second approver,
    /// active, …).
    pub override_status: Option<String>,
}

/// What waits for a reviewer in their area.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewQueue {
    pub appeals: Vec<AppealView>,
    pub overrides: Vec<OverrideView>,
}

impl From<OverrideRow> for OverrideView {
    fn from(o: OverrideRow) -> Self {
        OverrideView {
            id: o.id,
            person_id: o.person_id,
            person_name: domain::mask::mask_name(&o.person_name),
            colour: o.colour,
            from_colour: o.from_colour,
            reason: o.reason,
            valid_from: o.valid_from,
            valid_until: o.valid_until,
            second_needed: o.second_needed != 0,
            appeal_id: o.appeal_id,
            requested_by: o.requested_by,
            requested_at: domain::time::format_local(o.requested_at),
            status: o.status,
            decided_by: o.decided_by,
            decided_at: o.decided_at.map(domain::time::format_local),
            decision_note: o.decision_note,
        }
    }
}

fn appeal_view(a: AppealRow) -> AppealView {
    AppealView {
        id: a.id,
        person_id: a.person_id,
        person_name: domain::mask::mask_name(&a.person_name),
        explanation: a.explanation,
        colour: a.colour,
        reasons: serde_json::from_str(&a.reasons).unwrap_or(serde_json::Value::Null),
        filed_by: a.filed_by,
        filed_at: domain::time::format_local(a.filed_at),
        status: a.status,
        decided_by: a.decided_by,
        decided_at: a.decided_at.map(domain::time::format_local),
        decision: a.decision,
        override_id: a.override_id,
        override_status: a.override_status,
    }
}

fn text(v: &mut Validation, field: &str, value: &str, min_chars: usize) -> String {
    let t = value.trim();
    let n = t.chars().count();
    if n < min_chars {
        v.push(FieldError::new(
            field,
            "too_short",
            format!("write at least {min_chars} characters"),
        ));
    } else if n > MAX_TEXT {
        v.push(FieldError::new(
            field,
            "too_long",
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    t.to_owned()
}

fn colour(v: &mut Validation, field: &str, value: &str) -> Option<CodeColor> {
    v.check(field, value.parse::<CodeColor>())
}

fn until(v: &mut Validation, value: Option<&str>, day: NaiveDate) -> Option<NaiveDate> {
    let raw = value.map(str::trim).filter(|s| !s.is_empty())?;
    let Ok(d) = raw.parse::<NaiveDate>() else {
        v.push(FieldError::new("until", "format", "expected YYYY-MM-DD"));
        return None;
    };
    if d < day {
        v.push(FieldError::new(
            "until",
            "past",
            "the last day lies in the past",
        ));
    } else if (d - day).num_days() > MAX_OVERRIDE_DAYS {
        v.push(FieldError::new(
            "until",
            "too_far",
            format!("at most {MAX_OVERRIDE_DAYS} days ahead; after that the rules decide again"),
        ));
    }
    Some(d)
}

/// Red ↔ green by hand is the change that matters most either way: it needs two people.
fn needs_second(from: CodeColor, to: CodeColor) -> bool {
    matches!(
        (from, to),
        (CodeColor::Red, CodeColor::Green) | (CodeColor::Green, CodeColor::Red)
    )
}

async fn current_colour(tx: &mut Tx, person: &PersonRow, day: NaiveDate) -> Result<CodeColor> {
    // The colour the rules give today, so that a stale stored code cannot mislead the check.
    recompute(tx, person, day, Cause::Rule("daily")).await?;
    let code = tx
        .health_code(person.id)
        .await?
        .ok_or(AppError::NotFound("health code"))?;
    code.colour
        .parse()
        .map_err(|_| AppError::Internal("stored colour".into()))
}

struct NewRequest<'a> {
    day: NaiveDate,
    person: &'a PersonRow,
    colour: CodeColor,
    reason: String,
    until: Option<NaiveDate>,
    appeal_id: Option<i64>,
}

/// Store a hand-set colour: in force at once, or pending a second approver.
async fn place_override(tx: &mut Tx, actor: &Actor, r: NewRequest<'_>) -> Result<OverrideRow> {
    let day = r.day;
    let from = current_colour(tx, r.person, day).await?;
    if from == r.colour {
        return Err(AppError::invalid(
            "colour",
            "unchanged",
            format!("the code is already {}", r.colour.as_str()),
        ));
    }
    if tx
        .live_overrides(r.person.id)
        .await?
        .iter()
        .any(|o| o.status == "pending")
    {
        return Err(AppError::Conflict {
            field: "person_id".into(),
            message: "a hand-set colour for this person already waits for approval".into(),
        });
    }
    let second = needs_second(from, r.colour);
    let now = domain::time::now_ms();
    let id = tx
        .insert_override(
            &NewOverride {
                person_id: r.person.id,
                colour: r.colour.as_str().to_owned(),
                from_colour: from.as_str().to_owned(),
                reason: r.reason,
                valid_from: day.to_string(),
                valid_until: r.until.map(|d| d.to_string()),
                second_needed: second,
                appeal_id: r.appeal_id,
                requested_by: actor.username.clone(),
                status: if second { "pending" } else { "active" },
            },
            now,
        )
        .await?;
    tx.insert_audit(
        &actor.audit("code.override.request", "code_override", id),
        now,
    )
    .await?;
    if !second {
        recompute(tx, r.person, day, Cause::Manual(&actor.username)).await?;
    }
    tx.code_override(id)
        .await?
        .ok_or(AppError::NotFound("code override"))
}

/// Set a person's colour by hand, with a reason.
pub async fn request_override(
    app: &App,
    actor: &Actor,
    input: &OverrideInput,
) -> Result<OverrideView> {
    actor.require(Right::ReviewCodes)?;
    let day = app.today();
    let mut v = Validation::default();
    let c = colour(&mut v, "colour", &input.colour);
    let reason = text(&mut v, "reason", &input.reason, 4);
    let until = until(&mut v, input.until.as_deref(), day);
    v.finish()?;
    let colour = c.ok_or_else(|| AppError::Internal("validated colour".into()))?;
    let mut tx = app.store.write().await?;
    let person = tx.person(input.person_id).await?;
    actor.require_in_scope(&person.area_path)?;
    let row = place_override(
        &mut tx,
        actor,
        NewRequest {
            day,
            person: &person,
            colour,
            reason,
            until,
            appeal_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

/// Load an override the actor may decide on, in the expected status.
async fn override_for_decision(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    expected: &str,
) -> Result<(OverrideRow, PersonRow)> {
    actor.require(Right::ReviewCodes)?;
    let o = tx
        .code_override(id)
        .await?
        .ok_or(AppError::NotFound("code override"))?;
    actor.require_in_scope(&o.area_path)?;
    if o.status != expected {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("the request is {}, not {expected}", o.status),
        });
    }
    let person = tx.person(o.person_id).await?;
    Ok((o, person))
}

async fn decide(tx: &mut Tx, d: Decision<'_>) -> Result<()> {
    if tx.decide_override(&d, domain::time::now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::Conflict {
            field: "status".into(),
            message: "someone else decided first".into(),
        })
    }
}

/// What a reviewer does with a hand-set colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverrideAction {
    /// The second approver puts a pending red ↔ green change in force (not the requester).
    Approve,
    /// Refuse a pending request; the colour stays as the rules give it.
    Reject,
    /// End a colour in force early: the rules decide again from today.
    Revoke,
}

impl OverrideAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            "revoke" => Some(Self::Revoke),
            _ => None,
        }
    }

    /// (status it acts on, status it leaves, audit action)
    fn transition(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Approve => ("pending", "active", "code.override.approve"),
            Self::Reject => ("pending", "rejected", "code.override.reject"),
            Self::Revoke => ("active", "revoked", "code.override.revoke"),
        }
    }
}

fn required_note(input: &OverrideDecisionInput) -> Result<String> {
    let mut v = Validation::default();
    let note = text(&mut v, "note", &input.note, 2);
    v.finish()?;
    Ok(note)
}

/// Approve, reject or revoke a hand-set colour. Rejecting and revoking need a note; approving
/// needs someone other than the requester.
pub async fn decide_override(
    app: &App,
    actor: &Actor,
    id: i64,
    action: OverrideAction,
    input: &OverrideDecisionInput,
) -> Result<OverrideView> {
    let note = match action {
        OverrideAction::Approve => input.note.trim().to_owned(),
        _ => required_note(input)?,
    };
    let (expected, status, audit_action) = action.transition();
    let mut tx = app.store.write().await?;
    let (o, person) = override_for_decision(&mut tx, actor, id, expected).await?;
    if action == OverrideAction::Approve && o.requested_by == actor.username {
        return Err(AppError::Forbidden(
            "the second approver must be someone other than the requester".into(),
        ));
    }
    decide(
        &mut tx,
        Decision {
            id,
            expected,
            status,
            by: &actor.username,
            note: &note,
        },
    )
    .await?;
    tx.insert_audit(
        &actor.audit(audit_action, "code_override", id),
        domain::time::now_ms(),
    )
    .await?;
    match action {
        OverrideAction::Approve => {
            let both = format!("{}+{}", o.requested_by, actor.username);
            recompute(&mut tx, &person, app.today(), Cause::Manual(&both)).await?;
        }
        // The colour returns to the rules: theirs is the cause from now on.
        OverrideAction::Revoke => {
            recompute(&mut tx, &person, app.today(), Cause::Rule(&actor.username)).await?;
        }
        OverrideAction::Reject => {}
    }
    let row = tx
        .code_override(id)
        .await?
        .ok_or(AppError::NotFound("code override"))?;
    tx.commit().await?;
    Ok(row.into())
}

/// A resident (or an officer for them) appeals the current code.
pub async fn file_appeal(
    app: &App,
    actor: &Actor,
    person_id: Option<i64>,
    input: &AppealInput,
) -> Result<AppealView> {
    let mut v = Validation::default();
    let explanation = text(&mut v, "explanation", &input.explanation, 5);
    v.finish()?;
    let mut tx = app.store.write().await?;
    let person = person_for(&mut tx, actor, person_id).await?;
    recompute(&mut tx, &person, app.today(), Cause::Rule("daily")).await?;
    let code = tx
        .health_code(person.id)
        .await?
        .ok_or(AppError::NotFound("health code"))?;
    let now = domain::time::now_ms();
    let id = tx
        .insert_appeal(
            &NewAppeal {
                person_id: person.id,
                explanation,
                colour: code.colour,
                reasons: code.reasons,
                filed_by: actor.username.clone(),
            },
            now,
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict {
                field: "explanation".into(),
                message: "an appeal of this code is already waiting for a decision".into(),
            },
            e => e.into(),
        })?;
    tx.insert_audit(&actor.audit("code.appeal.file", "appeal", id), now)
        .await?;
    let row = tx.appeal(id).await?.ok_or(AppError::NotFound("appeal"))?;
    tx.commit().await?;
    Ok(appeal_view(row))
}

/// Decide an appeal: the outcome is recorded and shown to the resident, and the code is
/// recomputed either way.
pub async fn decide_appeal(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &AppealDecisionInput,
) -> Result<AppealView> {
    actor.require(Right::ReviewCodes)?;
    let day = app.today();
    let mut v = Validation::default();
    let decision = text(&mut v, "decision", &input.decision, 2);
    let c = match input.colour.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => colour(&mut v, "colour", s.trim()),
        None => Some(CodeColor::Green),
    };
    let until = until(&mut v, input.until.as_deref(), day);
    v.finish()?;
    let mut tx = app.store.write().await?;
    let appeal = tx.appeal(id).await?.ok_or(AppError::NotFound("appeal"))?;
    actor.require_in_scope(&appeal.area_path)?;
    if appeal.status != "pending" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("the appeal is already {}", appeal.status),
        });
    }
    let person = tx.person(appeal.person_id).await?;
    let mut override_id = None;
    let target = c.ok_or_else(|| AppError::Internal("validated colour".into()))?;
    // Upheld towards the colour the code already has (the rules moved on meanwhile): the
    // answer is recorded, no colour needs setting.
    if input.uphold && current_colour(&mut tx, &person, day).await? != target {
        let colour = target;
        let o = place_override(
            &mut tx,
            actor,
            NewRequest {
                day,
                person: &person,
                colour,
                reason: format!("appeal {id} upheld: {decision}"),
                until,
                appeal_id: Some(id),
            },
        )
        .await?;
        override_id = Some(o.id);
    }
    let decided = tx
        .decide_appeal(
            &Decision {
                id,
                expected: "pending",
                status: if input.uphold { "upheld" } else { "rejected" },
                by: &actor.username,
                note: &decision,
            },
            override_id,
            domain::time::now_ms(),
        )
        .await?;
    if !decided {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "someone else decided first".into(),
        });
    }
    tx.insert_audit(
        &actor.audit("code.appeal.decide", "appeal", id),
        domain::time::now_ms(),
    )
    .await?;
    recompute(&mut tx, &person, day, Cause::Rule(&actor.username)).await?;
    let row = tx.appeal(id).await?.ok_or(AppError::NotFound("appeal"))?;
    tx.commit().await?;
    Ok(appeal_view(row))
}

/// A person's appeals with their outcomes, newest first.
pub async fn appeals_of(
    app: &App,
    actor: &Actor,
    person_id: Option<i64>,
) -> Result<Vec<AppealView>> {
    let mut tx = app.store.read().await?;
    let person = person_for(&mut tx, actor, person_id).await?;
    let out = tx
        .appeals_of(person.id, 20)
        .await?
        .into_iter()
        .map(appeal_view)
        .collect();
    tx.rollback().await?;
    Ok(out)
}

/// Pending appeals and pending hand-set colours in the reviewer's area, oldest first.
pub async fn review_queue(app: &App, actor: &Actor, limit: u32) -> Result<ReviewQueue> {
    actor.require(Right::ReviewCodes)?;
    let limit = limit.clamp(1, 200);
    let mut tx = app.store.read().await?;
    let appeals = tx
        .appeals_by_status(actor.scope(), "pending", 0, limit)
        .await?
        .into_iter()
        .map(appeal_view)
        .collect();
    let overrides = tx
        .overrides_by_status(actor.scope(), "pending", 0, limit)
        .await?
        .into_iter()
        .map(OverrideView::from)
        .collect();
    tx.rollback().await?;
    Ok(ReviewQueue { appeals, overrides })
}
