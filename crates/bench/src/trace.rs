//! `trace`: the latency of tracing one case — close contacts, then secondary contacts, stored
//! and sent through the code engine — over 14 days at 300,000 scans a day, on the zone-scale
//! demo (360,000 persons). Budget: p95 under 200 ms.
//!
//! The scans are generated for the benchmark (not through the API: 4.5 million rows would take
//! minutes of verification) with the store's bulk insert, once, into a database kept under
//! `target/bench-trace`; each run works on a copy, so every traced case is traced for the
//! first time. People keep routines: each person has a home and a work checkpoint and usual
//! times (±10 minutes a day), and scans on about 5 days in 12, out in the morning and back in
//! the evening — so a case meets the same neighbours again, as in life.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, ensure};
use app::cases::CaseInput;
use app::tracing::TraceInput;
use credential::chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use store::{NewScan, Store};

use crate::round;

const SCANS_PER_DAY: u64 = 300_000;
/// Cases traced (each a different person), for the percentiles.
const CASES: usize = 12;
const BUDGET_P95_MS: f64 = 200.0;
/// Asia/Shanghai is UTC+8 all year (no daylight saving since 1991).
const SHANGHAI_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// A fixed mix of (person, salt) to a well-spread number: the scans are a pure function of
/// the person and the day, so every run and machine traces the same contacts.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn local_midnight_ms(day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (day - epoch).num_days() * DAY_MS - SHANGHAI_OFFSET_MS
}

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
        // Spread over the zone's persons, skipping the first (the demo's named accounts).
        let person_id = 1_000 + (i as i64) * (persons - 2_000).max(1) / CASES as i64;
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

/// The base database: the zone demo plus 15 days of scans (the traced period is the report
/// day and the 14 before it), made once.
async fn prepare(dir: &Path) -> anyhow::Result<Value> {
    let store = Store::open_sqlite(dir).await?;
    let app = app::App::new(store.clone(), app::Settings::default());
    if person_count(&app).await? == 0 {
        eprintln!(
            "generating the zone-scale demo in {} (once)…",
            dir.display()
        );
        app::demo::generate(&store, app::demo::Scale::Zone, 2020)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let app = app.load_as_of().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let persons = person_count(&app).await?;
    let existing = {
        let mut tx = store.read().await?;
        let n = tx.scan_counts().await?.total;
        tx.rollback().await?;
        n
    };
    if existing > 0 {
        store.close().await;
        return Ok(json!({"scans": existing, "seconds": null, "reused": true}));
    }
    let admin = admin(&store).await?;
    let checkpoints: Vec<i64> = app::checkpoints::list(&app, &admin, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .map(|c| c.id)
        .collect();
    ensure!(
        !checkpoints.is_empty() && persons > 0,
        "the demo has no checkpoints or persons"
    );
    eprintln!("generating 15 days of scans at {SCANS_PER_DAY}/day (once)…");
    let started = Instant::now();
    let k = checkpoints.len() as u64;
    let n = persons as u64;
    // A person scans on a day with probability SCANS_PER_DAY / 2 / persons, twice.
    let threshold = (SCANS_PER_DAY / 2).min(n);
    let last = app.today();
    let mut total = 0u64;
    for back in (0..=14).rev() {
        let day = last - Duration::days(back);
        let d = back as u64;
        let midnight = local_midnight_ms(day);
        let mut rows = Vec::with_capacity(SCANS_PER_DAY as usize + 1_000);
        for p in 1..=n {
            if mix(p, 1_000 + d) % n >= threshold {
                continue;
            }
            let home = checkpoints[(mix(p, 1) % k) as usize];
            let work = checkpoints[(mix(p, 2) % k) as usize];
            let out_min = 360 + (mix(p, 3) % 600) as i64; // 06:00–16:00
            let back_min = out_min + 480 + (mix(p, 4) % 120) as i64; // 8–10 hours later
            for (leg, (cp, minute, direction)) in [(home, out_min, "out"), (work, back_min, "in")]
                .into_iter()
                .enumerate()
            {
                let jitter = (mix(p, 10 * d + leg as u64 + 7) % 1_200) as i64 - 600;
                let at = (midnight + minute * 60_000 + jitter * 1_000).min(midnight + DAY_MS - 1);
                rows.push(NewScan {
                    checkpoint_id: cp,
                    event_id: format!("t{d}-{p}-{leg}"),
                    at,
                    person_id: Some(p as i64),
                    method: "code".into(),
                    direction: direction.into(),
                    temperature: Some(36.5),
                    colour: Some("green".into()),
                    decision: "pass".into(),
                    reason: "green".into(),
                    fingerprint: "bench".into(),
                });
            }
        }
        total += rows.len() as u64;
        let mut tx = store.write().await?;
        tx.insert_scans_unchecked(&rows, midnight + DAY_MS).await?;
        tx.commit().await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    store.close().await;
    Ok(json!({
        "scans": total,
        "seconds": round(seconds, 1),
        "rows_per_second": (total as f64 / seconds).round(),
        "reused": false,
    }))
}
