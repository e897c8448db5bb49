//! `economy-report`: the annual economic report of 2019 over the demo's records, in all three
//! formats, as `zhikong report economy` and the dashboard's downloads make it: the report read
//! and computed from the database (figures, ranks, highs, projects, buildings, per-mu), then
//! rendered as JSON, HTML with its SVG charts, and xlsx. The median of several runs, each
//! part timed on its own; the budget is for the whole (one report, three files).

use std::time::Instant;

use anyhow::ensure;
use app::economy::report::{annual, render_html, render_json, render_xlsx};
use serde_json::{Value, json};

use crate::round;

const RUNS: usize = 15;
const YEAR: i32 = 2019;

pub async fn run() -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let store = store::Store::open_sqlite(dir.path()).await?;
    let demo = app::economy::demo::generate(&store, 2020)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let app = app::App::new(store.clone(), app::Settings::default());

    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let (mut build, mut json_ms, mut html_ms, mut xlsx_ms, mut total) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut sizes = (0, 0, 0);
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let r = annual(&app, None, YEAR)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        build.push(ms(t0));
        let t = Instant::now();
        let j = render_json(&r);
        json_ms.push(ms(t));
        let t = Instant::now();
        let h = render_html(&r);
        html_ms.push(ms(t));
        let t = Instant::now();
        let x = render_xlsx(&r).map_err(|e| anyhow::anyhow!("{e}"))?;
        xlsx_ms.push(ms(t));
        total.push(ms(t0));
        // The figures must be the work report's, or the timing is of something else.
        ensure!(
            r.summary.contains("全年GDP可比增长7%"),
            "unexpected report: {}",
            r.summary
        );
        sizes = (j.len(), h.len(), x.len());
    }
    store.close().await;
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        round(v[v.len() / 2], 2)
    };
    let total_ms = median(&mut total);
    Ok(json!({
        "scenario": "economy-report",
        "backend": "sqlite",
        "year": YEAR,
        "values": demo.values,
        "projects": demo.projects,
        "buildings": demo.buildings,
        "enterprises": demo.enterprises,
        "runs": RUNS,
        "build_ms": median(&mut build),
        "json_ms": median(&mut json_ms),
        "html_ms": median(&mut html_ms),
        "xlsx_ms": median(&mut xlsx_ms),
        "total_ms": total_ms,
        "max_total_ms": round(total.iter().copied().fold(0.0, f64::max), 2),
        "bytes": {"json": sizes.0, "html": sizes.1, "xlsx": sizes.2},
        "budget_ms": 1000,
        "within_budget": total_ms < 1000.0,
    }))
}
