//! Economic operation (经济运行): the commander's dashboard with the report downloads, the
//! statistics office's data entry (one value, a file import, a project's stage), and the
//! JSON API under `/api/v1/economy`.

pub(super) mod api;
mod dashboard;
mod entry;
mod fields;
/// Also for other routes that take a file upload (`super::economy::multipart`).
pub(crate) mod multipart;
mod upload;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/economy", get(dashboard::page))
        .route("/economy/report", get(dashboard::report))
        .route("/economy/indicators.xlsx", get(dashboard::indicators))
        .route("/economy/entry", get(entry::page))
        .route("/economy/values", post(entry::value))
        .route("/economy/stages", post(entry::stage))
        .route("/economy/import", post(upload::import))
        .route("/api/v1/economy/figures", get(api::figures))
        .route("/api/v1/economy/values", post(api::record_value))
}
