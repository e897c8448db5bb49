//! Enterprise service pages: the enterprise contact's (daily report, requests, payouts), the
//! officer's (enterprises, visits and checks, requests), the department reviewer's
//! (applications, payments), the command centre's (三率一度 by street and sector, the map,
//! overdue requests) and the online policy briefing.

pub mod api;
mod briefing;
mod command;
mod contact;
mod officer;
mod review;

use app::AppError;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::{PageError, status_of};

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
        .route("/command-centre", get(command::page))
        .route("/command-centre/supervise", post(command::supervise))
}

/// After a change: back to the page with what was done, so a reload does not repeat it.
fn done(path: &str, what: &str) -> Response {
    Redirect::to(&format!("{path}?done={what}")).into_response()
}

/// A refused form shows the page again with the reason (4xx naming the field); anything
/// else is the error page.
fn refused(v: &Viewer, e: AppError) -> Result<(StatusCode, String), Box<Response>> {
    match e {
        e @ (AppError::Invalid(_) | AppError::Conflict { .. }) => {
            Ok((status_of(&e), e.to_string()))
        }
        other => Err(Box::new(
            PageError {
                chrome: v.chrome(),
                error: other,
            }
            .into_response(),
        )),
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
