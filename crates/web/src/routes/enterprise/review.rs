//! The department reviewer's page: applications waiting (approve or reject, with reasons)
//! and payouts waiting for payment. Each pay button carries an idempotency key made when the
//! page was drawn, so a form sent twice pays once.

use app::AppError;
use app::enterprise::policies;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::enterprise::policy::Catalog;
use serde::Deserialize;

use super::contact::Done;
use super::{after_form, local, yuan};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::page_or_refusal;

#[derive(Template)]
#[template(path = "policy_review.html")]
struct Page {
    c: Chrome,
    pending: Vec<(app::enterprise::ApplicationRow, String)>,
    unpaid: Vec<(app::enterprise::PayoutRow, String)>,
    totals: policies::Totals,
    done: Option<String>,
    error: Option<String>,
}

impl Page {
    fn yuan(&self, fen: &i64) -> String {
        yuan(fen)
    }
    fn local(&self, ms: &i64) -> String {
        local(ms)
    }
}

async fn show(
    s: &AppState,
    v: &Viewer,
    done: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let r = async {
        let pending = policies::pending(&s.app, &v.actor).await?;
        let unpaid = policies::unpaid(&s.app, &v.actor, 100).await?;
        let totals = policies::totals(&s.app, &v.actor).await?;
        Ok::<_, AppError>((pending, unpaid, totals))
    }
    .await;
    page_or_refusal(v, r, error, |(pending, unpaid, totals), error| {
        let catalog = Catalog::default_catalog();
        let name = |code: &str| {
            catalog
                .get(code)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let now = domain::time::now_ms();
        Page {
            c: v.chrome(),
            pending: pending
                .into_iter()
                .map(|a| {
                    let n = name(&a.policy_code);
                    (a, n)
                })
                .collect(),
            unpaid: unpaid
                .into_iter()
                .map(|p| {
                    let key = format!("web-{}-{}-{now}", v.actor.user_id, p.id);
                    (p, key)
                })
                .collect(),
            totals,
            done,
            error,
        }
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    show(&s, &v, q.done, None).await
}

async fn finish(s: &AppState, v: &Viewer, r: Result<(), AppError>, what: &str) -> Response {
    after_form(v, r, "/policies/review", what, |err| {
        show(s, v, None, Some(err))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    /// "approve" or "reject".
    #[serde(default)]
    decision: String,
    #[serde(default)]
    amount_yuan: String,
    #[serde(default)]
    reasons: String,
}

pub async fn decide(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<DecideForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let approve = match f.decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => {
                return Err(AppError::invalid(
                    "decision",
                    "unknown",
                    "approve or reject",
                ));
            }
        };
        policies::review(
            &s.app,
            &v.actor,
            &Catalog::default_catalog(),
            id,
            approve,
            Some(&f.amount_yuan),
            &f.reasons,
        )
        .await
        .map(|_| ())
    }
    .await;
    finish(&s, &v, r, "decided").await
}

#[derive(Debug, Default, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    idempotency_key: String,
}

pub async fn pay(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<PayForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        policies::disburse(&s.app, Some(&v.actor), id, &f.idempotency_key)
            .await
            .map(|_| ())
    }
    .await;
    finish(&s, &v, r, "paid").await
}
