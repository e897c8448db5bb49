//! The checkpoint management pages (`/checkpoints`, right `ManageCheckpoints`): the list with
//! filters by area, kind, status and a search, a page at a time; create and edit through the
//! app's checks; retire and reinstate after a confirmation; and the list from a file (upload →
//! preview → confirm). The station pages (`/checkpoint/…`) are the officer's, elsewhere.

mod form;
mod import;
mod list;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkpoints", get(list::page).post(form::create))
        .route("/checkpoints/new", get(form::new_form))
        .route("/checkpoints/import/preview", post(import::preview))
        .route("/checkpoints/import", post(import::confirm))
        .route(
            "/checkpoints/{id}/edit",
            get(form::edit_form).post(form::edit),
        )
        .route("/checkpoints/{id}/retire", post(form::retire))
        .route("/checkpoints/{id}/reinstate", post(form::reinstate))
}

/// The i18n key of a checkpoint kind's name.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "traffic" => "checkpoint.kind.traffic",
        "community_gate" => "checkpoint.kind.community_gate",
        "factory_gate" => "checkpoint.kind.factory_gate",
        "commercial_gate" => "checkpoint.kind.commercial_gate",
        "park_gate" => "checkpoint.kind.park_gate",
        _ => "checkpoint.kind.quarantine_site",
    }
}

/// Every kind, for the filter and the form.
pub const KINDS: [&str; 6] = [
    "traffic",
    "community_gate",
    "factory_gate",
    "commercial_gate",
    "park_gate",
    "quarantine_site",
];
