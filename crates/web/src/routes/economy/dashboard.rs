//! `/economy`: the commander's dashboard — the zone's indicators with growth, ranks among the
//! city's districts and historic highs, trend charts drawn on the server, the project
//! pipeline, buildings and per-mu classes — and the downloads: the annual report (html, xlsx,
//! json) and the indicator values (xlsx).

use app::economy::charts::{ChartLang, growth_chart, history_chart, months_chart};
use app::economy::dashboard::{Dashboard, dashboard};
use app::economy::report::{
    HeadlineRow, render_html, render_json, render_xlsx, report as build_report,
};
use app::{AppError, economy};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Right;
use domain::economy::GrowthBasis;
use domain::economy::project::ProjectStage;
use serde::Deserialize;

use super::entry::stage_key;
use super::fields::PeriodQuery;
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;
use crate::i18n::Lang;

/// One indicator of the zone, ready to show.
pub struct IndicatorCard {
    pub code: String,
    pub name: String,
    pub value_text: String,
    pub growth_text: String,
    /// Comparable-price growth (GDP), as reported.
    pub comparable: bool,
    pub growth_rank: String,
    pub level_rank: String,
    pub historic_high: bool,
    /// The zone's years on record, as columns (SVG); empty with fewer than three years.
    pub history_svg: String,
    /// January to each month, this year and last (SVG); empty for yearly indicators.
    pub months_svg: String,
}

/// The districts compared on one indicator, as a bar chart of growth.
pub struct RankingChart {
    pub code: String,
    pub name: String,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "economy.html")]
struct DashboardPage {
    c: Chrome,
    d: Dashboard,
    year: i32,
    through: u8,
    cards: Vec<IndicatorCard>,
    charts: Vec<RankingChart>,
    /// (text key of the stage, projects at it at the end of the period)
    pipeline: Vec<(&'static str, usize)>,
    months: Vec<u8>,
    /// (class, enterprises)
    classes: Vec<(&'static str, usize)>,
    tax_per_mu: String,
    can_edit: bool,
    query: String,
}

fn rank(rank: Option<u32>, of: u32) -> String {
    rank.map_or_else(|| "—".into(), |r| format!("{r}/{of}"))
}

fn card(i: &HeadlineRow, year: i32, lang: ChartLang, en: bool) -> IndicatorCard {
    IndicatorCard {
        code: i.code.clone(),
        name: if en { &i.name_en } else { &i.name_zh }.clone(),
        value_text: i.value_text.clone().unwrap_or_else(|| "—".into()),
        growth_text: i.growth_text.clone().unwrap_or_else(|| "—".into()),
        comparable: i.growth_basis == GrowthBasis::Comparable && i.growth_bp.is_some(),
        growth_rank: rank(i.growth_rank, i.ranked_by_growth),
        level_rank: rank(i.level_rank, i.ranked_by_level),
        historic_high: i.historic_high,
        history_svg: if i.history.len() >= 3 {
            history_chart(i, lang)
        } else {
            String::new()
        },
        months_svg: if i.months.iter().any(|m| m.value.is_some()) {
            months_chart(i, year, lang)
        } else {
            String::new()
        },
    }
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<PeriodQuery>) -> Response {
    let (year, through) = match q.parse() {
        Ok(p) => p,
        Err(e) => return v.error_page(e),
    };
    let d = match dashboard(&s.app, &v.actor, year, through).await {
        Ok(d) => d,
        Err(e) => return v.error_page(e),
    };
    let en = v.lang == Lang::En;
    let lang = if en { ChartLang::En } else { ChartLang::Zh };
    let r = &d.report;
    let cards = r
        .indicators
        .iter()
        .map(|i| card(i, r.year, lang, en))
        .collect();
    let charts = r
        .rankings
        .iter()
        .map(|k| RankingChart {
            code: k.code.clone(),
            name: if en { &k.name_en } else { &k.name_zh }.clone(),
            svg: growth_chart(k, lang),
        })
        .filter(|c| !c.svg.is_empty())
        .collect();
    let pipeline = ProjectStage::ALL
        .iter()
        .map(|s| (stage_key(*s), r.projects.pipeline[*s as usize]))
        .collect();
    let classes = ["A", "B", "C", "D"]
        .into_iter()
        .zip(r.per_mu.classes)
        .collect();
    let tax_per_mu = r.per_mu.tax_per_mu.map_or_else(
        || "—".into(),
        |t| domain::economy::quantity::format_scaled(t, 1_000_000, 1),
    );
    let page = DashboardPage {
        c: v.chrome(),
        year: r.year,
        through: r.through_month,
        query: format!("year={}&through={}", r.year, r.through_month),
        cards,
        charts,
        pipeline,
        months: (1..=12).collect(),
        classes,
        tax_per_mu,
        can_edit: v.actor.role.has(Right::EditEconomy),
        d,
    };
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(flatten)]
    period: PeriodQuery,
    format: Option<String>,
}

fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/economy/report?year=2019&format=html|xlsx|json`: the annual report (or January to
/// `through`) as a file, through the same renderers as `zhikong report economy`.
pub async fn report(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<ReportQuery>,
) -> Response {
    let (year, through) = match q.period.parse() {
        Ok(p) => p,
        Err(e) => return v.error_page(e),
    };
    let format = q.format.as_deref().unwrap_or("html");
    if !matches!(format, "html" | "xlsx" | "json") {
        return v.error_page(AppError::invalid(
            "format",
            "bad_format",
            format!("{format:?} is not one of html, xlsx, json"),
        ));
    }
    let Some(year) = year else {
        return v.error_page(AppError::invalid(
            "year",
            "required",
            "the report needs its year",
        ));
    };
    let r = match build_report(&s.app, Some(&v.actor), year, through).await {
        Ok(r) => r,
        Err(e) => return v.error_page(e),
    };
    let stem = if through == 12 {
        format!("economy-{year}")
    } else {
        format!("economy-{year}-01-{through:02}")
    };
    match format {
        "json" => download("application/json", &format!("{stem}.json"), render_json(&r)),
        "xlsx" => match render_xlsx(&r) {
            Ok(bytes) => download(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{stem}.xlsx"),
                bytes,
            ),
            Err(e) => v.error_page(e),
        },
        _ => download(
            "text/html; charset=utf-8",
            &format!("{stem}.html"),
            render_html(&r).into_bytes(),
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    from: Option<String>,
    to: Option<String>,
}

fn year_param(field: &str, text: Option<&str>) -> Result<Option<i32>, AppError> {
    PeriodQuery {
        year: text.map(str::to_owned),
        through: None,
    }
    .parse()
    .map(|(y, _)| y)
    .map_err(|e| match e {
        AppError::Invalid(mut fs) => {
            for f in &mut fs {
                field.clone_into(&mut f.field);
            }
            AppError::Invalid(fs)
        }
        other => other,
    })
}

/// `/economy/indicators.xlsx?from=2018&to=2019`: the stored values in the import's columns.
pub async fn indicators(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<ExportQuery>,
) -> Response {
    let range = year_param("from", q.from.as_deref())
        .and_then(|from| Ok((from, year_param("to", q.to.as_deref())?)));
    let (from, to) = match range {
        Ok(r) => r,
        Err(e) => return v.error_page(e),
    };
    match economy::export::export_xlsx(&s.app, Some(&v.actor), from, to).await {
        Ok(bytes) => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "indicators.xlsx",
            bytes,
        ),
        Err(e) => v.error_page(e),
    }
}
