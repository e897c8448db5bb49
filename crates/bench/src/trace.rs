//! `trace`: the latency of tracing one case — close contacts, then secondary contacts, stored
//! and sent through the code engine — over 14 days at 300,000 scans a day, on the zone-scale
//! demo (360,000 persons). Budget: p95 under 200 ms.
//!
//! The scans are the zone demo's own (`app::demo`: routines over all checkpoints — a home gate,
//! a factory or park gate for workers, shops for errands — outsiders' arrivals, and the last
//! 14 days at about 300,000 a day), generated once into a database kept under
//! `target/bench-trace`; each run works on a copy, so every traced case is traced for the
//! first time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, ensure};
use app::cases::CaseInput;
use app::tracing::TraceInput;
use serde_json::{Value, json};
use store::Store;

use crate::round;

const SCANS_PER_DAY: u64 = 300_000;
/// The zone's own residents, written first by the demo.
const ZONE_RESIDENTS: i64 = 360_000;
/// Cases traced (each a different person), for the percentiles.
const CASES: usize = 12;
const BUDGET_P95_MS: f64 = 200.0;
pub async fn run() -> anyhow::Result<Value> {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-trace");
    let generation = prepare(&base).await?;
    let work = tempfile::tempdir()?;
    for file in ["zhikong.db", "zhikong.db-wal", "zhikong.db-shm"] {
        if base.join(file).exists() {
            std::fs::copy(base.join(file), work.path().join(file))
                .with_context(|| format!("copy {file}"))?;
        }
    }
    let store = Store::open_sqlite(work.path()).await?;
    let app = app::App::new(store.clone(), app::Settings::default())
        .load_as_of()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let reported = app.today();
    let admin = admin(&store).await?;
    let persons = person_count(&app).await?;

    let mut millis = vec![];
    let mut search_millis = vec![];
    let (mut close, mut secondary, mut changed, mut read) = (vec![], vec![], vec![], vec![]);
    for i in 0..CASES {
        // Spread over the zone's residents (ids 1–360,000; the outsiders come after them),
        // skipping the first (the demo's named accounts).
        let residents = persons.min(ZONE_RESIDENTS);
        let person_id = 1_000 + (i as i64) * (residents - 2_000).max(1) / CASES as i64;
        let case = app::cases::create(
            &app,
            &admin,
            &CaseInput {
                person_id,
                kind: "confirmed".into(),
                origin: "local".into(),
                reported_on: reported.to_string(),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("case for person {person_id}: {e}"))?;
        let t = Instant::now();
        let r = app::tracing::trace(&app, &admin, case.id, &TraceInput::default())
            .await
            .map_err(|e| anyhow::anyhow!("trace case {}: {e}", case.id))?;
        millis.push(t.elapsed().as_secs_f64() * 1000.0);
        search_millis.push(r.search_millis as f64);
        close.push(r.close as f64);
        secondary.push(r.secondary as f64);
        changed.push(r.changed as f64);
        read.push(r.scans_read as f64);
    }
    store.close().await;
    let p95 = percentile(&mut millis, 0.95);
    Ok(json!({
        "scenario": "trace",
        "backend": "sqlite",
        "persons": persons,
        "scans": generation["scans"],
        "scans_per_day": SCANS_PER_DAY,
        "generation": generation,
        "cases": CASES,
        "p50_ms": round(percentile(&mut millis, 0.5), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(percentile(&mut millis, 1.0), 1),
        "search_p95_ms": round(percentile(&mut search_millis, 0.95), 1),
        "close_median": percentile(&mut close, 0.5),
        "secondary_median": percentile(&mut secondary, 0.5),
        "recomputed_median": percentile(&mut changed, 0.5),
        "scans_read_median": percentile(&mut read, 0.5),
        "budget_p95_ms": BUDGET_P95_MS,
        "within_budget": p95 < BUDGET_P95_MS,
    }))
}

fn percentile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

async fn admin(store: &Store) -> anyhow::Result<app::Actor> {
    let mut tx = store.read().await?;
    let root = tx.area_children(None).await?.into_iter().next();
    tx.rollback().await?;
    let root = root.context("the demo has a zone")?;
    Ok(app::Actor::command_line(root.id, &root.path))
}

async fn person_count(app: &app::App) -> anyhow::Result<i64> {
    Ok(app::stats::stats(app)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?["persons"]
        .as_i64()
        .unwrap_or(0))
}

/// The base database: the zone demo, made once. Its scans are the demo's own — people's
/// routines over all 227 checkpoints (home gates, workplaces, errands), the outsiders'
/// arrivals, and the last 14 days at about 300,000 a day — so the traced period is the
/// demo's full screening.
async fn prepare(dir: &Path) -> anyhow::Result<Value> {
    let store = Store::open_sqlite(dir).await?;
    let app = app::App::new(store.clone(), app::Settings::default());
    let mut generated = None;
    if person_count(&app).await? == 0 {
        eprintln!(
            "generating the zone-scale demo in {} (once)…",
            dir.display()
        );
        let started = Instant::now();
        app::demo::generate(&store, app::demo::Scale::Zone, 2020)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        generated = Some(round(started.elapsed().as_secs_f64(), 1));
    }
    let mut tx = store.read().await?;
    let scans = tx.scan_counts().await?.total;
    tx.rollback().await?;
    ensure!(scans > 0, "the demo has no scans");
    store.close().await;
    Ok(json!({"scans": scans, "demo_seconds": generated, "reused": generated.is_none()}))
}
