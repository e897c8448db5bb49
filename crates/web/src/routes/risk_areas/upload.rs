//! `POST /risk-areas/import`: a file-upload form (CSV or JSON). The app layer checks every
//! row and writes all or nothing; the list page shows its row-by-row report (422 when refused).

use app::AppError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::pages::{EntryForm, ListPage, ListQuery};
use crate::AppState;
use crate::auth::Viewer;
use crate::routes::economy::multipart::{boundary, parse};

pub async fn import(
    State(s): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let Some(b) = boundary(content_type) else {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the upload form is sent as multipart/form-data",
        )
            .into_response();
    };
    let parts = match parse(&body, &b) {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, e.0).into_response(),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let csrf = field("csrf")
        .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
        .unwrap_or_default();
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
    let Some(file) = field("file").filter(|f| !f.data.is_empty()) else {
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
