//! The risk-area list over the API: read it (filtered, sorted, paged), add an entry, import a
//! CSV or JSON file. A change answers with the recompute it caused.

use app::codes::risk_areas::{
    self, RiskAreaChange, RiskAreaImportReport, RiskAreaInput, RiskAreaListParams, RiskAreaPage,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// One page of the list (50 entries).
#[utoipa::path(get, path = "/api/v1/risk-areas", params(RiskAreaListParams),
    responses((status = 200, body = RiskAreaPage), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(p): Query<RiskAreaListParams>,
) -> Result<Json<RiskAreaPage>, ApiError> {
    Ok(Json(risk_areas::list(&s.app, &a, &p).await?))
}

/// Add an entry; the codes of everyone who arrived from the division are recomputed.
#[utoipa::path(post, path = "/api/v1/risk-areas", request_body = RiskAreaInput,
    responses((status = 201, body = RiskAreaChange), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<RiskAreaInput>,
) -> Result<(StatusCode, Json<RiskAreaChange>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(risk_areas::add(&s.app, &a, &input).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The file's name, for the report and the audit log (`.json` marks JSON; otherwise the
    /// content decides).
    pub name: Option<String>,
}

/// Import a list: the request body is the file, CSV (`division_code,level,valid_from,valid_to`)
/// or JSON (an array of such objects). All or nothing: a file with any problem answers 422
/// naming each row and field (`row 3 valid_from`).
#[utoipa::path(post, path = "/api/v1/risk-areas/import", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "the file, CSV or JSON"),
    responses((status = 200, body = RiskAreaImportReport), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<RiskAreaImportReport>, ApiError> {
    let name = q
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "upload".into());
    let report = risk_areas::import(&s.app, &a, &name, &body).await?;
    if report.ok() {
        Ok(Json(report))
    } else {
        Err(ApiError::from(app::AppError::from(report)))
    }
}
