//! The admin's list of the whole area tree (retired areas too) and one area's page: rename,
//! move under another parent, retire or bring back, and delete one nothing refers to. Moving,
//! retiring and deleting are shown for confirmation first.

use app::AppError;
use app::areas_admin::{AdminArea, AreaEdit};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{id_of, kind_key};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::{render, status_of};

#[derive(Template)]
#[template(path = "areas_manage.html")]
struct ListPage {
    c: Chrome,
    areas: Vec<AdminArea>,
    deleted: bool,
}

impl ListPage {
    fn kind_text(&self, a: &AdminArea) -> &'static str {
        self.c.lang.t(kind_key(a.kind))
    }

    fn indent(&self, a: &AdminArea) -> String {
        "\u{3000}".repeat(a.depth)
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    done: Option<String>,
}

/// `GET /areas/manage`
pub async fn list(State(s): State<AppState>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    match app::areas_admin::list(&s.app, &v.actor).await {
        Ok(areas) => render(&ListPage {
            c: v.chrome(),
            areas,
            deleted: q.done.as_deref() == Some("deleted"),
        }),
        Err(e) => v.error_page(e),
    }
}

#[derive(Template)]
#[template(path = "area_edit.html")]
struct EditPage {
    c: Chrome,
    e: AreaEdit,
    notice: Option<&'static str>,
    error: Option<String>,
    /// The name typed (kept when refused).
    name: String,
}

impl EditPage {
    fn kind_text(&self, a: &AdminArea) -> &'static str {
        self.c.lang.t(kind_key(a.kind))
    }
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    done: Option<String>,
}

async fn edit_page(
    s: &AppState,
    v: &Viewer,
    id: i64,
    notice: Option<&'static str>,
    refusal: Option<AppError>,
    name: Option<String>,
) -> Response {
    match app::areas_admin::edit_view(&s.app, &v.actor, id).await {
        Ok(e) => {
            let status = refusal.as_ref().map_or(StatusCode::OK, status_of);
            let page = EditPage {
                c: v.chrome(),
                name: name.unwrap_or_else(|| e.area.name.clone()),
                e,
                notice,
                error: refusal.map(|r| r.to_string()),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => v.error_page(e),
    }
}

/// `GET /areas/{id}/edit`
pub async fn edit(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<EditQuery>,
) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    let notice = match q.done.as_deref() {
        Some("renamed") => Some("am.done.renamed"),
        Some("moved") => Some("am.done.moved"),
        Some("retired") => Some("am.done.retired"),
        Some("reinstated") => Some("am.done.reinstated"),
        _ => None,
    };
    edit_page(&s, &v, id, notice, None, None).await
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent_id: String,
    /// "yes" once the confirmation was answered.
    #[serde(default)]
    confirm: String,
}

/// What a confirmation page asks.
#[derive(Template)]
#[template(path = "area_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    e: AreaEdit,
    /// move | retire | reinstate | delete
    action: &'static str,
    question: &'static str,
    button: &'static str,
    target: Option<AdminArea>,
}

impl ConfirmPage {
    fn kind_text(&self, a: &AdminArea) -> &'static str {
        self.c.lang.t(kind_key(a.kind))
    }
}

/// The checks every action shares: the id and the form's token. `Err` is the answer.
fn begin(v: &Viewer, raw: &str, csrf: &str) -> Result<i64, Box<Response>> {
    let id = id_of(raw).map_err(|e| Box::new(v.error_page(e)))?;
    v.check_csrf(csrf).map_err(|e| Box::new(v.error_page(e)))?;
    Ok(id)
}

/// After an action: to the area's page with a notice, or the page again with the refusal.
async fn after(
    s: &AppState,
    v: &Viewer,
    id: i64,
    r: Result<&'static str, AppError>,
    name: Option<String>,
) -> Response {
    match r {
        Ok(done) => Redirect::to(&format!("/areas/{id}/edit?done={done}")).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            edit_page(s, v, id, None, Some(e), name).await
        }
        Err(e) => v.error_page(e),
    }
}

/// `POST /areas/{id}/rename` (csrf, name)
pub async fn rename(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let id = match begin(&v, &raw, &f.csrf) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let r = app::areas_admin::rename(&s.app, &v.actor, id, &f.name)
        .await
        .map(|_| "renamed");
    after(&s, &v, id, r, Some(f.name)).await
}

async fn confirm_page(
    s: &AppState,
    v: &Viewer,
    id: i64,
    action: &'static str,
    target: Option<AdminArea>,
) -> Response {
    let (question, button) = match action {
        "move" => ("am.confirm.move", "am.move"),
        "retire" => ("am.confirm.retire", "am.retire"),
        "reinstate" => ("am.confirm.reinstate", "am.reinstate"),
        _ => ("am.confirm.delete", "am.delete"),
    };
    match app::areas_admin::edit_view(&s.app, &v.actor, id).await {
        Ok(e) => render(&ConfirmPage {
            c: v.chrome(),
            e,
            action,
            question,
            button,
            target,
        }),
        Err(e) => v.error_page(e),
    }
}

/// `POST /areas/{id}/move` (csrf, parent_id, confirm)
pub async fn move_to(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let id = match begin(&v, &raw, &f.csrf) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let Ok(parent_id) = f.parent_id.trim().parse::<i64>() else {
        let e = AppError::invalid("parent_id", "required", "choose the new parent");
        return after(&s, &v, id, Err(e), None).await;
    };
    if f.confirm != "yes" {
        // The target as the edit page offers it; anything else is refused by the move itself.
        let target = match app::areas_admin::edit_view(&s.app, &v.actor, id).await {
            Ok(e) => e.parents.into_iter().find(|p| p.id == parent_id),
            Err(e) => return v.error_page(e),
        };
        let Some(target) = target else {
            let e = AppError::invalid(
                "parent_id",
                "not_offered",
                "the new parent must be an area in service of the parent's kind",
            );
            return after(&s, &v, id, Err(e), None).await;
        };
        return confirm_page(&s, &v, id, "move", Some(target)).await;
    }
    let r = app::areas_admin::reparent(&s.app, &v.actor, id, parent_id)
        .await
        .map(|_| "moved");
    after(&s, &v, id, r, None).await
}

async fn retire_or_reinstate(
    s: AppState,
    v: Viewer,
    raw: String,
    f: ActionForm,
    retire: bool,
) -> Response {
    let id = match begin(&v, &raw, &f.csrf) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    if f.confirm != "yes" {
        let action = if retire { "retire" } else { "reinstate" };
        return confirm_page(&s, &v, id, action, None).await;
    }
    let r = app::areas_admin::retire(&s.app, &v.actor, id, retire)
        .await
        .map(|_| if retire { "retired" } else { "reinstated" });
    after(&s, &v, id, r, None).await
}

/// `POST /areas/{id}/retire` (csrf, confirm)
pub async fn retire(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    retire_or_reinstate(s, v, raw, f, true).await
}

/// `POST /areas/{id}/reinstate` (csrf, confirm)
pub async fn reinstate(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    retire_or_reinstate(s, v, raw, f, false).await
}

/// `POST /areas/{id}/delete` (csrf, confirm): only an area nothing refers to.
pub async fn delete(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Response {
    let id = match begin(&v, &raw, &f.csrf) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    if f.confirm != "yes" {
        return confirm_page(&s, &v, id, "delete", None).await;
    }
    match app::areas_admin::delete(&s.app, &v.actor, id).await {
        Ok(()) => Redirect::to("/areas/manage?done=deleted").into_response(),
        Err(e) => after(&s, &v, id, Err(e), None).await,
    }
}
