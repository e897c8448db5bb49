//! Centralized quarantine sites (集中隔离点) with their rooms and staff, the home-quarantine
//! teams of communities, and the per-reason rules.

use domain::quarantine::{QuarantineReason, QuarantineRule};
use domain::{AreaKind, Right, Role};
use serde::{Deserialize, Serialize};
use store::{NewRoom, NewSite, SiteRow};

use super::{parse_enum, require_view, rule_for};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SiteInput {
    /// Unique short code, e.g. "QS-01".
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// The street (or a community in it) the site lies in.
    pub area_id: i64,
    pub rooms: Vec<RoomInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RoomInput {
    pub floor: i64,
    pub number: String,
    /// Beds, 1–8.
    pub capacity: i64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TeamInput {
    pub username: String,
    /// A site's staff: the site. Otherwise the community's home-quarantine team.
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub community_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub street_id: i64,
    pub street: String,
    pub rooms: i64,
    pub capacity: i64,
    /// Ordered or in quarantine here now.
    pub occupied: i64,
    pub free: i64,
    pub staff: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoomView {
    pub id: i64,
    pub floor: i64,
    pub number: String,
    pub capacity: i64,
    pub occupied: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleView {
    /// close_contact | risk_area_arrival | foreign_arrival | discharged_case | other
    pub reason: String,
    pub centralized_days: u32,
    pub home_days: u32,
    pub home_after_days: u32,
    pub negative_tests: u32,
}

fn site_view(s: SiteRow, staff: Vec<String>) -> SiteView {
    SiteView {
        id: s.id,
        code: s.code,
        name: s.name,
        address: s.address,
        street_id: s.street_id,
        street: s.street_name,
        rooms: s.rooms,
        free: (s.capacity - s.occupied).max(0),
        capacity: s.capacity,
        occupied: s.occupied,
        staff,
    }
}

async fn staff_of(tx: &mut store::Tx) -> Result<Vec<store::TeamMemberRow>> {
    Ok(tx.quarantine_team().await?)
}

/// Create a site with its rooms.
pub async fn create_site(app: &App, actor: &Actor, input: &SiteInput) -> Result<SiteView> {
    actor.require(Right::ManageQuarantineSites)?;
    let code = input.code.trim();
    let name = input.name.trim();
    let mut v = crate::error::Validation::default();
    if code.is_empty() || code.chars().count() > 20 {
        v.push(crate::FieldError::new(
            "code",
            "invalid",
            "1 to 20 characters",
        ));
    }
    if name.is_empty() || name.chars().count() > 100 {
        v.push(crate::FieldError::new(
            "name",
            "invalid",
            "1 to 100 characters",
        ));
    }
    if input.address.chars().count() > 200 {
        v.push(crate::FieldError::new(
            "address",
            "too_long",
            "at most 200 characters",
        ));
    }
    if input.rooms.is_empty() || input.rooms.len() > 2000 {
        v.push(crate::FieldError::new(
            "rooms",
            "invalid",
            "1 to 2000 rooms",
        ));
    }
    let mut numbers = std::collections::HashSet::new();
    for (i, r) in input.rooms.iter().enumerate() {
        let number = r.number.trim();
        if number.is_empty() || number.chars().count() > 10 {
            v.push(crate::FieldError::new(
                &format!("rooms[{i}].number"),
                "invalid",
                "1 to 10 characters",
            ));
        } else if !numbers.insert(number.to_owned()) {
            v.push(crate::FieldError::new(
                &format!("rooms[{i}].number"),
                "duplicate",
                format!("room {number} is listed twice"),
            ));
        }
        if !(1..=8).contains(&r.capacity) {
            v.push(crate::FieldError::new(
                &format!("rooms[{i}].capacity"),
                "out_of_range",
                "1 to 8 beds",
            ));
        }
        if !(-5..=100).contains(&r.floor) {
            v.push(crate::FieldError::new(
                &format!("rooms[{i}].floor"),
                "out_of_range",
                "floor -5 to 100",
            ));
        }
    }
    v.finish()?;
    let mut tx = app.store.write().await?;
    let area = tx.area(input.area_id).await.map_err(|e| match e {
        store::StoreError::NotFound(_) => AppError::invalid("area_id", "unknown", "no such area"),
        other => other.into(),
    })?;
    actor.require_in_scope(&area.path)?;
    let street_id = match area.kind.parse::<AreaKind>() {
        Ok(AreaKind::Street) => area.id,
        Ok(AreaKind::Community) => area.parent_id.unwrap_or(area.id),
        _ => {
            return Err(AppError::invalid(
                "area_id",
                "not_street",
                "a site lies in a street or a community",
            ));
        }
    };
    let now = domain::time::now_ms();
    let id = tx
        .insert_quarantine_site(
            &NewSite {
                code: code.to_owned(),
                name: name.to_owned(),
                address: input.address.trim().to_owned(),
                street_id,
                area_path: area.path.clone(),
            },
            now,
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::invalid(
                "code",
                "taken",
                format!("a site with code {code} exists already"),
            ),
            other => other.into(),
        })?;
    let rooms: Vec<NewRoom> = input
        .rooms
        .iter()
        .map(|r| NewRoom {
            floor: r.floor,
            number: r.number.trim().to_owned(),
            capacity: r.capacity,
        })
        .collect();
    tx.insert_quarantine_rooms(id, &rooms).await?;
    let mut entry = actor.audit("quarantine.site.create", "quarantine_site", id);
    entry.detail = format!("{code} {name}, {} rooms", rooms.len());
    tx.insert_audit(&entry, now).await?;
    let v = site_view(tx.quarantine_site(id).await?, vec![]);
    tx.commit().await?;
    Ok(v)
}

/// Add an account to a site's staff or a community's home-quarantine team.
pub async fn add_team_member(app: &App, actor: &Actor, input: &TeamInput) -> Result<()> {
    actor.require(Right::ManageQuarantineSites)?;
    let mut tx = app.store.write().await?;
    let user = tx
        .user_by_username(input.username.trim())
        .await?
        .ok_or_else(|| AppError::invalid("username", "unknown", "no such account"))?;
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::Internal("stored role".into()))?;
    if !role.has(Right::ManageQuarantine) {
        return Err(AppError::invalid(
            "username",
            "wrong_role",
            format!("{} ({role}) cannot run quarantine", user.username),
        ));
    }
    match (input.site_id, input.community_id) {
        (Some(s), None) => {
            let site = tx.quarantine_site(s).await.map_err(|e| match e {
                store::StoreError::NotFound(_) => {
                    AppError::invalid("site_id", "unknown", "no such site")
                }
                other => other.into(),
            })?;
            actor.require_in_scope(&site.area_path)?;
        }
        (None, Some(c)) => {
            let area = tx.area(c).await?;
            if area.kind != AreaKind::Community.as_str() {
                return Err(AppError::invalid(
                    "community_id",
                    "not_community",
                    "a home-quarantine team belongs to a community",
                ));
            }
            actor.require_in_scope(&area.path)?;
        }
        _ => {
            return Err(AppError::invalid(
                "site_id",
                "required",
                "give a site or a community, not both",
            ));
        }
    }
    let now = domain::time::now_ms();
    let id = tx
        .insert_team_member(input.site_id, input.community_id, user.id, now)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => {
                AppError::invalid("username", "taken", "already a member of this team")
            }
            other => other.into(),
        })?;
    let mut entry = actor.audit("quarantine.team.add", "quarantine_team", id);
    entry.detail = user.username;
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sites in the actor's area (all sites for zone-wide accounts), with staff names.
pub async fn sites(app: &App, actor: &Actor) -> Result<Vec<SiteView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    // A site serves the whole zone, so everyone who runs quarantine sees every site.
    let zone_path = actor
        .scope_path
        .split_inclusive('/')
        .take(2)
        .collect::<String>();
    let rows = tx.quarantine_sites(&zone_path).await?;
    let team = staff_of(&mut tx).await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|s| {
            let staff = team
                .iter()
                .filter(|m| m.site_id == Some(s.id))
                .map(|m| m.display_name.clone())
                .collect();
            site_view(s, staff)
        })
        .collect())
}

pub async fn get_site(app: &App, actor: &Actor, id: i64) -> Result<SiteView> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let s = tx.quarantine_site(id).await?;
    let team = staff_of(&mut tx).await?;
    tx.rollback().await?;
    let staff = team
        .iter()
        .filter(|m| m.site_id == Some(id))
        .map(|m| m.display_name.clone())
        .collect();
    Ok(site_view(s, staff))
}

pub async fn rooms_of_site(app: &App, actor: &Actor, id: i64) -> Result<Vec<RoomView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    tx.quarantine_site(id).await?;
    let rows = tx.quarantine_rooms(id).await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|r| RoomView {
            id: r.id,
            floor: r.floor,
            number: r.number,
            capacity: r.capacity,
            occupied: r.occupied,
        })
        .collect())
}

pub async fn rules(app: &App, actor: &Actor) -> Result<Vec<RuleView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let mut out = vec![];
    for reason in QuarantineReason::ALL {
        let r = rule_for(&mut tx, *reason).await?;
        out.push(rule_view(&r));
    }
    tx.rollback().await?;
    Ok(out)
}

fn rule_view(r: &QuarantineRule) -> RuleView {
    RuleView {
        reason: r.reason.as_str().to_owned(),
        centralized_days: r.centralized_days,
        home_days: r.home_days,
        home_after_days: r.home_after_days,
        negative_tests: r.negative_tests,
    }
}

/// Change the rule of one reason (applies to orders created from now on).
pub async fn set_rule(app: &App, actor: &Actor, input: &RuleView) -> Result<RuleView> {
    actor.require(Right::ManageQuarantineSites)?;
    let reason: QuarantineReason = parse_enum("reason", &input.reason)?;
    let rule = QuarantineRule {
        reason,
        centralized_days: input.centralized_days,
        home_days: input.home_days,
        home_after_days: input.home_after_days,
        negative_tests: input.negative_tests,
    };
    rule.validate()
        .map_err(|(f, e)| AppError::invalid(f, e.code, e.message))?;
    let mut tx = app.store.write().await?;
    let now = domain::time::now_ms();
    tx.update_quarantine_rule(&store::QuarantineRuleRow {
        reason: reason.as_str().to_owned(),
        centralized_days: i64::from(rule.centralized_days),
        home_days: i64::from(rule.home_days),
        home_after_days: i64::from(rule.home_after_days),
        negative_tests: i64::from(rule.negative_tests),
        updated_at: now,
    })
    .await?;
    let mut entry = actor.audit("quarantine.rule", "quarantine_rule", reason.as_str());
    entry.detail = format!(
        "{}+{} days (home {}), {} negative tests",
        rule.centralized_days, rule.home_after_days, rule.home_days, rule.negative_tests
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(rule_view(&rule))
}
