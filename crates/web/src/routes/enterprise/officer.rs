//! The officer's page: assigned enterprises, the visit log with the prevention check
//! (方案 / 人员 / 现场), and the requests of those enterprises — assign to oneself, answer.

use app::AppError;
use app::enterprise::enterprises::EnterpriseView;
use app::enterprise::grid::{self, VisitInput};
use app::enterprise::{electricity, requests};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::enterprise::check::PreventionCheck;
use serde::Deserialize;

use super::contact::Done;
use super::{after_form, local};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::page_or_refusal;

#[derive(Template)]
#[template(path = "enterprise_officer.html")]
struct Page {
    c: Chrome,
    officer: app::enterprise::OfficerRow,
    enterprises: Vec<EnterpriseView>,
    visits: Vec<app::enterprise::VisitRow>,
    requests: Vec<app::enterprise::RequestRow>,
    /// My enterprises whose electricity today disagrees with their report.
    flagged: Vec<electricity::Disagreement>,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

impl Page {
    fn local(&self, ms: &i64) -> String {
        local(ms)
    }
    fn st(&self, word: &str) -> String {
        super::state_key(word)
    }
    fn flag(&self, id: &i64) -> Option<&electricity::Disagreement> {
        self.flagged.iter().find(|d| d.enterprise_id == *id)
    }
    fn mark(&self, ok: &Option<i64>) -> &'static str {
        match ok {
            Some(1) => "✓",
            Some(_) => "✗",
            None => "—",
        }
    }
}

async fn show(
    s: &AppState,
    v: &Viewer,
    done: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let r = async {
        let (officer, enterprises, visits) = grid::my_enterprises(&s.app, &v.actor).await?;
        let requests = requests::mine(&s.app, &v.actor).await?;
        let (_, all) = electricity::compare(
            &s.app,
            &v.actor,
            &s.app.today().to_string(),
            domain::enterprise::report::DEFAULT_ELECTRICITY_THRESHOLD_PCT,
        )
        .await?;
        let mine: std::collections::HashSet<i64> = enterprises.iter().map(|e| e.id).collect();
        let flagged = all
            .into_iter()
            .filter(|d| mine.contains(&d.enterprise_id))
            .collect();
        Ok::<_, AppError>((officer, enterprises, visits, requests, flagged))
    }
    .await;
    page_or_refusal(
        v,
        r,
        error,
        |(officer, enterprises, visits, requests, flagged), error| Page {
            c: v.chrome(),
            officer,
            enterprises,
            visits,
            requests,
            flagged,
            today: s.app.today().to_string(),
            done,
            error,
        },
    )
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    show(&s, &v, q.done, None).await
}

async fn finish(s: &AppState, v: &Viewer, r: Result<(), AppError>, what: &str) -> Response {
    after_form(v, r, "/officer", what, |err| show(s, v, None, Some(err))).await
}

#[derive(Debug, Default, Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    note: String,
    /// "yes" when a prevention check was made.
    #[serde(default)]
    checked: String,
    #[serde(default)]
    plan_ok: String,
    #[serde(default)]
    staff_ok: String,
    #[serde(default)]
    site_ok: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    follow_up: String,
}

pub async fn visit(State(s): State<AppState>, v: Viewer, Form(f): Form<VisitForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let enterprise_id =
            super::parse_id(&f.enterprise_id, "enterprise_id")?.ok_or_else(|| {
                AppError::invalid("enterprise_id", "required", "choose an enterprise")
            })?;
        let check = (f.checked == "yes").then(|| PreventionCheck {
            plan_ok: f.plan_ok == "yes",
            staff_ok: f.staff_ok == "yes",
            site_ok: f.site_ok == "yes",
            findings: f.findings.clone(),
            follow_up: f.follow_up.clone(),
        });
        let input = VisitInput {
            enterprise_id,
            visited_on: f.visited_on.clone(),
            note: f.note.clone(),
            check,
        };
        grid::log_visit(&s.app, &v.actor, &input).await.map(|_| ())
    }
    .await;
    finish(&s, &v, r, "visit").await
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    department: String,
}

pub async fn assign(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        requests::take(&s.app, &v.actor, id, &f.department, domain::time::now_ms()).await
    }
    .await;
    finish(&s, &v, r, "assigned").await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    answer: String,
}

pub async fn answer(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        requests::answer(&s.app, &v.actor, id, &f.answer, domain::time::now_ms()).await
    }
    .await;
    finish(&s, &v, r, "answered").await
}
