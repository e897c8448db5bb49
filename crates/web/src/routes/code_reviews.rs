//! Appeals (纠错) and colours set by hand (人工赋码) over the API: a resident appeals; a reviewer
//! decides; a red ↔ green change by hand waits for a second approver.

use app::codes::{
    AppealDecisionInput, AppealInput, AppealView, OverrideAction, OverrideDecisionInput,
    OverrideInput, OverrideView, ReviewQueue,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::codes::ForPerson;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/code/appeals", get(list_appeals).post(file_appeal))
        .route("/code-reviews", get(queue))
        .route("/code-reviews/appeals/{id}/decision", post(decide_appeal))
        .route("/code-reviews/overrides", post(request_override))
        .route(
            "/code-reviews/overrides/{id}/{action}",
            post(decide_override),
        )
}

pub(crate) fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "format",
            "id",
            "the id must be a number",
        )
    })
}

/// A person's appeals with their outcomes, newest first.
#[utoipa::path(get, path = "/api/v1/code/appeals", params(ForPerson),
    responses((status = 200, body = [AppealView]), (status = 403, body = ErrorBody)))]
pub async fn list_appeals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
) -> Result<Json<Vec<AppealView>>, ApiError> {
    Ok(Json(app::codes::appeals_of(&s.app, &a, q.person_id).await?))
}

/// Appeal the current code with an explanation.
#[utoipa::path(post, path = "/api/v1/code/appeals", params(ForPerson), request_body = AppealInput,
    responses((status = 201, body = AppealView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn file_appeal(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
    ApiJson(input): ApiJson<AppealInput>,
) -> Result<(StatusCode, Json<AppealView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app::codes::file_appeal(&s.app, &a, q.person_id, &input).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// At most this many of each kind (default 50, at most 200).
    limit: Option<u32>,
}

/// What waits for a reviewer in their area: pending appeals and pending hand-set colours.
#[utoipa::path(get, path = "/api/v1/code-reviews", params(QueueQuery),
    responses((status = 200, body = ReviewQueue), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<QueueQuery>,
) -> Result<Json<ReviewQueue>, ApiError> {
    Ok(Json(
        app::codes::review_queue(&s.app, &a, q.limit.unwrap_or(50)).await?,
    ))
}

/// Decide an appeal: uphold (sets the colour by hand, green unless named) or reject.
#[utoipa::path(post, path = "/api/v1/code-reviews/appeals/{id}/decision", request_body = AppealDecisionInput,
    params(("id" = i64, Path, description = "appeal id")),
    responses((status = 200, body = AppealView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_appeal(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<AppealDecisionInput>,
) -> Result<Json<AppealView>, ApiError> {
    let id = id_of(&raw)?;
    Ok(Json(
        app::codes::decide_appeal(&s.app, &a, id, &input).await?,
    ))
}

/// Set a person's colour by hand, with a reason; red ↔ green waits for a second approver.
#[utoipa::path(post, path = "/api/v1/code-reviews/overrides", request_body = OverrideInput,
    responses((status = 201, body = OverrideView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_override(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<OverrideInput>,
) -> Result<(StatusCode, Json<OverrideView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app::codes::request_override(&s.app, &a, &input).await?),
    ))
}

/// Approve (the second approver, not the requester), reject (with a note) or revoke (with a
/// note; the rules decide again) a hand-set colour.
#[utoipa::path(post, path = "/api/v1/code-reviews/overrides/{id}/{action}", request_body = OverrideDecisionInput,
    params(("id" = i64, Path, description = "override id"),
           ("action" = String, Path, description = "approve, reject or revoke")),
    responses((status = 200, body = OverrideView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_override(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((raw, action)): Path<(String, String)>,
    ApiJson(input): ApiJson<OverrideDecisionInput>,
) -> Result<Json<OverrideView>, ApiError> {
    let id = id_of(&raw)?;
    let action = OverrideAction::parse(&action).ok_or_else(|| {
        ApiError::field(
            StatusCode::NOT_FOUND,
            "unknown",
            "action",
            "expected approve, reject or revoke",
        )
    })?;
    Ok(Json(
        app::codes::decide_override(&s.app, &a, id, action, &input).await?,
    ))
}
