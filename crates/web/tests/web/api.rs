//! The JSON API against a running server with the small demo zone.

use crate::common::{client, server, token};
use serde_json::{Value, json};

async fn get(tok: &str, path: &str) -> (u16, Value) {
    let res = client()
        .get(server().url(path))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post(tok: &str, path: &str, body: &Value) -> (u16, Value) {
    let res = client()
        .post(server().url(path))
        .bearer_auth(tok)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn valid_id(seq: u16) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
    domain::ResidentId::from_parts("330402", birth, seq)
        .unwrap()
        .into_string()
}

#[tokio::test]
async fn health_and_openapi() {
    let res = client().get(server().url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = client()
        .get(server().url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/session",
        "/api/v1/people",
        "/api/v1/people/{id}/full",
        "/api/v1/areas/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}

#[tokio::test]
async fn every_role_can_log_in() {
    for role in domain::Role::ALL {
        let tok = token(role.as_str()).await;
        let (status, me) = get(&tok, "/api/v1/me").await;
        assert_eq!(status, 200);
        assert_eq!(me["role"], role.as_str());
    }
}

#[tokio::test]
async fn wrong_password_and_rate_limit() {
    // A username of its own, so that locking it out does not disturb the other tests.
    let attempt = |pw: &'static str| async move {
        client()
            .post(server().url("/api/v1/session"))
            .json(&json!({"username": "rate_limit_probe", "password": pw}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong").await, 401);
    }
    // Past the limit the answer changes from "wrong" to "wait", whatever the password.
    assert_eq!(attempt(crate::common::PASSWORD).await, 429);
    assert_eq!(attempt("wrong").await, 429);
}

#[tokio::test]
async fn unauthenticated_is_401() {
    let res = client()
        .get(server().url("/api/v1/people"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn people_list_is_masked_scoped_and_paged() {
    let tok = token("community_worker").await;
    let (status, page) = get(&tok, "/api/v1/people?limit=100").await;
    assert_eq!(status, 200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    for p in items {
        assert_eq!(
            p["community"], "金穗社区",
            "a community worker sees only 金穗"
        );
        if let Some(id) = p["id_number"].as_str() {
            assert_eq!(&id[6..14], "********", "masked: {id}");
        }
        if let Some(phone) = p["phone"].as_str() {
            assert_eq!(&phone[3..7], "****");
        }
    }
    // Walk every page: the total is reached exactly, with no repeats.
    let total = page["total_in_scope"].as_i64().unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(n) => format!("/api/v1/people?limit=37&after={n}"),
            None => "/api/v1/people?limit=37".into(),
        };
        let (_, page) = get(&tok, &path).await;
        for p in page["items"].as_array().unwrap() {
            assert!(seen.insert(p["id"].as_i64().unwrap()));
        }
        match page["next"].as_str() {
            Some(n) => next = Some(n.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
}

#[tokio::test]
async fn people_search_by_name_prefix() {
    let tok = token("commander").await;
    let (_, page) = get(&tok, "/api/v1/people?limit=5&sort=name").await;
    let first = page["items"][0]["name"].as_str().unwrap().to_owned();
    let surname: String = first.chars().take(1).collect();
    let (status, found) = get(&tok, &format!("/api/v1/people?q={}", surname)).await;
    assert_eq!(status, 200);
    for p in found["items"].as_array().unwrap() {
        assert!(p["name"].as_str().unwrap().starts_with(&surname));
    }
}

#[tokio::test]
async fn bad_list_parameters_name_the_field() {
    let tok = token("commander").await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=x", "limit"),
        ("sort=age", "sort"),
        ("after=zz", "after"),
        ("category=alien", "category"),
        ("q=12345", "q"),
    ] {
        let (status, body) = get(&tok, &format!("/api/v1/people?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(
            body["error"]["fields"][0]["field"], field,
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn roles_without_the_right_are_refused() {
    let tok = token("checkpoint_officer").await;
    let (status, _) = get(&tok, "/api/v1/people").await;
    assert_eq!(status, 403);
    let commander = token("commander").await;
    let (_, page) = get(&commander, "/api/v1/people?limit=1").await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (status, _) = get(&commander, &format!("/api/v1/people/{id}/full")).await;
    assert_eq!(status, 403, "a commander sees masked data only");
}

#[tokio::test]
async fn out_of_scope_person_is_forbidden() {
    let commander = token("commander").await;
    let worker = token("community_worker").await;
    // Someone outside 金穗社区.
    let (_, page) = get(&commander, "/api/v1/people?limit=500").await;
    let outsider = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["community"] != "金穗社区")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = get(&worker, &format!("/api/v1/people/{outsider}")).await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = get(&worker, &format!("/api/v1/people/{outsider}/full")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&worker, "/api/v1/people/abc").await;
    assert_eq!(status, 400);
    let (status, _) = get(&worker, "/api/v1/people/99999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn full_view_is_audited() {
    let worker = token("community_worker").await;
    let admin = token("admin").await;
    let (_, page) = get(&worker, "/api/v1/people?limit=1").await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (status, full) = get(&worker, &format!("/api/v1/people/{id}/full")).await;
    assert_eq!(status, 200);
    assert_eq!(full["full"], true);
    if let Some(n) = full["id_number"].as_str() {
        assert!(!n.contains('*'));
    }
    // The admin's audit page lists it.
    let html = client()
        .get(server().url("/audit"))
        .header("cookie", format!("zk_session={admin}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("person.view_full"),
        "audit page shows the full view"
    );
    assert!(html.contains(&format!("person {id}")));
}

#[tokio::test]
async fn create_person_validates_and_refuses_duplicates() {
    let tok = token("community_worker").await;
    let id = valid_id(731);
    let body = json!({"category": "resident", "name": "测试人", "id_number": id, "phone": "13900001111", "area_code": "330402001001"});
    let (status, created) = post(&tok, "/api/v1/people", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["id_number"],
        format!("{}********{}", &id[..6], &id[14..])
    );
    let (status, dup) = post(&tok, "/api/v1/people", &body).await;
    assert_eq!(status, 409);
    assert_eq!(dup["error"]["fields"][0]["field"], "id_number");

    let bad = json!({"category": "resident", "name": "x", "id_number": "330402199005170001", "phone": "12", "area_code": "330402001001"});
    let (status, err) = post(&tok, "/api/v1/people", &bad).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["id_number", "phone"]);

    let unknown = json!({"category": "resident", "name": "x", "id_number": valid_id(733), "area_code": "999"});
    let (status, err) = post(&tok, "/api/v1/people", &unknown).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "area_code");

    // A community outside the worker's scope (城南 has 金穗; 330402002001 lies in 嘉北).
    let elsewhere = json!({"category": "resident", "name": "x", "id_number": valid_id(735), "area_code": "330402002001"});
    let (status, _) = post(&tok, "/api/v1/people", &elsewhere).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx() {
    let tok = token("community_worker").await;
    let send = |ct: &'static str, body: Vec<u8>| {
        let tok = tok.clone();
        async move {
            let res = client()
                .post(server().url("/api/v1/people"))
                .bearer_auth(tok)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let (s, b) = send("application/json", b"{\"name\":".to_vec()).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (400, Some("malformed_json"))
    );
    let (s, _) = send("text/plain", b"{}".to_vec()).await;
    assert_eq!(s, 415);
    let (s, b) = send("application/json", b"{\"name\": 5}".to_vec()).await;
    assert_eq!(s, 422);
    assert_eq!(b["error"]["fields"][0]["field"], "name");
    let mut big = b"{\"name\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', web::MAX_BODY_BYTES + 10));
    big.extend(b"\"}");
    let (s, b) = send("application/json", big).await;
    assert_eq!((s, b["error"]["code"].as_str()), (413, Some("too_large")));
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_header() {
    let tok = token("community_worker").await;
    let res = client()
        .post(server().url("/api/v1/people"))
        .header("cookie", format!("zk_session={tok}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "csrf");
}

#[tokio::test]
async fn area_tree_counts_persons() {
    let tok = token("commander").await;
    let (status, zone) = get(&tok, "/api/v1/areas").await;
    assert_eq!(status, 200);
    assert_eq!(zone["node"]["kind"], "zone");
    let streets = zone["children"].as_array().unwrap();
    let names: Vec<&str> = streets
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for want in ["城南街道", "嘉北街道", "塘汇街道", "长水街道"] {
        assert!(names.contains(&want), "{names:?}");
    }
    let sum: i64 = streets.iter().map(|s| s["persons"].as_i64().unwrap()).sum();
    assert_eq!(sum, zone["node"]["persons"].as_i64().unwrap());
    let worker = token("community_worker").await;
    let street_id = streets[1]["id"].as_i64().unwrap();
    let (status, _) = get(&worker, &format!("/api/v1/areas/{street_id}")).await;
    assert_eq!(status, 403);
}
