//! `POST /economy/import`: a file-upload form (CSV, xlsx, xls or ods) for indicators,
//! projects, buildings, enterprise facts or evaluations. The app layer checks every row and
//! writes all or nothing; the page shows its row-by-row report (422 when refused).

use app::AppError;
use app::economy::{import, permu, project_import};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::entry::{EntryPage, IMPORT_KINDS, Which};
use super::multipart::UploadForm;
use crate::AppState;
use crate::auth::Viewer;
use crate::error::render;

pub async fn import(
    State(s): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match UploadForm::read(&headers, &body) {
        Ok(f) => f,
        Err(refusal) => return *refusal,
    };
    let text = |name: &str| form.text(name);
    if let Err(e) = v.check_csrf(&text("csrf")) {
        return v.error_page(e);
    }
    let mut page = match EntryPage::load(&s, &v).await {
        Ok(p) => p,
        Err(e) => return v.error_page(e),
    };
    let kind = text("kind");
    page.kind.clone_from(&kind);
    if !IMPORT_KINDS.iter().any(|(k, _)| *k == kind) {
        let known: Vec<&str> = IMPORT_KINDS.iter().map(|(k, _)| *k).collect();
        return page.refused(
            &v,
            Which::Import,
            AppError::invalid(
                "kind",
                "unknown_kind",
                format!("{kind:?} is not one of {}", known.join(", ")),
            ),
        );
    }
    let Some(file) = form.file() else {
        return page.refused(
            &v,
            Which::Import,
            AppError::invalid("file", "required", "choose a CSV or xlsx file"),
        );
    };
    let name = file.filename.clone().unwrap_or_else(|| "upload".into());
    let (platform, actor, bytes) = (&s.app, Some(&v.actor), &file.data[..]);
    let report = match kind.as_str() {
        "indicators" => import::import(platform, actor, &name, bytes).await,
        "projects" => project_import::import_projects(platform, actor, &name, bytes).await,
        "buildings" => project_import::import_buildings(platform, actor, &name, bytes).await,
        "evaluations" => project_import::import_evaluations(platform, actor, &name, bytes).await,
        _ => permu::import_facts(platform, actor, &name, bytes).await,
    };
    match report {
        Ok(r) => {
            let status = if r.ok() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            page.which = Which::Import;
            page.report = Some(r);
            (status, render(&page)).into_response()
        }
        Err(e) => v.error_page(e),
    }
}
