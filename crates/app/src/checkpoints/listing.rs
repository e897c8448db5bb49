//! The checkpoint management list: the checkpoints in the manager's area filtered by area,
//! kind, status and a search in code or name, a page at a time, each with its area's name.
//! A zone has hundreds of checkpoints, not millions: the scoped rows are read once (one index
//! range) and filtered here.

use domain::{CheckpointKind, Right};
use serde::Serialize;

use crate::{Actor, App, AppError, FieldError, Result};

use super::CheckpointView;

pub const PER_PAGE: usize = 50;

/// The list's filters as typed; each is checked.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub q: Option<String>,
    /// An area id: the checkpoints in it and below it.
    pub area_id: Option<i64>,
    pub kind: Option<String>,
    /// `active` (default), `retired` or `all`.
    pub status: Option<String>,
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListedCheckpoint {
    pub checkpoint: CheckpointView,
    pub area_name: String,
    pub area_code: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointPage {
    pub items: Vec<ListedCheckpoint>,
    pub total: usize,
    pub page: i64,
    pub pages: i64,
}

/// An area a checkpoint may belong to (for the filter and the form): in service, in scope.
#[derive(Debug, Clone, Serialize)]
pub struct AreaChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub depth: usize,
}

pub async fn page(app: &App, actor: &Actor, p: &ListParams) -> Result<CheckpointPage> {
    actor.require(Right::ManageCheckpoints)?;
    let mut bad = vec![];
    let kind = match p.kind.as_deref() {
        None => None,
        Some(k) => match k.parse::<CheckpointKind>() {
            Ok(k) => Some(k.as_str()),
            Err(e) => {
                bad.push(FieldError::new("kind", e.code, e.message));
                None
            }
        },
    };
    let status = p.status.as_deref().unwrap_or("active");
    if !matches!(status, "active" | "retired" | "all") {
        bad.push(FieldError::new(
            "status",
            "unknown",
            "status is active, retired or all",
        ));
    }
    let page = p.page.unwrap_or(1);
    if page < 1 {
        bad.push(FieldError::new("page", "out_of_range", "page is 1 or more"));
    }
    if !bad.is_empty() {
        return Err(AppError::Invalid(bad));
    }
    let mut tx = app.store.read().await?;
    let scope = match p.area_id {
        None => actor.scope_path.clone(),
        Some(id) => match tx.area(id).await {
            Ok(a) if actor.require_in_scope(&a.path).is_ok() => a.path,
            Ok(_) | Err(store::StoreError::NotFound(_)) => {
                return Err(AppError::invalid(
                    "area",
                    "unknown",
                    "no such area in your area",
                ));
            }
            Err(e) => return Err(e.into()),
        },
    };
    let rows = tx.checkpoint_records(&scope, status != "active").await?;
    let q = p.q.as_deref().map(str::to_lowercase);
    let matching: Vec<store::CheckpointRecord> = rows
        .into_iter()
        .filter(|c| match status {
            "retired" => c.retired_at.is_some(),
            _ => true,
        })
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .filter(|c| {
            q.as_deref().is_none_or(|q| {
                c.code.to_lowercase().contains(q) || c.name.to_lowercase().contains(q)
            })
        })
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(PER_PAGE).max(1) as i64;
    let skip = ((page - 1) as usize).saturating_mul(PER_PAGE);
    let shown: Vec<store::CheckpointRecord> =
        matching.into_iter().skip(skip).take(PER_PAGE).collect();
    let mut area_ids: Vec<i64> = shown.iter().map(|c| c.area_id).collect();
    area_ids.sort_unstable();
    area_ids.dedup();
    let areas: std::collections::HashMap<i64, store::AreaRow> = tx
        .areas_by_ids(&area_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    tx.rollback().await?;
    let items = shown
        .into_iter()
        .map(|c| {
            let (area_name, area_code) = areas
                .get(&c.area_id)
                .map(|a| (a.name.clone(), a.code.clone()))
                .unwrap_or_default();
            ListedCheckpoint {
                checkpoint: c.into(),
                area_name,
                area_code,
            }
        })
        .collect();
    Ok(CheckpointPage {
        items,
        total,
        page,
        pages,
    })
}

/// The areas in service a checkpoint may belong to, in tree order.
pub async fn area_choices(app: &App, actor: &Actor) -> Result<Vec<AreaChoice>> {
    actor.require(Right::ManageCheckpoints)?;
    let mut tx = app.store.read().await?;
    let rows = tx.areas_for_admin(&actor.scope_path).await?;
    tx.rollback().await?;
    let mut out: Vec<AreaChoice> = rows
        .into_iter()
        .filter(|a| a.retired_at.is_none())
        .map(|a| AreaChoice {
            depth: a.kind.parse::<domain::AreaKind>().map_or(0, |k| k.depth()),
            id: a.id,
            code: a.code,
            name: a.name,
            kind: a.kind,
        })
        .collect();
    // Codes nest (a community's code starts with its street's), so code order is tree order.
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}
