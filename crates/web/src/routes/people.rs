//! People pages: the list (search, category, sort, keyset pages), one person masked, the
//! audited full view, and registration.

use app::people::{ListParams, NewPersonInput, PersonView};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{PersonCategory, Right};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Viewer, urlencode};
use crate::chrome::Chrome;
use crate::error::{render, status_of};

fn categories() -> Vec<(&'static str, &'static str)> {
    PersonCategory::ALL
        .iter()
        .map(|c| {
            let key = match c {
                PersonCategory::Resident => "category.resident",
                PersonCategory::Worker => "category.worker",
                PersonCategory::Visitor => "category.visitor",
                PersonCategory::Foreign => "category.foreign",
            };
            (c.as_str(), key)
        })
        .collect()
}

pub struct Row {
    pub id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub passport_no: Option<String>,
    pub phone: Option<String>,
    pub category_key: String,
    pub community: String,
}

impl From<PersonView> for Row {
    fn from(p: PersonView) -> Self {
        Row {
            id: p.id,
            name: p.name,
            id_number: p.id_number,
            passport_no: p.passport_no,
            phone: p.phone,
            category_key: format!("category.{}", p.category.as_str()),
            community: p.community,
        }
    }
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    c: Chrome,
    q: String,
    category: String,
    sort: String,
    categories: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    total: i64,
    error: Option<String>,
    can_create: bool,
    first_link: bool,
    first_href: String,
    next_href: Option<String>,
    export_href: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    category: Option<String>,
    sort: Option<String>,
    after: Option<String>,
}

pub async fn list(State(s): State<AppState>, v: Viewer, Query(lq): Query<ListQuery>) -> Response {
    let params = ListParams {
        q: lq.q.clone(),
        category: lq.category.clone(),
        sort: lq.sort.clone(),
        after: lq.after.clone(),
        limit: None,
    };
    let q = lq.q.unwrap_or_default();
    let category = lq.category.unwrap_or_default();
    let sort = lq.sort.unwrap_or_else(|| "id".into());
    let base = format!(
        "/people?q={}&category={}&sort={}",
        urlencode(&q),
        urlencode(&category),
        urlencode(&sort)
    );
    let mut page = PeoplePage {
        c: v.chrome(),
        q,
        category,
        sort,
        categories: categories(),
        rows: vec![],
        total: 0,
        error: None,
        can_create: v.actor.role.has(Right::EditPersons),
        first_link: lq.after.is_some(),
        first_href: base.clone(),
        next_href: None,
        export_href: base.replacen("/people?", "/people/export.csv?", 1),
    };
    match app::people::list(&s.app, &v.actor, &params).await {
        Ok(result) => {
            page.total = result.total_in_scope;
            page.next_href = result
                .next
                .map(|n| format!("{base}&after={}", urlencode(&n)));
            page.rows = result.items.into_iter().map(Row::from).collect();
            render(&page)
        }
        Err(e @ app::AppError::Invalid(_)) => {
            page.error = Some(e.to_string());
            (status_of(&e), render(&page)).into_response()
        }
        Err(e) => v.error_page(e),
    }
}

/// The filtered list as CSV, masked; the export is audited.
pub async fn export(State(s): State<AppState>, v: Viewer, Query(lq): Query<ListQuery>) -> Response {
    let params = ListParams {
        q: lq.q,
        category: lq.category,
        sort: lq.sort,
        after: None,
        limit: None,
    };
    let t = |k| v.lang.t(k);
    let headers = [
        t("person.name"),
        t("person.id_number"),
        t("person.passport_no"),
        t("person.phone"),
        t("person.category"),
        t("person.community"),
        t("person.micro_grid"),
    ];
    match app::people::export_csv(&s.app, &v.actor, &params, &headers).await {
        Ok((body, _)) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"people.csv\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => v.error_page(e),
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: PersonView,
    category_key: String,
    can_view_full: bool,
    created: bool,
}

#[derive(Deserialize)]
pub struct DetailQuery {
    created: Option<String>,
}

fn parse_id(raw: &str) -> Result<i64, app::AppError> {
    raw.parse()
        .map_err(|_| app::AppError::invalid("id", "format", "person id must be a number"))
}

fn person_page(v: &Viewer, p: PersonView, created: bool) -> Response {
    let category_key = format!("category.{}", p.category.as_str());
    render(&PersonPage {
        c: v.chrome(),
        p,
        category_key,
        can_view_full: v.actor.role.has(Right::ViewFullPersonalData),
        created,
    })
}

pub async fn detail(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let id = match parse_id(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    match app::people::get(&s.app, &v.actor, id).await {
        Ok(p) => person_page(&v, p, q.created.is_some()),
        Err(e) => v.error_page(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn full(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let id = match parse_id(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    match app::people::get_full(&s.app, &v.actor, id).await {
        Ok(p) => person_page(&v, p, false),
        Err(e) => v.error_page(e),
    }
}

struct FormError {
    field: String,
    label: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPersonPage {
    c: Chrome,
    categories: Vec<(&'static str, &'static str)>,
    form: NewPersonInput,
    errors: Vec<FormError>,
}

pub async fn new_form(v: Viewer) -> Response {
    if let Err(e) = v.actor.require(Right::EditPersons) {
        return v.error_page(e);
    }
    let form = NewPersonInput {
        category: "resident".into(),
        ..Default::default()
    };
    render(&NewPersonPage {
        c: v.chrome(),
        categories: categories(),
        form,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct NewPersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: NewPersonInput,
}

pub async fn create(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<NewPersonForm>,
) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    match app::people::create(&s.app, &v.actor, &f.input).await {
        Ok(p) => Redirect::to(&format!("/people/{}?created=1", p.id)).into_response(),
        Err(e) => {
            let status = status_of(&e);
            let errors = match &e {
                app::AppError::Invalid(fields) => fields
                    .iter()
                    .map(|fe| FormError {
                        field: fe.field.clone(),
                        label: v.lang.t(&field_key(&fe.field)),
                        message: fe.message.clone(),
                    })
                    .collect(),
                app::AppError::Conflict { field, message } => vec![FormError {
                    field: field.clone(),
                    label: v.lang.t(&field_key(field)),
                    message: message.clone(),
                }],
                _ => {
                    return v.error_page(e);
                }
            };
            let page = NewPersonPage {
                c: v.chrome(),
                categories: categories(),
                form: f.input,
                errors,
            };
            (status, render(&page)).into_response()
        }
    }
}

fn field_key(field: &str) -> String {
    format!("person.{field}")
}
