//! The route table: pages, the JSON API, assets and health.

mod api;
mod areas;
mod audit;
mod codes;
mod home;
mod login;
pub mod openapi;
mod people;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::root))
        .route("/healthz", get(api::healthz))
        .route("/assets/app.css", get(crate::assets::css))
        .route("/assets/app.js", get(crate::assets::js))
        .route("/lang/{tag}", get(login::switch_lang))
        .route("/login", get(login::page).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/home", get(home::page))
        .route("/areas", get(areas::page))
        .route("/people", get(people::list).post(people::create))
        .route("/people/new", get(people::new_form))
        .route("/people/export.csv", get(people::export))
        .route("/people/{id}", get(people::detail))
        .route("/people/{id}/full", post(people::full))
        .route("/audit", get(audit::page))
        .nest("/api/v1", api::router())
        .fallback(home::not_found)
}
