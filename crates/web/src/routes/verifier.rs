//! The verifier page for checkpoint staff: a scanner input that submits on Enter (handheld
//! scanners type the code and press Enter), the camera through the browser's BarcodeDetector
//! where present, and a result whose colour can be read at arm's length.

use app::codes::ScanCheck;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;

/// What the page shows of a verdict.
pub struct Outcome {
    /// pass | refer | stop | invalid
    pub decision: &'static str,
    pub colour: Option<String>,
    pub format: String,
    pub name: Option<String>,
    pub since: Option<String>,
    pub expires: Option<String>,
    pub birth_date: Option<String>,
    pub colour_changed: bool,
    pub error: Option<String>,
    /// The first check that failed, e.g. "signature".
    pub failed: Option<&'static str>,
    /// HC1 vaccination / test / recovery entries, one line each.
    pub entries: Vec<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn local_time(v: &Value, key: &str) -> Option<String> {
    v.get(key)?
        .as_i64()
        .map(|secs| domain::time::format_local(secs.saturating_mul(1000)))
}

/// One line per HC1 entry, from the fields an officer checks.
fn entries(claims: &Value) -> Vec<String> {
    let mut out = vec![];
    let list = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for v in list("v") {
        out.push(format!(
            "vaccination {}/{} · {} · {}",
            text(&v, "dn").unwrap_or_default(),
            text(&v, "sd").unwrap_or_default(),
            text(&v, "dt").unwrap_or_default(),
            text(&v, "mp").unwrap_or_default()
        ));
    }
    for t in list("t") {
        out.push(format!(
            "test {} · {} · {}",
            text(&t, "tt").unwrap_or_default(),
            text(&t, "sc").unwrap_or_default(),
            text(&t, "tr").unwrap_or_default()
        ));
    }
    for r in list("r") {
        out.push(format!(
            "recovery · first positive {} · valid {} – {}",
            text(&r, "fr").unwrap_or_default(),
            text(&r, "df").unwrap_or_default(),
            text(&r, "du").unwrap_or_default()
        ));
    }
    out
}

impl From<ScanCheck> for Outcome {
    fn from(s: ScanCheck) -> Self {
        let v = &s.verdict;
        let checks = &v.checks;
        let failed = [
            ("prefix", Some(checks.prefix)),
            ("base45", checks.base45),
            ("zlib", checks.zlib),
            ("cose", checks.cose),
            ("signature", checks.signature),
            ("expiry", checks.expiry),
        ]
        .into_iter()
        .find(|(_, ok)| *ok == Some(false))
        .map(|(name, _)| name);
        let decision = match (v.valid, s.colour.as_deref()) {
            (false, _) => "invalid",
            (true, Some("red")) => "stop",
            (true, Some("yellow")) => "refer",
            (true, _) => "pass",
        };
        Outcome {
            decision,
            colour: s.colour.clone(),
            format: v.format.map_or("—".into(), |f| {
                serde_json::to_value(f)
                    .ok()
                    .and_then(|x| x.as_str().map(str::to_owned))
                    .unwrap_or_default()
            }),
            name: text(&v.claims, "name"),
            since: text(&v.claims, "since"),
            expires: local_time(&v.claims, "exp"),
            birth_date: text(&v.claims, "dob"),
            colour_changed: s.colour_changed,
            error: v.error.clone(),
            failed,
            entries: entries(&v.claims),
        }
    }
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    c: Chrome,
    outcome: Option<Outcome>,
}

pub async fn page(v: Viewer) -> Response {
    if let Err(e) = v.actor.require(domain::Right::VerifyCodes) {
        return v.error_page(e);
    }
    render(&VerifyPage {
        c: v.chrome(),
        outcome: None,
    })
}

#[derive(Deserialize)]
pub struct ScanForm {
    csrf: String,
    text: String,
}

pub async fn check(State(s): State<AppState>, v: Viewer, Form(f): Form<ScanForm>) -> Response {
    let result = async {
        v.check_csrf(&f.csrf)?;
        app::codes::check_scanned(&s.app, &v.actor, f.text.trim()).await
    }
    .await;
    match result {
        Ok(check) => render(&VerifyPage {
            c: v.chrome(),
            outcome: Some(check.into()),
        }),
        Err(e) => v.error_page(e),
    }
}
