//! Enterprise service over the JSON API (`/api/v1`): enterprises (list, search, one, in full,
//! export), daily reports, the 三率一度 with electricity, requests through their loop,
//! policies, applications, payouts with idempotent disbursement and totals, the grid and the
//! officers. The use cases check rights and scope; every refusal names its field.

use app::enterprise::directory::{
    self, EnterpriseFull, EnterprisePage, GridView, ListParams, OfficerPage,
};
use app::enterprise::enterprises::EnterpriseView;
use app::enterprise::grid::{GridInput, OfficerInput};
use app::enterprise::policies::{self, ApplicationInput};
use app::enterprise::requests::{self, RequestInput};
use app::enterprise::{electricity, rates, reports};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use domain::enterprise::DailyFigures;
use domain::enterprise::policy::Catalog;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list))
        .route("/enterprises/export.xlsx", get(export))
        .route("/enterprises/{id}", get(one))
        .route("/enterprises/{id}/full", get(full))
        .route("/enterprises/{id}/reports", get(reports_of))
        .route("/enterprises/{id}/grid", post(move_grid))
        .route("/enterprise-reports", post(submit_report))
        .route("/enterprise-rates", get(rates_of_day))
        .route("/enterprise-requests", get(my_requests).post(raise))
        .route("/enterprise-requests/overdue", get(overdue))
        .route("/enterprise-requests/on-time", get(on_time))
        .route("/enterprise-requests/{id}", get(request_detail))
        .route("/enterprise-requests/{id}/assign", post(assign_request))
        .route("/enterprise-requests/{id}/answer", post(answer))
        .route("/enterprise-requests/{id}/feedback", post(feedback))
        .route("/policies", get(catalog))
        .route("/policy-applications", get(applications).post(apply))
        .route("/policy-applications/{id}/review", post(review))
        .route("/payouts", get(payouts))
        .route("/payouts/totals", get(totals))
        .route("/payouts/{id}/disbursements", post(disburse))
        .route("/grids", get(grids).post(create_grid))
        .route("/officers", get(officers).post(create_officer))
        .route("/officers/{id}/assignments", post(assign_officer))
        .route(
            "/officers/{id}/assignments/{enterprise_id}",
            delete(unassign_officer),
        )
}

fn id_of(raw: &str, field: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "format",
            field,
            format!("{field} must be a number"),
        )
    })
}

/// An optional number from the query string: absent or empty is `None`; anything else must
/// parse (422 naming the parameter).
fn opt_num<T: std::str::FromStr>(raw: &Option<String>, field: &str) -> Result<Option<T>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                field,
                format!("{field} must be a whole number"),
            )
        }),
    }
}

fn now() -> i64 {
    domain::time::now_ms()
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EnterpriseQuery {
    /// Part of the name, or the start of the credit code.
    q: Option<String>,
    /// industry, service or construction.
    sector: Option<String>,
    street_id: Option<String>,
    micro_grid_id: Option<String>,
    /// id (default), name or employees (most first).
    sort: Option<String>,
    /// `next` of the previous page.
    after: Option<String>,
    /// 1–500, default 50.
    limit: Option<String>,
}

/// Enterprises in the account's area, contacts masked, one keyset page at a time.
#[utoipa::path(get, path = "/api/v1/enterprises", params(EnterpriseQuery),
    responses((status = 200, body = EnterprisePage), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<EnterpriseQuery>,
) -> Result<Json<EnterprisePage>, ApiError> {
    let params = ListParams {
        street_id: opt_num(&q.street_id, "street_id")?,
        micro_grid_id: opt_num(&q.micro_grid_id, "micro_grid_id")?,
        limit: opt_num(&q.limit, "limit")?,
        q: q.q,
        sector: q.sector,
        sort: q.sort,
        after: q.after,
    };
    Ok(Json(directory::list(&s.app, &a, &params).await?))
}

/// Every enterprise in the account's area as xlsx, in the import's columns (contacts masked
/// unless the account may see full personal data).
#[utoipa::path(get, path = "/api/v1/enterprises/export.xlsx",
    responses((status = 200, description = "xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 403, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Response, ApiError> {
    let bytes = app::enterprise::export::export_xlsx(&s.app, Some(&a)).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"enterprises.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// One enterprise, contact masked (a contact: only its own).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseView), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<EnterpriseView>, ApiError> {
    let id = id_of(&raw, "id")?;
    Ok(Json(
        app::enterprise::enterprises::get(&s.app, &a, id).await?,
    ))
}

/// One enterprise with its contact in full and its officers: for the enterprise's officers
/// and managers in scope; every call is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/full", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseFull), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn full(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<EnterpriseFull>, ApiError> {
    let id = id_of(&raw, "id")?;
    Ok(Json(directory::get_full(&s.app, &a, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct LimitQuery {
    /// How many, newest first (default 30).
    limit: Option<String>,
}

/// An enterprise's daily reports, newest first.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/reports", params(("id" = i64, Path), LimitQuery),
    responses((status = 200, description = "reports, newest first", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reports_of(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Vec<app::enterprise::ReportRow>>, ApiError> {
    let id = id_of(&raw, "id")?;
    let limit = opt_num(&q.limit, "limit")?.unwrap_or(30);
    Ok(Json(reports::of_enterprise(&s.app, &a, id, limit).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveBody {
    /// A micro-grid of the enterprise's street.
    pub micro_grid_id: i64,
}

/// Move an enterprise into another micro-grid of its street.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/grid", params(("id" = i64, Path)), request_body = MoveBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_grid(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    directory::move_to_grid(&s.app, &a, id, b.micro_grid_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The day's report of the contact's enterprise.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReportBody {
    /// Today or one of the 7 days before (a second report of a day replaces the first).
    pub day: String,
    pub resumed: bool,
    pub on_site: i64,
    pub total: i64,
    pub returned_outside: i64,
    pub in_quarantine: i64,
    /// 0–100, and 0 unless resumed.
    pub capacity_pct: i64,
    #[serde(default)]
    pub masks: i64,
    #[serde(default)]
    pub materials_days: i64,
    #[serde(default)]
    pub problems: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub day: String,
}

/// File (or correct) the day's resumption report for the contact's own enterprise.
#[utoipa::path(post, path = "/api/v1/enterprise-reports", request_body = ReportBody,
    responses((status = 201, body = Saved), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_report(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let f = DailyFigures {
        resumed: b.resumed,
        on_site: b.on_site,
        total: b.total,
        returned_outside: b.returned_outside,
        in_quarantine: b.in_quarantine,
        capacity_pct: b.capacity_pct,
        masks: b.masks,
        materials_days: b.materials_days,
        problems: b.problems,
    };
    reports::submit(&s.app, &a, &b.day, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(Saved {
            day: b.day.trim().to_owned(),
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// A day such as 2020-03-01 (default: the business day).
    day: Option<String>,
    /// The electricity threshold in percent of the December-2019 daily mean (default 30).
    threshold_pct: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RatesBody {
    /// The 三率一度 by street, by sector and overall (basis points).
    #[schema(value_type = Object)]
    pub rates: rates::RateTable,
    pub threshold_pct: i64,
    /// Per street: enterprises measured and resumed by electricity.
    #[schema(value_type = Vec<Object>)]
    pub electricity: Vec<electricity::ElectricityStreet>,
    /// Enterprises whose electricity disagrees with their report, for their officers.
    #[schema(value_type = Vec<Object>)]
    pub disagreements: Vec<electricity::Disagreement>,
}

/// The 三率一度 of a day per street and sector, with resumption by electricity beside them.
#[utoipa::path(get, path = "/api/v1/enterprise-rates", params(DayQuery),
    responses((status = 200, body = RatesBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rates_of_day(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<DayQuery>,
) -> Result<Json<RatesBody>, ApiError> {
    let day = q
        .day
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| s.app.today().to_string());
    let threshold_pct = opt_num(&q.threshold_pct, "threshold_pct")?
        .unwrap_or(domain::enterprise::report::DEFAULT_ELECTRICITY_THRESHOLD_PCT);
    if !(1..=100).contains(&threshold_pct) {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "range",
            "threshold_pct",
            "threshold_pct must be 1–100",
        ));
    }
    let table = rates::rates(&s.app, &a, day.trim()).await?;
    let (electricity, disagreements) =
        electricity::compare(&s.app, &a, &table.day, threshold_pct).await?;
    Ok(Json(RatesBody {
        rates: table,
        threshold_pct,
        electricity,
        disagreements,
    }))
}

/// The contact's requests, or the acting officer's (assigned, or raised by its enterprises).
#[utoipa::path(get, path = "/api/v1/enterprise-requests",
    responses((status = 200, description = "requests", body = Object), (status = 403, body = ErrorBody)))]
pub async fn my_requests(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<app::enterprise::RequestRow>>, ApiError> {
    Ok(Json(requests::mine(&s.app, &a).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestBody {
    /// Ignored for a contact (its own enterprise); required for an officer.
    pub enterprise_id: Option<i64>,
    /// workers, materials, logistics, finance, permits, policy or other.
    pub category: String,
    /// simple (1 working day) or complex (3).
    pub complexity: String,
    pub title: String,
    #[serde(default)]
    pub detail: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Raise a request; its deadline is counted on the working-day calendar.
#[utoipa::path(post, path = "/api/v1/enterprise-requests", request_body = RequestBody,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn raise(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<RequestBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let input = RequestInput {
        enterprise_id: b.enterprise_id,
        category: b.category,
        complexity: b.complexity,
        title: b.title,
        detail: b.detail,
    };
    let id = requests::raise(&s.app, &a, &input, now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Open requests past their deadline, most overdue first (the command centre's list).
#[utoipa::path(get, path = "/api/v1/enterprise-requests/overdue", params(LimitQuery),
    responses((status = 200, description = "overdue requests", body = Object), (status = 403, body = ErrorBody)))]
pub async fn overdue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Vec<app::enterprise::RequestRow>>, ApiError> {
    let limit = opt_num(&q.limit, "limit")?.unwrap_or(100);
    Ok(Json(requests::overdue(&s.app, &a, now(), limit).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OnTimeBody {
    #[schema(value_type = Vec<Object>)]
    pub by_department: Vec<requests::OnTime>,
    /// Keyed by officer id.
    #[schema(value_type = Vec<Object>)]
    pub by_officer: Vec<requests::OnTime>,
}

/// The on-time rate of answers per department and per officer.
#[utoipa::path(get, path = "/api/v1/enterprise-requests/on-time",
    responses((status = 200, body = OnTimeBody), (status = 403, body = ErrorBody)))]
pub async fn on_time(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<OnTimeBody>, ApiError> {
    let (by_department, by_officer) = requests::on_time(&s.app, &a).await?;
    Ok(Json(OnTimeBody {
        by_department,
        by_officer,
    }))
}

/// One request with every step (when, who, at which level).
#[utoipa::path(get, path = "/api/v1/enterprise-requests/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "request, steps, overdue", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn request_detail(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<requests::RequestDetail>, ApiError> {
    let id = id_of(&raw, "id")?;
    Ok(Json(requests::detail(&s.app, &a, id, now()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignBody {
    pub officer_id: Option<i64>,
    #[serde(default)]
    pub department: String,
}

/// Hand a received request to an officer and/or a department.
#[utoipa::path(post, path = "/api/v1/enterprise-requests/{id}/assign", params(("id" = i64, Path)), request_body = AssignBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_request(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    requests::assign(&s.app, &a, id, b.officer_id, &b.department, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerBody {
    pub answer: String,
}

/// Answer an assigned request ("on time" or "late" is recorded with the step).
#[utoipa::path(post, path = "/api/v1/enterprise-requests/{id}/answer", params(("id" = i64, Path)), request_body = AnswerBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    requests::answer(&s.app, &a, id, &b.answer, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FeedbackBody {
    /// 1–5.
    pub satisfaction: i64,
    #[serde(default)]
    pub comment: String,
}

/// The enterprise's feedback on the answer; closes the loop.
#[utoipa::path(post, path = "/api/v1/enterprise-requests/{id}/feedback", params(("id" = i64, Path)), request_body = FeedbackBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn feedback(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<FeedbackBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    requests::feedback(&s.app, &a, id, b.satisfaction, &b.comment, now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A policy of the catalog in plain language.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PolicyView {
    pub code: String,
    /// enterprise, talent or hiring.
    pub kind: String,
    /// automatic (免申即享) or application (快申快享).
    pub mode: String,
    pub name: String,
    pub summary: String,
    pub who: String,
    pub how: String,
    /// The eligibility rules as written.
    pub rules: Vec<String>,
    pub cap_fen: i64,
    pub questions: Vec<(String, String)>,
}

/// The policy catalog (8 enterprise-support, 10 talent, 8 hiring policies).
#[utoipa::path(get, path = "/api/v1/policies",
    responses((status = 200, body = [PolicyView]), (status = 401, body = ErrorBody)))]
pub async fn catalog(ApiActor(_a): ApiActor) -> Json<Vec<PolicyView>> {
    Json(
        Catalog::default_catalog()
            .policies
            .iter()
            .map(|p| PolicyView {
                code: p.code.clone(),
                kind: p.kind.as_str().into(),
                mode: p.mode.as_str().into(),
                name: p.name.clone(),
                summary: p.summary.clone(),
                who: p.who.clone(),
                how: p.how.clone(),
                rules: p.rules_text(),
                cap_fen: p.cap_fen,
                questions: p.qa.clone(),
            })
            .collect(),
    )
}

/// A contact: its enterprise's applications; a reviewer: the applications waiting.
#[utoipa::path(get, path = "/api/v1/policy-applications",
    responses((status = 200, description = "applications", body = Object), (status = 403, body = ErrorBody)))]
pub async fn applications(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<app::enterprise::ApplicationRow>>, ApiError> {
    if a.role.has(domain::Right::ReportResumption) {
        Ok(Json(policies::mine(&s.app, &a).await?.1))
    } else {
        Ok(Json(policies::pending(&s.app, &a).await?))
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApplicationBody {
    /// Ignored for a contact; a policy officer applying on an enterprise's behalf names it.
    pub enterprise_id: Option<i64>,
    pub policy_code: String,
    /// 元 with at most two decimals, e.g. "12000.50"; at most the policy's cap.
    pub amount_yuan: String,
    pub statement: String,
}

/// 快申快享: apply for a policy; the rules must hold on today's facts.
#[utoipa::path(post, path = "/api/v1/policy-applications", request_body = ApplicationBody,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ApplicationBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let input = ApplicationInput {
        enterprise_id: b.enterprise_id,
        policy_code: b.policy_code,
        amount_yuan: b.amount_yuan,
        statement: b.statement,
    };
    let id = policies::apply(&s.app, &a, &Catalog::default_catalog(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// approve or reject.
    pub decision: String,
    /// On approval: at most the amount applied for (default) and the cap.
    pub amount_yuan: Option<String>,
    pub reasons: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reviewed {
    /// The payout created by an approval.
    pub payout_id: Option<i64>,
}

/// The reviewer's decision on an application, with reasons; approval creates the payout.
#[utoipa::path(post, path = "/api/v1/policy-applications/{id}/review", params(("id" = i64, Path)), request_body = ReviewBody,
    responses((status = 200, body = Reviewed), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> Result<Json<Reviewed>, ApiError> {
    let id = id_of(&raw, "id")?;
    let approve = match b.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown",
                "decision",
                "decision must be approve or reject",
            ));
        }
    };
    let payout_id = policies::review(
        &s.app,
        &a,
        &Catalog::default_catalog(),
        id,
        approve,
        b.amount_yuan.as_deref(),
        &b.reasons,
    )
    .await?;
    Ok(Json(Reviewed { payout_id }))
}

/// A contact: its enterprise's payouts; a reviewer: approved payouts not paid yet.
#[utoipa::path(get, path = "/api/v1/payouts", params(LimitQuery),
    responses((status = 200, description = "payouts", body = Object), (status = 403, body = ErrorBody)))]
pub async fn payouts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Vec<app::enterprise::PayoutRow>>, ApiError> {
    if a.role.has(domain::Right::ReportResumption) {
        Ok(Json(policies::mine(&s.app, &a).await?.0))
    } else {
        let limit = opt_num(&q.limit, "limit")?.unwrap_or(100);
        Ok(Json(policies::unpaid(&s.app, &a, limit).await?))
    }
}

/// Granted and paid per policy, per street and overall (fen, from the payout records).
#[utoipa::path(get, path = "/api/v1/payouts/totals",
    responses((status = 200, description = "by_policy, by_street, overall", body = Object), (status = 403, body = ErrorBody)))]
pub async fn totals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<policies::Totals>, ApiError> {
    Ok(Json(policies::totals(&s.app, &a).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DisburseBody {
    /// 8–100 of letters, digits, - _ : . — the same key again answers with the first payment.
    pub idempotency_key: String,
}

/// Pay a payout once: 201 with the ledger entry; the same key again 200 with the same entry
/// (`replayed`); another key for a paid payout 409.
#[utoipa::path(post, path = "/api/v1/payouts/{id}/disbursements", params(("id" = i64, Path)), request_body = DisburseBody,
    responses((status = 201, description = "paid now", body = Object), (status = 200, description = "the earlier payment under this key", body = Object),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn disburse(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<DisburseBody>,
) -> Result<(StatusCode, Json<policies::Disbursed>), ApiError> {
    let id = id_of(&raw, "id")?;
    let d = policies::disburse(&s.app, Some(&a), id, &b.idempotency_key).await?;
    let status = if d.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(d)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct GridQuery {
    street_id: Option<String>,
}

/// The three-level grid of the streets in the account's area, parents before children, with
/// enterprise counts; keepers' phones masked.
#[utoipa::path(get, path = "/api/v1/grids", params(GridQuery),
    responses((status = 200, body = [GridView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grids(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<GridQuery>,
) -> Result<Json<Vec<GridView>>, ApiError> {
    let street = opt_num(&q.street_id, "street_id")?;
    Ok(Json(directory::grid_tree(&s.app, &a, street).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GridBody {
    /// grid (网格), sub_grid (子网格) or micro_grid (微网格).
    pub level: String,
    /// Required below the top: a grid one level up in the same street.
    pub parent_id: Option<i64>,
    pub street_id: i64,
    pub name: String,
    pub keeper_user_id: Option<i64>,
    #[serde(default)]
    pub keeper_name: String,
    #[serde(default)]
    pub keeper_phone: String,
}

/// Add a grid (网格长 → 网格员 → 企业微网格员 level by level).
#[utoipa::path(post, path = "/api/v1/grids", request_body = GridBody,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_grid(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<GridBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let g = GridInput {
        level: b.level,
        parent_id: b.parent_id,
        street_id: b.street_id,
        name: b.name,
        keeper_user_id: b.keeper_user_id,
        keeper_name: b.keeper_name,
        keeper_phone: b.keeper_phone,
    };
    let id = app::enterprise::grid::create_grid(&s.app, &a, &g).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OfficerQuery {
    /// enterprise, prevention or policy.
    kind: Option<String>,
    /// Part of the name or department.
    q: Option<String>,
    /// `next` of the previous page.
    after: Option<String>,
    /// 1–500, default 50.
    limit: Option<String>,
}

/// Officers with the number of enterprises each serves; phones masked.
#[utoipa::path(get, path = "/api/v1/officers", params(OfficerQuery),
    responses((status = 200, body = OfficerPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn officers(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<OfficerQuery>,
) -> Result<Json<OfficerPage>, ApiError> {
    let after = opt_num(&q.after, "after")?.unwrap_or(0);
    let limit = opt_num(&q.limit, "limit")?.unwrap_or(directory::DEFAULT_PAGE);
    Ok(Json(
        directory::officers(&s.app, &a, q.kind.as_deref(), q.q.as_deref(), after, limit).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OfficerBody {
    /// The officer's account, if any (it then sees the officer's page).
    pub user_id: Option<i64>,
    /// enterprise (驻企指导员), prevention (防疫指导员) or policy (政策指导员).
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub department: String,
}

/// Add an officer.
#[utoipa::path(post, path = "/api/v1/officers", request_body = OfficerBody,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_officer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<OfficerBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let o = OfficerInput {
        user_id: b.user_id,
        kind: b.kind,
        name: b.name,
        phone: b.phone,
        department: b.department,
    };
    let id = app::enterprise::grid::create_officer(&s.app, &a, &o).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignmentBody {
    pub enterprise_id: i64,
}

/// Assign an officer to an enterprise (again: nothing changes).
#[utoipa::path(post, path = "/api/v1/officers/{id}/assignments", params(("id" = i64, Path)), request_body = AssignmentBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign_officer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<AssignmentBody>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    app::enterprise::grid::assign(&s.app, &a, id, b.enterprise_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End an officer's assignment to an enterprise.
#[utoipa::path(delete, path = "/api/v1/officers/{id}/assignments/{enterprise_id}",
    params(("id" = i64, Path), ("enterprise_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn unassign_officer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((raw, raw_e)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = id_of(&raw, "id")?;
    let enterprise_id = id_of(&raw_e, "enterprise_id")?;
    directory::unassign(&s.app, &a, id, enterprise_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
