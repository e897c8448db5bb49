//! A case's contacts: the list (masked), and contacts added by hand — household members and
//! colleagues that no checkpoint saw together. Each added contact's code is recomputed at once.

use std::collections::HashMap;

use domain::Right;
use domain::case::ContactSetting;
use domain::rules::ContactDegree;
use serde::{Deserialize, Serialize};
use store::{ContactRow, NewContact};

use super::{case_in_scope, parse_day, require_read};
use crate::codes::{Cause, recompute};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContactView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub source_person_id: i64,
    /// Masked.
    pub source_name: String,
    pub degree: String,
    pub setting: String,
    pub checkpoint_id: Option<i64>,
    pub place: Option<String>,
    pub first_at: String,
    pub last_at: String,
    /// Least time between the two scans, in minutes (checkpoint contacts).
    pub closest_minutes: Option<f64>,
    pub encounters: i64,
    pub last_exposure_on: String,
    pub added_by: String,
}

pub(crate) fn contact_view(r: ContactRow, names: &HashMap<i64, String>) -> ContactView {
    ContactView {
        id: r.id,
        person_id: r.person_id,
        person_name: domain::mask::mask_name(&r.person_name),
        source_person_id: r.source_person_id,
        source_name: names
            .get(&r.source_person_id)
            .map(|n| domain::mask::mask_name(n))
            .unwrap_or_default(),
        degree: r.degree,
        setting: r.setting,
        checkpoint_id: r.checkpoint_id,
        place: r.checkpoint_name,
        first_at: domain::time::format_local(r.first_at),
        last_at: domain::time::format_local(r.last_at),
        closest_minutes: r
            .closest_seconds
            .map(|s| (s as f64 / 60.0 * 10.0).round() / 10.0),
        encounters: r.encounters,
        last_exposure_on: r.last_exposure_on,
        added_by: r.added_by,
    }
}

/// The case (its id) and its contacts, close first.
pub async fn contacts_of(app: &App, actor: &Actor, case_id: i64) -> Result<Vec<ContactView>> {
    require_read(actor)?;
    let mut tx = app.store.read().await?;
    let case = case_in_scope(&mut tx, actor, case_id).await?;
    let rows = tx.contacts_of_case(case_id).await?;
    let case_name = tx.person(case.person_id).await?.name;
    tx.rollback().await?;
    // Sources are the case's person or close contacts, whose names are in the rows already.
    let mut names: HashMap<i64, String> = rows
        .iter()
        .map(|r| (r.person_id, r.person_name.clone()))
        .collect();
    names.insert(case.person_id, case_name);
    Ok(rows.into_iter().map(|r| contact_view(r, &names)).collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    pub person_id: i64,
    /// household | workplace | other
    pub setting: String,
    /// close (default) | secondary
    #[serde(default)]
    pub degree: Option<String>,
    /// Day of the last exposure (YYYY-MM-DD).
    pub last_exposure_on: String,
    /// Whom they met: the case's person (default) or, for a secondary contact, a close contact
    /// of this case.
    #[serde(default)]
    pub source_person_id: Option<i64>,
}

pub async fn add_contact(
    app: &App,
    actor: &Actor,
    case_id: i64,
    input: &ContactInput,
) -> Result<ContactView> {
    actor.require(Right::ManageCases)?;
    let setting: ContactSetting = input
        .setting
        .parse()
        .map_err(|e: domain::ValueError| AppError::invalid("setting", e.code, e.message))?;
    if setting == ContactSetting::Checkpoint {
        return Err(AppError::invalid(
            "setting",
            "traced",
            "checkpoint contacts are found by tracing; add household, workplace or other",
        ));
    }
    let degree: ContactDegree = match input.degree.as_deref().map(str::trim) {
        None | Some("") => ContactDegree::Close,
        Some(d) => d
            .parse()
            .map_err(|e: domain::ValueError| AppError::invalid("degree", e.code, e.message))?,
    };
    let day = parse_day("last_exposure_on", &input.last_exposure_on, app.today())?;
    let mut tx = app.store.write().await?;
    let case = case_in_scope(&mut tx, actor, case_id).await?;
    let person = tx.person(input.person_id).await.map_err(|e| match e {
        store::StoreError::NotFound(_) => {
            AppError::invalid("person_id", "unknown", "no such person")
        }
        other => other.into(),
    })?;
    actor.require_in_scope(&person.area_path)?;
    if person.id == case.person_id {
        return Err(AppError::invalid(
            "person_id",
            "is_case",
            "the case's own person is not a contact",
        ));
    }
    let existing = tx.contacts_of_case(case_id).await?;
    let source = input.source_person_id.unwrap_or(case.person_id);
    let source_ok = match degree {
        ContactDegree::Close => source == case.person_id,
        ContactDegree::Secondary => existing
            .iter()
            .any(|c| c.person_id == source && c.degree == ContactDegree::Close.as_str()),
    };
    if !source_ok {
        return Err(AppError::invalid(
            "source_person_id",
            "not_traced",
            "a close contact met the case's person; a secondary contact met a close contact of this case",
        ));
    }
    let now = domain::time::now_ms();
    let at = super::super::checkpoints::figures::midnight(day);
    tx.upsert_contacts(
        &[NewContact {
            case_id,
            person_id: person.id,
            source_person_id: source,
            degree: degree.as_str().to_owned(),
            setting: setting.as_str().to_owned(),
            checkpoint_id: None,
            first_at: at,
            last_at: at,
            closest_seconds: None,
            encounters: 1,
            last_exposure_on: day.to_string(),
            added_by: actor.username.clone(),
        }],
        now,
    )
    .await?;
    let mut entry = actor.audit("contact.add", "case", case_id);
    entry.detail = format!(
        "person {} {} {}",
        person.id,
        degree.as_str(),
        setting.as_str()
    );
    tx.insert_audit(&entry, now).await?;
    let cause = format!("case {case_id}");
    recompute(&mut tx, &person, app.today(), Cause::Rule(&cause)).await?;
    let rows = tx.contacts_of_case(case_id).await?;
    let mut names: HashMap<i64, String> = rows
        .iter()
        .map(|r| (r.person_id, r.person_name.clone()))
        .collect();
    names.insert(case.person_id, tx.person(case.person_id).await?.name);
    let row = rows
        .into_iter()
        .find(|r| {
            r.person_id == person.id
                && r.setting == setting.as_str()
                && r.source_person_id == source
        })
        .ok_or(AppError::NotFound("contact"))?;
    tx.commit().await?;
    Ok(contact_view(row, &names))
}
