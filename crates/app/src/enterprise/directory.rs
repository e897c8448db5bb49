//! Finding and managing: the enterprise list (search, filters, sort, keyset pages), one
//! enterprise in full (audited), the grid tree with its keepers and enterprise counts, the
//! officers with their loads, ending an assignment and moving an enterprise to another
//! micro-grid. Phones are masked everywhere except in the audited full view.

use domain::Right;
use domain::enterprise::{GridLevel, OfficerKind, Sector};
use serde::Serialize;
use store::{EnterpriseCursor, EnterpriseQuery, EnterpriseSort};

use super::enterprises::EnterpriseView;
use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

/// The list's parameters as typed (query string, form).
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    /// Part of the name, or the start of the credit code.
    pub q: Option<String>,
    pub sector: Option<String>,
    pub street_id: Option<i64>,
    pub micro_grid_id: Option<i64>,
    /// id (default), name or employees (most first).
    pub sort: Option<String>,
    /// `next` of the previous page.
    pub after: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterprisePage {
    pub items: Vec<EnterpriseView>,
    /// Pass back as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// Enterprises matching the filters in all.
    pub total: i64,
}

fn parse_sort(s: &str) -> Option<EnterpriseSort> {
    match s {
        "id" => Some(EnterpriseSort::Id),
        "name" => Some(EnterpriseSort::Name),
        "employees" => Some(EnterpriseSort::Employees),
        _ => None,
    }
}

fn encode_cursor(e: &store::EnterpriseRow, sort: EnterpriseSort) -> String {
    match sort {
        EnterpriseSort::Id => e.id.to_string(),
        EnterpriseSort::Name => format!("{}~{}", e.id, e.name),
        EnterpriseSort::Employees => format!("{}~{}", e.id, e.employees),
    }
}

fn decode_cursor(s: &str, sort: EnterpriseSort) -> Option<EnterpriseCursor> {
    match sort {
        EnterpriseSort::Id => s.parse().ok().map(EnterpriseCursor::Id),
        EnterpriseSort::Name => {
            let (id, name) = s.split_once('~')?;
            Some(EnterpriseCursor::Name(name.to_owned(), id.parse().ok()?))
        }
        EnterpriseSort::Employees => {
            let (id, n) = s.split_once('~')?;
            Some(EnterpriseCursor::Employees(
                n.parse().ok()?,
                id.parse().ok()?,
            ))
        }
    }
}

/// Enterprises in the actor's area, masked, one keyset page at a time.
pub async fn list(app: &App, actor: &Actor, p: &ListParams) -> Result<EnterprisePage> {
    actor.require(Right::ServeEnterprises)?;
    let mut v = Validation::default();
    let sort = match p.sort.as_deref().filter(|s| !s.is_empty()) {
        None => EnterpriseSort::Id,
        Some(s) => parse_sort(s).unwrap_or_else(|| {
            v.push(FieldError::new(
                "sort",
                "unknown",
                format!("unknown sort {s:?}; use id, name or employees"),
            ));
            EnterpriseSort::Id
        }),
    };
    let limit = p.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        v.push(FieldError::new(
            "limit",
            "range",
            format!("limit must be 1–{MAX_PAGE}"),
        ));
    }
    let after = match p.after.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let c = decode_cursor(s, sort);
            if c.is_none() {
                v.push(FieldError::new(
                    "after",
                    "format",
                    "not a cursor from the previous page",
                ));
            }
            c
        }
    };
    let sector = match p.sector.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => v
            .check("sector", Sector::parse(s))
            .map(|s| s.as_str().to_owned()),
    };
    let text =
        p.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned);
    if text.as_ref().is_some_and(|t| t.chars().count() > 64) {
        v.push(FieldError::new(
            "q",
            "too_long",
            "search text must be at most 64 characters",
        ));
    }
    v.finish()?;
    let query = EnterpriseQuery {
        path_prefix: actor.scope_path.clone(),
        text,
        sector,
        street_id: p.street_id,
        micro_grid_id: p.micro_grid_id,
        sort,
        after,
        limit: i64::from(limit),
    };
    let mut tx = app.store.read().await?;
    let (rows, total) = tx.search_enterprises(&query).await?;
    tx.rollback().await?;
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| encode_cursor(r, sort)))
        .flatten();
    Ok(EnterprisePage {
        items: rows.iter().map(EnterpriseView::from).collect(),
        next,
        total,
    })
}

/// An enterprise with its contact in full and its officers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseFull {
    pub enterprise: EnterpriseView,
    pub contact_name: String,
    pub contact_phone: String,
    pub officers: Vec<OfficerView>,
}

/// The contact in full: for the enterprise's own officers and for managers in scope; every
/// view is recorded in the audit log.
pub async fn get_full(app: &App, actor: &Actor, id: i64) -> Result<EnterpriseFull> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.write().await?;
    let e = super::require_enterprise_access(&mut tx, actor, id).await?;
    if !actor.role.has(Right::ManageEnterprises) {
        let own = match tx.officer_of_user(actor.user_id).await? {
            Some(o) => tx.is_assigned(o.id, id).await?,
            None => false,
        };
        if !own {
            return Err(AppError::Forbidden(
                "the contact in full is for the enterprise's officers and managers".into(),
            ));
        }
    }
    let officers = tx.officers_of_enterprise(id).await?;
    let now = domain::time::now_ms();
    tx.insert_audit(&actor.audit("enterprise.view_full", "enterprise", id), now)
        .await?;
    tx.commit().await?;
    Ok(EnterpriseFull {
        enterprise: EnterpriseView::from(&e),
        contact_name: e.contact_name.clone(),
        contact_phone: e.contact_phone.clone(),
        officers: officers.iter().map(OfficerView::from).collect(),
    })
}

/// An officer as listed: phone masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfficerView {
    pub id: i64,
    pub user_id: Option<i64>,
    /// enterprise (驻企), prevention (防疫) or policy (政策).
    pub kind: String,
    pub name: String,
    pub phone_masked: String,
    pub department: String,
    /// Enterprises served (in lists; 0 where not counted).
    pub enterprises: i64,
}

impl From<&store::OfficerRow> for OfficerView {
    fn from(o: &store::OfficerRow) -> Self {
        Self {
            id: o.id,
            user_id: o.user_id,
            kind: o.kind.clone(),
            name: o.name.clone(),
            phone_masked: domain::mask::mask_phone(&o.phone),
            department: o.department.clone(),
            enterprises: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfficerPage {
    pub items: Vec<OfficerView>,
    /// Pass back as `after` for the next page; absent on the last page.
    pub next: Option<i64>,
}

/// Officers (optionally of one kind, or with `q` in the name or department), phones masked.
pub async fn officers(
    app: &App,
    actor: &Actor,
    kind: Option<&str>,
    q: Option<&str>,
    after: i64,
    limit: u32,
) -> Result<OfficerPage> {
    actor.require(Right::ServeEnterprises)?;
    let mut v = Validation::default();
    let kind = match kind.filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => v.check("kind", OfficerKind::parse(k)),
    };
    if limit == 0 || limit > MAX_PAGE {
        v.push(FieldError::new(
            "limit",
            "range",
            format!("limit must be 1–{MAX_PAGE}"),
        ));
    }
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|t| t.chars().count() > 64) {
        v.push(FieldError::new("q", "too_long", "at most 64 characters"));
    }
    v.finish()?;
    let mut tx = app.store.read().await?;
    let rows = tx
        .officers_page(kind.map(OfficerKind::as_str), q, after, i64::from(limit))
        .await?;
    tx.rollback().await?;
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    Ok(OfficerPage {
        items: rows
            .iter()
            .map(|o| OfficerView {
                id: o.id,
                user_id: o.user_id,
                kind: o.kind.clone(),
                name: o.name.clone(),
                phone_masked: domain::mask::mask_phone(&o.phone),
                department: o.department.clone(),
                enterprises: o.enterprises,
            })
            .collect(),
        next,
    })
}

/// One grid of the tree: keeper's phone masked, with the enterprises in it (micro-grids) or
/// under it (grids and sub-grids).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridView {
    pub id: i64,
    /// grid (网格), sub_grid (子网格) or micro_grid (微网格).
    pub level: String,
    pub parent_id: Option<i64>,
    pub street_id: i64,
    pub street: String,
    pub name: String,
    pub keeper_name: String,
    pub keeper_phone_masked: String,
    pub enterprises: i64,
}

/// The grids of the streets in the actor's area, each parent before its children (depth
/// first), with enterprise counts summed up the tree.
pub async fn grid_tree(app: &App, actor: &Actor, street_id: Option<i64>) -> Result<Vec<GridView>> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let streets = tx.areas_of_kind("street", &actor.scope_path).await?;
    let grids = tx.grids().await?;
    let counts: std::collections::HashMap<i64, i64> =
        tx.enterprises_per_grid().await?.into_iter().collect();
    tx.rollback().await?;
    let street_name: std::collections::HashMap<i64, String> =
        streets.iter().map(|s| (s.id, s.name.clone())).collect();
    let grids: Vec<_> = grids
        .into_iter()
        .filter(|g| street_name.contains_key(&g.street_id))
        .filter(|g| street_id.is_none_or(|s| s == g.street_id))
        .collect();
    let mut children: std::collections::HashMap<Option<i64>, Vec<&store::GridRow>> =
        std::collections::HashMap::new();
    for g in &grids {
        children.entry(g.parent_id).or_default().push(g);
    }
    fn total(
        g: &store::GridRow,
        children: &std::collections::HashMap<Option<i64>, Vec<&store::GridRow>>,
        counts: &std::collections::HashMap<i64, i64>,
    ) -> i64 {
        counts.get(&g.id).copied().unwrap_or(0)
            + children
                .get(&Some(g.id))
                .map(|cs| cs.iter().map(|c| total(c, children, counts)).sum())
                .unwrap_or(0)
    }
    let mut out = Vec::with_capacity(grids.len());
    let mut stack: Vec<&store::GridRow> = children
        .get(&None)
        .map(|v| v.iter().rev().copied().collect())
        .unwrap_or_default();
    while let Some(g) = stack.pop() {
        out.push(GridView {
            id: g.id,
            level: g.level.clone(),
            parent_id: g.parent_id,
            street_id: g.street_id,
            street: street_name.get(&g.street_id).cloned().unwrap_or_default(),
            name: g.name.clone(),
            keeper_name: g.keeper_name.clone(),
            keeper_phone_masked: domain::mask::mask_phone(&g.keeper_phone),
            enterprises: total(g, &children, &counts),
        });
        if let Some(cs) = children.get(&Some(g.id)) {
            stack.extend(cs.iter().rev().copied());
        }
    }
    Ok(out)
}

/// End an officer's assignment to an enterprise (audited).
pub async fn unassign(app: &App, actor: &Actor, officer_id: i64, enterprise_id: i64) -> Result<()> {
    actor.require(Right::ManageEnterprises)?;
    let mut tx = app.store.write().await?;
    tx.officer(officer_id).await?;
    let e = tx.enterprise(enterprise_id).await?;
    actor.require_in_scope(&e.area_path)?;
    if !tx.unassign_officer(officer_id, enterprise_id).await? {
        return Err(AppError::Conflict {
            field: "officer_id".into(),
            message: "the officer is not assigned to this enterprise".into(),
        });
    }
    let now = domain::time::now_ms();
    let mut entry = actor.audit("officer.unassign", "enterprise", enterprise_id);
    entry.detail = format!("officer {officer_id}");
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Move an enterprise into another micro-grid of its street (audited).
pub async fn move_to_grid(
    app: &App,
    actor: &Actor,
    enterprise_id: i64,
    micro_grid_id: i64,
) -> Result<()> {
    actor.require(Right::ManageEnterprises)?;
    let mut tx = app.store.write().await?;
    let e = tx.enterprise(enterprise_id).await?;
    actor.require_in_scope(&e.area_path)?;
    let g = match tx.grid(micro_grid_id).await {
        Ok(g) => g,
        Err(store::StoreError::NotFound(_)) => {
            return Err(AppError::invalid(
                "micro_grid_id",
                "unknown",
                "no grid has that id",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    if GridLevel::parse(&g.level) != Ok(GridLevel::MicroGrid) {
        return Err(AppError::invalid(
            "micro_grid_id",
            "not_micro_grid",
            "an enterprise lies in a micro-grid",
        ));
    }
    if g.street_id != e.street_id {
        return Err(AppError::invalid(
            "micro_grid_id",
            "other_street",
            "the micro-grid lies in another street",
        ));
    }
    let now = domain::time::now_ms();
    tx.set_enterprise_grid(enterprise_id, micro_grid_id, now)
        .await?;
    let mut entry = actor.audit("enterprise.move_grid", "enterprise", enterprise_id);
    entry.detail = format!("micro-grid {} → {micro_grid_id}", e.micro_grid_id);
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An officer with the enterprises in the actor's area that the officer serves.
pub async fn officer_detail(
    app: &App,
    actor: &Actor,
    officer_id: i64,
) -> Result<(OfficerView, Vec<EnterpriseView>)> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let o = tx.officer(officer_id).await?;
    let list = tx.enterprises_of_officer(officer_id).await?;
    tx.rollback().await?;
    let list: Vec<EnterpriseView> = list
        .iter()
        .filter(|e| actor.require_in_scope(&e.area_path).is_ok())
        .map(EnterpriseView::from)
        .collect();
    let mut view = OfficerView::from(&o);
    view.enterprises = list.len() as i64;
    Ok((view, list))
}

/// The enterprise with this credit code, if the actor may see it (422 naming `credit_code`
/// for a malformed or unknown code).
pub async fn by_credit_code(app: &App, actor: &Actor, code: &str) -> Result<EnterpriseView> {
    actor.require(Right::ServeEnterprises)?;
    let code = domain::CreditCode::parse(code.trim().to_uppercase().as_str())
        .map_err(|e| AppError::Invalid(vec![FieldError::from_value("credit_code", e)]))?;
    let mut tx = app.store.read().await?;
    let e = tx.enterprise_by_code(code.as_str()).await?;
    tx.rollback().await?;
    let e = e.ok_or_else(|| {
        AppError::invalid(
            "credit_code",
            "unknown",
            "no enterprise has that credit code",
        )
    })?;
    actor.require_in_scope(&e.area_path)?;
    Ok(EnterpriseView::from(&e))
}
