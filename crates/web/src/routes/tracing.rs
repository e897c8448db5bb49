//! Tracing a case over the API, and its chain as SVG and its contacts as CSV.

use app::tracing::{self as trace, TraceInput, TraceReport};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::checkpoints::id_of;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{id}/trace", post(run))
        .route("/api/v1/cases/{id}/trace.svg", get(graph))
        .route("/api/v1/cases/{id}/contacts.csv", get(csv))
}

/// Trace a case: everyone at the same checkpoint within the window during the lookback is a
/// close contact, their contacts secondary; new contacts' codes are recomputed.
#[utoipa::path(post, path = "/api/v1/cases/{id}/trace", request_body = TraceInput,
    responses((status = 200, body = TraceReport), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn run(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TraceInput>,
) -> Result<Json<TraceReport>, ApiError> {
    Ok(Json(trace::trace(&s.app, &a, id_of(&id)?, &input).await?))
}

/// The chain as SVG (masked names).
#[utoipa::path(get, path = "/api/v1/cases/{id}/trace.svg",
    responses((status = 200, content_type = "image/svg+xml", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn graph(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let case = app::cases::get(&s.app, &a, id).await?;
    let contacts = app::cases::contacts_of(&s.app, &a, id).await?;
    let svg = trace::graph::svg(&case.person_name, &contacts);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The contacts as CSV (masked names).
#[utoipa::path(get, path = "/api/v1/cases/{id}/contacts.csv",
    responses((status = 200, content_type = "text/csv", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn csv(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let contacts = app::cases::contacts_of(&s.app, &a, id).await?;
    let body = trace::export::csv(&contacts)?;
    let disposition = format!("attachment; filename=\"case-{id}-contacts.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
