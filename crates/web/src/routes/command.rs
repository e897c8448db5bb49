//! The command dashboard (一图一指数): the five-colour map of a day with its history, the
//! precision control index and its ranking, the day's figures and the daily briefing download;
//! and the same over `/api/v1/command/…`.

use app::AppError;
use app::command::briefing::{self, Format};
use app::command::dashboard::{self, CheckpointDay, DayFigures};
use app::command::index::{self, IndexRanking, StreetIndex};
use app::command::risk::{self, AreaRisk, MapText};
use app::command::{Tables, charts, resolve_day};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::command::{Assessment, RiskLevel};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ApiActor, Viewer};
use crate::chrome::Chrome;
use crate::error::{ApiError, ErrorBody, PageError, render};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/command", get(page))
        .route("/command/index", get(index_page))
        .route("/command/areas/{code}", get(area_page))
        .route("/command/briefing", get(briefing_download))
        .route("/api/v1/command/risk-map", get(risk_map))
        .route("/api/v1/command/index", get(index_api))
        .route("/api/v1/command/briefing", get(briefing_api))
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
    /// street (default) or community
    #[serde(default)]
    level: String,
    #[serde(default)]
    format: String,
}

fn fail(v: &Viewer, error: AppError) -> Response {
    PageError {
        chrome: v.chrome(),
        error,
    }
    .into_response()
}

fn points(v: &Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}"))
}

/// One legend line: colour, name, areas at that level.
pub struct LevelCount {
    pub fill: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub n: usize,
}

#[derive(Template)]
#[template(path = "command.html")]
struct Page {
    c: Chrome,
    day: String,
    first_day: String,
    today: String,
    level: String,
    figures: DayFigures,
    counts: Vec<LevelCount>,
    map_svg: String,
    without_boundary: Vec<String>,
    ranking: Vec<StreetIndex>,
    cases_chart: String,
    scans: Vec<CheckpointDay>,
}

impl Page {
    fn points(&self, v: &Option<f64>) -> String {
        points(v)
    }
    fn code(&self, colour: &str) -> i64 {
        self.figures.codes.get(colour).copied().unwrap_or(0)
    }
    fn opt(&self, v: &Option<i64>) -> String {
        v.map_or_else(
            || self.c.lang.t("cmdx.no_data").to_owned(),
            |n| n.to_string(),
        )
    }
}

fn level_name(l: RiskLevel, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => l.en(),
    }
}

/// `/command?day=&level=street|community`: the dashboard of a day.
pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<DayQuery>) -> Response {
    let r = async {
        let tables = Tables::load()?;
        let day = resolve_day(&s.app, &v.actor, &q.day).await?;
        let level = match q.level.as_str() {
            "" | "street" => "street",
            "community" => "community",
            other => {
                return Err(AppError::invalid(
                    "level",
                    "bad_level",
                    format!("level must be street or community, not {other:?}"),
                ));
            }
        };
        let inputs = risk::inputs(&s.app, &v.actor).await?;
        let map = risk::assess_all(&inputs, &tables.risk, day);
        let drawn = risk::draw(
            &map,
            &inputs.areas,
            level,
            &MapText {
                title: v.lang.t("cmdx.map"),
                empty: v.lang.t("cmdx.no_boundaries"),
                en: v.lang == Lang::En,
            },
        );
        let counts = map
            .counts(level)
            .iter()
            .map(|(l, n)| LevelCount {
                fill: l.fill(),
                name: level_name(*l, v.lang),
                level: l.as_str(),
                n: *n,
            })
            .collect();
        // The day's code colours and scans serve the ranking and the figures: read once.
        let reads = dashboard::DayReads::load(&s.app, day).await?;
        let (ranking, figures) = tokio::try_join!(
            index::ranking_with(&s.app, &v.actor, &tables.index, &inputs, &reads),
            dashboard::figures_with(&s.app, &v.actor, &inputs, &reads),
        )?;
        let per_day = dashboard::new_cases_per_day(&inputs, day, 42);
        let first_day = app::command::first_day(&s.app)
            .await?
            .map(|d| d.to_string())
            .unwrap_or_default();
        Ok::<_, AppError>(Page {
            c: v.chrome(),
            day: day.to_string(),
            first_day,
            today: s.app.today().to_string(),
            level: level.to_owned(),
            scans: figures
                .scans_by_checkpoint
                .iter()
                .take(20)
                .cloned()
                .collect(),
            figures,
            counts,
            map_svg: drawn.svg,
            without_boundary: drawn.without_boundary,
            ranking: ranking.streets,
            cases_chart: charts::new_cases_chart(&per_day, v.lang.t("cmdx.new_cases_chart")),
        })
    }
    .await;
    match r {
        Ok(p) => render(&p),
        Err(e) => fail(&v, e),
    }
}

#[derive(Template)]
#[template(path = "command_area.html")]
struct AreaPage {
    c: Chrome,
    day: String,
    area: AreaRisk,
    fill: &'static str,
    level_name: &'static str,
    history: Vec<(String, Assessment)>,
}

impl AreaPage {
    fn name_of(&self, a: &Assessment) -> &'static str {
        level_name(a.level, self.c.lang)
    }
    fn last_case(&self, a: &Assessment) -> String {
        a.figures
            .last_case_on
            .map_or_else(|| "—".to_owned(), |d| d.to_string())
    }
}

/// `/command/areas/{code}?day=`: one area's level, the figures behind it and its last 14 days.
pub async fn area_page(
    State(s): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<DayQuery>,
) -> Response {
    let r = async {
        let tables = Tables::load()?;
        let day = resolve_day(&s.app, &v.actor, &q.day).await?;
        let (area, history) =
            risk::area_history(&s.app, &v.actor, &tables.risk, &code, day, 14).await?;
        Ok::<_, AppError>(AreaPage {
            c: v.chrome(),
            day: day.to_string(),
            fill: area.assessment.level.fill(),
            level_name: level_name(area.assessment.level, v.lang),
            area,
            history,
        })
    }
    .await;
    match r {
        Ok(p) => render(&p),
        Err(e) => fail(&v, e),
    }
}

#[derive(Template)]
#[template(path = "command_index.html")]
struct IndexPage {
    c: Chrome,
    day: String,
    table_version: String,
    ranking: Vec<StreetIndex>,
    indicators: Vec<(&'static str, f64)>,
    trend_svg: String,
}

impl IndexPage {
    fn points(&self, v: &Option<f64>) -> String {
        points(v)
    }
    fn cell(&self, s: &StreetIndex, k: &usize) -> String {
        let i = s
            .score
            .control
            .indicators
            .iter()
            .chain(&s.score.flow.indicators)
            .nth(*k);
        match i.and_then(|i| Some((i.value?, i.points?))) {
            Some((v, p)) => format!("{p:.0} ({})", short(v)),
            None => self.c.lang.t("cmdx.no_data").to_owned(),
        }
    }
}

fn short(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() <= 1.0 {
        format!("{:.1}%", v * 100.0)
    } else {
        format!("{v:.1}")
    }
}

/// `/command/index?day=`: every street's index with its twelve indicators, and the trend.
pub async fn index_page(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<DayQuery>,
) -> Response {
    let r = async {
        let tables = Tables::load()?;
        let day = resolve_day(&s.app, &v.actor, &q.day).await?;
        let inputs = risk::inputs(&s.app, &v.actor).await?;
        let trend = index::trend(&s.app, &v.actor, &tables.index, &inputs, day, 14).await?;
        let last: IndexRanking = trend
            .last()
            .cloned()
            .ok_or_else(|| AppError::Internal("no day in the trend".into()))?;
        let en = v.lang == Lang::En;
        let indicators = domain::command::Indicator::ALL
            .iter()
            .map(|i| (if en { i.en() } else { i.zh() }, tables.index.weight(*i)))
            .collect();
        Ok::<_, AppError>(IndexPage {
            c: v.chrome(),
            day: day.to_string(),
            table_version: last.table_version.clone(),
            ranking: last.streets,
            indicators,
            trend_svg: charts::trend_chart(&trend, v.lang.t("cmdx.trend")),
        })
    }
    .await;
    match r {
        Ok(p) => render(&p),
        Err(e) => fail(&v, e),
    }
}

async fn build_briefing(
    s: &AppState,
    actor: &app::Actor,
    day: &str,
) -> Result<briefing::Briefing, AppError> {
    let tables = Tables::load()?;
    let day = resolve_day(&s.app, actor, day).await?;
    briefing::build(&s.app, actor, &tables, day).await
}

/// `/command/briefing?day=&format=html|xlsx|json`: the daily briefing as a file.
pub async fn briefing_download(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<DayQuery>,
) -> Response {
    let r = async {
        let format: Format = match q.format.as_str() {
            "" => Format::Html,
            f => f.parse()?,
        };
        let b = build_briefing(&s, &v.actor, &q.day).await?;
        let bytes = briefing::render(&b, format)?;
        Ok::<_, AppError>((format, b.date, bytes))
    }
    .await;
    match r {
        Ok((format, date, bytes)) => (
            [
                (header::CONTENT_TYPE, format.content_type().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    // HTML opens in the browser (and saves under this name); the others download.
                    format!(
                        "{}; filename=\"briefing-{date}.{}\"",
                        if format == Format::Html {
                            "inline"
                        } else {
                            "attachment"
                        },
                        format.extension()
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => fail(&v, e),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ApiDay {
    /// YYYY-MM-DD; default today. Not after today, not before the records begin.
    #[serde(default)]
    day: String,
}

/// Every street's and community's five-colour level on a day, with the figures behind it.
#[utoipa::path(get, path = "/api/v1/command/risk-map", params(ApiDay),
    responses((status = 200, description = "levels by area", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn risk_map(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ApiDay>,
) -> Result<Json<risk::RiskMap>, ApiError> {
    let tables = Tables::load()?;
    let day = resolve_day(&s.app, &a, &q.day).await?;
    Ok(Json(risk::risk_map(&s.app, &a, &tables.risk, day).await?))
}

/// The precision control index of every street on a day, ranked, with its indicators
/// (null = no data, left out of the weights).
#[utoipa::path(get, path = "/api/v1/command/index", params(ApiDay),
    responses((status = 200, description = "ranking", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn index_api(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ApiDay>,
) -> Result<Json<IndexRanking>, ApiError> {
    let tables = Tables::load()?;
    let day = resolve_day(&s.app, &a, &q.day).await?;
    let inputs = risk::inputs(&s.app, &a).await?;
    Ok(Json(
        index::ranking(&s.app, &a, &tables.index, &inputs, day).await?,
    ))
}

/// The daily briefing of a day as JSON (the same document as `zhikong briefing --format json`).
#[utoipa::path(get, path = "/api/v1/command/briefing", params(ApiDay),
    responses((status = 200, description = "briefing", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn briefing_api(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<ApiDay>,
) -> Result<Json<briefing::Briefing>, ApiError> {
    Ok(Json(build_briefing(&s, &a, &q.day).await?))
}
