//! `POST /risk-areas/import`: a file-upload form (CSV or JSON). The app layer checks every
//! row and writes all or nothing; the list page shows its row-by-row report (422 when refused).

use app::AppError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::pages::{EntryForm, ListPage, ListQuery};
use crate::AppState;
use crate::auth::Viewer;
use crate::routes::economy::multipart::UploadForm;

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
    let csrf = form.text("csrf");
    let refused = |e: AppError| {
        ListPage::render(
            &s,
            &v,
            ListQuery::default(),
            EntryForm::default(),
            Some(e),
            None,
        )
    };
    if let Err(e) = v.check_csrf(&csrf) {
        return refused(e).await;
    }
    let Some(file) = form.file() else {
        return refused(AppError::invalid(
            "file",
            "required",
            "choose a CSV or JSON file",
        ))
        .await;
    };
    let name = file.filename.clone().unwrap_or_else(|| "upload".into());
    match app::codes::risk_areas::import(&s.app, &v.actor, &name, &file.data).await {
        Ok(report) => {
            ListPage::render(
                &s,
                &v,
                ListQuery::default(),
                EntryForm::default(),
                None,
                Some(report),
            )
            .await
        }
        Err(e) => refused(e).await,
    }
}
