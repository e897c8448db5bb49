//! The risk-area list (风险地区): the page to search, add, change, end and upload entries, each
//! change confirmed first with the number of codes it will recompute; and the JSON API under
//! `/api/v1/risk-areas`.

pub(super) mod api;
mod pages;
mod upload;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk-areas", get(pages::list).post(pages::add))
        .route("/risk-areas/import", post(upload::import))
        .route("/risk-areas/{id}", get(pages::edit).post(pages::change))
        .route("/risk-areas/{id}/end", post(pages::end))
        .route("/api/v1/risk-areas", get(api::list).post(api::add))
        .route("/api/v1/risk-areas/import", post(api::import))
}
