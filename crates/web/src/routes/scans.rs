//! Scan upload from checkpoint devices and the screening figures.

use app::checkpoints::figures::{self, Figures};
use app::checkpoints::ingest::{self, ScanBatch, ScanBatchReport};
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/scans", post(upload))
        .route("/api/v1/scans/figures", get(figures))
}

/// Upload up to 1,000 scans. Idempotent: each item is accepted, a duplicate (stored before
/// with the same content) or rejected with the field and why. A batch over the limit is 422.
#[utoipa::path(post, path = "/api/v1/scans", request_body = ScanBatch,
    responses((status = 200, body = ScanBatchReport), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(batch): ApiJson<ScanBatch>,
) -> Result<Json<ScanBatchReport>, ApiError> {
    Ok(Json(ingest::ingest(&s.app, &a, batch).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FiguresQuery {
    /// Business days up to today (1–62, default 14).
    pub days: Option<i64>,
}

/// Cumulative distinct persons screened, scans by decision, scans per day per checkpoint.
#[utoipa::path(get, path = "/api/v1/scans/figures", params(FiguresQuery),
    responses((status = 200, body = Figures), (status = 403, body = ErrorBody)))]
pub async fn figures(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<Figures>, ApiError> {
    Ok(Json(
        figures::figures(&s.app, &a, q.days.unwrap_or(14)).await?,
    ))
}
