//! Quarantine pages: the day's checks of a site (fast entry of a whole floor) or of a
//! community's home quarantine, the orders in the area and the form to order one, an order's
//! page (release with what is missing, extend, transfer, hospital, tests), and the returnee
//! desk.

use std::collections::HashMap;

use app::AppError;
use app::quarantine::{
    self as q, ArrivalInput, ArrivalList, CheckEntry, CheckView, EndChangeInput, EndChangeView,
    Figures, FloorEntryInput, OrderInput, OrderList, OrderListQuery, OrderView, ReleaseCheck,
    SiteView, StepInput, TestInput, TestView, TransferInput,
};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::page_or_error;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quarantine", get(page))
        .route("/quarantine/entry", post(entry))
        .route("/quarantine/follow-ups", post(follow_ups))
        .route("/quarantine/orders", post(create))
        .route("/quarantine/orders/{id}", get(order_page))
        .route("/quarantine/orders/{id}/{action}", post(order_action))
        .route("/returnees", get(desk).post(register))
}

/// Checks of one floor (or of home quarantine) together, for the fast entry.
struct Floor {
    label: String,
    checks: Vec<CheckView>,
}

#[derive(Template)]
#[template(path = "quarantine.html")]
struct QuarantinePage {
    c: Chrome,
    day: String,
    figures: Figures,
    sites: Vec<SiteView>,
    site_id: Option<i64>,
    community_id: Option<i64>,
    floors: Vec<Floor>,
    open: usize,
    orders: OrderList,
    query: String,
    pages: i64,
    notice: Option<String>,
    error: Option<String>,
}

impl QuarantinePage {
    /// Whether `id` is the site shown.
    fn current(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.site_id == Some(*id.borrow())
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    site_id: Option<i64>,
    #[serde(default)]
    community_id: Option<i64>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

async fn build_page(
    s: &AppState,
    v: &Viewer,
    pq: &PageQuery,
    notice: Option<String>,
) -> Result<QuarantinePage, AppError> {
    let day = s.app.today();
    let figures = q::figures(&s.app, &v.actor, day).await?;
    let sites = q::sites(&s.app, &v.actor).await?;
    // A community account sees its own community's home quarantine by default.
    let community_id = pq.community_id.or_else(|| {
        (pq.site_id.is_none() && v.actor.scope_kind == domain::AreaKind::Community)
            .then_some(v.actor.scope_area_id)
    });
    let site_id = pq.site_id.or_else(|| {
        if community_id.is_some() {
            None
        } else {
            sites.first().map(|s| s.id)
        }
    });
    let checks = if site_id.is_some() || community_id.is_some() {
        q::checks_of_day(&s.app, &v.actor, day, site_id, community_id).await?
    } else {
        vec![]
    };
    let open = checks.iter().filter(|k| k.temperature.is_none()).count();
    let mut floors: Vec<Floor> = vec![];
    for k in checks {
        let label = match k.floor {
            Some(f) => format!("{f}F"),
            None => "🏠".to_owned(),
        };
        match floors.last_mut() {
            Some(f) if f.label == label => f.checks.push(k),
            _ => floors.push(Floor {
                label,
                checks: vec![k],
            }),
        }
    }
    let orders = q::list_orders(
        &s.app,
        &v.actor,
        &OrderListQuery {
            site_id,
            community_id,
            q: pq.q.clone(),
            page: pq.page,
            sort: Some("end".into()),
            ..Default::default()
        },
    )
    .await?;
    let pages = ((orders.total + orders.per_page - 1) / orders.per_page).max(1);
    Ok(QuarantinePage {
        c: v.chrome(),
        day: day.to_string(),
        figures,
        sites,
        site_id,
        community_id,
        floors,
        open,
        orders,
        query: pq.q.clone().unwrap_or_default(),
        pages,
        notice,
        error: None,
    })
}

async fn show(s: &AppState, v: &Viewer, pq: &PageQuery, error: Option<AppError>) -> Response {
    let notice = pq.done.as_deref().map(|d| match d {
        "entered" => v.lang.t("quarantine.done.entered").to_owned(),
        "generated" => v.lang.t("quarantine.done.generated").to_owned(),
        _ => v.lang.t("quarantine.done.saved").to_owned(),
    });
    page_or_error(v, build_page(s, v, pq, notice).await, error, |mut p, e| {
        p.error = e;
        p
    })
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(pq): Query<PageQuery>) -> Response {
    show(&s, &v, &pq, None).await
}

fn back(site_id: Option<i64>, community_id: Option<i64>, done: &str) -> String {
    match (site_id, community_id) {
        (Some(s), _) => format!("/quarantine?site_id={s}&done={done}"),
        (None, Some(c)) => format!("/quarantine?community_id={c}&done={done}"),
        _ => format!("/quarantine?done={done}"),
    }
}

/// After a floor form: back to the site's or community's list with what was done, or that
/// list again with the refusal.
async fn after_floor<T>(
    s: &AppState,
    v: &Viewer,
    r: Result<T, AppError>,
    (site_id, community_id): (Option<i64>, Option<i64>),
    done: &str,
) -> Response {
    match r {
        Ok(_) => Redirect::to(&back(site_id, community_id, done)).into_response(),
        Err(e) => {
            let pq = PageQuery {
                site_id,
                community_id,
                ..Default::default()
            };
            show(s, v, &pq, Some(e)).await
        }
    }
}

fn opt_id(f: &HashMap<String, String>, key: &str) -> Option<i64> {
    f.get(key).and_then(|v| v.trim().parse().ok())
}

/// The floor form: one `t_{check}` field per open check (blank ones are skipped) and an
/// optional `s_{check}` for symptoms.
pub async fn entry(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (site_id, community_id) = (opt_id(&f, "site_id"), opt_id(&f, "community_id"));
    let r = async {
        v.check_csrf(f.get("csrf").map(String::as_str).unwrap_or_default())?;
        let mut entries = vec![];
        let mut keys: Vec<&String> = f.keys().filter(|k| k.starts_with("t_")).collect();
        keys.sort();
        for k in keys {
            let raw = f[k].trim();
            if raw.is_empty() {
                continue;
            }
            let id: i64 = k[2..]
                .parse()
                .map_err(|_| AppError::invalid(k, "format", "unknown check"))?;
            let temperature: f64 = raw.parse().map_err(|_| {
                AppError::invalid(
                    "temperature",
                    "format",
                    format!("{raw:?} is not a temperature in ℃"),
                )
            })?;
            entries.push(CheckEntry {
                check_id: id,
                temperature,
                symptoms: f.get(&format!("s_{id}")).cloned().unwrap_or_default(),
            });
        }
        q::enter_floor(&s.app, &v.actor, &FloorEntryInput { entries }).await
    }
    .await;
    after_floor(&s, &v, r, (site_id, community_id), "entered").await
}

pub async fn follow_ups(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (site_id, community_id) = (opt_id(&f, "site_id"), opt_id(&f, "community_id"));
    let r = async {
        v.check_csrf(f.get("csrf").map(String::as_str).unwrap_or_default())?;
        q::generate_follow_ups(&s.app, &v.actor, s.app.today()).await
    }
    .await;
    after_floor(&s, &v, r, (site_id, community_id), "generated").await
}

#[derive(Deserialize)]
pub struct OrderForm {
    csrf: String,
    person_id: String,
    kind: String,
    reason: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    entered: Option<String>,
    #[serde(default)]
    note: String,
}

fn num(field: &str, raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, "format", "must be a number"))
}

pub async fn create(State(s): State<AppState>, v: Viewer, Form(f): Form<OrderForm>) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        let person_id = num("person_id", &f.person_id)?
            .ok_or_else(|| AppError::invalid("person_id", "required", "give the person's id"))?;
        let input = OrderInput {
            person_id,
            kind: f.kind.clone(),
            reason: f.reason.clone(),
            start_on: Some(f.start_on.clone()).filter(|s| !s.trim().is_empty()),
            site_id: if f.kind == "home" {
                None
            } else {
                num("site_id", &f.site_id)?
            },
            room_id: if f.kind == "home" {
                None
            } else {
                num("room_id", &f.room_id)?
            },
            entered: f.entered.is_some(),
            note: Some(f.note.clone()),
        };
        q::create_order(&s.app, &v.actor, &input).await
    }
    .await;
    match r {
        Ok(o) => Redirect::to(&format!("/quarantine/orders/{}?done=ordered", o.id)).into_response(),
        Err(e) => show(&s, &v, &PageQuery::default(), Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "quarantine_order.html")]
struct OrderPage {
    c: Chrome,
    o: OrderView,
    check: ReleaseCheck,
    changes: Vec<EndChangeView>,
    tests: Vec<TestView>,
    checks: Vec<CheckView>,
    sites: Vec<SiteView>,
    today: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

async fn order_view(
    s: &AppState,
    v: &Viewer,
    id: i64,
    notice: Option<String>,
    error: Option<AppError>,
) -> Response {
    let r = async {
        let (o, changes) = q::get_order(&s.app, &v.actor, id).await?;
        let check = q::release_check(&s.app, &v.actor, id).await?;
        let tests = q::tests_of_order(&s.app, &v.actor, id).await?;
        let checks = q::checks_of_order(&s.app, &v.actor, id).await?;
        let sites = q::sites(&s.app, &v.actor).await?;
        Ok::<_, AppError>(OrderPage {
            c: v.chrome(),
            o,
            check,
            changes,
            tests,
            checks,
            sites,
            today: s.app.today().to_string(),
            notice,
            error: None,
        })
    }
    .await;
    page_or_error(v, r, error, |mut p, e| {
        p.error = e;
        p
    })
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::invalid("id", "format", "the id must be a number"))
}

pub async fn order_page(
    State(s): State<AppState>,
    v: Viewer,
    Path(raw): Path<String>,
    Query(d): Query<Done>,
) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    let notice = d.done.map(|_| v.lang.t("quarantine.done.saved").to_owned());
    order_view(&s, &v, id, notice, None).await
}

pub async fn order_action(
    State(s): State<AppState>,
    v: Viewer,
    Path((raw, action)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let id = match id_of(&raw) {
        Ok(id) => id,
        Err(e) => return v.error_page(e),
    };
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let step = StepInput {
        on: None,
        note: Some(get("note")),
    };
    let r: Result<(), AppError> = async {
        v.check_csrf(&get("csrf"))?;
        if matches!(action.as_str(), "release" | "hospital") && get("confirm") != "yes" {
            return Err(AppError::invalid(
                "confirm",
                "required",
                "tick the box to confirm; this ends the quarantine order",
            ));
        }
        match action.as_str() {
            "enter" => q::enter(&s.app, &v.actor, id, &step).await.map(|_| ()),
            "release" => q::release(&s.app, &v.actor, id, &step).await.map(|_| ()),
            "hospital" => q::transfer_to_hospital(&s.app, &v.actor, id, &step)
                .await
                .map(|_| ()),
            "end" => q::change_end(
                &s.app,
                &v.actor,
                id,
                &EndChangeInput {
                    planned_end_on: get("planned_end_on"),
                    reason: get("reason"),
                    reviewer: Some(get("reviewer")),
                },
            )
            .await
            .map(|_| ()),
            "transfer" => q::transfer(
                &s.app,
                &v.actor,
                id,
                &TransferInput {
                    site_id: num("site_id", &get("site_id"))?,
                    room_id: num("room_id", &get("room_id"))?,
                    on: None,
                    note: Some(get("note")),
                },
            )
            .await
            .map(|_| ()),
            "test" => q::record_test(
                &s.app,
                &v.actor,
                id,
                &TestInput {
                    sampled_on: Some(get("sampled_on")),
                    result: Some(get("result")),
                },
            )
            .await
            .map(|_| ()),
            _ => Err(AppError::NotFound("action")),
        }
    }
    .await;
    match r {
        Ok(()) => Redirect::to(&format!("/quarantine/orders/{id}?done={action}")).into_response(),
        Err(e) => order_view(&s, &v, id, None, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "returnees.html")]
struct DeskPage {
    c: Chrome,
    list: ArrivalList,
    sites: Vec<SiteView>,
    today: String,
    pages: i64,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct DeskQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

async fn desk_view(
    s: &AppState,
    v: &Viewer,
    page: i64,
    notice: Option<String>,
    error: Option<AppError>,
) -> Response {
    let r = async {
        let list = q::list_arrivals(&s.app, &v.actor, page).await?;
        let sites = q::sites(&s.app, &v.actor).await?;
        let pages = ((list.total + list.per_page - 1) / list.per_page).max(1);
        Ok::<_, AppError>(DeskPage {
            c: v.chrome(),
            list,
            sites,
            today: s.app.today().to_string(),
            pages,
            notice,
            error: None,
        })
    }
    .await;
    page_or_error(v, r, error, |mut p, e| {
        p.error = e;
        p
    })
}

pub async fn desk(State(s): State<AppState>, v: Viewer, Query(dq): Query<DeskQuery>) -> Response {
    let notice = dq
        .done
        .map(|_| v.lang.t("quarantine.done.registered").to_owned());
    desk_view(&s, &v, dq.page.unwrap_or(1), notice, None).await
}

pub async fn register(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let some = |k: &str| Some(get(k)).filter(|s| !s.trim().is_empty());
    let r = async {
        v.check_csrf(&get("csrf"))?;
        let input = ArrivalInput {
            name: get("name"),
            nationality: get("nationality"),
            passport_no: get("passport_no"),
            phone: some("phone"),
            language: get("language"),
            flight: get("flight"),
            arrival_on: get("arrival_on"),
            community_code: get("community_code"),
            certificate: some("certificate"),
            officer: some("officer"),
            kind: some("kind"),
            site_id: num("site_id", &get("site_id"))?,
            room_id: None,
        };
        q::register_arrival(&s.app, &v.actor, &input).await
    }
    .await;
    match r {
        Ok(_) => Redirect::to("/returnees?done=registered").into_response(),
        Err(e) => desk_view(&s, &v, 1, None, Some(e)).await,
    }
}
