//! The health code (健康码): declarations, daily check-ins, and each person's colour computed
//! by the rule engine from the records. A colour changes only here, by a rule, and every
//! change is written to the insert-only `code_changes` with its reasons, the ruleset version
//! and who caused it — in the same transaction as the fact that caused it.

mod bulk;
mod credential;
mod facts;
mod input;
mod review;
pub mod risk_areas;

use std::sync::Arc;

use chrono::NaiveDate;
use domain::rules::{Assessment, CodeColor, RiskAreaList, Ruleset};
use domain::{Right, Role};
use rand::RngCore;
use serde::Serialize;
use store::{CodeUpsert, NewCodeChange, NewDeclaration, PersonRow, Tx};

/// The signed documents and trust list types, for the web edge.
pub use ::credential::{SignedDocument, TrustList};
pub use bulk::{RecomputeReport, recompute_affected, recompute_all, recompute_persons};
pub use credential::{
    CredentialView, ISSUER, ScanCheck, check_scanned, default_ttl, issue as issue_credential,
    issue_png as issue_credential_png, signed_trust_list, status_list, trust_anchor, verify,
};
pub use input::{CheckInInput, DeclarationInput, ItineraryInput};
pub use review::{
    AppealDecisionInput, AppealInput, AppealView, OverrideAction, OverrideDecisionInput,
    OverrideInput, OverrideView, ReviewQueue, appeals_of, decide_appeal, decide_override,
    file_appeal, request_override, review_queue,
};

use crate::{Actor, App, AppError, Result};

/// A person's code as the resident and officers see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CodeView {
    pub person_id: i64,
    /// Masked, as on the code itself.
    pub person_name: String,
    pub colour: CodeColor,
    /// The day the current colour began.
    pub since: String,
    #[schema(value_type = Object)]
    pub assessment: Assessment,
    pub ruleset_version: String,
    pub history: Vec<CodeChangeView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CodeChangeView {
    pub at: String,
    pub from: Option<String>,
    pub to: String,
    pub actor: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
}

/// What caused a recompute, for the history: a rule applied on someone's action (or the day
/// passing), or a colour set by hand.
#[derive(Debug, Clone, Copy)]
pub enum Cause<'a> {
    /// The rules decided; the name is who or what prompted it ("daily" for the day passing).
    Rule(&'a str),
    /// A person set the colour (with a second approver where required: "first+second").
    Manual(&'a str),
}

impl Cause<'_> {
    fn actor(&self) -> &str {
        match self {
            Cause::Rule(a) | Cause::Manual(a) => a,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Cause::Rule(_) => "rule",
            Cause::Manual(_) => "manual",
        }
    }
}

/// The person an actor acts for: a resident only for their own record; officers for anyone
/// in their area with the right to see persons.
async fn person_for(tx: &mut Tx, actor: &Actor, person_id: Option<i64>) -> Result<PersonRow> {
    let id = match (actor.role, person_id, actor.person_id) {
        (Role::Resident, None, Some(own)) => own,
        (Role::Resident, Some(id), Some(own)) if id == own => own,
        (Role::Resident, _, _) => {
            return Err(AppError::Forbidden(
                "a resident acts only for their own record".into(),
            ));
        }
        (_, Some(id), _) => {
            actor.require(Right::ViewPersons)?;
            id
        }
        (_, None, Some(own)) => own,
        (_, None, None) => {
            return Err(AppError::invalid(
                "person_id",
                "required",
                "which person? give person_id",
            ));
        }
    };
    let person = tx.person(id).await?;
    actor.require_in_scope(&person.area_path)?;
    Ok(person)
}

/// Declare health and itinerary (GB/T 38962 items); the code is computed at once.
pub async fn declare(
    app: &App,
    actor: &Actor,
    person_id: Option<i64>,
    input: &DeclarationInput,
) -> Result<CodeView> {
    let day = app.today();
    let valid = input.validate(day)?;
    let mut tx = app.store.write().await?;
    let person = person_for(&mut tx, actor, person_id).await?;
    let now = domain::time::now_ms();
    let id = tx
        .insert_declaration(
            &NewDeclaration {
                person_id: person.id,
                declared_on: day.to_string(),
                temperature: valid.temperature,
                symptoms: valid.symptoms,
                contact_case: valid.contact_case,
                contact_risk_area: valid.contact_risk_area,
                address: valid.address.clone(),
                itinerary: valid.itinerary.clone(),
            },
            now,
        )
        .await?;
    // The declaration states today's health, so it counts as today's check-in if there is none.
    tx.insert_check_in(
        person.id,
        &day.to_string(),
        valid.temperature,
        valid.symptoms,
        now,
    )
    .await?;
    tx.insert_audit(&actor.audit("code.declare", "declaration", id), now)
        .await?;
    recompute(&mut tx, &person, day, Cause::Rule(&actor.username)).await?;
    let view = view(&mut tx, person.id).await?;
    tx.commit().await?;
    Ok(view)
}

/// The daily check-in (健康打卡): one per person and day.
pub async fn check_in(
    app: &App,
    actor: &Actor,
    person_id: Option<i64>,
    input: &CheckInInput,
) -> Result<CodeView> {
    let (temperature, symptoms) = input.validate()?;
    let day = app.today();
    let mut tx = app.store.write().await?;
    let person = person_for(&mut tx, actor, person_id).await?;
    let now = domain::time::now_ms();
    if !tx
        .insert_check_in(person.id, &day.to_string(), temperature, symptoms, now)
        .await?
    {
        return Err(AppError::Conflict {
            field: "day".into(),
            message: format!("already checked in on {day}"),
        });
    }
    tx.insert_audit(&actor.audit("code.check_in", "person", person.id), now)
        .await?;
    recompute(&mut tx, &person, day, Cause::Rule(&actor.username)).await?;
    let view = view(&mut tx, person.id).await?;
    tx.commit().await?;
    Ok(view)
}

/// The current code, recomputed for today (a day passing can release a colour).
pub async fn current(app: &App, actor: &Actor, person_id: Option<i64>) -> Result<CodeView> {
    let mut tx = app.store.write().await?;
    let person = person_for(&mut tx, actor, person_id).await?;
    recompute(&mut tx, &person, app.today(), Cause::Rule("daily")).await?;
    let view = view(&mut tx, person.id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Evaluate the rules for `person` on `day` and store the result; a colour change is written
/// to the history with its reasons and its cause.
pub async fn recompute(
    tx: &mut Tx,
    person: &PersonRow,
    day: NaiveDate,
    cause: Cause<'_>,
) -> Result<Assessment> {
    let ruleset = Ruleset::default_zhejiang();
    let risk_areas = Arc::new(facts::risk_area_list(tx).await?);
    recompute_with(tx, person, day, cause, &ruleset, risk_areas).await
}

async fn recompute_with(
    tx: &mut Tx,
    person: &PersonRow,
    day: NaiveDate,
    cause: Cause<'_>,
    ruleset: &Ruleset,
    risk_areas: Arc<RiskAreaList>,
) -> Result<Assessment> {
    let facts = facts::load(tx, person.id, day, risk_areas).await?;
    let a = ruleset.evaluate(&facts, day);
    let before = tx.health_code(person.id).await?;
    let colour = a.colour.as_str().to_owned();
    let changed = before.as_ref().is_none_or(|b| b.colour != colour);
    let reasons =
        serde_json::to_string(&a.reasons).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = domain::time::now_ms();
    let since = match &before {
        Some(b) if !changed => b.since.clone(),
        _ => day.to_string(),
    };
    tx.upsert_health_code(
        &CodeUpsert {
            person_id: person.id,
            r#ref: before.as_ref().map_or_else(new_ref, |b| b.r#ref.clone()),
            colour: colour.clone(),
            since,
            reasons: reasons.clone(),
            earliest_change: a.earliest_change.map(|d| d.to_string()),
            ruleset_version: ruleset.version().to_owned(),
            zone_id: person.zone_id,
            street_id: person.street_id,
            community_id: person.community_id,
        },
        now,
    )
    .await?;
    if changed {
        tx.insert_code_change(
            &NewCodeChange {
                person_id: person.id,
                day: day.to_string(),
                from_colour: before.map(|b| b.colour),
                to_colour: colour,
                reasons,
                ruleset_version: ruleset.version().to_owned(),
                actor: cause.actor().to_owned(),
                kind: cause.kind(),
            },
            now,
        )
        .await?;
    }
    Ok(a)
}

/// A pseudonymous reference for the credential: random, so it reveals nothing of the person.
fn new_ref() -> String {
    let mut b = [0u8; 12];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

async fn view(tx: &mut Tx, person_id: i64) -> Result<CodeView> {
    let code = tx
        .health_code(person_id)
        .await?
        .ok_or(AppError::NotFound("health code"))?;
    let reasons: Vec<domain::rules::Reason> =
        serde_json::from_str(&code.reasons).unwrap_or_default();
    let colour: CodeColor = code
        .colour
        .parse()
        .map_err(|_| AppError::Internal("stored colour".into()))?;
    let assessment = Assessment {
        colour,
        reasons,
        earliest_change: code.earliest_change.as_deref().and_then(|d| d.parse().ok()),
    };
    let history = tx
        .code_changes(person_id, 50)
        .await?
        .into_iter()
        .map(|c| CodeChangeView {
            at: domain::time::format_local(c.at),
            from: c.from_colour,
            to: c.to_colour,
            actor: c.actor,
            kind: c.kind,
            reasons: serde_json::from_str(&c.reasons).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    let person_name = domain::mask::mask_name(&tx.person(person_id).await?.name);
    Ok(CodeView {
        person_id,
        person_name,
        colour,
        since: code.since,
        assessment,
        ruleset_version: code.ruleset_version,
        history,
    })
}

/// Codes per colour, for `stats --json`.
pub async fn counts(app: &App) -> Result<[(CodeColor, i64); 3]> {
    let mut tx = app.store.read().await?;
    let rows = tx.code_counts().await?;
    let get = |c: CodeColor| rows.iter().find(|r| r.0 == c.as_str()).map_or(0, |r| r.1);
    Ok([CodeColor::Green, CodeColor::Yellow, CodeColor::Red].map(|c| (c, get(c))))
}
