//! The area tree page: an area, its trail from the account's own area, and its children with
//! their number of persons.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    c: Chrome,
    d: app::areas::AreaDetail,
    kind_key: String,
    map_svg: String,
    /// The admin's tools (tree and boundary uploads, the tree's list).
    can_admin: bool,
    /// After an area-tree import: added, renamed, unchanged.
    tree_done: Option<(usize, usize, usize)>,
}

#[derive(Deserialize)]
pub struct AreaParams {
    id: Option<String>,
    tree_added: Option<usize>,
    tree_renamed: Option<usize>,
    tree_unchanged: Option<usize>,
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<AreaParams>) -> Response {
    let id = match q
        .id
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(str::parse::<i64>)
    {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            let e = app::AppError::invalid("id", "format", "area id must be a number");
            return v.error_page(e);
        }
    };
    let detail = app::areas::detail(&s.app, &v.actor, id).await;
    let map = app::areas::children_map(
        &s.app,
        &v.actor,
        id,
        v.lang.t("area.map_legend"),
        v.lang.t("area.map_empty"),
    )
    .await;
    match (detail, map) {
        (Ok(d), Ok(map_svg)) => {
            let kind_key = format!("area.kind.{}", d.node.kind.as_str());
            let tree_done = q.tree_added.map(|a| {
                (
                    a,
                    q.tree_renamed.unwrap_or(0),
                    q.tree_unchanged.unwrap_or(0),
                )
            });
            render(&AreasPage {
                c: v.chrome(),
                d,
                kind_key,
                map_svg,
                can_admin: v.actor.role.has(domain::Right::ManageAccounts),
                tree_done,
            })
        }
        (Err(e), _) | (_, Err(e)) => v.error_page(e),
    }
}
