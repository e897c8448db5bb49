//! The benchmark program: `cargo run --release -p bench -- <scenario>…`, one JSON line per
//! scenario on standard output. Timings live here, not in tests: this machine is shared.
//!
//! Scenarios:
//! - `demo-zone`: generate the zone-scale demo (360,000 persons) into a fresh SQLite database.
//! - `people-list`: 200 people-list requests over HTTP against the zone-scale demo, p50/p95,
//!   with `/healthz` on the same server as the physical reference (ratio = list / health).
//! - `verify`: ZK1 verifications per second on one thread, with bare ES256 (ring) verifications
//!   of the same key as the physical reference (ratio = ZK1 / ES256, goal ≥ 0.85).
//! - `issue`: credentials signed, encoded and rendered to SVG per second.
//! - `economy-report`: the 2019 annual economic report over the demo's records, in JSON, HTML
//!   and xlsx.
//! - `recompute`: the zone-scale demo, one risk-area change, the bulk recompute of all 360,000
//!   codes (budget 5 s), and of the affected persons only.
//! - `scan-ingest`: scans per second through the HTTP batch API into SQLite and PostgreSQL,
//!   with the store's raw multi-row insert of the same rows as the physical reference.
//! - `policy-match`: 免申即享 matching of the 26-policy catalog over 10,000 enterprises
//!   (budget 1 s), with the rules' evaluation alone in memory as the reference.
//! - `requests`: the overdue list at 100,000 requests, p95 (budget 50 ms).
//! - `map`: the five-colour levels of every street and community on the demo's day and both
//!   maps drawn as SVG at zone scale (budget 200 ms); the index ranking timed beside it.
//! - `briefing`: the daily briefing of the demo's day in JSON, HTML and xlsx (budget 2 s).
//! - `followup`: one day's follow-up checks for 10,000 people in quarantine (budget 1 s).
//! - `trace`: p95 latency of tracing one case (close and secondary contacts) over 14 days at
//!   300,000 scans a day (budget 200 ms).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::json;

mod command;
mod economy_report;
mod followup;
mod people_list;
mod policy_match;
mod recompute;
mod requests;
mod scan_ingest;
mod trace;
mod verify;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let scenarios: Vec<String> = std::env::args().skip(1).collect();
    if scenarios.is_empty() {
        bail!(
            "usage: bench <scenario>…  (demo-zone, people-list, verify, issue, economy-report, recompute, scan-ingest, trace, policy-match, requests, map, briefing, followup, all)"
        );
    }
    for s in expand(&scenarios)? {
        let line = match s {
            "demo-zone" => demo_zone().await?,
            "people-list" => people_list::run(&zone_database().await?).await?,
            "verify" => verify::verify()?,
            "issue" => verify::issue()?,
            "economy-report" => economy_report::run().await?,
            "recompute" => recompute::run().await?,
            "scan-ingest" => scan_ingest::run().await?,
            "trace" => trace::run().await?,
            "policy-match" => policy_match::run().await?,
            "requests" => requests::run().await?,
            "map" => command::map().await?,
            "briefing" => command::briefing().await?,
            "followup" => followup::run().await?,
            _ => unreachable!("checked by expand"),
        };
        println!("{line}");
    }
    Ok(())
}

fn expand(args: &[String]) -> anyhow::Result<Vec<&'static str>> {
    const ALL: [&str; 13] = [
        "demo-zone",
        "people-list",
        "verify",
        "issue",
        "economy-report",
        "recompute",
        "scan-ingest",
        "trace",
        "policy-match",
        "requests",
        "map",
        "briefing",
        "followup",
    ];
    let mut out = vec![];
    for a in args {
        match a.as_str() {
            "all" => out.extend(ALL),
            other => match ALL.iter().find(|s| **s == other) {
                Some(s) => out.push(*s),
                None => bail!("unknown scenario {other:?}; known: {}", ALL.join(", ")),
            },
        }
    }
    Ok(out)
}

async fn demo_zone() -> anyhow::Result<serde_json::Value> {
    let dir = tempfile::tempdir()?;
    let store = store::Store::open_sqlite(dir.path()).await?;
    let started = Instant::now();
    let report = app::demo::generate(&store, app::demo::Scale::Zone, 2020).await?;
    let secs = started.elapsed().as_secs_f64();
    let rows = report.areas + report.persons + report.checkpoints + report.users;
    store.close().await;
    Ok(json!({
        "scenario": "demo-zone",
        "backend": "sqlite",
        "persons": report.persons,
        "rows": rows,
        "seconds": round(secs, 2),
        "rows_per_second": (rows as f64 / secs).round(),
        "quarantine": {
            "cumulative": report.quarantine.cumulative,
            "current": report.quarantine.current,
            "seconds": round(report.quarantine.millis as f64 / 1000.0, 2),
        },
        "budget_seconds": 120,
        "within_budget": secs < 120.0,
    }))
}

/// A zone-scale SQLite database kept under target/ between runs (generated on first use).
async fn zone_database() -> anyhow::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-zone");
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
    store.close().await;
    Ok(dir)
}

pub fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}
