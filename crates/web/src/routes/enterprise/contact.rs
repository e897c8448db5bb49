//! The enterprise contact's page: today's report, the latest reports, requests (raise, give
//! feedback on an answer), payouts and applications (快申快享).

use app::AppError;
use app::enterprise::enterprises::EnterpriseView;
use app::enterprise::policies::{self, ApplicationInput};
use app::enterprise::{reports, requests};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::enterprise::DailyFigures;
use domain::enterprise::policy::{Catalog, PayoutMode};
use serde::Deserialize;

use super::{after_form, local, yuan};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::page_or_refusal;

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub(super) done: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise.html")]
struct Page {
    c: Chrome,
    e: EnterpriseView,
    today: String,
    reports: Vec<app::enterprise::ReportRow>,
    requests: Vec<app::enterprise::RequestRow>,
    payouts: Vec<app::enterprise::PayoutRow>,
    applications: Vec<app::enterprise::ApplicationRow>,
    policies: Vec<(String, String)>,
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
    fn st(&self, word: &str) -> String {
        super::state_key(word)
    }
}

async fn show(
    s: &AppState,
    v: &Viewer,
    done: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let r = async {
        let (e, reports) = reports::mine(&s.app, &v.actor).await?;
        let requests = requests::mine(&s.app, &v.actor).await?;
        let (payouts, applications) = policies::mine(&s.app, &v.actor).await?;
        Ok::<_, AppError>((e, reports, requests, payouts, applications))
    }
    .await;
    page_or_refusal(
        v,
        r,
        error,
        |(e, reports, requests, payouts, applications), error| Page {
            c: v.chrome(),
            e,
            today: s.app.today().to_string(),
            reports,
            requests,
            payouts,
            applications,
            policies: Catalog::default_catalog()
                .policies
                .iter()
                .filter(|p| p.mode == PayoutMode::Application)
                .map(|p| (p.code.clone(), format!("{} {}", p.code, p.name)))
                .collect(),
            done,
            error,
        },
    )
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    show(&s, &v, q.done, None).await
}

async fn finish(s: &AppState, v: &Viewer, r: Result<(), AppError>, what: &str) -> Response {
    after_form(v, r, "/enterprise", what, |err| show(s, v, None, Some(err))).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    resumed: String,
    #[serde(default)]
    on_site: String,
    #[serde(default)]
    total: String,
    #[serde(default)]
    returned_outside: String,
    #[serde(default)]
    in_quarantine: String,
    #[serde(default)]
    capacity_pct: String,
    #[serde(default)]
    masks: String,
    #[serde(default)]
    materials_days: String,
    #[serde(default)]
    problems: String,
}

fn number(field: &str, s: &str, errors: &mut Vec<app::FieldError>) -> i64 {
    match s.trim() {
        "" => 0,
        t => t.parse().unwrap_or_else(|_| {
            errors.push(app::FieldError::new(field, "format", "a whole number"));
            0
        }),
    }
}

pub async fn report(State(s): State<AppState>, v: Viewer, Form(f): Form<ReportForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let mut errors = vec![];
        let figures = DailyFigures {
            resumed: f.resumed == "yes",
            on_site: number("on_site", &f.on_site, &mut errors),
            total: number("total", &f.total, &mut errors),
            returned_outside: number("returned_outside", &f.returned_outside, &mut errors),
            in_quarantine: number("in_quarantine", &f.in_quarantine, &mut errors),
            capacity_pct: number("capacity_pct", &f.capacity_pct, &mut errors),
            masks: number("masks", &f.masks, &mut errors),
            materials_days: number("materials_days", &f.materials_days, &mut errors),
            problems: f.problems.clone(),
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        reports::submit(&s.app, &v.actor, &f.day, &figures).await
    }
    .await;
    finish(&s, &v, r, "report").await
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    complexity: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
}

pub async fn raise(State(s): State<AppState>, v: Viewer, Form(f): Form<RequestForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let input = requests::RequestInput {
            enterprise_id: None,
            category: f.category.clone(),
            complexity: f.complexity.clone(),
            title: f.title.clone(),
            detail: f.detail.clone(),
        };
        requests::raise(&s.app, &v.actor, &input, domain::time::now_ms())
            .await
            .map(|_| ())
    }
    .await;
    finish(&s, &v, r, "raised").await
}

#[derive(Debug, Default, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    feedback: String,
}

pub async fn feedback(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<FeedbackForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let n = f
            .satisfaction
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("satisfaction", "format", "1 to 5"))?;
        requests::feedback(&s.app, &v.actor, id, n, &f.feedback, domain::time::now_ms()).await
    }
    .await;
    finish(&s, &v, r, "feedback").await
}

#[derive(Debug, Default, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    policy_code: String,
    #[serde(default)]
    amount_yuan: String,
    #[serde(default)]
    statement: String,
}

pub async fn apply(State(s): State<AppState>, v: Viewer, Form(f): Form<ApplyForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let input = ApplicationInput {
            enterprise_id: None,
            policy_code: f.policy_code.clone(),
            amount_yuan: f.amount_yuan.clone(),
            statement: f.statement.clone(),
        };
        policies::apply(&s.app, &v.actor, &Catalog::default_catalog(), &input)
            .await
            .map(|_| ())
    }
    .await;
    finish(&s, &v, r, "applied").await
}
