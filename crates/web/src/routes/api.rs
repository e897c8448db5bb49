//! The JSON API, `/api/v1`. Every handler is described in the OpenAPI document.

use app::areas::AreaDetail;
use app::people::{ListParams, NewPersonInput, PersonPage, PersonView};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, routing::post};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(create_session).delete(delete_session))
        .route("/me", get(me))
        .route("/people", get(list_people).post(create_person))
        .route("/people/{id}", get(get_person))
        .route("/people/{id}/full", get(get_person_full))
        .route("/areas", get(own_area))
        .route("/areas/{id}", get(area))
        .route("/code", get(super::codes::code))
        .route("/code/credential", get(super::codes::credential))
        .route("/code/credential.png", get(super::codes::credential_png))
        .route("/code/declarations", post(super::codes::declare))
        .route("/code/check-ins", post(super::codes::check_in))
        .route("/verify", post(super::codes::verify))
        .route("/trust-list", get(super::codes::trust_list))
        .route("/trust-anchor", get(super::codes::trust_anchor))
        .route("/status-list", get(super::codes::status_list))
        .merge(super::code_reviews::api())
        .merge(super::enterprise::api::router())
        .route("/openapi.json", get(super::openapi::serve))
}

fn path_id(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "invalid",
            "id",
            format!("{what} id must be a number"),
        )
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
}

/// How long `/healthz` waits for the database: it answers within a second whatever the
/// database does (stopped, hung, every connection busy).
const HEALTH_DB_WAIT: std::time::Duration = std::time::Duration::from_millis(700);

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(State(s): State<AppState>) -> Response {
    let probe = async {
        match s.app.store.read().await {
            Ok(tx) => tx.rollback().await.is_ok(),
            Err(_) => false,
        }
    };
    let db_ok = tokio::time::timeout(HEALTH_DB_WAIT, probe)
        .await
        .unwrap_or(false);
    if db_ok {
        Json(Health {
            status: "ok",
            database: "ok",
        })
        .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "degraded",
                database: "unreachable",
            }),
        )
            .into_response()
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: domain::Role,
    pub scope_area_id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Needed in `X-CSRF-Token` only when authenticating with the session cookie instead.
    pub csrf_token: String,
    pub me: Me,
}

fn me_of(a: &app::Actor) -> Me {
    Me {
        user_id: a.user_id,
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role,
        scope_area_id: a.scope_area_id,
    }
}

/// Log in; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest,
    responses((status = 201, body = SessionCreated), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create_session(
    State(s): State<AppState>,
    addr: crate::auth::ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<(StatusCode, Json<SessionCreated>), ApiError> {
    let out = app::auth::login(&s.app, &req.username, &req.password, &addr.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            token: out.token,
            csrf_token: out.csrf_token,
            me: me_of(&out.actor),
        }),
    ))
}

/// Log out: the bearer token stops working.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn delete_session(
    State(s): State<AppState>,
    headers: HeaderMap,
    _a: ApiActor,
) -> Result<StatusCode, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
        .or_else(|| {
            axum_extra::extract::CookieJar::from_headers(&headers)
                .get(crate::auth::SESSION_COOKIE)
                .map(|c| c.value().to_owned())
        })
        .unwrap_or_default();
    app::auth::logout(&s.app, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(ApiActor(a): ApiActor) -> Json<Me> {
    Json(me_of(&a))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PeopleQuery {
    /// Full ID number, full phone number, or the start of a name.
    q: Option<String>,
    /// resident, worker, visitor or foreign.
    category: Option<String>,
    /// id (default) or name.
    sort: Option<String>,
    /// `next` of the previous page.
    after: Option<String>,
    /// 1–500, default 50.
    limit: Option<String>,
}

/// Persons in the account's area, masked, one keyset page at a time.
#[utoipa::path(get, path = "/api/v1/people", params(PeopleQuery),
    responses((status = 200, body = PersonPage), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_people(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<PersonPage>, ApiError> {
    let limit = match q.limit.as_deref() {
        None | Some("") => None,
        Some(l) => Some(l.parse::<u32>().map_err(|_| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "limit",
                "limit must be a whole number 1–500",
            )
        })?),
    };
    let params = ListParams {
        q: q.q,
        category: q.category,
        sort: q.sort,
        after: q.after,
        limit,
    };
    Ok(Json(app::people::list(&s.app, &a, &params).await?))
}

/// Register a person.
#[utoipa::path(post, path = "/api/v1/people", request_body = NewPersonInput,
    responses((status = 201, body = PersonView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewPersonInput>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app::people::create(&s.app, &a, &input).await?),
    ))
}

/// One person, masked.
#[utoipa::path(get, path = "/api/v1/people/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    Ok(Json(
        app::people::get(&s.app, &a, path_id(&raw, "person")?).await?,
    ))
}

/// One person in full: a separate right; every call is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/people/{id}/full", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_person_full(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    Ok(Json(
        app::people::get_full(&s.app, &a, path_id(&raw, "person")?).await?,
    ))
}

/// The account's own area with its children.
#[utoipa::path(get, path = "/api/v1/areas", responses((status = 200, body = AreaDetail), (status = 401, body = ErrorBody)))]
pub async fn own_area(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<AreaDetail>, ApiError> {
    Ok(Json(app::areas::detail(&s.app, &a, None).await?))
}

/// An area inside the account's scope, with its children and boundary.
#[utoipa::path(get, path = "/api/v1/areas/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = AreaDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn area(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<AreaDetail>, ApiError> {
    Ok(Json(
        app::areas::detail(&s.app, &a, Some(path_id(&raw, "area")?)).await?,
    ))
}
