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
    pub person_id: Option<i64>,
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

/// The same fresh credential as a PNG QR picture.
#[utoipa::path(get, path = "/api/v1/code/credential.png", params(ForPerson),
    responses((status = 200, description = "PNG image", content_type = "image/png"), (status = 403, body = ErrorBody)))]
pub async fn credential_png(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ForPerson>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    let png = app::codes::issue_credential_png(&s.app, &a, q.person_id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "image/png")], png).into_response())
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

fn signed(doc: app::codes::SignedDocument) -> Result<Json<serde_json::Value>, ApiError> {
    serde_json::to_value(doc)
        .map(Json)
        .map_err(|e| ApiError::from(app::AppError::Internal(e.to_string())))
}

/// The public keys checkpoints accept, signed by the platform's trust anchor (JWS, flattened
/// JSON: `protected`, `payload`, `signature`); cache it, and fetch again at least hourly.
#[utoipa::path(get, path = "/api/v1/trust-list", responses((status = 200, description = "the signed trust list", body = Object)))]
pub async fn trust_list(State(s): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    signed(app::codes::signed_trust_list(&s.app)?)
}

/// The trust anchor's public key (a one-entry trust list). Pin it out of band: anyone between
/// the verifier and this server could replace it here.
#[utoipa::path(get, path = "/api/v1/trust-anchor", responses((status = 200, description = "the trust anchor", body = Object)))]
pub async fn trust_anchor(
    State(s): State<AppState>,
) -> Result<Json<app::codes::TrustList>, ApiError> {
    Ok(Json(app::codes::trust_anchor(&s.app)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StatusQuery {
    /// RFC 3339 instant, within the last 7 days.
    since: String,
}

/// References whose colour changed since an instant, signed by the trust anchor: an offline
/// verifier refuses a code listed here unless its colour matches.
#[utoipa::path(get, path = "/api/v1/status-list", params(StatusQuery),
    responses((status = 200, description = "the signed status list", body = Object), (status = 422, body = ErrorBody)))]
pub async fn status_list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<StatusQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let since = chrono::DateTime::parse_from_rfc3339(&q.since)
        .map_err(|_| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "format",
                "since",
                "expected an RFC 3339 instant such as 2020-03-27T08:00:00+08:00",
            )
        })?
        .with_timezone(&chrono::Utc);
    signed(app::codes::status_list(&s.app, &a, since).await?)
}
