//! Changes waiting for a second person (the change policy): the list for whoever may approve,
//! and approve / reject, each from the approver's own session. Pages and API.

use app::AppError;
use app::change_requests::{self as requests, ChangeRequestView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ApiActor, Viewer};
use crate::chrome::Chrome;
use crate::error::{ApiError, ErrorBody, page_or_error};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/approvals", get(page))
        .route("/approvals/{id}", post(decide_form))
        .route("/api/v1/change-requests", get(list))
        .route("/api/v1/change-requests/{id}", get(one))
        .route("/api/v1/change-requests/{id}/decision", post(decide))
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    c: Chrome,
    requests: Vec<ChangeRequestView>,
    me: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl ApprovalsPage {
    /// The catalogue key of a request's kind.
    fn kind_text(&self, kind: &str) -> &'static str {
        match kind {
            "declaration" => "approvals.kind.declaration",
            "check_in" => "approvals.kind.check_in",
            "case_change" => "approvals.kind.case_change",
            "quarantine_end" => "approvals.kind.quarantine_end",
            _ => "approvals.kind.risk_area_change",
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn show(
    s: &AppState,
    v: &Viewer,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Response {
    let loaded = requests::pending_for(&s.app, &v.actor).await;
    page_or_error(v, loaded, error, |requests, error| ApprovalsPage {
        c: v.chrome(),
        requests,
        me: v.actor.display_name.clone(),
        notice,
        error,
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    let notice = match q.done.as_deref() {
        Some("approved") => Some("approvals.done.approved"),
        Some("rejected") => Some("approvals.done.rejected"),
        _ => None,
    };
    show(&s, &v, notice, None).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    /// approve or reject
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

fn approve_of(decision: &str) -> Result<bool, AppError> {
    match decision {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(AppError::invalid(
            "decision",
            "unknown",
            "approve or reject",
        )),
    }
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::invalid("id", "format", "the id must be a number"))
}

pub async fn decide_form(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<DecideForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let approve = approve_of(&f.decision)?;
        requests::decide(&s.app, &v.actor, id_of(&raw)?, approve, &f.note).await
    }
    .await;
    match r {
        Ok(done) => Redirect::to(&format!("/approvals?done={}", done.status)).into_response(),
        Err(e) => show(&s, &v, None, Some(e)).await,
    }
}

/// Changes waiting for a second person that the caller may decide, oldest first.
#[utoipa::path(get, path = "/api/v1/change-requests", responses((status = 200, body = [ChangeRequestView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<ChangeRequestView>>, ApiError> {
    Ok(Json(requests::pending_for(&s.app, &a).await?))
}

/// One change request.
#[utoipa::path(get, path = "/api/v1/change-requests/{id}", params(("id" = i64, Path)), responses((status = 200, body = ChangeRequestView), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<ChangeRequestView>, ApiError> {
    Ok(Json(requests::get(&s.app, &a, id_of(&raw)?).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// approve or reject
    pub decision: String,
    /// Required to reject.
    #[serde(default)]
    pub note: String,
}

/// Approve (the change happens now, in the approver's name as second person) or reject a
/// change request. The approver is not the requester.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/decision", params(("id" = i64, Path)), request_body = DecisionBody, responses((status = 200, body = ChangeRequestView), (status = 404, body = ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<(StatusCode, Json<ChangeRequestView>), ApiError> {
    let approve = approve_of(&b.decision)?;
    let v = requests::decide(&s.app, &a, id_of(&raw)?, approve, &b.note).await?;
    Ok((StatusCode::OK, Json(v)))
}
