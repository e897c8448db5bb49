//! The three-level grid and the officers: creating grids level by level, officers of the
//! three kinds, assigning them to enterprises, and the visits they log with the prevention
//! check (方案 / 人员 / 现场).

use chrono::NaiveDate;
use domain::Right;
use domain::enterprise::check::PreventionCheck;
use domain::enterprise::{GridLevel, OfficerKind};

use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

#[derive(Debug, Clone)]
pub struct GridInput {
    pub level: String,
    pub parent_id: Option<i64>,
    pub street_id: i64,
    pub name: String,
    pub keeper_user_id: Option<i64>,
    pub keeper_name: String,
    pub keeper_phone: String,
}

/// Add a grid: a top grid in a street, or a sub-grid / micro-grid under a grid one level up
/// in the same street.
pub async fn create_grid(app: &App, actor: &Actor, g: &GridInput) -> Result<i64> {
    actor.require(Right::ManageEnterprises)?;
    let mut v = Validation::default();
    let level = v.check("level", GridLevel::parse(&g.level));
    let name = super::text(&mut v, "name", &g.name, true, 100);
    let keeper_name = super::text(&mut v, "keeper_name", &g.keeper_name, false, 50);
    let keeper_phone = match g.keeper_phone.trim() {
        "" => String::new(),
        p => v
            .check("keeper_phone", domain::Phone::parse(p))
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
    };
    v.finish()?;
    let Some(level) = level else {
        return Err(AppError::invalid("level", "unknown", "unknown level"));
    };
    let mut tx = app.store.write().await?;
    let street = tx.area(g.street_id).await?;
    if street.kind != "street" {
        return Err(AppError::invalid(
            "street_id",
            "not_street",
            "a grid lies in a street",
        ));
    }
    actor.require_in_scope(&street.path)?;
    match (level.parent(), g.parent_id) {
        (None, None) => {}
        (None, Some(_)) => {
            return Err(AppError::invalid(
                "parent_id",
                "not_allowed",
                "a top grid has no parent",
            ));
        }
        (Some(_), None) => {
            return Err(AppError::invalid(
                "parent_id",
                "required",
                "this level needs a parent grid",
            ));
        }
        (Some(want), Some(pid)) => {
            let parent = tx.grid(pid).await?;
            if GridLevel::parse(&parent.level) != Ok(want) || parent.street_id != street.id {
                return Err(AppError::invalid(
                    "parent_id",
                    "wrong_parent",
                    format!("the parent must be a {} in the same street", want.as_str()),
                ));
            }
        }
    }
    let now = domain::time::now_ms();
    let id = tx
        .insert_grid(
            &store::NewGrid {
                level: level.as_str().into(),
                parent_id: g.parent_id,
                street_id: street.id,
                name,
                keeper_user_id: g.keeper_user_id,
                keeper_name,
                keeper_phone,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict {
                field: "name".into(),
                message: "a grid of that level and name exists in the street".into(),
            },
            other => other.into(),
        })?;
    tx.insert_audit(&actor.audit("grid.create", "grid", id), now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct OfficerInput {
    pub user_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub department: String,
}

pub async fn create_officer(app: &App, actor: &Actor, o: &OfficerInput) -> Result<i64> {
    actor.require(Right::ManageEnterprises)?;
    let mut v = Validation::default();
    let kind = v.check("kind", OfficerKind::parse(&o.kind));
    let phone = v.check("phone", domain::Phone::parse(&o.phone));
    let name = super::text(&mut v, "name", &o.name, true, 50);
    let department = super::text(&mut v, "department", &o.department, true, 100);
    v.finish()?;
    let (Some(kind), Some(phone)) = (kind, phone) else {
        return Err(AppError::invalid("kind", "unknown", "unknown officer kind"));
    };
    let mut tx = app.store.write().await?;
    let now = domain::time::now_ms();
    let id = tx
        .insert_officer(
            &store::NewOfficer {
                user_id: o.user_id,
                kind: kind.as_str().into(),
                name,
                phone: phone.as_str().into(),
                department,
            },
            now,
        )
        .await?;
    tx.insert_audit(&actor.audit("officer.create", "officer", id), now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn assign(app: &App, actor: &Actor, officer_id: i64, enterprise_id: i64) -> Result<()> {
    actor.require(Right::ManageEnterprises)?;
    let mut tx = app.store.write().await?;
    tx.officer(officer_id).await?;
    let e = tx.enterprise(enterprise_id).await?;
    actor.require_in_scope(&e.area_path)?;
    let now = domain::time::now_ms();
    tx.assign_officers(&[(officer_id, enterprise_id)], now)
        .await?;
    let mut entry = actor.audit("officer.assign", "enterprise", enterprise_id);
    entry.detail = format!("officer {officer_id}");
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The officer record of the acting account.
pub(crate) async fn acting_officer(tx: &mut store::Tx, actor: &Actor) -> Result<store::OfficerRow> {
    actor.require(Right::ServeEnterprises)?;
    tx.officer_of_user(actor.user_id)
        .await?
        .ok_or(AppError::Forbidden(
            "this account is no liaison officer".into(),
        ))
}

/// What an officer sees first: the assigned enterprises and the latest visits.
pub async fn my_enterprises(
    app: &App,
    actor: &Actor,
) -> Result<(
    store::OfficerRow,
    Vec<super::enterprises::EnterpriseView>,
    Vec<store::VisitRow>,
)> {
    let mut tx = app.store.read().await?;
    let officer = acting_officer(&mut tx, actor).await?;
    let list = tx.enterprises_of_officer(officer.id).await?;
    let visits = tx.visits_of_officer(officer.id, 50).await?;
    tx.rollback().await?;
    Ok((officer, list.iter().map(Into::into).collect(), visits))
}

#[derive(Debug, Clone)]
pub struct VisitInput {
    pub enterprise_id: i64,
    pub visited_on: String,
    pub note: String,
    pub check: Option<PreventionCheck>,
}

/// Log a visit to an assigned enterprise, with the prevention check if one was made.
pub async fn log_visit(app: &App, actor: &Actor, input: &VisitInput) -> Result<i64> {
    let mut v = Validation::default();
    let day = match input.visited_on.trim().parse::<NaiveDate>() {
        Ok(d) if d <= app.today() => Some(d),
        _ => {
            v.push(FieldError::new(
                "visited_on",
                "bad_date",
                "a day such as 2020-03-01, not in the future",
            ));
            None
        }
    };
    let note = super::text(&mut v, "note", &input.note, false, 2000);
    if let Some(c) = &input.check {
        for (field, e) in c.check() {
            v.push(FieldError::from_value(field, e));
        }
    }
    v.finish()?;
    let mut tx = app.store.write().await?;
    let officer = acting_officer(&mut tx, actor).await?;
    if !tx.is_assigned(officer.id, input.enterprise_id).await? {
        return Err(AppError::Forbidden(
            "the enterprise is not assigned to you".into(),
        ));
    }
    let now = domain::time::now_ms();
    let c = input.check.as_ref();
    let id = tx
        .insert_visit(
            &store::NewVisit {
                enterprise_id: input.enterprise_id,
                officer_id: officer.id,
                visited_on: day.map(|d| d.to_string()).unwrap_or_default(),
                note,
                check: c.map(|c| (c.plan_ok, c.staff_ok, c.site_ok)),
                findings: c.map(|c| c.findings.trim().to_owned()).unwrap_or_default(),
                follow_up: c.map(|c| c.follow_up.trim().to_owned()).unwrap_or_default(),
            },
            now,
        )
        .await?;
    let mut entry = actor.audit("visit.create", "enterprise", input.enterprise_id);
    entry.detail = format!(
        "visit {id}, check passed: {:?}",
        c.map(PreventionCheck::passed)
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}
