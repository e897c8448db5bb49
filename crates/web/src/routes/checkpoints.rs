//! Checkpoints over the API: the list in the account's area, one checkpoint, create, edit,
//! retire and reinstate, delete (refused once it has scans), and today's counts.

use app::checkpoints::{self, CheckpointInput, CheckpointView, figures::Counts};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/checkpoints", get(list).post(create))
        .route(
            "/api/v1/checkpoints/{id}",
            get(one).put(edit).delete(delete),
        )
        .route("/api/v1/checkpoints/{id}/retire", post(retire))
        .route("/api/v1/checkpoints/{id}/reinstate", post(reinstate))
        .route("/api/v1/checkpoints/{id}/today", get(today))
}

/// A path id, or 400 naming it.
pub(super) fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "invalid",
            "id",
            "the id must be a number".to_owned(),
        )
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Include retired checkpoints.
    #[serde(default)]
    pub retired: bool,
}

/// The checkpoints and gates in the account's area.
#[utoipa::path(get, path = "/api/v1/checkpoints", params(ListQuery),
    responses((status = 200, body = Vec<CheckpointView>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<CheckpointView>>, ApiError> {
    Ok(Json(checkpoints::list(&s.app, &a, q.retired).await?))
}

#[utoipa::path(get, path = "/api/v1/checkpoints/{id}",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CheckpointView>, ApiError> {
    Ok(Json(checkpoints::get(&s.app, &a, id_of(&id)?).await?))
}

/// Create a checkpoint (commander, admin).
#[utoipa::path(post, path = "/api/v1/checkpoints", request_body = CheckpointInput,
    responses((status = 201, body = CheckpointView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CheckpointInput>,
) -> Result<(StatusCode, Json<CheckpointView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(checkpoints::create(&s.app, &a, &input).await?),
    ))
}

/// Edit a checkpoint; its code stays.
#[utoipa::path(put, path = "/api/v1/checkpoints/{id}", request_body = CheckpointInput,
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CheckpointInput>,
) -> Result<Json<CheckpointView>, ApiError> {
    Ok(Json(
        checkpoints::edit(&s.app, &a, id_of(&id)?, &input).await?,
    ))
}

/// Retire a checkpoint: it takes no scans made after now; its scans stay.
#[utoipa::path(post, path = "/api/v1/checkpoints/{id}/retire",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)))]
pub async fn retire(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CheckpointView>, ApiError> {
    Ok(Json(
        checkpoints::retire(&s.app, &a, id_of(&id)?, true).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/checkpoints/{id}/reinstate",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)))]
pub async fn reinstate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CheckpointView>, ApiError> {
    Ok(Json(
        checkpoints::retire(&s.app, &a, id_of(&id)?, false).await?,
    ))
}

/// Delete a checkpoint entered by mistake; 409 once it has scans (retire it instead).
#[utoipa::path(delete, path = "/api/v1/checkpoints/{id}",
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    checkpoints::delete(&s.app, &a, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Today's scans at a checkpoint by decision (the calendar day in Asia/Shanghai).
#[utoipa::path(get, path = "/api/v1/checkpoints/{id}/today",
    responses((status = 200, body = Counts), (status = 404, body = ErrorBody)))]
pub async fn today(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Counts>, ApiError> {
    Ok(Json(
        checkpoints::figures::today(&s.app, &a, id_of(&id)?).await?,
    ))
}
