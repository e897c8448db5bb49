//! The reviewer's page (赋码审核): pending appeals to decide, hand-set colours waiting for a
//! second approver, and the form to set a colour by hand. Every action names its reason.

use app::AppError;
use app::codes::{
    AppealDecisionInput, OverrideAction, OverrideDecisionInput, OverrideInput, ReviewQueue,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::page_or_error;

#[derive(Template)]
#[template(path = "code_review.html")]
struct ReviewPage {
    c: Chrome,
    queue: ReviewQueue,
    me: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn review_page(
    s: &AppState,
    v: &Viewer,
    notice: Option<&'static str>,
    error: Option<AppError>,
) -> Response {
    let loaded = app::codes::review_queue(&s.app, &v.actor, 100).await;
    page_or_error(v, loaded, error, |queue, error| ReviewPage {
        c: v.chrome(),
        queue,
        me: v.actor.username.clone(),
        notice,
        error,
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    let notice = match q.done.as_deref() {
        Some("decided") => Some("review.done.decided"),
        Some("requested") => Some("review.done.requested"),
        Some("approved") => Some("review.done.approved"),
        Some("rejected") => Some("review.done.rejected"),
        _ => None,
    };
    review_page(&s, &v, notice, None).await
}

/// After an action: back to the queue with a notice, or the queue with the error.
async fn after<T>(s: &AppState, v: &Viewer, r: Result<T, AppError>, done: &str) -> Response {
    match r {
        Ok(_) => Redirect::to(&format!("/codes/review?done={done}")).into_response(),
        Err(e) => review_page(s, v, None, Some(e)).await,
    }
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::invalid("id", "format", "the id must be a number"))
}

#[derive(Deserialize)]
pub struct AppealForm {
    csrf: String,
    /// "uphold" or "reject"
    outcome: String,
    decision: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    until: String,
}

pub async fn decide_appeal(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<AppealForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let id = id_of(&raw)?;
        let uphold = match f.outcome.as_str() {
            "uphold" => true,
            "reject" => false,
            _ => {
                return Err(AppError::invalid(
                    "outcome",
                    "unknown",
                    "choose uphold or reject",
                ));
            }
        };
        let input = AppealDecisionInput {
            uphold,
            decision: f.decision,
            colour: Some(f.colour).filter(|c| !c.is_empty()),
            until: Some(f.until).filter(|u| !u.is_empty()),
        };
        app::codes::decide_appeal(&s.app, &v.actor, id, &input).await
    }
    .await;
    after(&s, &v, r, "decided").await
}

#[derive(Deserialize)]
pub struct OverrideForm {
    csrf: String,
    person_id: String,
    colour: String,
    reason: String,
    #[serde(default)]
    until: String,
}

pub async fn request_override(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<OverrideForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let person_id = f.person_id.trim().parse().map_err(|_| {
            AppError::invalid("person_id", "format", "the person id must be a number")
        })?;
        let input = OverrideInput {
            person_id,
            colour: f.colour,
            reason: f.reason,
            until: Some(f.until).filter(|u| !u.is_empty()),
        };
        app::codes::request_override(&s.app, &v.actor, &input).await
    }
    .await;
    after(&s, &v, r, "requested").await
}

#[derive(Deserialize)]
pub struct NoteForm {
    csrf: String,
    #[serde(default)]
    note: String,
}

/// Approve, reject or revoke (the action is the last path segment).
pub async fn decide_override(
    State(s): State<AppState>,
    v: Viewer,
    Path((raw, action)): Path<(String, String)>,
    Form(f): Form<NoteForm>,
) -> Response {
    let action = OverrideAction::parse(&action);
    let r = async {
        v.check_csrf(&f.csrf)?;
        let action = action
            .ok_or_else(|| AppError::invalid("action", "unknown", "approve, reject or revoke"))?;
        let input = OverrideDecisionInput { note: f.note };
        app::codes::decide_override(&s.app, &v.actor, id_of(&raw)?, action, &input).await
    }
    .await;
    let done = match action {
        Some(OverrideAction::Approve) => "approved",
        _ => "rejected",
    };
    after(&s, &v, r, done).await
}
