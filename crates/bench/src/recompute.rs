//! `recompute`: the zone-scale demo (360,000 persons with their declarations, check-ins and
//! codes), then one change to the risk-area list — 湖北 (420000), medium since 2020-03-25, back
//! to high — and the whole-zone bulk recompute of every code in the same transaction, timed.
//! For comparison, the same change recomputing only the persons who arrived from Hubei (what a
//! change on the page does), timed through the use case.

use std::time::Instant;

use anyhow::Context;
use app::codes::risk_areas::{self, RiskAreaEdit, RiskAreaListParams};
use serde_json::json;

/// The budget of the whole-zone recompute (issue 3).
const BUDGET_SECONDS: f64 = 5.0;

pub async fn run() -> anyhow::Result<serde_json::Value> {
    let dir = tempfile::tempdir()?;
    let store = store::Store::open_sqlite(dir.path()).await?;
    let started = Instant::now();
    let demo = app::demo::generate(&store, app::demo::Scale::Zone, 2020).await?;
    let demo_seconds = started.elapsed().as_secs_f64();
    let app = app::App::new(store.clone(), app::Settings::default())
        .load_as_of()
        .await?;
    let day = app.today();
    let admin = {
        let mut tx = store.read().await?;
        let root = tx.area_children(None).await?.into_iter().next();
        tx.rollback().await?;
        let root = root.context("the demo has a zone")?;
        app::Actor::command_line(root.id, &root.path)
    };
    let hubei = risk_areas::list(
        &app,
        &admin,
        &RiskAreaListParams {
            q: Some("420000".into()),
            level: Some("medium".into()),
            ..Default::default()
        },
    )
    .await?
    .items
    .into_iter()
    .next()
    .context("the demo lists Hubei as medium")?;

    // Whole zone: change the entry and recompute everyone, in one transaction.
    let mut tx = store.write().await?;
    tx.update_risk_area(
        hubei.id,
        "high",
        &hubei.valid_from,
        hubei.valid_to.as_deref(),
    )
    .await?;
    let timer = Instant::now();
    let all = app::codes::recompute_all(&mut tx, day, "bench").await?;
    let all_seconds = timer.elapsed().as_secs_f64();
    tx.commit().await?;

    // Affected only, through the use case: back to medium.
    let timer = Instant::now();
    let affected = risk_areas::change(
        &app,
        &admin,
        hubei.id,
        &RiskAreaEdit {
            level: "medium".into(),
            valid_from: hubei.valid_from.clone(),
            valid_to: hubei.valid_to.clone(),
        },
    )
    .await?;
    let affected_seconds = timer.elapsed().as_secs_f64();
    store.close().await;

    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    Ok(json!({
        "scenario": "recompute",
        "backend": "sqlite",
        "persons": demo.persons,
        "codes": { "green": demo.codes.green, "yellow": demo.codes.yellow, "red": demo.codes.red },
        "demo_seconds": round(demo_seconds),
        "change": "420000 medium -> high",
        "whole_zone": {
            "seconds": round(all_seconds),
            "evaluated": all.evaluated,
            "written": all.written,
            "colour_changes": all.colour_changes,
        },
        "affected_only": {
            "seconds": round(affected_seconds),
            "evaluated": affected.recompute.evaluated,
            "colour_changes": affected.recompute.colour_changes,
        },
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": all_seconds < BUDGET_SECONDS,
    }))
}
