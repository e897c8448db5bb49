//! Create and edit a checkpoint through the app's checks (a refused form comes back with what
//! was typed and the refusal), and retire or reinstate one after a confirmation.

use app::AppError;
use app::checkpoints::listing::{self, AreaChoice};
use app::checkpoints::{CheckpointInput, CheckpointView};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{KINDS, kind_key};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::{render, status_of};
use crate::routes::area_admin::id_of;

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CheckpointForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    area_id: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    party_branch: String,
    #[serde(default)]
    staff_on_duty: String,
    #[serde(default)]
    confirm: String,
}

impl CheckpointForm {
    fn of(c: &CheckpointView) -> Self {
        CheckpointForm {
            code: c.code.clone(),
            kind: c.kind.clone(),
            name: c.name.clone(),
            area_id: c.area_id.to_string(),
            lat: c.lat.to_string(),
            lon: c.lon.to_string(),
            hours: c.hours.clone(),
            party_branch: c.party_branch.clone().unwrap_or_default(),
            staff_on_duty: c.staff_on_duty.to_string(),
            ..Default::default()
        }
    }

    /// The input, or every number that is not one named.
    fn input(&self) -> Result<CheckpointInput, AppError> {
        let mut bad = vec![];
        let mut number = |field: &str, text: &str| -> f64 {
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    bad.push(app::FieldError::new(field, "format", "give a number"));
                    0.0
                }
            }
        };
        let lat = number("lat", &self.lat);
        let lon = number("lon", &self.lon);
        let area_id = match self.area_id.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                bad.push(app::FieldError::new(
                    "area_id",
                    "required",
                    "choose the area",
                ));
                0
            }
        };
        let staff_on_duty = match self.staff_on_duty.trim() {
            "" => 0,
            t => t.parse::<i64>().unwrap_or_else(|_| {
                bad.push(app::FieldError::new(
                    "staff_on_duty",
                    "format",
                    "give a whole number",
                ));
                0
            }),
        };
        if !bad.is_empty() {
            return Err(AppError::Invalid(bad));
        }
        Ok(CheckpointInput {
            code: Some(self.code.clone()),
            kind: self.kind.clone(),
            name: self.name.clone(),
            area_id,
            lat,
            lon,
            party_branch: Some(self.party_branch.clone()),
            hours: self.hours.clone(),
            staff_on_duty,
        })
    }
}

#[derive(Template)]
#[template(path = "checkpoint_form.html")]
struct FormPage {
    c: Chrome,
    /// The checkpoint being edited; None when creating.
    checkpoint: Option<CheckpointView>,
    form: CheckpointForm,
    areas: Vec<AreaChoice>,
    kinds: [&'static str; 6],
    error: Option<String>,
}

impl FormPage {
    fn kind_text(&self, kind: &str) -> &'static str {
        self.c.lang.t(kind_key(kind))
    }

    fn kind_selected(&self, kind: &str) -> bool {
        self.form.kind == kind
    }

    fn area_selected(&self, a: &AreaChoice) -> bool {
        self.form.area_id.trim() == a.id.to_string()
    }

    fn indent(&self, a: &AreaChoice) -> String {
        "\u{3000}".repeat(a.depth.saturating_sub(1))
    }
}

async fn form_page(
    s: &AppState,
    v: &Viewer,
    checkpoint: Option<CheckpointView>,
    form: CheckpointForm,
    refusal: Option<AppError>,
) -> Response {
    let areas = match listing::area_choices(&s.app, &v.actor).await {
        Ok(a) => a,
        Err(e) => return v.error_page(e),
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, status_of);
    let page = FormPage {
        c: v.chrome(),
        checkpoint,
        form,
        areas,
        kinds: KINDS,
        error: refusal.map(|e| e.to_string()),
    };
    (status, render(&page)).into_response()
}

/// `GET /checkpoints/new`
pub async fn new_form(State(s): State<AppState>, v: Viewer) -> Response {
    if let Err(e) = v.actor.require(domain::Right::ManageCheckpoints) {
        return v.error_page(e);
    }
    let form = CheckpointForm {
        kind: "community_gate".into(),
        hours: "24h".into(),
        ..Default::default()
    };
    form_page(&s, &v, None, form, None).await
}

/// `POST /checkpoints`: create.
pub async fn create(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<CheckpointForm>,
) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    let r = match f.input() {
        Ok(input) => app::checkpoints::create(&s.app, &v.actor, &input).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Redirect::to("/checkpoints?done=created").into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            form_page(&s, &v, None, f, Some(e)).await
        }
        Err(e) => v.error_page(e),
    }
}

/// `GET /checkpoints/{id}/edit`
pub async fn edit_form(State(s): State<AppState>, v: Viewer, Path(raw): Path<String>) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    if let Err(e) = v.actor.require(domain::Right::ManageCheckpoints) {
        return v.error_page(e);
    }
    match app::checkpoints::get(&s.app, &v.actor, id).await {
        Ok(c) => {
            let form = CheckpointForm::of(&c);
            form_page(&s, &v, Some(c), form, None).await
        }
        Err(e) => v.error_page(e),
    }
}

/// `POST /checkpoints/{id}/edit`
pub async fn edit(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<CheckpointForm>,
) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    let r = match f.input() {
        Ok(input) => app::checkpoints::edit(&s.app, &v.actor, id, &input).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Redirect::to("/checkpoints?done=edited").into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            match app::checkpoints::get(&s.app, &v.actor, id).await {
                Ok(c) => form_page(&s, &v, Some(c), f, Some(e)).await,
                Err(e) => v.error_page(e),
            }
        }
        Err(e) => v.error_page(e),
    }
}

#[derive(Template)]
#[template(path = "checkpoint_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    checkpoint: CheckpointView,
    retire: bool,
}

async fn retire_or_reinstate(
    s: AppState,
    v: Viewer,
    raw: String,
    f: CheckpointForm,
    retire: bool,
) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    if let Err(e) = v.actor.require(domain::Right::ManageCheckpoints) {
        return v.error_page(e);
    }
    if f.confirm != "yes" {
        return match app::checkpoints::get(&s.app, &v.actor, id).await {
            Ok(checkpoint) => render(&ConfirmPage {
                c: v.chrome(),
                checkpoint,
                retire,
            }),
            Err(e) => v.error_page(e),
        };
    }
    match app::checkpoints::retire(&s.app, &v.actor, id, retire).await {
        Ok(_) => Redirect::to(if retire {
            "/checkpoints?done=retired&status=all"
        } else {
            "/checkpoints?done=reinstated"
        })
        .into_response(),
        Err(e) => v.error_page(e),
    }
}

/// `POST /checkpoints/{id}/retire` (csrf, confirm)
pub async fn retire(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<CheckpointForm>,
) -> Response {
    retire_or_reinstate(s, v, raw, f, true).await
}

/// `POST /checkpoints/{id}/reinstate` (csrf, confirm)
pub async fn reinstate(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<CheckpointForm>,
) -> Response {
    retire_or_reinstate(s, v, raw, f, false).await
}
