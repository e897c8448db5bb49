//! `map` and `briefing`: the command centre at zone scale (the whole zone demo: 360,000
//! persons, the outbreak's cases and scans, codes, enterprises), on the demo's day.
//!
//! - `map`: every street's and community's five-colour level computed from the records and
//!   both maps (streets, communities) drawn as SVG — budget 200 ms (p95 of 20 runs). The rest
//!   of the dashboard (the index ranking and the day's figures) is timed beside it, and the
//!   index page's fourteen-day trend.
//! - `briefing`: one day's briefing assembled and rendered as JSON, HTML and xlsx — budget
//!   2 s (p95 of 5 runs, all three formats).
//!
//! The zone demo is generated once into `target/bench-command` and reused.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use app::command::briefing::{self, Format};
use app::command::risk::{self, MapText};
use app::command::{Tables, dashboard, index};
use serde_json::{Value, json};

use crate::round;

async fn zone_app() -> anyhow::Result<(app::App, app::Actor)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-command");
    let store = store::Store::open_sqlite(&dir).await?;
    let persons = app::stats::stats(&app::App::new(store.clone(), app::Settings::default()))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?["persons"]
        .as_i64()
        .unwrap_or(0);
    if persons == 0 {
        eprintln!(
            "generating the zone-scale demo in {} (once)…",
            dir.display()
        );
        app::demo::generate(&store, app::demo::Scale::Zone, 2020)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("zone demo")?;
    }
    let app = app::App::new(store, app::Settings::default())
        .load_as_of()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = app.store.read().await?;
    let root = tx
        .area_children(None)
        .await?
        .into_iter()
        .next()
        .context("no zone")?;
    tx.rollback().await?;
    Ok((app.clone(), app::Actor::command_line(root.id, &root.path)))
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn e(x: app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{x}")
}

pub async fn map() -> anyhow::Result<Value> {
    let (app, actor) = zone_app().await?;
    let tables = Tables::defaults();
    let day = app.today();
    let text = MapText {
        title: "五色图",
        empty: "",
        en: false,
    };
    let mut times = vec![];
    let mut index_times = vec![];
    let mut areas = 0;
    let mut svg_bytes = 0;
    for _ in 0..20 {
        let started = Instant::now();
        let inputs = risk::inputs(&app, &actor).await.map_err(e)?;
        let m = risk::assess_all(&inputs, &tables.risk, day);
        let streets = risk::draw(&m, &inputs.areas, "street", &text);
        let communities = risk::draw(&m, &inputs.areas, "community", &text);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        areas = m.areas.len();
        svg_bytes = streets.svg.len() + communities.svg.len();
        // The rest of the `/command` page: the day's reads once, then the index ranking and
        // the headline figures from them, as the page makes them.
        let started = Instant::now();
        let reads = dashboard::DayReads::load(&app, day).await.map_err(e)?;
        tokio::try_join!(
            index::ranking_with(&app, &actor, &tables.index, &inputs, &reads),
            dashboard::figures_with(&app, &actor, &inputs, &reads),
        )
        .map_err(e)?;
        index_times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    // The `/command/index` page: fourteen days of every street's index for the trend.
    let mut trend_times = vec![];
    for _ in 0..3 {
        let started = Instant::now();
        let inputs = risk::inputs(&app, &actor).await.map_err(e)?;
        index::trend(&app, &actor, &tables.index, &inputs, day, 14)
            .await
            .map_err(e)?;
        trend_times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let p95 = percentile(times.clone(), 0.95);
    Ok(json!({
        "scenario": "map",
        "backend": "sqlite",
        "day": day.to_string(),
        "areas": areas,
        "svg_bytes": svg_bytes,
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(p95, 1),
        "dashboard_rest_p50_ms": round(percentile(index_times.clone(), 0.5), 1),
        "dashboard_rest_p95_ms": round(percentile(index_times, 0.95), 1),
        "index_trend_14_days_p50_ms": round(percentile(trend_times, 0.5), 1),
        "budget_ms": 200,
        "within_budget": p95 < 200.0,
    }))
}

pub async fn briefing() -> anyhow::Result<Value> {
    let (app, actor) = zone_app().await?;
    let tables = Tables::defaults();
    let day = app.today();
    let mut times = vec![];
    let mut build_times = vec![];
    let mut sizes = [0usize; 3];
    let mut headline = json!(null);
    for _ in 0..5 {
        let started = Instant::now();
        let b = briefing::build(&app, &actor, &tables, day)
            .await
            .map_err(e)?;
        build_times.push(started.elapsed().as_secs_f64() * 1000.0);
        for (k, f) in [Format::Json, Format::Html, Format::Xlsx]
            .into_iter()
            .enumerate()
        {
            sizes[k] = briefing::render(&b, f).map_err(e)?.len();
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        headline = json!({
            "days_without_new_confirmed": b.days_without_new_confirmed,
            "screened_cumulative": b.screened_cumulative,
            "quarantine_cumulative": b.quarantine_cumulative,
            "quarantine_current": b.quarantine_current,
        });
    }
    let parts = parts(&app, &actor, &tables, day).await?;
    let p95 = percentile(times.clone(), 0.95);
    Ok(json!({
        "scenario": "briefing",
        "parts_ms": parts,
        "backend": "sqlite",
        "day": day.to_string(),
        "figures": headline,
        "bytes": { "json": sizes[0], "html": sizes[1], "xlsx": sizes[2] },
        "build_p50_ms": round(percentile(build_times, 0.5), 1),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(p95, 1),
        "budget_ms": 2000,
        "within_budget": p95 < 2000.0,
    }))
}

/// Where a briefing's time goes: each read the build makes, timed alone (ms, one run each after
/// the timed runs, so caches are as warm as in them), with the straightforward reads the fast
/// ones replaced (`reference_*`) beside them.
async fn parts(
    app: &app::App,
    actor: &app::Actor,
    tables: &Tables,
    day: chrono::NaiveDate,
) -> anyhow::Result<Value> {
    let mut out = serde_json::Map::new();
    let mut time = |k: &str, started: Instant| {
        out.insert(
            k.into(),
            json!(round(started.elapsed().as_secs_f64() * 1000.0, 1)),
        );
    };
    let t = Instant::now();
    let inputs = risk::inputs(app, actor).await.map_err(e)?;
    time("inputs", t);
    let t = Instant::now();
    app::command::first_day(app).await.map_err(e)?;
    time("first_day", t);
    let t = Instant::now();
    index::ranking(app, actor, &tables.index, &inputs, day)
        .await
        .map_err(e)?;
    time("index_ranking", t);
    let t = Instant::now();
    let b = dashboard::figures(app, actor, &inputs, day)
        .await
        .map_err(e)?;
    time("figures_today", t);
    let t = Instant::now();
    dashboard::figures(app, actor, &inputs, day - chrono::Days::new(1))
        .await
        .map_err(e)?;
    time("figures_yesterday", t);
    let t = Instant::now();
    app::quarantine::figures(app, actor, day).await.map_err(e)?;
    time("quarantine_figures", t);
    let t = Instant::now();
    app::quarantine::overdue_follow_ups(app, actor, day)
        .await
        .map_err(e)?;
    app::quarantine::ending_on(app, actor, day)
        .await
        .map_err(e)?;
    time("quarantine_decisions", t);
    let d = day.to_string();
    let until = app::command::end_of_day(day);
    let mut tx = app.store.read().await?;
    let t = Instant::now();
    tx.code_colours_by_street(&d).await?;
    time("code_colours_today", t);
    let t = Instant::now();
    tx.code_colours_by_street(&(day - chrono::Days::new(1)).to_string())
        .await?;
    time("code_colours_yesterday", t);
    let t = Instant::now();
    tx.code_colours_by_street_reference(&d).await?;
    time("reference_code_colours", t);
    let t = Instant::now();
    tx.screened_before(until).await?;
    time("screened", t);
    let t = Instant::now();
    tx.screened_before_reference(until).await?;
    time("reference_screened", t);
    let t = Instant::now();
    let today = store::shanghai_day_number(until - 1);
    tx.scans_per_day(today, today + 1).await?;
    time("scans_per_day", t);
    let t = Instant::now();
    tx.scans_per_day_reference(until - 86_400_000, until)
        .await?;
    time("reference_scans_per_day", t);
    tx.rollback().await?;
    let full = briefing::build(app, actor, tables, day).await.map_err(e)?;
    for (k, f) in [
        ("render_json", Format::Json),
        ("render_html", Format::Html),
        ("render_xlsx", Format::Xlsx),
    ] {
        let t = Instant::now();
        briefing::render(&full, f).map_err(e)?;
        time(k, t);
    }
    drop(b);
    Ok(Value::Object(out))
}
