//! The checkpoint list from a file: upload → preview (counts, each row's action, every problem
//! by row and column) → confirm, which writes the very file that was checked.

use app::AppError;
use app::checkpoints::import::{CheckpointAction, CheckpointImportReport};
use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;
use crate::routes::area_admin::{IssueView, carried, carry, issue_views};
use crate::routes::economy::multipart::UploadForm;

#[derive(Template)]
#[template(path = "checkpoints_preview.html")]
struct PreviewPage {
    c: Chrome,
    r: CheckpointImportReport,
    issues: Vec<IssueView>,
    name: String,
    data: String,
}

impl PreviewPage {
    fn action_text(&self, a: &CheckpointAction) -> &'static str {
        self.c.lang.t(match a {
            CheckpointAction::New => "tree.action.new",
            CheckpointAction::Changed => "cpm.changed",
            CheckpointAction::Unchanged => "tree.action.unchanged",
        })
    }
}

fn show(v: &Viewer, r: CheckpointImportReport, name: String, bytes: &[u8]) -> Response {
    let status = if r.ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let issues = issue_views(v.lang, &r.issues);
    let page = PreviewPage {
        c: v.chrome(),
        data: if r.ok() { carry(bytes) } else { String::new() },
        name,
        r,
        issues,
    };
    (status, render(&page)).into_response()
}

/// `POST /checkpoints/import/preview` (multipart: csrf, file)
pub async fn preview(
    State(s): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match UploadForm::read(&headers, &body) {
        Ok(f) => f,
        Err(refusal) => return *refusal,
    };
    if let Err(e) = v.check_csrf(&form.text("csrf")) {
        return v.error_page(e);
    }
    let Some(file) = form.file() else {
        return v.error_page(AppError::invalid(
            "file",
            "required",
            "choose a CSV or xlsx file",
        ));
    };
    let name = file.filename.clone().unwrap_or_else(|| "upload.csv".into());
    match app::checkpoints::import::import(&s.app, &v.actor, &name, &file.data, false).await {
        Ok(r) => show(&v, r, name, &file.data),
        Err(e) => v.error_page(e),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    data: String,
}

/// `POST /checkpoints/import` (csrf, name, data)
pub async fn confirm(State(s): State<AppState>, v: Viewer, Form(f): Form<ConfirmForm>) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    let bytes = match carried(&f.data) {
        Ok(b) => b,
        Err(e) => return v.error_page(e),
    };
    let name = if f.name.trim().is_empty() {
        "upload.csv".to_owned()
    } else {
        f.name.trim().to_owned()
    };
    match app::checkpoints::import::import(&s.app, &v.actor, &name, &bytes, true).await {
        Ok(r) if r.written => Redirect::to(&format!(
            "/checkpoints?done=imported&added={}&changed={}&status=all",
            r.added, r.changed
        ))
        .into_response(),
        Ok(r) => show(&v, r, name, &bytes),
        Err(e) => v.error_page(e),
    }
}
