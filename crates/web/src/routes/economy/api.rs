//! The economy's JSON API: the dashboard's figures of a year, and entering one value.

use app::economy::dashboard::{Dashboard, dashboard};
use app::economy::entry::{RecordedValue, ValueInput, record_value as record};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;

use super::fields::PeriodQuery;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

/// The dashboard's figures: every indicator of the zone with its value, growth, ranks among
/// the city's districts and historic high, the rankings, projects, buildings and per-mu
/// classes (`year` defaults to the latest on record, `through` to 12: the whole year).
#[utoipa::path(get, path = "/api/v1/economy/figures",
    params(("year" = Option<i32>, Query, description = "e.g. 2019"), ("through" = Option<u8>, Query, description = "last month, 1-12")),
    responses((status = 200, description = "the figures", body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn figures(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Dashboard>, ApiError> {
    let (year, through) = q.parse()?;
    Ok(Json(dashboard(&s.app, &a, year, through).await?))
}

/// Enter or correct one indicator value (the import's checks apply; each problem names its
/// field).
#[utoipa::path(post, path = "/api/v1/economy/values", request_body = ValueInput,
    responses((status = 201, body = RecordedValue), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_value(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<ValueInput>,
) -> Result<(StatusCode, Json<RecordedValue>), ApiError> {
    Ok((StatusCode::CREATED, Json(record(&s.app, &a, &input).await?)))
}
