//! The checkpoint station: the page a screening officer keeps open on a phone at a checkpoint
//! or gate. The officer picks the checkpoint once (remembered on the device in a cookie); the
//! page takes scans from a handheld scanner (text + Enter), the camera or a hand-typed ID
//! number, queues each in the browser first and uploads the queue to `POST /api/v1/scans`
//! (see `assets/station.js`), so that screening goes on while the link is down. A service
//! worker keeps the page and its script for reloads without the link.

use app::checkpoints::{self, CheckpointView, Station};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::{PageError, render};

/// The checkpoint this device screens at, remembered for the next visit.
pub const STATION_COOKIE: &str = "zk_checkpoint";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkpoint", get(pick))
        .route("/checkpoint/sw.js", get(crate::assets::station_worker))
        .route("/checkpoint/{id}", get(page))
}

/// Texts the script shows (decisions, reasons, queue states), in the page's language.
const SCRIPT_TEXTS: &[&str] = &[
    "station.decision.pass",
    "station.decision.refer",
    "station.decision.stop",
    "station.decision.queued",
    "station.decision.checking",
    "station.decision.rejected",
    "station.decision.duplicate",
    "station.recent_none",
    "station.reason.green",
    "station.reason.yellow",
    "station.reason.red",
    "station.reason.fever",
    "station.reason.invalid",
    "station.reason.expired",
    "station.reason.not_holder",
    "station.reason.unregistered",
    "station.reason.no_colour",
    "station.reason.fever_local",
    "station.reason.await_link",
    "station.colour.green",
    "station.colour.yellow",
    "station.colour.red",
    "station.link.online",
    "station.link.offline",
    "station.link.uploading",
    "station.link.signin",
    "station.link.failed",
    "station.id.length",
    "station.id.digits",
    "station.id.birth",
    "station.id.check",
    "station.temperature.range",
    "station.manual",
    "station.code",
    "station.in",
    "station.out",
];

#[derive(Template)]
#[template(path = "station_pick.html")]
struct PickPage {
    c: Chrome,
    checkpoints: Vec<CheckpointView>,
    remembered: Option<i64>,
    q: String,
}

impl PickPage {
    fn kind(&self, kind: &str) -> &'static str {
        self.c.lang.t(&format!("checkpoint.kind.{kind}"))
    }

    fn is_remembered(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.remembered == Some(*id.borrow())
    }
}

#[derive(Deserialize, Default)]
pub struct PickQuery {
    /// Show the list even when the device remembers a checkpoint.
    #[serde(default)]
    choose: Option<String>,
    /// Search by name or code.
    #[serde(default)]
    q: Option<String>,
}

fn remembered(jar: &CookieJar) -> Option<i64> {
    jar.get(STATION_COOKIE)?.value().parse().ok()
}

/// The checkpoints the officer may screen at; straight to the remembered one unless asked to
/// choose again.
pub async fn pick(
    State(s): State<AppState>,
    v: Viewer,
    jar: CookieJar,
    Query(q): Query<PickQuery>,
) -> Response {
    let all = match checkpoints::stations(&s.app, &v.actor).await {
        Ok(all) => all,
        Err(error) => {
            return PageError {
                chrome: v.chrome(),
                error,
            }
            .into_response();
        }
    };
    let remembered = remembered(&jar).filter(|id| all.iter().any(|c| c.id == *id));
    if let (Some(id), None, None) = (remembered, &q.choose, &q.q) {
        return Redirect::to(&format!("/checkpoint/{id}")).into_response();
    }
    let needle = q.q.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let lower = needle.to_lowercase();
    let checkpoints = all
        .into_iter()
        .filter(|c| {
            lower.is_empty()
                || c.name.to_lowercase().contains(&lower)
                || c.code.to_lowercase().contains(&lower)
        })
        .collect();
    render(&PickPage {
        c: v.chrome(),
        checkpoints,
        remembered,
        q: needle,
    })
}

#[derive(Template)]
#[template(path = "station.html")]
struct StationPage {
    c: Chrome,
    s: Station,
    /// `{key: text}` of [`SCRIPT_TEXTS`] as JSON, for the script.
    texts: String,
}

/// One checkpoint's station page. Unknown → 404, outside the officer's area → 403, retired →
/// 409 naming `id`, a path that is no number → 400.
pub async fn page(
    State(s): State<AppState>,
    v: Viewer,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Response {
    let station = match id.parse::<i64>() {
        Ok(id) => checkpoints::station(&s.app, &v.actor, id).await,
        Err(_) => Err(app::AppError::invalid(
            "id",
            "invalid",
            "the checkpoint id must be a number",
        )),
    };
    let station = match station {
        Ok(st) => st,
        Err(error) => {
            let status = if matches!(error, app::AppError::Invalid(_)) {
                Some(StatusCode::BAD_REQUEST)
            } else {
                None
            };
            let res = PageError {
                chrome: v.chrome(),
                error,
            }
            .into_response();
            return match status {
                Some(st) => (st, res).into_response(),
                None => res,
            };
        }
    };
    let texts: serde_json::Map<String, serde_json::Value> = SCRIPT_TEXTS
        .iter()
        .map(|k| ((*k).to_owned(), v.lang.t(k).into()))
        .collect();
    let cookie = Cookie::build((STATION_COOKIE, station.checkpoint.id.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    let body = render(&StationPage {
        c: v.chrome(),
        s: station,
        texts: serde_json::Value::Object(texts).to_string(),
    });
    (jar.add(cookie), body).into_response()
}
