//! `/economy/entry`: the statistics office's page — enter or correct one indicator value,
//! import a file (see `upload`), record a project's next stage. A refused form comes back
//! with what was typed and every problem named by its field (422).

use app::economy::entry::{StageInput, ValueInput, record_stage_input, record_value};
use app::economy::import::ImportReport;
use app::economy::projects::ProjectLine;
use app::{AppError, economy};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Right;
use domain::economy::DisplayUnit;
use domain::economy::project::ProjectStage;
use serde::Deserialize;

use super::fields::{FormError, form_errors};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;

pub struct IndicatorOption {
    pub code: String,
    pub name: String,
    /// The unit the statistics office usually writes it in.
    pub unit: &'static str,
}

/// Which form a refusal belongs to, so that its messages stand above it.
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum Which {
    None,
    Value,
    Import,
    Stage,
}

/// The kinds of file the import accepts: (form value, text key).
pub const IMPORT_KINDS: [(&str, &str); 5] = [
    ("indicators", "econ.kind.indicators"),
    ("projects", "econ.kind.projects"),
    ("buildings", "econ.kind.buildings"),
    ("enterprise_facts", "econ.kind.enterprise_facts"),
    ("evaluations", "econ.kind.evaluations"),
];

#[derive(Template)]
#[template(path = "economy_entry.html")]
pub struct EntryPage {
    pub c: Chrome,
    pub indicators: Vec<IndicatorOption>,
    pub regions: Vec<(String, String)>,
    /// (id, "code name · stage")
    pub projects: Vec<(String, String)>,
    pub stages: Vec<(&'static str, &'static str)>,
    pub kinds: [(&'static str, &'static str); 5],
    pub value: ValueInput,
    pub stage: StageInput,
    pub kind: String,
    pub errors: Vec<FormError>,
    pub which: Which,
    pub saved: Option<&'static str>,
    pub report: Option<ImportReport>,
}

impl EntryPage {
    /// The page with empty forms, or the error page when the catalog cannot be read.
    pub async fn load(s: &AppState, v: &Viewer) -> Result<EntryPage, AppError> {
        v.actor.require(Right::EditEconomy)?;
        let catalog = economy::catalog(&s.app).await?;
        let projects = economy::projects::list(&s.app, &v.actor).await?;
        let en = v.lang == crate::i18n::Lang::En;
        Ok(EntryPage {
            c: v.chrome(),
            indicators: catalog
                .indicators
                .iter()
                .map(|i| IndicatorOption {
                    code: i.code.clone(),
                    name: if en { &i.name_en } else { &i.name_zh }.clone(),
                    unit: DisplayUnit::default_for(i).text,
                })
                .collect(),
            regions: catalog
                .regions
                .iter()
                .map(|r| {
                    (
                        r.code.clone(),
                        if en { &r.name_en } else { &r.name_zh }.clone(),
                    )
                })
                .collect(),
            projects: projects
                .iter()
                .map(|p| (p.id.to_string(), project_label(v, p)))
                .collect(),
            stages: ProjectStage::ALL
                .iter()
                .map(|s| (s.as_str(), stage_key(*s)))
                .collect(),
            kinds: IMPORT_KINDS,
            value: ValueInput {
                region: catalog.home().map(|r| r.code.clone()).unwrap_or_default(),
                ..ValueInput::default()
            },
            stage: StageInput::default(),
            kind: "indicators".into(),
            errors: vec![],
            which: Which::None,
            saved: None,
            report: None,
        })
    }

    /// The page answering a refused form: 422 with the messages, other errors as pages.
    pub fn refused(mut self, v: &Viewer, which: Which, e: AppError) -> Response {
        let fields = match e {
            AppError::Invalid(fields) => fields,
            AppError::Conflict { field, message } => {
                vec![app::FieldError::new(&field, "conflict", message)]
            }
            other => return v.error_page(other),
        };
        self.errors = form_errors(v.lang, &fields);
        self.which = which;
        (StatusCode::UNPROCESSABLE_ENTITY, render(&self)).into_response()
    }
}

fn project_label(v: &Viewer, p: &ProjectLine) -> String {
    format!("{} {} · {}", p.code, p.name, v.lang.t(stage_key(p.stage)))
}

pub fn stage_key(s: ProjectStage) -> &'static str {
    match s {
        ProjectStage::Negotiating => "econ.stage.negotiating",
        ProjectStage::Signed => "econ.stage.signed",
        ProjectStage::Started => "econ.stage.started",
        ProjectStage::Completed => "econ.stage.completed",
    }
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    saved: Option<String>,
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<EntryQuery>) -> Response {
    match EntryPage::load(&s, &v).await {
        Ok(mut p) => {
            p.saved = match q.saved.as_deref() {
                Some("value") => Some("econ.saved.value"),
                Some("stage") => Some("econ.saved.stage"),
                _ => None,
            };
            render(&p)
        }
        Err(e) => v.error_page(e),
    }
}

/// The value form as sent: text fields, and the checkbox present or absent (a flattened
/// `ValueInput` cannot read a form's `bool`).
#[derive(Deserialize)]
pub struct ValueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    period: String,
    cumulative: Option<String>,
    #[serde(default)]
    value: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    growth: String,
    #[serde(default)]
    source: String,
}

impl From<ValueForm> for ValueInput {
    fn from(f: ValueForm) -> Self {
        ValueInput {
            indicator: f.indicator,
            region: f.region,
            period: f.period,
            cumulative: f.cumulative.is_some(),
            value: f.value,
            unit: f.unit,
            growth: f.growth,
            source: f.source,
        }
    }
}

/// Enter or correct one value; back to the page with a notice, or with the problems.
pub async fn value(State(s): State<AppState>, v: Viewer, Form(f): Form<ValueForm>) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    let input = ValueInput::from(f);
    match record_value(&s.app, &v.actor, &input).await {
        Ok(_) => Redirect::to("/economy/entry?saved=value").into_response(),
        Err(e) => match EntryPage::load(&s, &v).await {
            Ok(mut p) => {
                p.value = input;
                p.refused(&v, Which::Value, e)
            }
            Err(load) => v.error_page(load),
        },
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: StageInput,
}

/// Record a project's next stage.
pub async fn stage(State(s): State<AppState>, v: Viewer, Form(f): Form<StageForm>) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    match record_stage_input(&s.app, &v.actor, &f.input).await {
        Ok(()) => Redirect::to("/economy/entry?saved=stage").into_response(),
        Err(e) => match EntryPage::load(&s, &v).await {
            Ok(mut p) => {
                p.stage = f.input;
                p.refused(&v, Which::Stage, e)
            }
            Err(load) => v.error_page(load),
        },
    }
}
