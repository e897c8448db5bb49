//! The route table: pages, the JSON API, assets and health.

mod api;
mod area_admin;
mod areas;
mod audit;
mod cases;
mod checkpoint_pages;
mod checkpoints;
mod code_pages;
mod code_reviews;
mod codes;
mod command;
mod economy;
mod enterprise;
mod home;
mod jobs;
mod login;
pub mod openapi;
mod people;
mod quarantine;
mod quarantine_pages;
mod review_pages;
mod risk_areas;
mod scans;
mod station;
mod tracing;
mod verifier;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::root))
        .route("/healthz", get(api::healthz))
        .route("/assets/app.css", get(crate::assets::css))
        .route("/assets/app.js", get(crate::assets::js))
        .route("/assets/station.js", get(crate::assets::station_js))
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
        .route("/code", get(code_pages::page))
        .route("/code/check-in", post(code_pages::check_in))
        .route("/code/appeal", post(code_pages::appeal))
        .route(
            "/code/declare",
            get(code_pages::declare_form).post(code_pages::declare),
        )
        .route("/verify", get(verifier::page).post(verifier::check))
        .route("/codes/review", get(review_pages::page))
        .route(
            "/codes/review/overrides",
            post(review_pages::request_override),
        )
        .route(
            "/codes/review/overrides/{id}/{action}",
            post(review_pages::decide_override),
        )
        .route(
            "/codes/review/appeals/{id}",
            post(review_pages::decide_appeal),
        )
        .merge(jobs::router())
        .merge(economy::router())
        .merge(enterprise::router())
        .merge(risk_areas::router())
        .merge(checkpoints::router())
        .merge(checkpoint_pages::router())
        .merge(area_admin::router())
        .merge(scans::router())
        .merge(station::router())
        .merge(cases::router())
        .merge(tracing::router())
        .merge(quarantine::router())
        .merge(quarantine_pages::router())
        .merge(command::router())
        .nest("/api/v1", api::router())
        .fallback(home::not_found)
}
