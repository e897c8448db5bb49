//! The command centre's view: the 三率一度 of a day by street (with the map) and by sector,
//! the overdue requests and the on-time rates; supervision (督办) on demand.

use app::AppError;
use app::enterprise::electricity::{self, Disagreement};
use app::enterprise::rates::{self, RateTable};
use app::enterprise::requests::{self, OnTime};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{done, local, pct};
use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::{PageError, render};

#[derive(Debug, Default, Deserialize)]
pub struct CommandQuery {
    #[serde(default)]
    day: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise_command.html")]
struct Page {
    c: Chrome,
    table: RateTable,
    /// Per street id (as text): resumed by electricity / measured.
    by_power: std::collections::HashMap<String, (i64, i64)>,
    threshold_pct: i64,
    disagreements: Vec<Disagreement>,
    map_svg: String,
    /// Streets the map cannot draw (no boundary yet).
    without_boundary: Vec<String>,
    overdue: Vec<app::enterprise::RequestRow>,
    by_department: Vec<OnTime>,
    done: Option<String>,
}

impl Page {
    fn pct(&self, bp: &Option<i64>) -> String {
        pct(bp)
    }
    /// A street's resumption rate by electricity, with how many enterprises were measured.
    fn power(&self, key: &str) -> String {
        match self.by_power.get(key) {
            Some((resumed, measured)) => format!(
                "{} ({measured})",
                pct(&domain::enterprise::report::ratio_bp(*resumed, *measured))
            ),
            None => "—".into(),
        }
    }
    fn street(&self, id: &i64) -> String {
        let key = id.to_string();
        self.table
            .by_street
            .iter()
            .find(|l| l.key == key)
            .map_or(key, |l| l.label.clone())
    }
    fn yes_no(&self, b: &Option<bool>) -> &'static str {
        match b {
            Some(true) => "ent.yes",
            Some(false) => "ent.no",
            None => "cmd.not_reported",
        }
    }
    fn local(&self, ms: &i64) -> String {
        local(ms)
    }
    fn st(&self, word: &str) -> String {
        super::state_key(word)
    }
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<CommandQuery>) -> Response {
    let r = async {
        let day = match q.day.trim() {
            "" => s.app.today().to_string(),
            d => d.to_owned(),
        };
        let table = rates::rates(&s.app, &v.actor, &day).await?;
        let threshold_pct = domain::enterprise::report::DEFAULT_ELECTRICITY_THRESHOLD_PCT;
        let (power, disagreements) =
            electricity::compare(&s.app, &v.actor, &table.day, threshold_pct).await?;
        let by_power = power
            .iter()
            .map(|p| {
                (
                    p.street_id.to_string(),
                    (p.resumed_by_electricity, p.measured),
                )
            })
            .collect();
        let streets = rates::streets_with_boundaries(&s.app, &v.actor).await?;
        let drawn = rates::resumption_map(
            &table,
            &streets,
            v.lang.t("cmd.resumption"),
            v.lang.t("cmd.no_map"),
        );
        let (map_svg, without_boundary) = (drawn.svg, drawn.without_boundary);
        let now = domain::time::now_ms();
        let overdue = requests::overdue(&s.app, &v.actor, now, 100).await?;
        let (by_department, _) = requests::on_time(&s.app, &v.actor).await?;
        Ok::<_, AppError>(Page {
            c: v.chrome(),
            table,
            by_power,
            threshold_pct,
            disagreements,
            map_svg,
            without_boundary,
            overdue,
            by_department,
            done: q.done.clone(),
        })
    }
    .await;
    match r {
        Ok(page) => render(&page),
        Err(error) => PageError {
            chrome: v.chrome(),
            error,
        }
        .into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SuperviseForm {
    #[serde(default)]
    csrf: String,
}

pub async fn supervise(
    State(s): State<AppState>,
    v: Viewer,
    Form(f): Form<SuperviseForm>,
) -> Response {
    let r = async {
        v.check_csrf(&f.csrf)?;
        requests::supervise(&s.app, &v.actor, domain::time::now_ms()).await
    }
    .await;
    match r {
        Ok(n) => done("/command-centre", &format!("escalated-{n}")),
        Err(error) => PageError {
            chrome: v.chrome(),
            error,
        }
        .into_response(),
    }
}
