//! Enterprise service pages: the enterprise contact's (daily report, requests, payouts), the
//! officer's (enterprises, visits and checks, requests), the department reviewer's
//! (applications, payments), the command centre's (三率一度 by street and sector, the map,
//! overdue requests) and the online policy briefing.

pub mod api;
mod briefing;
mod command;
mod contact;
mod manage;
mod officer;
mod review;

use app::AppError;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::status_of;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprise", get(contact::page))
        .route("/enterprise/report", post(contact::report))
        .route("/enterprise/requests", post(contact::raise))
        .route(
            "/enterprise/requests/{id}/feedback",
            post(contact::feedback),
        )
        .route("/enterprise/applications", post(contact::apply))
        .route("/officer", get(officer::page))
        .route("/officer/visits", post(officer::visit))
        .route("/officer/requests/{id}/assign", post(officer::assign))
        .route("/officer/requests/{id}/answer", post(officer::answer))
        .route("/policies", get(briefing::page))
        .route("/policies/review", get(review::page))
        .route("/policies/review/{id}", post(review::decide))
        .route("/policies/payouts/{id}/pay", post(review::pay))
        .route("/enterprises", get(manage::list))
        .route("/enterprises/export.xlsx", get(manage::export))
        .route("/enterprises/import", post(manage::import))
        .route(
            "/enterprises/grid",
            get(manage::grid_page).post(manage::create_grid),
        )
        .route("/enterprises/grid/move", post(manage::move_enterprise))
        .route(
            "/enterprises/officers",
            get(manage::officers_page).post(manage::create_officer),
        )
        .route("/enterprises/officers/{id}/assign", post(manage::assign))
        .route(
            "/enterprises/officers/{id}/unassign",
            post(manage::unassign),
        )
        .route("/command-centre", get(command::page))
        .route("/command-centre/supervise", post(command::supervise))
}

/// After a change: back to the page with what was done, so a reload does not repeat it.
fn done(path: &str, what: &str) -> Response {
    let joiner = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{joiner}done={what}")).into_response()
}

/// After a form: on success back to `path` with what was done (so a reload does not repeat
/// it); a refusal (4xx naming the field) draws the page again through `again` with the
/// reason; anything else is the error page.
async fn after_form<F: Future<Output = Response>>(
    v: &Viewer,
    r: Result<(), AppError>,
    path: &str,
    what: &str,
    again: impl FnOnce((StatusCode, String)) -> F,
) -> Response {
    match r {
        Ok(()) => done(path, what),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            again((status_of(&e), e.to_string())).await
        }
        Err(other) => v.error_page(other),
    }
}

/// Basis points as a percentage with two decimals; "—" without a figure.
pub(crate) fn pct(bp: &Option<i64>) -> String {
    bp.map_or("—".into(), |b| format!("{}.{:02}%", b / 100, b % 100))
}

pub(crate) fn yuan(fen: &i64) -> String {
    domain::enterprise::money::format_yuan(*fen)
}

pub(crate) fn local(ms: &i64) -> String {
    domain::time::format_local(*ms)
}

fn parse_id(s: &str, field: &str) -> Result<Option<i64>, AppError> {
    match s.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "format", "a number")),
    }
}

/// The text key of a stored state word (request status, payout mode, application status).
pub(crate) fn state_key(word: &str) -> String {
    format!("ent.st.{word}")
}
