//! `requests`: the command centre's overdue list (open requests past their deadline, most
//! overdue first, a page of 100) at 100,000 requests, through `requests::overdue`. Budget
//! 50 ms at p95. A fifth of the requests are open; half of those are past their deadline.
//! The physical reference is a page of the same size read along a plain index range (one
//! enterprise's latest 100 requests).

use std::time::Instant;

use anyhow::ensure;
use serde_json::{Value, json};
use store::NewRequest;

use crate::round;

const REQUESTS: usize = 100_000;
const ENTERPRISES: usize = 1_000;
const RUNS: usize = 60;
/// 2020-03-27 12:00 in Shanghai.
const NOW: i64 = 1_585_281_600_000;

pub async fn run() -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let (store, ids) = crate::policy_match::fixture(dir.path(), ENTERPRISES).await?;
    let hour = 3_600_000;
    let mut tx = store.write().await?;
    let mut answered = vec![];
    for i in 0..REQUESTS {
        let received = NOW - (i as i64 % 1_400) * hour;
        let id = tx
            .insert_request(&NewRequest {
                enterprise_id: ids[i % ids.len()],
                category: "logistics".into(),
                complexity: if i % 3 == 0 { "complex" } else { "simple" }.into(),
                title: "通行证".into(),
                detail: String::new(),
                level: "micro_grid".into(),
                raised_by: None,
                received_at: received,
                // Open ones: half overdue, half not yet due.
                deadline_at: if i % 10 == 0 {
                    NOW + hour
                } else {
                    received + 24 * hour
                },
            })
            .await?;
        if i % 5 != 0 {
            answered.push((id, received + 2 * hour));
        }
    }
    for (id, at) in &answered {
        tx.assign_request(*id, None, "经济发展局", *at - hour)
            .await?;
        tx.answer_request(*id, "已办理", *at).await?;
    }
    tx.commit().await?;
    let app = app::App::new(store.clone(), app::Settings::default());
    let actor = app::Actor::command_line(1, "/1/");
    let mut times = vec![];
    let mut n = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let page = app::enterprise::requests::overdue(&app, &actor, NOW, 100)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        n = page.len();
        ensure!(
            page.windows(2)
                .all(|w| w[0].deadline_at <= w[1].deadline_at),
            "not sorted"
        );
    }
    times.sort_by(f64::total_cmp);
    let mut reference = vec![];
    for _ in 0..RUNS {
        let t = Instant::now();
        let mut tx = store.read().await?;
        let page = tx.requests_of_enterprise(ids[0], 100).await?;
        tx.rollback().await?;
        reference.push(t.elapsed().as_secs_f64() * 1000.0);
        ensure!(!page.is_empty(), "reference page empty");
    }
    reference.sort_by(f64::total_cmp);
    let p95 = times[times.len() * 95 / 100];
    let mut tx = store.read().await?;
    let overdue_total = tx.overdue_requests(NOW, i64::MAX).await?.len();
    tx.rollback().await?;
    store.close().await;
    Ok(json!({
        "scenario": "requests",
        "backend": "sqlite",
        "requests": REQUESTS,
        "overdue": overdue_total,
        "page": n,
        "p50_ms": round(times[times.len() / 2], 2),
        "p95_ms": round(p95, 2),
        "reference_p50_ms": round(reference[reference.len() / 2], 2),
        "ratio": round(times[times.len() / 2] / reference[reference.len() / 2].max(1e-6), 2),
        "budget_ms": 50,
        "within_budget": p95 < 50.0,
    }))
}
