//! The area tree as an account sees it: its own area and everything below, with the number of
//! persons in each node.

use domain::AreaKind;
use serde::Serialize;
use store::Scope;

use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaNode {
    pub id: i64,
    pub kind: AreaKind,
    pub code: String,
    pub name: String,
    pub persons: i64,
    pub has_children: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrailItem {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaDetail {
    pub node: AreaNode,
    /// From the account's own area down to this one.
    pub trail: Vec<TrailItem>,
    pub children: Vec<AreaNode>,
    /// GeoJSON geometry, when a boundary is known.
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<serde_json::Value>,
}

/// An area (default: the account's own) with its children.
pub async fn detail(app: &App, actor: &Actor, id: Option<i64>) -> Result<AreaDetail> {
    let id = id.unwrap_or(actor.scope_area_id);
    let mut tx = app.store.read().await?;
    let area = tx.area(id).await?;
    actor.require_in_scope(&area.path)?;
    let kind: AreaKind = area
        .kind
        .parse()
        .map_err(|_| AppError::Internal("area kind".into()))?;
    let scope = Scope {
        kind,
        area_id: area.id,
    };
    let children_rows = tx.area_children(Some(area.id)).await?;
    let counts: std::collections::HashMap<i64, i64> = tx
        .count_persons_by_child(scope)
        .await?
        .into_iter()
        .collect();
    let children = children_rows
        .into_iter()
        .map(|c| {
            let kind: AreaKind = c.kind.parse().unwrap_or(AreaKind::MicroGrid);
            AreaNode {
                id: c.id,
                kind,
                code: c.code,
                name: c.name,
                persons: counts.get(&c.id).copied().unwrap_or(0),
                has_children: kind.child().is_some(),
            }
        })
        .collect();
    let trail_ids: Vec<i64> = area
        .path
        .split('/')
        .filter_map(|s| s.parse().ok())
        .collect();
    let trail = tx
        .areas_by_ids(&trail_ids)
        .await?
        .into_iter()
        .filter(|a| domain::area::path_contains(&actor.scope_path, &a.path))
        .map(|a| TrailItem {
            id: a.id,
            name: a.name,
        })
        .collect();
    let persons = tx.count_persons(scope).await?;
    let boundary = area
        .boundary
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok());
    Ok(AreaDetail {
        node: AreaNode {
            id: area.id,
            kind,
            code: area.code,
            name: area.name,
            persons,
            has_children: kind.child().is_some(),
        },
        trail,
        children,
        boundary,
    })
}

/// The children of an area drawn as a map, coloured by the number of persons living in each
/// (five equal bins up to the largest). Children without a boundary are left out.
pub async fn children_map(
    app: &App,
    actor: &Actor,
    id: Option<i64>,
    legend_title: &str,
    empty_text: &str,
) -> Result<String> {
    use crate::map::{Legend, MapArea, SEQUENTIAL, bin, bin_starts, parse_geometry, render_svg};
    let id = id.unwrap_or(actor.scope_area_id);
    let mut tx = app.store.read().await?;
    let area = tx.area(id).await?;
    actor.require_in_scope(&area.path)?;
    let kind: AreaKind = area
        .kind
        .parse()
        .map_err(|_| AppError::Internal("area kind".into()))?;
    let counts: std::collections::HashMap<i64, i64> = tx
        .count_persons_by_child(Scope {
            kind,
            area_id: area.id,
        })
        .await?
        .into_iter()
        .collect();
    let children = tx.area_children_with_boundaries(area.id).await?;
    let values = children
        .iter()
        .map(|c| counts.get(&c.id).copied().unwrap_or(0) as f64);
    let (min, max) = values.fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let min = min.min(max);
    let areas: Vec<MapArea> = children
        .iter()
        .filter_map(|c| {
            let geometry = serde_json::from_str(c.boundary.as_deref()?).ok()?;
            let shape = parse_geometry(&geometry).ok()?;
            let n = counts.get(&c.id).copied().unwrap_or(0);
            let has_children = c.kind != "micro_grid";
            Some(MapArea {
                shape,
                fill: SEQUENTIAL[bin(n as f64, min, max)].to_owned(),
                label: c.name.clone(),
                title: format!("{} {n}", c.name),
                href: has_children.then(|| format!("/areas?id={}", c.id)),
            })
        })
        .collect();
    let starts = bin_starts(min, max);
    let entries = SEQUENTIAL
        .iter()
        .zip(starts)
        .map(|(c, lo)| ((*c).to_owned(), format!("≥ {}", lo.round() as i64)))
        .collect();
    Ok(render_svg(
        &areas,
        &Legend {
            title: legend_title.to_owned(),
            entries,
        },
        empty_text,
    ))
}
