//! Quarantine over the API: sites, orders and their steps, the day's checks and floor entry,
//! tests, alerts, the release check, figures, and the returnee desk.

use app::quarantine::{
    self as q, AlertView, ArrivalInput, ArrivalList, ArrivalView, CheckView, EndChangeInput,
    EndingQuarantine, Figures, FloorEntryInput, FollowUpReport, OrderInput, OrderList,
    OrderListQuery, OrderView, OverdueFollowUp, ReleaseCheck, RoomView, SiteInput, SiteView,
    StepInput, StreetOnTime, TestInput, TestResultInput, TestView, TransferInput,
};
use axum::extract::{Path, Query, State};
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
        .route("/api/v1/quarantine/sites", get(sites).post(create_site))
        .route("/api/v1/quarantine/sites/{id}/rooms", get(rooms))
        .route("/api/v1/quarantine/orders", get(orders).post(create_order))
        .route("/api/v1/quarantine/orders/{id}", get(order))
        .route("/api/v1/quarantine/orders/{id}/enter", post(enter))
        .route("/api/v1/quarantine/orders/{id}/transfer", post(transfer))
        .route("/api/v1/quarantine/orders/{id}/hospital", post(hospital))
        .route("/api/v1/quarantine/orders/{id}/end", post(change_end))
        .route(
            "/api/v1/quarantine/orders/{id}/release",
            get(release_check).post(release),
        )
        .route(
            "/api/v1/quarantine/orders/{id}/tests",
            get(tests).post(record_test),
        )
        .route("/api/v1/quarantine/tests/{id}/result", post(test_result))
        .route("/api/v1/quarantine/checks", get(checks))
        .route("/api/v1/quarantine/checks/entry", post(floor_entry))
        .route("/api/v1/quarantine/follow-ups", post(follow_ups))
        .route("/api/v1/quarantine/alerts", get(alerts))
        .route("/api/v1/quarantine/figures", get(figures))
        .route("/api/v1/quarantine/on-time", get(on_time))
        .route("/api/v1/quarantine/overdue", get(overdue))
        .route("/api/v1/quarantine/ending", get(ending))
        .route("/api/v1/returnees", get(arrivals).post(register))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    pub day: Option<String>,
}

fn day_of(s: &AppState, q: &DayQuery) -> Result<chrono::NaiveDate, ApiError> {
    match q.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(s.app.today()),
        Some(d) => d.parse().map_err(|_| {
            app::AppError::invalid("day", "invalid", "give a day as YYYY-MM-DD").into()
        }),
    }
}

#[utoipa::path(get, path = "/api/v1/quarantine/sites",
    responses((status = 200, body = Vec<SiteView>), (status = 403, body = ErrorBody)))]
pub async fn sites(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<SiteView>>, ApiError> {
    Ok(Json(q::sites(&s.app, &a).await?))
}

#[utoipa::path(post, path = "/api/v1/quarantine/sites", request_body = SiteInput,
    responses((status = 201, body = SiteView), (status = 422, body = ErrorBody)))]
pub async fn create_site(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<SiteInput>,
) -> Result<(StatusCode, Json<SiteView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(q::create_site(&s.app, &a, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/quarantine/sites/{id}/rooms",
    responses((status = 200, body = Vec<RoomView>), (status = 404, body = ErrorBody)))]
pub async fn rooms(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<RoomView>>, ApiError> {
    Ok(Json(q::rooms_of_site(&s.app, &a, id_of(&id)?).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/orders", params(OrderListQuery),
    responses((status = 200, body = OrderList), (status = 422, body = ErrorBody)))]
pub async fn orders(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<OrderListQuery>,
) -> Result<Json<OrderList>, ApiError> {
    Ok(Json(q::list_orders(&s.app, &a, &query).await?))
}

/// Order a person into quarantine (one active order per person; a full room is refused).
#[utoipa::path(post, path = "/api/v1/quarantine/orders", request_body = OrderInput,
    responses((status = 201, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn create_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<OrderInput>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(q::create_order(&s.app, &a, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/quarantine/orders/{id}",
    responses((status = 200, body = OrderView), (status = 404, body = ErrorBody)))]
pub async fn order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(q::get_order(&s.app, &a, id_of(&id)?).await?.0))
}

#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/enter", request_body = StepInput,
    responses((status = 200, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn enter(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(q::enter(&s.app, &a, id_of(&id)?, &input).await?))
}

/// Move to another site and room, or home; a full site is refused.
#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/transfer", request_body = TransferInput,
    responses((status = 200, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn transfer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TransferInput>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(q::transfer(&s.app, &a, id_of(&id)?, &input).await?))
}

#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/hospital", request_body = StepInput,
    responses((status = 200, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn hospital(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(
        q::transfer_to_hospital(&s.app, &a, id_of(&id)?, &input).await?,
    ))
}

/// Extend the planned end, or shorten it with a reviewer and a reason (audited).
#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/end", request_body = EndChangeInput,
    responses((status = 200, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn change_end(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EndChangeInput>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(q::change_end(&s.app, &a, id_of(&id)?, &input).await?))
}

/// What a release today still needs.
#[utoipa::path(get, path = "/api/v1/quarantine/orders/{id}/release",
    responses((status = 200, body = ReleaseCheck), (status = 404, body = ErrorBody)))]
pub async fn release_check(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<ReleaseCheck>, ApiError> {
    Ok(Json(q::release_check(&s.app, &a, id_of(&id)?).await?))
}

/// Release today; refused with every missing condition (field `release`).
#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/release", request_body = StepInput,
    responses((status = 200, body = OrderView), (status = 422, body = ErrorBody)))]
pub async fn release(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> Result<Json<OrderView>, ApiError> {
    Ok(Json(q::release(&s.app, &a, id_of(&id)?, &input).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/orders/{id}/tests",
    responses((status = 200, body = Vec<TestView>), (status = 404, body = ErrorBody)))]
pub async fn tests(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<TestView>>, ApiError> {
    Ok(Json(q::tests_of_order(&s.app, &a, id_of(&id)?).await?))
}

#[utoipa::path(post, path = "/api/v1/quarantine/orders/{id}/tests", request_body = TestInput,
    responses((status = 201, body = TestView), (status = 422, body = ErrorBody)))]
pub async fn record_test(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TestInput>,
) -> Result<(StatusCode, Json<TestView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(q::record_test(&s.app, &a, id_of(&id)?, &input).await?),
    ))
}

#[utoipa::path(post, path = "/api/v1/quarantine/tests/{id}/result", request_body = TestResultInput,
    responses((status = 200, body = TestView), (status = 422, body = ErrorBody)))]
pub async fn test_result(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TestResultInput>,
) -> Result<Json<TestView>, ApiError> {
    Ok(Json(
        q::set_test_result(&s.app, &a, id_of(&id)?, &input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ChecksQuery {
    /// YYYY-MM-DD; default today.
    #[serde(default)]
    pub day: Option<String>,
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub community_id: Option<i64>,
}

/// A day's checks at a site or of a community's home quarantine.
#[utoipa::path(get, path = "/api/v1/quarantine/checks", params(ChecksQuery),
    responses((status = 200, body = Vec<CheckView>), (status = 422, body = ErrorBody)))]
pub async fn checks(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<ChecksQuery>,
) -> Result<Json<Vec<CheckView>>, ApiError> {
    let day = day_of(
        &s,
        &DayQuery {
            day: query.day.clone(),
        },
    )?;
    Ok(Json(
        q::checks_of_day(&s.app, &a, day, query.site_id, query.community_id).await?,
    ))
}

/// Enter checks (a whole floor at once): all or nothing, refused lines named by index.
#[utoipa::path(post, path = "/api/v1/quarantine/checks/entry", request_body = FloorEntryInput,
    responses((status = 200, body = usize), (status = 422, body = ErrorBody)))]
pub async fn floor_entry(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<FloorEntryInput>,
) -> Result<Json<usize>, ApiError> {
    Ok(Json(q::enter_floor(&s.app, &a, &input).await?))
}

/// Generate a day's follow-up checks (idempotent).
#[utoipa::path(post, path = "/api/v1/quarantine/follow-ups", params(DayQuery),
    responses((status = 200, body = FollowUpReport), (status = 403, body = ErrorBody)))]
pub async fn follow_ups(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<DayQuery>,
) -> Result<Json<FollowUpReport>, ApiError> {
    let day = day_of(&s, &query)?;
    Ok(Json(q::generate_follow_ups(&s.app, &a, day).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/alerts",
    responses((status = 200, body = Vec<AlertView>), (status = 403, body = ErrorBody)))]
pub async fn alerts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    Ok(Json(q::alerts(&s.app, &a, 14).await?))
}

/// Cumulative, current, occupancy per site and per community on a day.
#[utoipa::path(get, path = "/api/v1/quarantine/figures", params(DayQuery),
    responses((status = 200, body = Figures), (status = 403, body = ErrorBody)))]
pub async fn figures(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<DayQuery>,
) -> Result<Json<Figures>, ApiError> {
    let day = day_of(&s, &query)?;
    Ok(Json(q::figures(&s.app, &a, day).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/on-time", params(DayQuery),
    responses((status = 200, body = Vec<StreetOnTime>), (status = 403, body = ErrorBody)))]
pub async fn on_time(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<DayQuery>,
) -> Result<Json<Vec<StreetOnTime>>, ApiError> {
    let day = day_of(&s, &query)?;
    Ok(Json(q::checks_on_time(&s.app, &a, day).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/overdue", params(DayQuery),
    responses((status = 200, body = Vec<OverdueFollowUp>), (status = 403, body = ErrorBody)))]
pub async fn overdue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<DayQuery>,
) -> Result<Json<Vec<OverdueFollowUp>>, ApiError> {
    let day = day_of(&s, &query)?;
    Ok(Json(q::overdue_follow_ups(&s.app, &a, day).await?))
}

#[utoipa::path(get, path = "/api/v1/quarantine/ending", params(DayQuery),
    responses((status = 200, body = Vec<EndingQuarantine>), (status = 403, body = ErrorBody)))]
pub async fn ending(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<DayQuery>,
) -> Result<Json<Vec<EndingQuarantine>>, ApiError> {
    let day = day_of(&s, &query)?;
    Ok(Json(q::ending_on(&s.app, &a, day).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    #[serde(default)]
    pub page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/returnees", params(PageQuery),
    responses((status = 200, body = ArrivalList), (status = 403, body = ErrorBody)))]
pub async fn arrivals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(query): Query<PageQuery>,
) -> Result<Json<ArrivalList>, ApiError> {
    Ok(Json(
        q::list_arrivals(&s.app, &a, query.page.unwrap_or(1)).await?,
    ))
}

/// Register a foreign arrival: verify the HC1 certificate, assign the officer, order the
/// quarantine (14 days at a site + 7 at home by default).
#[utoipa::path(post, path = "/api/v1/returnees", request_body = ArrivalInput,
    responses((status = 201, body = ArrivalView), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<ArrivalInput>,
) -> Result<(StatusCode, Json<ArrivalView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(q::register_arrival(&s.app, &a, &input).await?),
    ))
}
