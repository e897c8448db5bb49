//! The resident's health-code pages (mobile first): the code with its colour, QR, reasons,
//! next possible change and history; the daily check-in; the declaration; appeals.

use app::codes::{
    AppealInput, AppealView, CheckInInput, CodeView, CredentialView, DeclarationInput,
    ItineraryInput,
};
use app::{AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::{page_or_error, render, status_of};

/// One reason as the page shows it.
pub struct ReasonLine {
    pub key: String,
    pub colour: String,
    pub since: String,
    pub release: Option<String>,
    pub detail: String,
}

pub fn reason_lines(code: &CodeView) -> Vec<ReasonLine> {
    code.assessment
        .reasons
        .iter()
        .map(|r| ReasonLine {
            key: format!("reason.{}", r.code),
            colour: r.colour.as_str().to_owned(),
            since: r.since.to_string(),
            release: r.earliest_release.map(|d| d.to_string()),
            detail: r.detail.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage {
    c: Chrome,
    code: CodeView,
    colour_key: String,
    reasons: Vec<ReasonLine>,
    credential: Option<CredentialView>,
    appeals: Vec<AppealView>,
    notice: Option<&'static str>,
    error: Option<String>,
    appeal_pending: bool,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn notice_of(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "declared" => Some("code.done.declared"),
        "checked_in" => Some("code.done.checked_in"),
        "appealed" => Some("code.done.appealed"),
        _ => None,
    }
}

async fn code_page(
    s: &AppState,
    v: &Viewer,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Response {
    let app = &s.app;
    let loaded = async {
        let code = app::codes::current(app, &v.actor, None).await?;
        // Without signing keys the page still shows the colour; the QR needs keys.
        let credential = if app.keys.is_some() {
            Some(app::codes::issue_credential(app, &v.actor, None).await?)
        } else {
            None
        };
        let appeals = app::codes::appeals_of(app, &v.actor, None).await?;
        Ok::<_, AppError>((code, credential, appeals))
    }
    .await;
    page_or_error(v, loaded, error, |(code, credential, appeals), error| {
        CodePage {
            c: v.chrome(),
            colour_key: format!("colour.{}", code.colour.as_str()),
            reasons: reason_lines(&code),
            appeal_pending: appeals.iter().any(|a| a.status == "pending"),
            code,
            credential,
            appeals,
            notice,
            error,
        }
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    code_page(&s, &v, notice_of(q.done.as_deref()), None).await
}

/// A number typed into a form: empty or not a number is the field's error, not a 400.
fn number(field: &str, raw: &str) -> Result<f64, AppError> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite())
        .ok_or_else(|| AppError::invalid(field, "format", "enter a number such as 36.5"))
}

#[derive(Deserialize)]
pub struct CheckInForm {
    csrf: String,
    temperature: String,
    symptoms: Option<String>,
}

pub async fn check_in(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<CheckInForm>,
) -> Response {
    let result = async {
        v.check_csrf(&f.csrf)?;
        let input = CheckInInput {
            temperature: number("temperature", &f.temperature)?,
            symptoms: f.symptoms.is_some(),
        };
        app::codes::check_in(&s.app, &v.actor, None, &input).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/code?done=checked_in").into_response(),
        Err(e) => code_page(&s, &v, None, Some(e)).await,
    }
}

#[derive(Deserialize)]
pub struct AppealForm {
    csrf: String,
    explanation: String,
}

pub async fn appeal(State(s): State<AppState>, v: Viewer, Form(f): Form<AppealForm>) -> Response {
    let result = async {
        v.check_csrf(&f.csrf)?;
        let input = AppealInput {
            explanation: f.explanation,
        };
        app::codes::file_appeal(&s.app, &v.actor, None, &input).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/code?done=appealed").into_response(),
        Err(e) => code_page(&s, &v, None, Some(e)).await,
    }
}

/// Rows of the itinerary in the form; blank rows are skipped.
const ITINERARY_ROWS: usize = 4;

#[derive(Deserialize, Default)]
pub struct DeclarationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    temperature: String,
    symptoms: Option<String>,
    contact_case: Option<String>,
    contact_risk_area: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    place_0: String,
    #[serde(default)]
    day_0: String,
    #[serde(default)]
    place_1: String,
    #[serde(default)]
    day_1: String,
    #[serde(default)]
    place_2: String,
    #[serde(default)]
    day_2: String,
    #[serde(default)]
    place_3: String,
    #[serde(default)]
    day_3: String,
}

impl DeclarationForm {
    fn rows(&self) -> [(&str, &str); ITINERARY_ROWS] {
        [
            (&self.place_0, &self.day_0),
            (&self.place_1, &self.day_1),
            (&self.place_2, &self.day_2),
            (&self.place_3, &self.day_3),
        ]
    }
}

pub struct FieldLine {
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "code_declare.html")]
struct DeclarePage {
    c: Chrome,
    form: DeclarationForm,
    rows: Vec<(usize, String, String)>,
    errors: Vec<FieldLine>,
    today: String,
}

fn declare_page(
    s: &AppState,
    v: &Viewer,
    form: DeclarationForm,
    error: Option<AppError>,
) -> Response {
    let errors = match &error {
        Some(AppError::Invalid(fs)) => fs
            .iter()
            .map(|f: &FieldError| FieldLine {
                field: f.field.clone(),
                message: f.message.clone(),
            })
            .collect(),
        Some(e) => vec![FieldLine {
            field: String::new(),
            message: e.to_string(),
        }],
        None => vec![],
    };
    let rows = form
        .rows()
        .iter()
        .enumerate()
        .map(|(i, (p, d))| (i, (*p).to_owned(), (*d).to_owned()))
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, status_of);
    let page = DeclarePage {
        c: v.chrome(),
        rows,
        form,
        errors,
        today: s.app.today().to_string(),
    };
    (status, render(&page)).into_response()
}

pub async fn declare_form(State(s): State<AppState>, v: Viewer) -> Response {
    let form = DeclarationForm {
        temperature: "36.5".into(),
        ..Default::default()
    };
    declare_page(&s, &v, form, None)
}

pub async fn declare(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<DeclarationForm>,
) -> Response {
    let result = async {
        v.check_csrf(&f.csrf)?;
        let itinerary = f
            .rows()
            .iter()
            .filter(|(p, d)| !p.trim().is_empty() || !d.trim().is_empty())
            .map(|(p, d)| ItineraryInput {
                division_code: p.trim().to_owned(),
                arrived_on: d.trim().to_owned(),
            })
            .collect();
        let input = DeclarationInput {
            temperature: number("temperature", &f.temperature)?,
            symptoms: f.symptoms.is_some(),
            contact_case: f.contact_case.is_some(),
            contact_risk_area: f.contact_risk_area.is_some(),
            address: f.address.clone(),
            itinerary,
        };
        app::codes::declare(&s.app, &v.actor, None, &input).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/code?done=declared").into_response(),
        Err(e) => declare_page(&s, &v, f, Some(e)),
    }
}
