//! The area tree and boundaries from files, on the `/areas` page: an uploaded tree is checked
//! and shown (counts, each row's action, every problem by row and column) before the admin
//! confirms it; boundaries are attached at once with their report.

use app::AppError;
use app::areas_admin::{TreeAction, TreeReport};
use app::areas_import::ImportReport;
use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{IssueView, carried, carry, issue_views};
use crate::AppState;
use crate::auth::{Viewer, urlencode};
use crate::chrome::Chrome;
use crate::error::{render, status_of};
use crate::routes::economy::multipart::UploadForm;

#[derive(Template)]
#[template(path = "area_tree_preview.html")]
struct PreviewPage {
    c: Chrome,
    r: TreeReport,
    issues: Vec<IssueView>,
    /// The checked file, carried to the confirmation.
    name: String,
    data: String,
}

impl PreviewPage {
    fn action_code(&self, a: &TreeAction) -> &'static str {
        match a {
            TreeAction::New => "new",
            TreeAction::Renamed => "renamed",
            TreeAction::Unchanged => "unchanged",
        }
    }

    fn action_text(&self, a: &TreeAction) -> &'static str {
        self.c.lang.t(match a {
            TreeAction::New => "tree.action.new",
            TreeAction::Renamed => "tree.action.renamed",
            TreeAction::Unchanged => "tree.action.unchanged",
        })
    }

    fn kind_text(&self, k: &domain::AreaKind) -> &'static str {
        self.c.lang.t(super::kind_key(*k))
    }
}

fn show(v: &Viewer, r: TreeReport, name: String, bytes: &[u8]) -> Response {
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

/// `POST /areas/tree/preview` (multipart: csrf, file): the check, nothing written.
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
    match app::areas_admin::import_tree(&s.app, &v.actor, &name, &file.data, false).await {
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

/// `POST /areas/tree/import` (csrf, name, data): write the previewed file; back to `/areas`
/// with the counts, or the preview again with what stands in the way now.
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
    match app::areas_admin::import_tree(&s.app, &v.actor, &name, &bytes, true).await {
        Ok(r) if r.written => Redirect::to(&format!(
            "/areas?tree_added={}&tree_renamed={}&tree_unchanged={}&tree_file={}",
            r.added,
            r.renamed,
            r.unchanged,
            urlencode(&r.file)
        ))
        .into_response(),
        Ok(r) => show(&v, r, name, &bytes),
        Err(e) => v.error_page(e),
    }
}

#[derive(Template)]
#[template(path = "area_boundaries.html")]
struct BoundariesPage {
    c: Chrome,
    file: String,
    report: Option<ImportReport>,
    broken: Vec<(String, String)>,
}

/// `POST /areas/boundaries` (multipart: csrf, file): attach the file's boundaries and show
/// the report; a file with broken geometry writes nothing and lists each broken feature.
pub async fn boundaries(
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
            "choose a GeoJSON file",
        ));
    };
    let name = file
        .filename
        .clone()
        .unwrap_or_else(|| "upload.geojson".into());
    let Ok(text) = std::str::from_utf8(&file.data) else {
        return v.error_page(AppError::invalid(
            "file",
            "format",
            "the GeoJSON file is not UTF-8 text",
        ));
    };
    let result = app::areas_import::import_boundaries(
        &s.app,
        &v.actor,
        text,
        app::areas_import::MatchBy::Auto,
        None,
    )
    .await;
    match result {
        Ok(report) => render(&BoundariesPage {
            c: v.chrome(),
            file: name,
            report: Some(report),
            broken: vec![],
        }),
        Err(AppError::Invalid(fields)) => {
            let status = status_of(&AppError::Invalid(vec![]));
            let page = BoundariesPage {
                c: v.chrome(),
                file: name,
                report: None,
                broken: fields.into_iter().map(|f| (f.field, f.message)).collect(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => v.error_page(e),
    }
}
