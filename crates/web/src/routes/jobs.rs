//! The daily jobs page (admins, right `OperatePlatform`): each job with its last run, how long
//! it took, its result and its next run, and a "run now" button (audited).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;
use crate::i18n::Lang;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/jobs", axum::routing::get(page))
        .route("/jobs/{name}/run", axum::routing::post(run_now))
}

/// One line of the table, its texts already in the page's language.
struct JobLine {
    name: &'static str,
    title: &'static str,
    started: String,
    duration: String,
    result: &'static str,
    result_class: &'static str,
    detail: String,
    next: String,
    failures: i64,
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    c: Chrome,
    jobs: Vec<JobLine>,
}

fn result_key(result: &str) -> (&'static str, &'static str) {
    match result {
        "ok" => ("jobs.result.ok", "ok"),
        "failed" => ("jobs.result.failed", "failed"),
        _ => ("jobs.result.running", "running"),
    }
}

fn next_text(lang: Lang, next: &app::jobs::NextRun) -> String {
    use app::jobs::NextRun;
    match next {
        NextRun::Running => lang.t("jobs.next.running").to_owned(),
        NextRun::Requested => lang.t("jobs.next.requested").to_owned(),
        NextRun::Due => lang.t("jobs.next.due").to_owned(),
        NextRun::Retry(at) => format!("{} {at}", lang.t("jobs.next.retry")),
        NextRun::Midnight(at) => format!("{at} {}", lang.t("jobs.next.after")),
        NextRun::WhenTheDayChanges => lang.t("jobs.next.day_change").to_owned(),
    }
}

fn lines(lang: Lang, jobs: Vec<app::jobs::JobView>) -> Vec<JobLine> {
    jobs.into_iter()
        .map(|j| {
            let (started, duration, result, result_class, detail) = match &j.last {
                Some(r) => {
                    let (key, class) = result_key(&r.result);
                    (
                        r.started.clone(),
                        r.duration_ms
                            .map_or(String::new(), |ms| format!("{:.1} s", ms as f64 / 1000.0)),
                        lang.t(key),
                        class,
                        if r.error.is_empty() {
                            r.detail.clone()
                        } else {
                            r.error.clone()
                        },
                    )
                }
                None => (
                    String::new(),
                    String::new(),
                    lang.t("jobs.never"),
                    "never",
                    String::new(),
                ),
            };
            JobLine {
                name: j.name,
                title: lang.t(&format!("jobs.name.{}", j.name)),
                started,
                duration,
                result,
                result_class,
                detail,
                next: next_text(lang, &j.next),
                failures: j.failures,
            }
        })
        .collect()
}

pub async fn page(State(s): State<AppState>, v: Viewer) -> Response {
    match app::jobs::list(&s.app, &v.actor).await {
        Ok(jobs) => render(&JobsPage {
            jobs: lines(v.lang, jobs),
            c: v.chrome(),
        }),
        Err(e) => v.error_page(e),
    }
}

#[derive(Deserialize)]
pub struct RunForm {
    #[serde(default)]
    csrf: String,
}

pub async fn run_now(
    State(s): State<AppState>,
    v: Viewer,
    Path(name): Path<String>,
    Form(f): Form<RunForm>,
) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    match app::jobs::request_run(&s.app, &v.actor, &name).await {
        Ok(()) => Redirect::to("/jobs").into_response(),
        Err(e) => v.error_page(e),
    }
}
