//! The risk-area pages: the list with search, sort and pages; the add form; an entry's page
//! to change or end it. Every change is shown for confirmation first (what it is and how
//! many persons' codes it recomputes) and written only when confirmed.

use app::AppError;
use app::codes::risk_areas::{
    self, RiskAreaEdit, RiskAreaImportReport, RiskAreaInput, RiskAreaListParams, RiskAreaPage,
    RiskAreaPreview, RiskAreaView,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Right;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Viewer, urlencode};
use crate::chrome::Chrome;
use crate::error::{render, status_of};

/// The values of the add form, kept when it comes back with an error.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub division_code: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    /// "yes" once the person has seen the confirmation.
    #[serde(default)]
    pub confirm: String,
}

impl EntryForm {
    fn input(&self) -> RiskAreaInput {
        RiskAreaInput {
            division_code: self.division_code.clone(),
            level: self.level.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: Some(self.valid_to.clone()),
        }
    }

    fn edit(&self) -> RiskAreaEdit {
        RiskAreaEdit {
            level: self.level.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: Some(self.valid_to.clone()),
        }
    }

    fn confirmed(&self) -> bool {
        self.confirm == "yes"
    }
}

/// The list's query string, as typed (checked by the app layer).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
    /// After a change: what was done and how many colours changed.
    done: Option<String>,
    changes: Option<usize>,
}

impl ListQuery {
    fn params(&self) -> Result<RiskAreaListParams, AppError> {
        let page = match self.page.trim() {
            "" => None,
            p => Some(p.parse::<i64>().map_err(|_| {
                AppError::invalid("page", "format", "page must be a number from 1")
            })?),
        };
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(RiskAreaListParams {
            q: some(&self.q),
            level: some(&self.level),
            status: some(&self.status),
            sort: some(&self.sort),
            page,
        })
    }

    /// The list's address with these filters, on page `page`.
    fn href(&self, page: i64) -> String {
        format!(
            "/risk-areas?q={}&level={}&status={}&sort={}&page={page}",
            urlencode(self.q.trim()),
            urlencode(self.level.trim()),
            urlencode(self.status.trim()),
            urlencode(self.sort.trim()),
        )
    }
}

#[derive(Template)]
#[template(path = "risk_areas.html")]
pub(super) struct ListPage {
    c: Chrome,
    query: ListQuery,
    page: RiskAreaPage,
    prev_href: Option<String>,
    next_href: Option<String>,
    can_manage: bool,
    notice: Option<String>,
    error: Option<String>,
    form: EntryForm,
    report: Option<RiskAreaImportReport>,
}

impl ListPage {
    /// The list page for `query`; `error` and `report` come from a refused form or an upload.
    pub(super) async fn render(
        s: &AppState,
        v: &Viewer,
        query: ListQuery,
        form: EntryForm,
        error: Option<AppError>,
        report: Option<RiskAreaImportReport>,
    ) -> Response {
        let (page, error) = match query.params() {
            Ok(params) => match risk_areas::list(&s.app, &v.actor, &params).await {
                Ok(page) => (page, error),
                Err(e @ AppError::Invalid(_)) => (empty_page(), Some(e)),
                Err(e) => return v.error_page(e),
            },
            Err(e) => (empty_page(), Some(e)),
        };
        let status = match (&error, &report) {
            (Some(e), _) => status_of(e),
            (None, Some(r)) if !r.ok() => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::OK,
        };
        let notice = query.done.as_deref().and_then(|done| {
            let key = match done {
                "added" => "risk.done.added",
                "changed" => "risk.done.changed",
                "ended" => "risk.done.ended",
                _ => return None,
            };
            Some(format!(
                "{} {} {}",
                v.lang.t(key),
                query.changes.unwrap_or(0),
                v.lang.t("risk.done.colour_changes")
            ))
        });
        let this = ListPage {
            c: v.chrome(),
            prev_href: (page.page > 1).then(|| query.href(page.page - 1)),
            next_href: (page.page < page.pages).then(|| query.href(page.page + 1)),
            query,
            page,
            can_manage: v.actor.role.has(Right::ManageRiskAreas),
            notice,
            error: error.map(|e| e.to_string()),
            form,
            report,
        };
        (status, render(&this)).into_response()
    }
}

fn empty_page() -> RiskAreaPage {
    RiskAreaPage {
        items: vec![],
        total: 0,
        page: 1,
        pages: 1,
        per_page: risk_areas::PER_PAGE,
    }
}

pub async fn list(State(s): State<AppState>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    ListPage::render(&s, &v, q, EntryForm::default(), None, None).await
}

#[derive(Template)]
#[template(path = "risk_areas_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    /// Where the confirmed form goes.
    action: String,
    /// `risk.confirm.add`, `.change` or `.end`.
    what: &'static str,
    p: RiskAreaPreview,
    cancel_href: String,
}

fn confirm_page(v: &Viewer, action: String, what: &'static str, p: RiskAreaPreview) -> Response {
    let cancel_href = p.id.map_or_else(
        || "/risk-areas".to_owned(),
        |id| format!("/risk-areas/{id}"),
    );
    render(&ConfirmPage {
        c: v.chrome(),
        action,
        what,
        p,
        cancel_href,
    })
}

fn done(what: &str, colour_changes: usize) -> Response {
    Redirect::to(&format!("/risk-areas?done={what}&changes={colour_changes}")).into_response()
}

pub async fn add(State(s): State<AppState>, v: Viewer, Form(f): Form<EntryForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        if f.confirmed() {
            let change = risk_areas::add(&s.app, &v.actor, &f.input()).await?;
            Ok(done("added", change.recompute.colour_changes))
        } else {
            let p = risk_areas::preview_add(&s.app, &v.actor, &f.input()).await?;
            Ok(confirm_page(
                &v,
                "/risk-areas".into(),
                "risk.confirm.add",
                p,
            ))
        }
    }
    .await;
    match r {
        Ok(response) => response,
        Err(e) => ListPage::render(&s, &v, ListQuery::default(), f, Some(e), None).await,
    }
}

#[derive(Template)]
#[template(path = "risk_areas_edit.html")]
struct EditPage {
    c: Chrome,
    area: RiskAreaView,
    form: EntryForm,
    error: Option<String>,
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::invalid("id", "format", "the id must be a number"))
}

async fn edit_page(
    s: &AppState,
    v: &Viewer,
    raw: &str,
    form: Option<EntryForm>,
    error: Option<AppError>,
) -> Response {
    let area = match async { risk_areas::get(&s.app, &v.actor, id_of(raw)?).await }.await {
        Ok(a) => a,
        Err(e) => return v.error_page(e),
    };
    let form = form.unwrap_or_else(|| EntryForm {
        level: area.level.clone(),
        valid_from: area.valid_from.clone(),
        valid_to: area.valid_to.clone().unwrap_or_default(),
        ..Default::default()
    });
    let status = error.as_ref().map_or(StatusCode::OK, status_of);
    let page = EditPage {
        c: v.chrome(),
        area,
        form,
        error: error.map(|e| e.to_string()),
    };
    (status, render(&page)).into_response()
}

pub async fn edit(State(s): State<AppState>, v: Viewer, Path(raw): Path<String>) -> Response {
    edit_page(&s, &v, &raw, None, None).await
}

pub async fn change(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<EntryForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let id = id_of(&raw)?;
        if f.confirmed() {
            let change = risk_areas::change(&s.app, &v.actor, id, &f.edit()).await?;
            Ok(done("changed", change.recompute.colour_changes))
        } else {
            let p = risk_areas::preview_change(&s.app, &v.actor, id, &f.edit()).await?;
            Ok(confirm_page(
                &v,
                format!("/risk-areas/{id}"),
                "risk.confirm.change",
                p,
            ))
        }
    }
    .await;
    match r {
        Ok(response) => response,
        Err(e) => edit_page(&s, &v, &raw, Some(f), Some(e)).await,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
    /// The last day listed; empty: yesterday.
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    confirm: String,
}

pub async fn end(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<EndForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let id = id_of(&raw)?;
        let last = Some(f.valid_to.as_str());
        if f.confirm == "yes" {
            let change = risk_areas::end(&s.app, &v.actor, id, last).await?;
            Ok(done("ended", change.recompute.colour_changes))
        } else {
            let p = risk_areas::preview_end(&s.app, &v.actor, id, last).await?;
            Ok(confirm_page(
                &v,
                format!("/risk-areas/{id}/end"),
                "risk.confirm.end",
                p,
            ))
        }
    }
    .await;
    match r {
        Ok(response) => response,
        Err(e) => edit_page(&s, &v, &raw, None, Some(e)).await,
    }
}
