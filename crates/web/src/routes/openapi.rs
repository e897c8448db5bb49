//! The OpenAPI document of the JSON API, generated from the handlers' annotations so that it
//! cannot drift from the code.

use axum::Json;
use utoipa::OpenApi;

use super::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "zhikong API",
        description = "智控 — epidemic precision control and enterprise services"
    ),
    paths(
        api::healthz,
        api::create_session,
        api::delete_session,
        api::me,
        api::list_people,
        api::create_person,
        api::get_person,
        api::get_person_full,
        api::own_area,
        api::area,
        super::economy::api::figures,
        super::economy::api::record_value,
        super::codes::code,
        super::codes::credential,
        super::codes::credential_png,
        super::codes::declare,
        super::codes::check_in,
        super::codes::verify,
        super::codes::trust_list,
        super::codes::trust_anchor,
        super::codes::status_list,
        super::code_reviews::list_appeals,
        super::code_reviews::file_appeal,
        super::code_reviews::decide_appeal,
        super::code_reviews::queue,
        super::code_reviews::request_override,
        super::code_reviews::decide_override,
        super::checkpoints::list,
        super::checkpoints::one,
        super::checkpoints::create,
        super::checkpoints::edit,
        super::checkpoints::retire,
        super::checkpoints::reinstate,
        super::checkpoints::delete,
        super::checkpoints::today,
        super::scans::upload,
        super::scans::figures,
        super::cases::list,
        super::cases::create,
        super::cases::one,
        super::cases::change,
        super::cases::cluster,
        super::cases::contacts,
        super::cases::add_contact,
        super::tracing::run,
        super::tracing::graph,
        super::tracing::csv,
        super::risk_areas::api::list,
        super::risk_areas::api::add,
        super::risk_areas::api::import,
        super::enterprise::api::list,
        super::enterprise::api::export,
        super::enterprise::api::one,
        super::enterprise::api::full,
        super::enterprise::api::reports_of,
        super::enterprise::api::move_grid,
        super::enterprise::api::submit_report,
        super::enterprise::api::rates_of_day,
        super::enterprise::api::my_requests,
        super::enterprise::api::raise,
        super::enterprise::api::overdue,
        super::enterprise::api::on_time,
        super::enterprise::api::request_detail,
        super::enterprise::api::assign_request,
        super::enterprise::api::answer,
        super::enterprise::api::feedback,
        super::enterprise::api::catalog,
        super::enterprise::api::applications,
        super::enterprise::api::apply,
        super::enterprise::api::review,
        super::enterprise::api::payouts,
        super::enterprise::api::totals,
        super::enterprise::api::disburse,
        super::enterprise::api::grids,
        super::enterprise::api::create_grid,
        super::enterprise::api::officers,
        super::enterprise::api::create_officer,
        super::enterprise::api::assign_officer,
        super::enterprise::api::unassign_officer,
        super::command::risk_map,
        super::command::index_api,
        super::command::briefing_api,
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::error::ErrorDetail,
        crate::error::FieldErrorBody
    ))
)]
struct ApiDoc;

pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")
}

pub async fn serve() -> Json<serde_json::Value> {
    Json(openapi_json())
}
