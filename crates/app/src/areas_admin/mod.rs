//! The admin's work on the area tree: the whole tree with retired areas, renaming, moving a
//! community or micro-grid under another parent (everything below follows), retiring, and
//! deleting an area nothing refers to. Right: `ManageAccounts`. Every change is audited with
//! its before and after, in its transaction.

pub mod tree_import;

use domain::{AreaKind, Right};
use serde::Serialize;
use store::{AreaAdminRow, AreaAttachments, Tx};

use crate::{Actor, App, AppError, Result};

pub use tree_import::{TreeAction, TreeChange, TreeReport, import_tree};

/// An area in the admin's list.
#[derive(Debug, Clone, Serialize)]
pub struct AdminArea {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: AreaKind,
    pub code: String,
    pub name: String,
    /// Depth below the zone (zone 0), for indenting the list.
    pub depth: usize,
    pub retired: bool,
    pub has_boundary: bool,
}

impl AdminArea {
    fn from_row(r: AreaAdminRow) -> Result<Self> {
        let kind: AreaKind = r
            .kind
            .parse()
            .map_err(|_| AppError::Internal(format!("area {} has kind {}", r.id, r.kind)))?;
        Ok(AdminArea {
            id: r.id,
            parent_id: r.parent_id,
            kind,
            code: r.code,
            name: r.name,
            depth: kind.depth(),
            retired: r.retired_at.is_some(),
            has_boundary: r.has_boundary != 0,
        })
    }

    /// The i18n key of the kind's name.
    pub fn kind_key(&self) -> String {
        format!("area.kind.{}", self.kind.as_str())
    }
}

/// The tree in reading order: each area followed by its children, children by code.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<AdminArea>> {
    actor.require(Right::ManageAccounts)?;
    let mut tx = app.store.read().await?;
    let rows = tx.areas_for_admin(&actor.scope_path).await?;
    tx.rollback().await?;
    let areas = rows
        .into_iter()
        .map(AdminArea::from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(tree_order(areas))
}

fn tree_order(mut areas: Vec<AdminArea>) -> Vec<AdminArea> {
    use std::collections::HashMap;
    areas.sort_by(|a, b| a.code.cmp(&b.code));
    let ids: std::collections::HashSet<i64> = areas.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, a) in areas.iter().enumerate() {
        // The top of the actor's scope has its parent outside the list.
        let parent = a.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(i);
    }
    let mut out = Vec::with_capacity(areas.len());
    let mut stack: Vec<usize> = children
        .get(&None)
        .map(|v| v.iter().rev().copied().collect())
        .unwrap_or_default();
    while let Some(i) = stack.pop() {
        out.push(i);
        if let Some(c) = children.get(&Some(areas[i].id)) {
            stack.extend(c.iter().rev().copied());
        }
    }
    let mut slots: Vec<Option<AdminArea>> = areas.into_iter().map(Some).collect();
    out.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// One area's edit page: the area, its parent, what refers to it and where it may move.
#[derive(Debug, Clone, Serialize)]
pub struct AreaEdit {
    pub area: AdminArea,
    pub parent: Option<AdminArea>,
    pub persons: i64,
    pub checkpoints: i64,
    pub accounts: i64,
    pub children: i64,
    /// Other records (enterprises, quarantine, figures) that name the area.
    pub other: i64,
    /// Nothing refers to it: it may be deleted.
    pub deletable: bool,
    /// The areas it may move under: of its parent's kind, in service, not its parent now.
    pub parents: Vec<AdminArea>,
}

async fn in_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<AdminArea> {
    let row = tx.area_for_admin(id).await?;
    actor.require_in_scope(&row.path)?;
    AdminArea::from_row(row)
}

pub async fn edit_view(app: &App, actor: &Actor, id: i64) -> Result<AreaEdit> {
    actor.require(Right::ManageAccounts)?;
    let mut tx = app.store.read().await?;
    let area = in_scope(&mut tx, actor, id).await?;
    let parent = match area.parent_id {
        Some(p) => Some(AdminArea::from_row(tx.area_for_admin(p).await?)?),
        None => None,
    };
    let a: AreaAttachments = tx.area_attachments(id).await?;
    let parents = match (area.kind, tree_import::parent_kind(area.kind)) {
        (AreaKind::Community | AreaKind::MicroGrid, Some(pk)) => tx
            .areas_of_kind(pk.as_str(), &actor.scope_path)
            .await?
            .into_iter()
            .filter(|p| Some(p.id) != area.parent_id)
            .map(|p| AdminArea {
                id: p.id,
                parent_id: p.parent_id,
                kind: pk,
                code: p.code,
                name: p.name,
                depth: pk.depth(),
                retired: false,
                has_boundary: false,
            })
            .collect(),
        _ => vec![],
    };
    tx.rollback().await?;
    Ok(AreaEdit {
        deletable: a.is_empty() && area.kind != AreaKind::Zone,
        area,
        parent,
        persons: a.persons,
        checkpoints: a.checkpoints,
        accounts: a.accounts,
        children: a.children,
        other: a.other,
        parents,
    })
}

fn audit_detail(before: serde_json::Value, after: serde_json::Value) -> String {
    serde_json::json!({ "before": before, "after": after }).to_string()
}

/// Rename an area (names follow [`tree_import::check_name`]).
pub async fn rename(app: &App, actor: &Actor, id: i64, name: &str) -> Result<AdminArea> {
    actor.require(Right::ManageAccounts)?;
    let name =
        tree_import::check_name(name).map_err(|m| AppError::invalid("name", "invalid", m))?;
    let mut tx = app.store.write().await?;
    let area = in_scope(&mut tx, actor, id).await?;
    if area.name != name {
        let now = domain::time::now_ms();
        tx.rename_area(id, &name).await?;
        let mut entry = actor.audit("area.rename", "area", id);
        entry.detail = audit_detail(
            serde_json::json!({ "name": area.name }),
            serde_json::json!({ "name": name }),
        );
        tx.insert_audit(&entry, now).await?;
    }
    let after = AdminArea::from_row(tx.area_for_admin(id).await?)?;
    tx.commit().await?;
    Ok(after)
}

/// What a re-parent moved.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Moved {
    pub areas: u64,
    pub persons: u64,
}

/// Move a community under another street, or a micro-grid under another community; the
/// persons below (and every record that copies their place in the tree) follow, in one
/// transaction.
pub async fn reparent(app: &App, actor: &Actor, id: i64, new_parent_id: i64) -> Result<Moved> {
    actor.require(Right::ManageAccounts)?;
    let mut tx = app.store.write().await?;
    let area = in_scope(&mut tx, actor, id).await?;
    if !matches!(area.kind, AreaKind::Community | AreaKind::MicroGrid) {
        return Err(AppError::invalid(
            "id",
            "not_movable",
            format!(
                "a {} cannot be moved; only communities and micro-grids",
                area.kind
            ),
        ));
    }
    let parent = match tx.area_for_admin(new_parent_id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound(_)) => {
            return Err(AppError::invalid("parent_id", "unknown", "no such area"));
        }
        Err(e) => return Err(e.into()),
    };
    if actor.require_in_scope(&parent.path).is_err() {
        return Err(AppError::invalid(
            "parent_id",
            "out_of_scope",
            "the new parent lies outside your area",
        ));
    }
    let wanted = tree_import::parent_kind(area.kind);
    if Some(parent.kind.as_str()) != wanted.map(AreaKind::as_str) {
        return Err(AppError::invalid(
            "parent_id",
            "wrong_kind",
            format!(
                "a {} must be under a {}, not a {}",
                area.kind,
                wanted.map_or("nothing", AreaKind::as_str),
                parent.kind
            ),
        ));
    }
    if parent.retired_at.is_some() {
        return Err(AppError::invalid(
            "parent_id",
            "retired",
            format!("{} is retired", parent.name),
        ));
    }
    let old_parent = area.parent_id;
    let done = tx.reparent_area(id, parent.id).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("area.reparent", "area", id);
    entry.detail = audit_detail(
        serde_json::json!({ "parent_id": old_parent }),
        serde_json::json!({
            "parent_id": parent.id,
            "areas_moved": done.areas,
            "persons_moved": done.persons,
        }),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(Moved {
        areas: done.areas,
        persons: done.persons,
    })
}

/// Retire an area (`retire = true`) or bring it back. The zone is never retired; an area with
/// sub-areas in service is refused (retire them first), so a list never shows a child of a
/// retired area. A retired area is brought back only under a parent in service.
pub async fn retire(app: &App, actor: &Actor, id: i64, retire: bool) -> Result<AdminArea> {
    actor.require(Right::ManageAccounts)?;
    let mut tx = app.store.write().await?;
    let area = in_scope(&mut tx, actor, id).await?;
    if area.kind == AreaKind::Zone {
        return Err(AppError::invalid(
            "id",
            "zone",
            "the zone itself cannot be retired",
        ));
    }
    if area.retired != retire {
        if retire && !tx.area_children(Some(id)).await?.is_empty() {
            return Err(AppError::Conflict {
                field: "id".into(),
                message: format!("{} has sub-areas in service; retire them first", area.name),
            });
        }
        if !retire
            && let Some(p) = area.parent_id
            && tx.area_for_admin(p).await?.retired_at.is_some()
        {
            return Err(AppError::Conflict {
                field: "id".into(),
                message: "its parent is retired; bring the parent back first".into(),
            });
        }
        let now = domain::time::now_ms();
        tx.set_area_retired(id, retire.then_some(now)).await?;
        let mut entry = actor.audit(
            if retire {
                "area.retire"
            } else {
                "area.reinstate"
            },
            "area",
            id,
        );
        entry.detail = audit_detail(
            serde_json::json!({ "retired": area.retired }),
            serde_json::json!({ "retired": retire }),
        );
        tx.insert_audit(&entry, now).await?;
    }
    let after = AdminArea::from_row(tx.area_for_admin(id).await?)?;
    tx.commit().await?;
    Ok(after)
}

/// Delete an area entered by mistake. One with sub-areas, persons, checkpoints, accounts or
/// any history is refused (retire it instead).
pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Right::ManageAccounts)?;
    let mut tx = app.store.write().await?;
    let area = in_scope(&mut tx, actor, id).await?;
    if area.kind == AreaKind::Zone {
        return Err(AppError::Conflict {
            field: "id".into(),
            message: "the zone itself is never deleted".into(),
        });
    }
    let a = tx.area_attachments(id).await?;
    if !a.is_empty() {
        return Err(AppError::Conflict {
            field: "id".into(),
            message: format!(
                "{} has {} sub-areas, {} persons, {} checkpoints, {} accounts and {} other \
                 records; retire it instead",
                area.name, a.children, a.persons, a.checkpoints, a.accounts, a.other
            ),
        });
    }
    tx.delete_area(id).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("area.delete", "area", id);
    entry.detail = audit_detail(
        serde_json::json!({
            "code": area.code, "name": area.name, "kind": area.kind, "parent_id": area.parent_id,
        }),
        serde_json::Value::Null,
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}
