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
        super::codes::code,
        super::codes::credential,
        super::codes::declare,
        super::codes::check_in,
        super::codes::verify,
        super::codes::trust_list,
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
