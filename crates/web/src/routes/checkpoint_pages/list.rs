//! `GET /checkpoints`: the list with its filters, pages and the upload form.

use app::AppError;
use app::checkpoints::listing::{self, AreaChoice, CheckpointPage, ListParams};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{KINDS, kind_key};
use crate::AppState;
use crate::auth::{Viewer, urlencode};
use crate::chrome::Chrome;
use crate::error::{render, status_of};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
    done: Option<String>,
    added: Option<usize>,
    changed: Option<usize>,
}

impl ListQuery {
    fn params(&self) -> Result<ListParams, AppError> {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let number = |field: &str, s: &str| match s.trim() {
            "" => Ok(None),
            t => t.parse::<i64>().map(Some).map_err(|_| {
                AppError::invalid(field, "format", format!("{field} must be a number"))
            }),
        };
        Ok(ListParams {
            q: some(&self.q),
            area_id: number("area", &self.area)?,
            kind: some(&self.kind),
            status: some(&self.status),
            page: number("page", &self.page)?,
        })
    }

    fn href(&self, page: i64) -> String {
        format!(
            "/checkpoints?q={}&area={}&kind={}&status={}&page={page}",
            urlencode(self.q.trim()),
            urlencode(self.area.trim()),
            urlencode(self.kind.trim()),
            urlencode(self.status.trim()),
        )
    }
}

#[derive(Template)]
#[template(path = "checkpoints.html")]
struct ListPage {
    c: Chrome,
    query: ListQuery,
    page: CheckpointPage,
    areas: Vec<AreaChoice>,
    kinds: [&'static str; 6],
    prev_href: Option<String>,
    next_href: Option<String>,
    notice: Option<&'static str>,
    /// After an import: added, changed.
    imported: Option<(usize, usize)>,
    error: Option<String>,
}

impl ListPage {
    fn kind_text(&self, kind: &str) -> &'static str {
        self.c.lang.t(kind_key(kind))
    }

    fn indent(&self, a: &AreaChoice) -> String {
        "\u{3000}".repeat(a.depth.saturating_sub(1))
    }

    fn kind_selected(&self, kind: &str) -> bool {
        self.query.kind.trim() == kind
    }

    fn area_selected(&self, a: &AreaChoice) -> bool {
        self.query.area.trim() == a.id.to_string()
    }
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    let areas = match listing::area_choices(&s.app, &v.actor).await {
        Ok(a) => a,
        Err(e) => return v.error_page(e),
    };
    let loaded = match q.params() {
        Ok(p) => listing::page(&s.app, &v.actor, &p).await,
        Err(e) => Err(e),
    };
    let (page, error) = match loaded {
        Ok(p) => (p, None),
        Err(e @ AppError::Invalid(_)) => (
            CheckpointPage {
                items: vec![],
                total: 0,
                page: 1,
                pages: 1,
            },
            Some(e),
        ),
        Err(e) => return v.error_page(e),
    };
    let status = error.as_ref().map_or(StatusCode::OK, status_of);
    let notice = match q.done.as_deref() {
        Some("created") => Some("cpm.done.created"),
        Some("edited") => Some("cpm.done.edited"),
        Some("retired") => Some("cpm.done.retired"),
        Some("reinstated") => Some("cpm.done.reinstated"),
        Some("imported") => Some("cpm.done.imported"),
        _ => None,
    };
    let imported = (q.done.as_deref() == Some("imported"))
        .then(|| (q.added.unwrap_or(0), q.changed.unwrap_or(0)));
    let prev_href = (page.page > 1).then(|| q.href(page.page - 1));
    let next_href = (page.page < page.pages).then(|| q.href(page.page + 1));
    let p = ListPage {
        c: v.chrome(),
        page,
        areas,
        kinds: KINDS,
        prev_href,
        next_href,
        notice,
        imported,
        error: error.map(|e| e.to_string()),
        query: q,
    };
    (status, render(&p)).into_response()
}
