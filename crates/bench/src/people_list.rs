//! `people-list`: the server time of the people list at zone scale, as a client sees it over
//! loopback HTTP, for a commander (the whole zone) and a community worker (one community):
//! first pages, deep keyset pages, name-prefix searches and exact ID searches.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

use crate::round;

const REQUESTS: usize = 200;

pub async fn run(dir: &Path) -> anyhow::Result<Value> {
    let store = store::Store::open_sqlite(dir).await?;
    let app = app::App::new(store, app::Settings::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(web::serve(app, listener));
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");

    let mut tokens = vec![];
    for user in ["commander", "community_worker"] {
        let res: Value = http
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"username": user, "password": app::demo::DEMO_PASSWORD}))
            .send()
            .await?
            .json()
            .await?;
        tokens.push(res["token"].as_str().unwrap_or_default().to_owned());
    }

    // A mix of what officers do: open the list, page deep, search by surname, look up an ID.
    let first: Value = http
        .get(format!("{base}/api/v1/people?limit=500"))
        .bearer_auth(&tokens[0])
        .send()
        .await?
        .json()
        .await?;
    let deep_cursor = first["next"].as_str().unwrap_or("").to_owned();
    let full_id = {
        let id = first["items"][0]["id"].as_i64().unwrap_or(1);
        let mut tx = dir_store(dir).await?.read().await?;
        tx.person(id).await?.id_number.unwrap_or_default()
    };
    let queries = [
        "/api/v1/people".to_owned(),
        format!("/api/v1/people?after={deep_cursor}"),
        "/api/v1/people?q=%E7%8E%8B".to_owned(), // 王
        "/api/v1/people?q=%E5%BC%A0%E4%BC%9F&sort=name".to_owned(), // 张伟
        format!("/api/v1/people?q={full_id}"),
        "/api/v1/people?category=foreign".to_owned(),
        "/api/v1/people?sort=name".to_owned(),
    ];

    let mut list = Vec::with_capacity(REQUESTS);
    let mut health = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        let token = &tokens[i % 2];
        let path = &queries[i % queries.len()];
        let t = Instant::now();
        let res = http
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await?;
        let ok = res.status().is_success();
        res.bytes().await?;
        list.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(ok, "{path} failed");
        let t = Instant::now();
        http.get(format!("{base}/healthz"))
            .send()
            .await?
            .bytes()
            .await?;
        health.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    server.abort();
    let (p50, p95) = percentiles(&mut list);
    let (h50, h95) = percentiles(&mut health);
    Ok(json!({
        "scenario": "people-list",
        "backend": "sqlite",
        "persons": first["total_in_scope"],
        "requests": REQUESTS,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "reference": "GET /healthz on the same server",
        "reference_p50_ms": round(h50, 2),
        "reference_p95_ms": round(h95, 2),
        "ratio_p50": round(p50 / h50, 1),
        "budget_p95_ms": 100,
        "within_budget": p95 < 100.0,
    }))
}

async fn dir_store(dir: &Path) -> anyhow::Result<store::Store> {
    Ok(store::Store::open_sqlite(dir).await?)
}

fn percentiles(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.95))
}
