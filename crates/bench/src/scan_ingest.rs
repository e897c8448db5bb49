//! `scan-ingest`: scans per second through `POST /api/v1/scans` (batches of 1,000 valid ZK1
//! codes of demo persons, sent from a loopback client by a few devices at once), into SQLite
//! and into PostgreSQL; in the same run, on the same database, the physical reference: the
//! store's multi-row insert of rows of the same shape, with no HTTP, JSON, verification or
//! lookups. Every reply is checked (all accepted) and the stored count must equal what was sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, ensure};
use credential::Claims;
use credential::chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use store::{NewScan, Store};

use crate::round;

/// Scans per batch: the API's limit, what a device flushing its queue sends.
const BATCH: usize = 1_000;
/// Batches per backend (100,000 scans).
const BATCHES: usize = 100;
/// Distinct persons whose codes are scanned (each code is still verified at every scan).
const HOLDERS: i64 = 2_000;
/// Devices uploading at once: verification of one batch overlaps the insert of another.
const DEVICES: usize = 4;
/// The goal over HTTP into SQLite (issue 4).
const GOAL_PER_SECOND: f64 = 20_000.0;

pub async fn run() -> anyhow::Result<Value> {
    let sqlite = {
        let dir = tempfile::tempdir()?;
        let store = Store::open_sqlite(dir.path()).await?;
        let r = measure(store.clone(), dir.path()).await;
        store.close().await;
        r?
    };
    let postgres = match testkit::PgCluster::shared() {
        Some(cluster) => {
            let url = cluster.create_database(&format!("bench_scans_{}", std::process::id()));
            let dir = tempfile::tempdir()?;
            let store = Store::connect(&url).await?;
            let r = measure(store.clone(), dir.path()).await;
            store.close().await;
            r?
        }
        None => json!({"skipped": "no PostgreSQL binaries found (initdb, pg_ctl)"}),
    };
    let http = sqlite["http_scans_per_second"].as_f64().unwrap_or(0.0);
    Ok(json!({
        "scenario": "scan-ingest",
        "scans_per_backend": BATCH * BATCHES,
        "batch": BATCH,
        "devices": DEVICES,
        "sqlite": sqlite,
        "postgres": postgres,
        "goal_http_sqlite_per_second": GOAL_PER_SECOND,
        "within_goal": http >= GOAL_PER_SECOND,
    }))
}

/// A valid code and who holds it.
struct Held {
    person_id: i64,
    code: String,
    colour: String,
}

async fn measure(store: Store, dir: &std::path::Path) -> anyhow::Result<Value> {
    app::demo::generate(&store, app::demo::Scale::Small, 2020)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let keys = app::keys::KeyRing::load_or_create(&dir.join("keys"), app::codes::default_ttl())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let issued_at = Utc::now();
    let held = codes(&store, &keys, issued_at).await?;
    ensure!(!held.is_empty(), "the demo has no health codes to scan");
    let app = app::App::new(store.clone(), app::Settings::default())
        .load_as_of()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_keys(keys);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(web::serve(app, listener));
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": "commander", "password": app::demo::DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("login")?.to_owned();
    let list: Value = http
        .get(format!("{base}/api/v1/checkpoints"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let checkpoints: Vec<i64> = list
        .as_array()
        .context("checkpoint list")?
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    ensure!(!checkpoints.is_empty(), "the demo has no checkpoints");
    // The demo holds its own 2020 scans: count what the run adds to them.
    let before = stored(&store).await?;

    // Bodies are built before the clock starts: the client's JSON is not the server's work.
    // Scan times are one second after the codes were issued and before the server's clock.
    let at = (issued_at + TimeDelta::seconds(1)).to_rfc3339();
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..BATCHES)
            .map(|b| {
                let scans: Vec<Value> = (0..BATCH)
                    .map(|i| {
                        let n = b * BATCH + i;
                        let h = &held[n % held.len()];
                        json!({
                            "event_id": format!("bench-{b}-{i}"),
                            "checkpoint_id": checkpoints[n % checkpoints.len()],
                            "at": at,
                            "code": h.code,
                            "temperature": 36.0 + (n % 12) as f64 / 10.0,
                            "direction": if n.is_multiple_of(2) { "in" } else { "out" },
                        })
                    })
                    .collect();
                serde_json::to_vec(&json!({ "scans": scans })).unwrap_or_default()
            })
            .collect(),
    );

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut devices = vec![];
    for _ in 0..DEVICES {
        let (http, base, token, bodies, next) = (
            http.clone(),
            base.clone(),
            token.clone(),
            bodies.clone(),
            next.clone(),
        );
        devices.push(tokio::spawn(async move {
            let mut accepted = 0usize;
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(b) else {
                    break;
                };
                let res = http
                    .post(format!("{base}/api/v1/scans"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await?;
                let status = res.status();
                let reply: Value = res.json().await?;
                ensure!(status.is_success(), "batch {b}: {status} {reply}");
                let n = reply["accepted"].as_u64().unwrap_or(0) as usize;
                ensure!(
                    n == BATCH,
                    "batch {b}: accepted {n} of {BATCH}: {}",
                    reply["items"]
                        .as_array()
                        .and_then(|i| i.iter().find(|i| i["status"] != "accepted"))
                        .cloned()
                        .unwrap_or_default()
                );
                accepted += n;
            }
            anyhow::Ok(accepted)
        }));
    }
    let mut accepted = 0;
    for d in devices {
        accepted += d.await??;
    }
    let http_seconds = started.elapsed().as_secs_f64();
    server.abort();
    let sent = BATCH * BATCHES;
    let stored_http = stored(&store).await? - before;
    ensure!(
        accepted == sent && stored_http == sent as i64,
        "sent {sent}, accepted {accepted}, stored {stored_http}"
    );

    // The reference: the same number of rows, same shape, same transaction size, written
    // straight through the store's multi-row insert (the one ingest uses).
    let fingerprint = "0".repeat(64);
    let rows: Vec<NewScan> = (0..sent)
        .map(|n| {
            let h = &held[n % held.len()];
            NewScan {
                checkpoint_id: checkpoints[n % checkpoints.len()],
                event_id: format!("raw-{n}"),
                at: issued_at.timestamp_millis() + 1_000,
                person_id: Some(h.person_id),
                method: "code".into(),
                direction: if n.is_multiple_of(2) { "in" } else { "out" }.into(),
                temperature: Some(36.0 + (n % 12) as f64 / 10.0),
                colour: Some(h.colour.clone()),
                decision: "pass".into(),
                reason: "green".into(),
                fingerprint: fingerprint.clone(),
            }
        })
        .collect();
    let started = Instant::now();
    for batch in rows.chunks(BATCH) {
        let mut tx = store.write().await?;
        let inserted = tx
            .insert_scans(batch, Utc::now().timestamp_millis())
            .await?;
        ensure!(inserted.len() == batch.len(), "raw insert lost rows");
        tx.commit().await?;
    }
    let raw_seconds = started.elapsed().as_secs_f64();
    let stored_all = stored(&store).await? - before;
    ensure!(
        stored_all == 2 * sent as i64,
        "raw insert: stored {stored_all}"
    );

    let http_rate = sent as f64 / http_seconds;
    let raw_rate = sent as f64 / raw_seconds;
    Ok(json!({
        "backend": format!("{:?}", store.backend()).to_lowercase(),
        "codes": held.len(),
        "http_seconds": round(http_seconds, 2),
        "http_scans_per_second": http_rate.round(),
        "raw_insert_seconds": round(raw_seconds, 2),
        "raw_insert_per_second": raw_rate.round(),
        "ratio_http_to_raw": round(http_rate / raw_rate, 3),
        "stored": stored_http,
        "lost": sent as i64 - stored_http,
    }))
}

/// Sign a ZK1 code for each of the first `HOLDERS` persons with a code record, as the
/// resident's page would (reference, colour and since of the record).
async fn codes(
    store: &Store,
    keys: &app::keys::KeyRing,
    now: credential::chrono::DateTime<Utc>,
) -> anyhow::Result<Vec<Held>> {
    let mut tx = store.read().await?;
    let mut out = vec![];
    for person_id in 1..=HOLDERS {
        let Some(row) = tx.health_code(person_id).await? else {
            continue;
        };
        let person = tx.person(person_id).await?;
        let (Ok(colour), Ok(since), Ok(name)) = (
            row.colour.parse(),
            row.since.parse(),
            domain::PersonName::parse(&person.name),
        ) else {
            continue;
        };
        let claims = Claims::new(app::codes::ISSUER, row.r#ref, colour, since, &name);
        out.push(Held {
            person_id,
            code: credential::issue(keys.signing_key(), &claims, now, keys.ttl)?,
            colour: row.colour,
        });
    }
    tx.rollback().await?;
    Ok(out)
}

/// The scans stored, counted over the rows themselves; the per-day counts the writers keep
/// must agree.
async fn stored(store: &Store) -> anyhow::Result<i64> {
    let mut tx = store.read().await?;
    let n = tx.count_raw_for_tests("SELECT COUNT(*) FROM scans").await?;
    let kept = tx.scan_counts().await?.total;
    tx.rollback().await?;
    anyhow::ensure!(n == kept, "{n} scans stored but {kept} counted per day");
    Ok(n)
}
