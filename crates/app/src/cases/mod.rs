//! Cases (病例): confirmed, suspected, asymptomatic; their onset and report days, imported or
//! local, the cluster (聚集性疫情) they belong to, and their status changes. Every change
//! recomputes the person's code in the same transaction, so a new case is red at once.

mod contacts;
mod input;

use domain::Right;
use domain::case::{CaseChange, CaseState, apply_change};
use domain::rules::CaseKind;
use serde::Serialize;
use store::{CaseRow, Tx};

use crate::codes::{Cause, recompute};
use crate::{Actor, App, AppError, Result};

pub use contacts::{ContactInput, ContactView, add_contact, contacts_of};
pub use input::{CaseChangeInput, CaseInput, parse_day};

/// Most cases listed on one page (a zone has tens; a city a few thousand).
pub const LIST_LIMIT: i64 = 500;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub kind: String,
    pub status: String,
    pub origin: String,
    pub onset_on: Option<String>,
    pub reported_on: String,
    pub kind_since: String,
    pub ended_on: Option<String>,
    pub cluster_id: Option<i64>,
    pub cluster: Option<String>,
    pub note: String,
}

pub(crate) async fn view(tx: &mut Tx, c: CaseRow) -> Result<CaseView> {
    let person = tx.person(c.person_id).await?;
    let cluster = match c.cluster_id {
        Some(id) => Some(tx.cluster(id).await?.name),
        None => None,
    };
    Ok(CaseView {
        id: c.id,
        person_id: c.person_id,
        person_name: domain::mask::mask_name(&person.name),
        kind: c.kind,
        status: c.status,
        origin: c.origin,
        onset_on: c.onset_on,
        reported_on: c.reported_on,
        kind_since: c.kind_since,
        ended_on: c.ended_on,
        cluster_id: c.cluster_id,
        cluster,
        note: c.note,
    })
}

/// A case the actor may see: the person's record lies in their area.
pub(crate) async fn case_in_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<CaseRow> {
    let c = tx.case(id).await?;
    let person = tx.person(c.person_id).await?;
    actor.require_in_scope(&person.area_path)?;
    Ok(c)
}

/// Who may read cases: those who manage them, and officers who see persons.
fn require_read(actor: &Actor) -> Result<()> {
    if actor.role.has(Right::ManageCases) {
        Ok(())
    } else {
        actor.require(Right::ViewPersons)
    }
}

/// Record a case; a cluster named that does not exist yet is created.
pub async fn create(app: &App, actor: &Actor, input: &CaseInput) -> Result<CaseView> {
    actor.require(Right::ManageCases)?;
    let valid = input.validate(app.today())?;
    let mut tx = app.store.write().await?;
    let person = tx.person(valid.case.person_id).await.map_err(|e| match e {
        store::StoreError::NotFound(_) => {
            AppError::invalid("person_id", "unknown", "no such person")
        }
        other => other.into(),
    })?;
    actor.require_in_scope(&person.area_path)?;
    let now = domain::time::now_ms();
    let mut new = valid.case;
    if let Some(name) = &valid.cluster {
        new.cluster_id = Some(cluster_id(&mut tx, actor, name, now).await?);
    }
    let id = tx.insert_case(&new, now).await?;
    let mut entry = actor.audit("case.create", "case", id);
    entry.detail = format!("{} {}", new.kind, new.reported_on);
    tx.insert_audit(&entry, now).await?;
    let cause = format!("case {id}");
    recompute(&mut tx, &person, app.today(), Cause::Rule(&cause)).await?;
    let row = tx.case(id).await?;
    let v = view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(v)
}

async fn cluster_id(tx: &mut Tx, actor: &Actor, name: &str, now: i64) -> Result<i64> {
    if let Some(c) = tx.clusters().await?.into_iter().find(|c| c.name == name) {
        return Ok(c.id);
    }
    let id = tx.insert_cluster(name, now).await?;
    tx.insert_audit(&actor.audit("cluster.create", "cluster", id), now)
        .await?;
    Ok(id)
}

/// Confirm, exclude or discharge a case on a day (default today).
pub async fn change(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &CaseChangeInput,
) -> Result<CaseView> {
    actor.require(Right::ManageCases)?;
    let change: CaseChange = input
        .change
        .parse()
        .map_err(|e: domain::ValueError| AppError::invalid("change", e.code, e.message))?;
    let day = match input.on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_day("on", d, app.today())?,
        None => app.today(),
    };
    let mut tx = app.store.write().await?;
    let c = case_in_scope(&mut tx, actor, id).await?;
    let kind: CaseKind = c
        .kind
        .parse()
        .map_err(|_| AppError::Internal("stored case kind".into()))?;
    let state: CaseState = c
        .status
        .parse()
        .map_err(|_| AppError::Internal("stored case status".into()))?;
    let (new_kind, new_state) = apply_change(kind, state, change)
        .map_err(|e| AppError::invalid("change", e.code, e.message))?;
    let day_text = day.to_string();
    if day_text < c.kind_since {
        return Err(AppError::invalid(
            "on",
            "before_start",
            format!("the case is {kind} since {}", c.kind_since),
        ));
    }
    let kind_since = if new_kind != kind {
        day_text.clone()
    } else {
        c.kind_since.clone()
    };
    let ended = (new_state != CaseState::Active).then_some(day_text.as_str());
    let now = domain::time::now_ms();
    tx.update_case_status(
        id,
        new_kind.as_str(),
        new_state.as_str(),
        &kind_since,
        ended,
        now,
    )
    .await?;
    let mut entry = actor.audit(&format!("case.{change}"), "case", id);
    entry.detail = day_text;
    tx.insert_audit(&entry, now).await?;
    let person = tx.person(c.person_id).await?;
    let cause = format!("case {id}");
    recompute(&mut tx, &person, app.today(), Cause::Rule(&cause)).await?;
    let row = tx.case(id).await?;
    let v = view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(v)
}

/// Link a case to a cluster by name (created if new), or unlink it with an empty name.
pub async fn set_cluster(app: &App, actor: &Actor, id: i64, name: &str) -> Result<CaseView> {
    actor.require(Right::ManageCases)?;
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(AppError::invalid(
            "cluster",
            "too_long",
            "at most 100 characters",
        ));
    }
    let mut tx = app.store.write().await?;
    case_in_scope(&mut tx, actor, id).await?;
    let now = domain::time::now_ms();
    let cluster = if name.is_empty() {
        None
    } else {
        Some(cluster_id(&mut tx, actor, name, now).await?)
    };
    tx.set_case_cluster(id, cluster, now).await?;
    let mut entry = actor.audit("case.cluster", "case", id);
    entry.detail = name.to_owned();
    tx.insert_audit(&entry, now).await?;
    let row = tx.case(id).await?;
    let v = view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(v)
}

/// Cases whose person lies in the actor's area, newest report first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<CaseView>> {
    require_read(actor)?;
    let mut tx = app.store.read().await?;
    let mut out = vec![];
    for c in tx.list_cases(LIST_LIMIT).await? {
        let person = tx.person(c.person_id).await?;
        if actor.require_in_scope(&person.area_path).is_ok() {
            out.push(view(&mut tx, c).await?);
        }
    }
    tx.rollback().await?;
    Ok(out)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<CaseView> {
    require_read(actor)?;
    let mut tx = app.store.read().await?;
    let c = case_in_scope(&mut tx, actor, id).await?;
    let v = view(&mut tx, c).await?;
    tx.rollback().await?;
    Ok(v)
}
