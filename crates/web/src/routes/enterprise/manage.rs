//! Managing enterprise service from the web: the enterprise list (search, filters, sort,
//! pages, export), the import of enterprises or daily electricity (CSV or xlsx, all or
//! nothing, with the row-by-row report), the three-level grid (网格长 → 网格员 → 企业微网格员;
//! adding a grid, moving an enterprise to another micro-grid) and the officers (adding one,
//! assigning to an enterprise, ending an assignment after a confirmation).

use app::AppError;
use app::economy::import::ImportReport;
use app::enterprise::directory::{self, EnterprisePage, GridView, ListParams, OfficerView};
use app::enterprise::enterprises::EnterpriseView;
use app::enterprise::grid::{self, GridInput, OfficerInput};
use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Right;
use serde::Deserialize;

use super::after_form;
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;
use crate::routes::economy::multipart;

/// A number typed in a form or query: empty is none; anything else must parse.
fn opt_id(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "format", "a number")),
    }
}

fn enc(s: &str) -> String {
    crate::auth::urlencode(s)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    street_id: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    after: String,
}

#[derive(Template)]
#[template(path = "enterprise_list.html")]
struct ListPage {
    c: Chrome,
    q: String,
    sector: String,
    street_id: String,
    sort: String,
    streets: Vec<(i64, String)>,
    page: EnterprisePage,
    next_href: Option<String>,
    first_href: Option<String>,
    can_manage: bool,
    /// The import's report (also when it was refused).
    report: Option<ImportReport>,
    kind: String,
    error: Option<String>,
}

impl ListPage {
    fn sectors(&self) -> [&'static str; 3] {
        ["industry", "service", "construction"]
    }
    fn st(&self, word: &str) -> String {
        super::state_key(word)
    }
    fn street_name(&self, id: &i64) -> String {
        self.streets
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

async fn streets(s: &AppState, v: &Viewer) -> Result<Vec<(i64, String)>, AppError> {
    Ok(
        app::enterprise::rates::streets_with_boundaries(&s.app, &v.actor)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect(),
    )
}

async fn list_page(
    s: &AppState,
    v: &Viewer,
    q: ListQuery,
) -> Result<(StatusCode, ListPage), AppError> {
    let streets = streets(s, v).await?;
    let base = ListPage {
        c: v.chrome(),
        streets,
        page: EnterprisePage {
            items: vec![],
            next: None,
            total: 0,
        },
        next_href: None,
        first_href: None,
        can_manage: v.actor.role.has(Right::ManageEnterprises),
        report: None,
        kind: "enterprises".into(),
        error: None,
        q: q.q.clone(),
        sector: q.sector.clone(),
        street_id: q.street_id.clone(),
        sort: q.sort.clone(),
    };
    let params = opt_id(&q.street_id, "street_id").map(|street_id| ListParams {
        q: Some(q.q.clone()),
        sector: Some(q.sector.clone()),
        street_id,
        micro_grid_id: None,
        sort: Some(q.sort.clone()),
        after: Some(q.after.clone()),
        limit: Some(50),
    });
    let result = match params {
        Ok(p) => directory::list(&s.app, &v.actor, &p).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(page) => {
            let filters = format!(
                "q={}&sector={}&street_id={}&sort={}",
                enc(&q.q),
                enc(&q.sector),
                enc(&q.street_id),
                enc(&q.sort)
            );
            let next_href = page
                .next
                .as_ref()
                .map(|n| format!("/enterprises?{filters}&after={}", enc(n)));
            let first_href = (!q.after.is_empty()).then(|| format!("/enterprises?{filters}"));
            Ok((
                StatusCode::OK,
                ListPage {
                    page,
                    next_href,
                    first_href,
                    ..base
                },
            ))
        }
        Err(e @ AppError::Invalid(_)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ListPage {
                error: Some(e.to_string()),
                ..base
            },
        )),
        Err(e) => Err(e),
    }
}

/// `GET /enterprises`: the list of the account's area.
pub async fn list(State(s): State<AppState>, v: Viewer, Query(q): Query<ListQuery>) -> Response {
    match list_page(&s, &v, q).await {
        Ok((status, page)) => (status, render(&page)).into_response(),
        Err(e) => v.error_page(e),
    }
}

/// `GET /enterprises/export.xlsx`: every enterprise of the area in the import's columns.
pub async fn export(State(s): State<AppState>, v: Viewer) -> Response {
    match app::enterprise::export::export_xlsx(&s.app, Some(&v.actor)).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"enterprises.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => v.error_page(e),
    }
}

/// `POST /enterprises/import` (multipart: csrf, kind = enterprises | electricity, file): all
/// or nothing; the list page shows the row-by-row report (422 when refused).
pub async fn import(
    State(s): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match multipart::UploadForm::read(&headers, &body) {
        Ok(f) => f,
        Err(refusal) => return *refusal,
    };
    if let Err(e) = v.check_csrf(&form.text("csrf")) {
        return v.error_page(e);
    }
    let kind = form.text("kind");
    let file = form.file();
    let result = match (kind.as_str(), file) {
        (_, None) => Err(AppError::invalid(
            "file",
            "required",
            "choose a CSV or xlsx file",
        )),
        ("enterprises", Some(f)) => {
            let name = f.filename.clone().unwrap_or_else(|| "upload".into());
            app::enterprise::import::import(&s.app, Some(&v.actor), &name, &f.data).await
        }
        ("electricity", Some(f)) => {
            let name = f.filename.clone().unwrap_or_else(|| "upload".into());
            app::enterprise::electricity::import(&s.app, Some(&v.actor), &name, &f.data).await
        }
        (other, _) => Err(AppError::invalid(
            "kind",
            "unknown_kind",
            format!("{other:?} is neither enterprises nor electricity"),
        )),
    };
    let (status, report, error) = match result {
        Ok(r) if r.ok() => (StatusCode::OK, Some(r), None),
        Ok(r) => (StatusCode::UNPROCESSABLE_ENTITY, Some(r), None),
        Err(e @ AppError::Invalid(_)) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(e)),
        Err(e) => return v.error_page(e),
    };
    match list_page(&s, &v, ListQuery::default()).await {
        Ok((_, page)) => (
            status,
            render(&ListPage {
                report,
                kind,
                error: error.map(|e| e.to_string()),
                ..page
            }),
        )
            .into_response(),
        Err(e) => v.error_page(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise_grid.html")]
struct GridPage {
    c: Chrome,
    grids: Vec<GridView>,
    streets: Vec<(i64, String)>,
    can_manage: bool,
    done: Option<String>,
    error: Option<String>,
}

impl GridPage {
    fn st(&self, word: &str) -> String {
        super::state_key(word)
    }
    fn indent(&self, level: &str) -> &'static str {
        match level {
            "grid" => "",
            "sub_grid" => "　　",
            _ => "　　　　",
        }
    }
}

async fn grid_show(
    s: &AppState,
    v: &Viewer,
    done: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let r = async {
        let grids = directory::grid_tree(&s.app, &v.actor, None).await?;
        let streets = streets(s, v).await?;
        Ok::<_, AppError>((grids, streets))
    }
    .await;
    match r {
        Ok((grids, streets)) => {
            let (status, error) = error.map_or((StatusCode::OK, None), |(st, m)| (st, Some(m)));
            let page = GridPage {
                c: v.chrome(),
                grids,
                streets,
                can_manage: v.actor.role.has(Right::ManageEnterprises),
                done,
                error,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => v.error_page(e),
    }
}

/// `GET /enterprises/grid`: the grid tree with keepers and enterprise counts.
pub async fn grid_page(State(s): State<AppState>, v: Viewer, Query(q): Query<Done>) -> Response {
    grid_show(&s, &v, q.done, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct GridForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    street_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    keeper_name: String,
    #[serde(default)]
    keeper_phone: String,
}

/// `POST /enterprises/grid`: add a grid.
pub async fn create_grid(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<GridForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let street_id = opt_id(&f.street_id, "street_id")?
            .ok_or_else(|| AppError::invalid("street_id", "required", "choose a street"))?;
        let g = GridInput {
            level: f.level.clone(),
            parent_id: opt_id(&f.parent_id, "parent_id")?,
            street_id,
            name: f.name.clone(),
            keeper_user_id: None,
            keeper_name: f.keeper_name.clone(),
            keeper_phone: f.keeper_phone.clone(),
        };
        grid::create_grid(&s.app, &v.actor, &g).await.map(|_| ())
    }
    .await;
    after_form(&v, r, "/enterprises/grid", "grid", |err| {
        grid_show(&s, &v, None, Some(err))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    micro_grid_id: String,
}

/// `POST /enterprises/grid/move`: an enterprise (by credit code) into another micro-grid.
pub async fn move_enterprise(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<MoveForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let e = directory::by_credit_code(&s.app, &v.actor, &f.credit_code).await?;
        let micro = opt_id(&f.micro_grid_id, "micro_grid_id")?
            .ok_or_else(|| AppError::invalid("micro_grid_id", "required", "choose a micro-grid"))?;
        directory::move_to_grid(&s.app, &v.actor, e.id, micro).await
    }
    .await;
    after_form(&v, r, "/enterprises/grid", "moved", |err| {
        grid_show(&s, &v, None, Some(err))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct OfficerQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    officer: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise_officers.html")]
struct OfficersPage {
    c: Chrome,
    kind: String,
    q: String,
    officers: Vec<OfficerView>,
    next_href: Option<String>,
    /// The officer opened, with its enterprises.
    selected: Option<(OfficerView, Vec<EnterpriseView>)>,
    can_manage: bool,
    done: Option<String>,
    error: Option<String>,
}

impl OfficersPage {
    fn kinds(&self) -> [&'static str; 3] {
        ["enterprise", "prevention", "policy"]
    }
    fn kind_key(&self, kind: &str) -> String {
        super::state_key(kind)
    }
}

async fn officers_show(
    s: &AppState,
    v: &Viewer,
    q: &OfficerQuery,
    error: Option<(StatusCode, String)>,
) -> Response {
    let r = async {
        let after = opt_id(&q.after, "after")?.unwrap_or(0);
        let page = directory::officers(
            &s.app,
            &v.actor,
            Some(q.kind.as_str()),
            Some(q.q.as_str()),
            after,
            50,
        )
        .await?;
        let selected = match opt_id(&q.officer, "officer")? {
            Some(id) => Some(directory::officer_detail(&s.app, &v.actor, id).await?),
            None => None,
        };
        Ok::<_, AppError>((page, selected))
    }
    .await;
    let (status, error) = error.map_or((StatusCode::OK, None), |(st, m)| (st, Some(m)));
    let (page, selected, status, error) = match r {
        Ok((page, selected)) => (page, selected, status, error),
        Err(e @ AppError::Invalid(_)) => (
            directory::OfficerPage {
                items: vec![],
                next: None,
            },
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(e.to_string()),
        ),
        Err(e) => return v.error_page(e),
    };
    let next_href = page.next.map(|n| {
        format!(
            "/enterprises/officers?kind={}&q={}&after={n}",
            enc(&q.kind),
            enc(&q.q)
        )
    });
    let out = OfficersPage {
        c: v.chrome(),
        kind: q.kind.clone(),
        q: q.q.clone(),
        officers: page.items,
        next_href,
        selected,
        can_manage: v.actor.role.has(Right::ManageEnterprises),
        done: q.done.clone(),
        error,
    };
    (status, render(&out)).into_response()
}

/// `GET /enterprises/officers`: officers with their loads; `officer=ID` opens one.
pub async fn officers_page(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<OfficerQuery>,
) -> Response {
    officers_show(&s, &v, &q, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct OfficerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    department: String,
}

/// `POST /enterprises/officers`: add an officer.
pub async fn create_officer(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<OfficerForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let o = OfficerInput {
            user_id: None,
            kind: f.kind.clone(),
            name: f.name.clone(),
            phone: f.phone.clone(),
            department: f.department.clone(),
        };
        grid::create_officer(&s.app, &v.actor, &o).await.map(|_| ())
    }
    .await;
    let q = OfficerQuery::default();
    after_form(&v, r, "/enterprises/officers", "officer", |err| {
        officers_show(&s, &v, &q, Some(err))
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    credit_code: String,
    /// "yes" once the confirmation page was answered (ending an assignment).
    #[serde(default)]
    confirm: String,
}

fn officer_query(id: i64) -> OfficerQuery {
    OfficerQuery {
        officer: id.to_string(),
        ..OfficerQuery::default()
    }
}

/// `POST /enterprises/officers/{id}/assign`: assign the officer to an enterprise (by credit
/// code).
pub async fn assign(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let e = directory::by_credit_code(&s.app, &v.actor, &f.credit_code).await?;
        grid::assign(&s.app, &v.actor, id, e.id).await
    }
    .await;
    let back = format!("/enterprises/officers?officer={id}");
    let q = officer_query(id);
    after_form(&v, r, &back, "assigned", |err| {
        officers_show(&s, &v, &q, Some(err))
    })
    .await
}

#[derive(Template)]
#[template(path = "enterprise_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    officer: OfficerView,
    enterprise: EnterpriseView,
}

/// `POST /enterprises/officers/{id}/unassign`: first a confirmation page naming the officer
/// and the enterprise; with `confirm=yes` the assignment ends.
pub async fn unassign(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    if f.confirm != "yes" {
        let r = async {
            let (officer, _) = directory::officer_detail(&s.app, &v.actor, id).await?;
            let enterprise = directory::by_credit_code(&s.app, &v.actor, &f.credit_code).await?;
            Ok::<_, AppError>((officer, enterprise))
        }
        .await;
        return match r {
            Ok((officer, enterprise)) => render(&ConfirmPage {
                c: v.chrome(),
                officer,
                enterprise,
            }),
            Err(e) => v.error_page(e),
        };
    }
    let r = async {
        let e = directory::by_credit_code(&s.app, &v.actor, &f.credit_code).await?;
        directory::unassign(&s.app, &v.actor, id, e.id).await
    }
    .await;
    let back = format!("/enterprises/officers?officer={id}");
    let q = officer_query(id);
    after_form(&v, r, &back, "unassigned", |err| {
        officers_show(&s, &v, &q, Some(err))
    })
    .await
}
