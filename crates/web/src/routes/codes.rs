//! The health code over the API: the resident's own code and credential, declaring, checking
//! in; verification of a scanned text; the trust list verifiers cache.

use app::codes::{CheckInInput, CodeView, CredentialView, DeclarationInput};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ForPerson {
    /// An officer names the person; a resident may leave it out (their own record).
    person_id: Option<i64>,
}

/// The current health code with reasons, earliest change and history.
#[utoipa::path(get, path = "/api/v1/code", params(ForPerson),
    responses((status = 200, body = CodeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn code(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
) -> Result<Json<CodeView>, ApiError> {
    Ok(Json(app::codes::current(&s.app, &a, q.person_id).await?))
}

/// A fresh signed credential (ZK1) with its QR code; it expires in minutes.
#[utoipa::path(get, path = "/api/v1/code/credential", params(ForPerson),
    responses((status = 200, body = CredentialView), (status = 403, body = ErrorBody)))]
pub async fn credential(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
) -> Result<Json<CredentialView>, ApiError> {
    Ok(Json(
        app::codes::issue_credential(&s.app, &a, q.person_id).await?,
    ))
}

/// Declare health and itinerary; returns the code computed at once.
#[utoipa::path(post, path = "/api/v1/code/declarations", params(ForPerson), request_body = DeclarationInput,
    responses((status = 201, body = CodeView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
    ApiJson(input): ApiJson<DeclarationInput>,
) -> Result<(StatusCode, Json<CodeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app::codes::declare(&s.app, &a, q.person_id, &input).await?),
    ))
}

/// Today's check-in (one per day).
#[utoipa::path(post, path = "/api/v1/code/check-ins", params(ForPerson), request_body = CheckInInput,
    responses((status = 201, body = CodeView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_in(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
    ApiJson(input): ApiJson<CheckInInput>,
) -> Result<(StatusCode, Json<CodeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app::codes::check_in(&s.app, &a, q.person_id, &input).await?),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VerifyRequest {
    /// The scanned text: `ZK1:…` or `HC1:…`.
    pub text: String,
}

/// Verify a scanned code: one JSON verdict naming every check.
#[utoipa::path(post, path = "/api/v1/verify", request_body = VerifyRequest,
    responses((status = 200, description = "the verdict (valid or not)", body = Object), (status = 401, body = ErrorBody)))]
pub async fn verify(
    State(s): State<AppState>,
    ApiActor(_a): ApiActor,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if req.text.len() > 8192 {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "length",
            "text",
            "a code is at most 8192 characters",
        ));
    }
    let verdict = app::codes::verify(&s.app, &req.text, None)?;
    Ok(Json(serde_json::to_value(verdict).map_err(|e| {
        ApiError::from(app::AppError::Internal(e.to_string()))
    })?))
}

/// The public keys checkpoints accept; cache it, and fetch again at least hourly.
#[utoipa::path(get, path = "/api/v1/trust-list", responses((status = 200, description = "the trust list", body = Object)))]
pub async fn trust_list(State(s): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let keys = s.app.keys.as_deref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_keys",
            "this server has no signing keys",
        )
    })?;
    let list = keys.trust_list(chrono::Utc::now());
    Ok(Json(serde_json::to_value(list).map_err(|e| {
        ApiError::from(app::AppError::Internal(e.to_string()))
    })?))
}
