//! Checkpoints, scans, cases and tracing over HTTP: resend adds nothing twice, bad batches are
//! 4xx naming the field, rights are enforced, a case is traced and its chain comes back as SVG
//! and CSV.

use serde_json::{Value, json};

use crate::common::{client, server, token};

async fn send(tok: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = client()
        .request(method, server().url(path))
        .bearer_auth(tok);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn scans_resend_without_duplicates_and_bad_batches_are_4xx() {
    let officer = token("checkpoint_officer").await;
    let (status, list) = send(&officer, reqwest::Method::GET, "/api/v1/checkpoints", None).await;
    assert_eq!(status, 200, "{list}");
    let cp = list[0]["id"].as_i64().unwrap();
    let at = chrono::Utc::now().to_rfc3339();
    let batch = json!({"scans": [
        {"event_id": "web-1", "checkpoint_id": cp, "at": at, "id_number": "11010519491231002X",
         "direction": "in", "temperature": 36.4},
        {"event_id": "web-2", "checkpoint_id": cp, "at": at, "id_number": "11010519491231002X",
         "direction": "out", "temperature": 38.1},
        {"event_id": "web-3", "checkpoint_id": -5, "at": at, "id_number": "11010519491231002X",
         "direction": "in"},
    ]});
    let (status, r) = send(
        &officer,
        reqwest::Method::POST,
        "/api/v1/scans",
        Some(batch.clone()),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["accepted"].as_i64(), r["rejected"].as_i64()),
        (Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(r["items"][1]["reason"], "fever");
    assert_eq!(r["items"][2]["error"]["field"], "checkpoint_id");
    let (_, again) = send(
        &officer,
        reqwest::Method::POST,
        "/api/v1/scans",
        Some(batch),
    )
    .await;
    assert_eq!(
        (again["accepted"].as_i64(), again["duplicate"].as_i64()),
        (Some(0), Some(2))
    );

    let many: Vec<Value> = (0..1_001)
        .map(|i| json!({"event_id": format!("m-{i}")}))
        .collect();
    let (status, r) = send(
        &officer,
        reqwest::Method::POST,
        "/api/v1/scans",
        Some(json!({"scans": many})),
    )
    .await;
    assert_eq!(status, 422, "{r}");
    assert!(r.to_string().contains("scans"), "{r}");
    let (status, _) = send(
        &officer,
        reqwest::Method::POST,
        "/api/v1/scans",
        Some(json!({"scans": 5})),
    )
    .await;
    assert!((400..500).contains(&status));
    let (status, today) = send(
        &officer,
        reqwest::Method::GET,
        &format!("/api/v1/checkpoints/{cp}/today"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(today["total"].as_i64().unwrap() >= 2);
    let (status, _) = send(
        &officer,
        reqwest::Method::GET,
        "/api/v1/checkpoints/abc",
        None,
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn checkpoints_are_managed_by_commanders_only() {
    let officer = token("checkpoint_officer").await;
    let commander = token("commander").await;
    let (_, me) = send(&commander, reqwest::Method::GET, "/api/v1/me", None).await;
    let area = me["area_id"]
        .as_i64()
        .or(me["scope_area_id"].as_i64())
        .unwrap_or(1);
    let body = json!({"code": "WEB-CP-1", "kind": "park_gate", "name": "网页测试门", "area_id": area,
        "lat": 30.7, "lon": 120.7, "party_branch": "临时党支部", "hours": "24h", "staff_on_duty": 3});
    let (status, _) = send(
        &officer,
        reqwest::Method::POST,
        "/api/v1/checkpoints",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);
    let (status, made) = send(
        &commander,
        reqwest::Method::POST,
        "/api/v1/checkpoints",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (status, _) = send(
        &commander,
        reqwest::Method::POST,
        "/api/v1/checkpoints",
        Some(body),
    )
    .await;
    assert_eq!(status, 409);
    let (status, bad) = send(&commander, reqwest::Method::PUT, &format!("/api/v1/checkpoints/{id}"),
        Some(json!({"kind": "moat", "name": "x", "area_id": area, "lat": 0, "lon": 500, "hours": "24h"}))).await;
    assert_eq!(status, 422, "{bad}");
    let text = bad.to_string();
    assert!(text.contains("kind") && text.contains("lon"), "{bad}");
    let (status, r) = send(
        &commander,
        reqwest::Method::POST,
        &format!("/api/v1/checkpoints/{id}/retire"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(r["retired_at"].is_string());
    let (status, _) = send(
        &commander,
        reqwest::Method::DELETE,
        &format!("/api/v1/checkpoints/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn a_case_is_traced_and_its_chain_drawn() {
    let commander = token("commander").await;
    let (status, case) = send(&commander, reqwest::Method::POST, "/api/v1/cases", Some(json!({
        "person_id": 4321, "kind": "suspected", "origin": "imported", "reported_on": "2020-03-20"
    }))).await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_i64().unwrap();
    assert!(case["person_name"].as_str().unwrap().contains('*'));
    let (status, bad) = send(
        &commander,
        reqwest::Method::POST,
        "/api/v1/cases",
        Some(json!({
            "person_id": 4321, "kind": "sick", "origin": "local", "reported_on": "2099-01-01"
        })),
    )
    .await;
    assert_eq!(status, 422);
    assert!(bad.to_string().contains("reported_on") && bad.to_string().contains("kind"));
    let (status, r) = send(
        &commander,
        reqwest::Method::POST,
        &format!("/api/v1/cases/{id}/trace"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let (status, r) = send(
        &commander,
        reqwest::Method::POST,
        &format!("/api/v1/cases/{id}/trace"),
        Some(json!({"window_minutes": 0})),
    )
    .await;
    assert_eq!(status, 422, "{r}");
    let (status, r) = send(
        &commander,
        reqwest::Method::POST,
        &format!("/api/v1/cases/{id}/status"),
        Some(json!({"change": "confirm", "on": "2020-03-21"})),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["kind"], "confirmed");
    let res = client()
        .get(server().url(&format!("/api/v1/cases/{id}/trace.svg")))
        .bearer_auth(&commander)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));
    let res = client()
        .get(server().url(&format!("/api/v1/cases/{id}/contacts.csv")))
        .bearer_auth(&commander)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().starts_with("degree,"));
    let resident = token("resident").await;
    let (status, _) = send(&resident, reqwest::Method::GET, "/api/v1/cases", None).await;
    assert_eq!(status, 403);
}
