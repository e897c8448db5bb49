//! Cases over the API: list, record, one case, status changes, cluster, contacts (list and
//! add by hand).

use app::cases::{self, CaseChangeInput, CaseInput, CaseView, ContactInput, ContactView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::checkpoints::id_of;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases", get(list).post(create))
        .route("/api/v1/cases/{id}", get(one))
        .route("/api/v1/cases/{id}/status", post(change))
        .route("/api/v1/cases/{id}/cluster", post(cluster))
        .route(
            "/api/v1/cases/{id}/contacts",
            get(contacts).post(add_contact),
        )
}

#[utoipa::path(get, path = "/api/v1/cases",
    responses((status = 200, body = Vec<CaseView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<CaseView>>, ApiError> {
    Ok(Json(cases::list(&s.app, &a).await?))
}

/// Record a case; the person's code turns red at once.
#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseInput,
    responses((status = 201, body = CaseView), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(cases::create(&s.app, &a, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}",
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(cases::get(&s.app, &a, id_of(&id)?).await?))
}

/// Confirm or exclude a suspected case, discharge a confirmed or asymptomatic one.
#[utoipa::path(post, path = "/api/v1/cases/{id}/status", request_body = CaseChangeInput,
    responses((status = 200, body = CaseView), (status = 422, body = ErrorBody)))]
pub async fn change(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CaseChangeInput>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(cases::change(&s.app, &a, id_of(&id)?, &input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ClusterInput {
    /// The cluster's name; created if new; empty unlinks.
    pub cluster: String,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/cluster", request_body = ClusterInput,
    responses((status = 200, body = CaseView), (status = 422, body = ErrorBody)))]
pub async fn cluster(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ClusterInput>,
) -> Result<Json<CaseView>, ApiError> {
    Ok(Json(
        cases::set_cluster(&s.app, &a, id_of(&id)?, &input.cluster).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/contacts",
    responses((status = 200, body = Vec<ContactView>), (status = 404, body = ErrorBody)))]
pub async fn contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<ContactView>>, ApiError> {
    Ok(Json(cases::contacts_of(&s.app, &a, id_of(&id)?).await?))
}

/// Add a household, workplace or other contact by hand; their code is recomputed at once.
#[utoipa::path(post, path = "/api/v1/cases/{id}/contacts", request_body = ContactInput,
    responses((status = 201, body = ContactView), (status = 422, body = ErrorBody)))]
pub async fn add_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<(StatusCode, Json<ContactView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(cases::add_contact(&s.app, &a, id_of(&id)?, &input).await?),
    ))
}
