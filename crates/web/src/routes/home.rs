//! The landing page of each role: what this role does here and where to go.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::auth::{Viewer, Visitor};
use crate::chrome::Chrome;
use crate::error::{PageError, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    role: &'static str,
    role_key: String,
    duty_key: String,
    scope_name: String,
    /// Daily jobs whose last run failed (admins only).
    failed_jobs: Vec<&'static str>,
}

pub async fn root(v: Visitor) -> Redirect {
    // A session that could not be looked up goes to /home, which says the system is
    // unavailable, rather than to the login page.
    Redirect::to(if v.viewer.is_some() || v.lookup_failed {
        "/home"
    } else {
        "/login"
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer) -> Response {
    let scope_name = match s.app.store.read().await {
        Ok(mut tx) => tx
            .area(v.actor.scope_area_id)
            .await
            .map(|a| a.name)
            .unwrap_or_default(),
        Err(e) => {
            return PageError {
                chrome: v.chrome(),
                error: e.into(),
            }
            .into_response();
        }
    };
    let failed_jobs = match app::jobs::failed_jobs(&s.app, &v.actor).await {
        Ok(jobs) => jobs
            .iter()
            .map(|j| v.lang.t(&format!("jobs.name.{}", j.name)))
            .collect(),
        Err(e) => return v.error_page(e),
    };
    let role = v.actor.role.as_str();
    render(&HomePage {
        failed_jobs,
        c: v.chrome(),
        role,
        role_key: format!("role.{role}"),
        duty_key: format!("duty.{role}"),
        scope_name,
    })
}

pub async fn not_found(v: Visitor) -> Response {
    if v.path.starts_with("/api/") {
        return crate::error::ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            format!("no API route {}", v.path),
        )
        .into_response();
    }
    let chrome = match &v.viewer {
        Some(viewer) => viewer.chrome(),
        None => Chrome::anonymous(v.lang, &v.path),
    };
    PageError {
        chrome,
        error: app::AppError::NotFound("page"),
    }
    .into_response()
}
