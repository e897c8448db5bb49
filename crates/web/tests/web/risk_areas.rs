//! The risk-area list over HTTP: the JSON API (list, add, import) and the page (search,
//! confirmation before every change, upload with its row report), bad input included. The
//! shared server stands on the real day, so the entries added here (Xinjiang, 65…) change no
//! one's code that another test reads.

use serde_json::{Value, json};

use crate::common::{client, server, token};

async fn get_json(tok: &str, path: &str) -> (u16, Value) {
    let res = client()
        .get(server().url(path))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn post_json(tok: &str, path: &str, body: &Value) -> (u16, Value) {
    let res = client()
        .post(server().url(path))
        .bearer_auth(tok)
        .json(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn post_file(tok: &str, path: &str, content: &str) -> (u16, Value) {
    let res = client()
        .post(server().url(path))
        .bearer_auth(tok)
        .header("content-type", "text/csv")
        .body(content.to_owned())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn page(tok: &str, path: &str) -> (u16, String) {
    let res = client()
        .get(server().url(path))
        .header("cookie", format!("zk_session={tok}"))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn csrf(tok: &str) -> String {
    let (_, html) = page(tok, "/risk-areas").await;
    let at = html.find("name=\"csrf\" value=\"").expect("a form") + 19;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// Status, Location and body of a form post.
async fn post_form(tok: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let res = client()
        .post(server().url(path))
        .header("cookie", format!("zk_session={tok}"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// A file-upload form as a browser sends it.
async fn upload(tok: &str, csrf: &str, name: &str, content: &str) -> (u16, String) {
    let b = "----zhikongTestBoundary";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{b}--\r\n"
    );
    let res = client()
        .post(server().url("/risk-areas/import"))
        .header("cookie", format!("zk_session={tok}"))
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_api_lists_adds_and_imports() {
    let commander = token("commander").await;
    let (status, list) = get_json(&commander, "/api/v1/risk-areas?q=4201&sort=level").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"][0]["division_code"], "420100");
    assert!(list["total"].as_i64().unwrap() >= 1);

    let (status, added) = post_json(
        &commander,
        "/api/v1/risk-areas",
        &json!({"division_code": "650100", "level": "medium", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["area"]["status"], "current");
    assert!(added["recompute"]["evaluated"].is_u64());
    let (status, again) = post_json(
        &commander,
        "/api/v1/risk-areas",
        &json!({"division_code": "650100", "level": "high", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(fields(&again), ["valid_from"]);

    let (status, report) = post_file(
        &commander,
        "/api/v1/risk-areas/import?name=list.csv",
        "division_code,level,valid_from,valid_to\n650200,high,2026-02-01,2026-02-14\n",
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 1);
    assert_eq!(report["format"], "csv");
}

#[tokio::test]
async fn the_api_refuses_bad_input_naming_the_field() {
    let commander = token("commander").await;
    let (status, body) = get_json(&commander, "/api/v1/risk-areas?q=4a&status=soon&page=0").await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["q", "status", "page"]);

    let (status, body) = post_json(
        &commander,
        "/api/v1/risk-areas",
        &json!({"division_code": "4201", "level": "severe", "valid_from": "2026-02-30"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["division_code", "level", "valid_from"]);
    let (status, _) = post_json(&commander, "/api/v1/risk-areas", &json!({"level": 3})).await;
    assert!((400..500).contains(&status), "{status}");

    let (status, body) = post_file(
        &commander,
        "/api/v1/risk-areas/import",
        "division_code,level,valid_from\n650300,high,2026-03-01\n650400,extreme,2026-03-01\n",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), ["row 3 level"]);
    let (_, list) = get_json(&commander, "/api/v1/risk-areas?q=6503").await;
    assert_eq!(list["total"], 0, "all or nothing");

    let resident = token("resident").await;
    let (status, _) = post_json(
        &resident,
        "/api/v1/risk-areas",
        &json!({"division_code": "650500", "level": "high", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post_file(&resident, "/api/v1/risk-areas/import", "x").await;
    assert_eq!(status, 403);
    let (status, _) = get_json(&resident, "/api/v1/risk-areas").await;
    assert_eq!(status, 200, "the list is public knowledge");
}

#[tokio::test]
async fn the_openapi_document_names_the_risk_area_api() {
    let (status, doc) = get_json(&token("commander").await, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    for path in ["/api/v1/risk-areas", "/api/v1/risk-areas/import"] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn the_page_searches_and_pages() {
    let commander = token("commander").await;
    let (status, html) = page(&commander, "/risk-areas?q=4201&status=current").await;
    assert_eq!(status, 200);
    assert!(html.contains("<td class=\"mono\">420100</td>"), "{html}");
    assert!(html.contains("id=\"risk-add\""));
    let (status, html) = page(&commander, "/risk-areas?page=x").await;
    assert_eq!(status, 422);
    assert!(html.contains("page"));
    let (status, html) = page(&commander, "/risk-areas?sort=colour").await;
    assert_eq!(status, 422);
    assert!(html.contains("sort"));
    // Without the right the list shows, but not the forms.
    let (status, html) = page(&token("checkpoint_officer").await, "/risk-areas").await;
    assert_eq!(status, 200);
    assert!(!html.contains("id=\"risk-add\""));
    let (status, _) = page(&commander, "/risk-areas/abc").await;
    assert_eq!(status, 422);
    let (status, _) = page(&commander, "/risk-areas/999999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_change_on_the_page_is_confirmed_first() {
    let commander = token("commander").await;
    let csrf = csrf(&commander).await;
    let entry = [
        ("csrf", csrf.as_str()),
        ("division_code", "650600"),
        ("level", "high"),
        ("valid_from", "2026-03-01"),
        ("valid_to", ""),
    ];
    let (status, _, html) = post_form(&commander, "/risk-areas", &entry).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"risk-confirm\"") && html.contains("id=\"affected\">0<"));
    let (_, list) = get_json(&commander, "/api/v1/risk-areas?q=6506").await;
    assert_eq!(list["total"], 0, "nothing written before the confirmation");

    let mut confirmed = entry.to_vec();
    confirmed.push(("confirm", "yes"));
    let (status, location, _) = post_form(&commander, "/risk-areas", &confirmed).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/risk-areas?done=added"), "{location}");
    let (_, list) = get_json(&commander, "/api/v1/risk-areas?q=6506").await;
    let id = list["items"][0]["id"].as_i64().unwrap();

    let (status, html) = page(&commander, &format!("/risk-areas/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"risk-change\"") && html.contains("id=\"risk-end\""));
    let change = [
        ("csrf", csrf.as_str()),
        ("level", "medium"),
        ("valid_from", "2026-03-01"),
        ("valid_to", "2026-02-01"),
    ];
    let (status, _, html) = post_form(&commander, &format!("/risk-areas/{id}"), &change).await;
    assert_eq!(status, 422, "last day before the first");
    assert!(html.contains("valid_to"));
    let end = [("csrf", csrf.as_str()), ("valid_to", "2026-03-10")];
    let (status, _, html) = post_form(&commander, &format!("/risk-areas/{id}/end"), &end).await;
    assert_eq!(status, 200);
    assert!(html.contains("2026-03-10"));
    let mut end = end.to_vec();
    end.push(("confirm", "yes"));
    let (status, location, _) = post_form(&commander, &format!("/risk-areas/{id}/end"), &end).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/risk-areas?done=ended"));
    let (_, list) = get_json(&commander, "/api/v1/risk-areas?q=6506").await;
    assert_eq!(list["items"][0]["valid_to"], "2026-03-10");

    let forged = [("csrf", "forged"), ("division_code", "650700")];
    let (status, _, _) = post_form(&commander, "/risk-areas", &forged).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn an_upload_shows_its_row_report() {
    let commander = token("commander").await;
    let csrf = csrf(&commander).await;
    let (status, html) = upload(
        &commander,
        &csrf,
        "bad.csv",
        "division_code,level,valid_from\n650800,high,2026-03-01\n65080,high,2026-13-01\n",
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"report-issues\""), "{html}");
    assert!(
        html.contains("<td>3</td><td class=\"mono\">division_code</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>3</td><td class=\"mono\">valid_from</td>"),
        "{html}"
    );

    let (status, html) = upload(
        &commander,
        &csrf,
        "good.json",
        r#"[{"division_code":"650800","level":"medium","valid_from":"2026-03-01"}]"#,
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"report-added\">1<"), "{html}");

    let (status, _) = upload(&commander, "forged", "x.csv", "a").await;
    assert_eq!(status, 403);
}
