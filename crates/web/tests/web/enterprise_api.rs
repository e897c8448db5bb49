//! Enterprise service over the JSON API against the small demo zone: bad input refused with
//! 4xx naming the field, rights and scope, a request's loop, an application to payment with
//! an idempotent disbursement, and the grid and officers.

use serde_json::{Value, json};

use crate::common::{client, get_json, post_json, server, token};

/// The first refused field of an error body.
fn field(body: &Value) -> &str {
    body["error"]["fields"][0]["field"].as_str().unwrap_or("")
}

#[tokio::test]
async fn enterprises_list_search_sort_and_pages() {
    let t = token("commander").await;
    let (st, page) = get_json(&t, "/api/v1/enterprises?limit=5").await;
    assert_eq!(st, 200, "{page}");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(page["total"].as_i64().unwrap() > 5);
    // Keyset pages follow on without overlap.
    let next = page["next"].as_str().unwrap();
    let (_, page2) = get_json(&t, &format!("/api/v1/enterprises?limit=5&after={next}")).await;
    let first_ids: Vec<i64> = items.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let second_ids: Vec<i64> = page2["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(second_ids.iter().all(|id| id > first_ids.last().unwrap()));
    // Contacts are masked in lists.
    let phone = items[0]["contact_phone_masked"].as_str().unwrap();
    assert!(phone.contains('*'), "{phone}");
    // Search by part of a name finds that enterprise; by the start of its credit code too.
    let name: String = items[0]["name"]
        .as_str()
        .unwrap()
        .chars()
        .skip(1)
        .take(3)
        .collect();
    let (st, found) = get_json(&t, &format!("/api/v1/enterprises?q={}", urlencode(&name))).await;
    assert_eq!(st, 200);
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == items[0]["id"])
    );
    let code = &items[0]["credit_code"].as_str().unwrap()[..12];
    let (_, by_code) = get_json(&t, &format!("/api/v1/enterprises?q={code}")).await;
    assert_eq!(by_code["items"][0]["id"], items[0]["id"]);
    // Sorted by employees, most first, across a page boundary.
    let (_, by_size) = get_json(&t, "/api/v1/enterprises?sort=employees&limit=3").await;
    let (_, by_size2) = get_json(
        &t,
        &format!(
            "/api/v1/enterprises?sort=employees&limit=3&after={}",
            urlencode(by_size["next"].as_str().unwrap())
        ),
    )
    .await;
    let sizes: Vec<i64> = by_size["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(by_size2["items"].as_array().unwrap())
        .map(|e| e["employees"].as_i64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    // A sector filter holds.
    let (_, service) = get_json(&t, "/api/v1/enterprises?sector=service&limit=50").await;
    assert!(
        service["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["sector"] == "service")
    );
    // Bad parameters: 422 naming the parameter.
    for (query, name) in [
        ("sort=size", "sort"),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("sector=farming", "sector"),
        ("street_id=x", "street_id"),
        ("after=nonsense&sort=name", "after"),
    ] {
        let (st, body) = get_json(&t, &format!("/api/v1/enterprises?{query}")).await;
        assert_eq!(st, 422, "{query}: {body}");
        assert_eq!(field(&body), name, "{query}: {body}");
    }
    // Rights: a contact lists nothing; a checkpoint officer neither.
    for user in ["enterprise_contact", "checkpoint_officer"] {
        let (st, _) = get_json(&token(user).await, "/api/v1/enterprises").await;
        assert_eq!(st, 403, "{user}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn one_enterprise_masked_and_in_full_with_audit() {
    let contact = token("enterprise_contact").await;
    let (st, me) = get_json(&contact, "/api/v1/enterprise-requests").await;
    assert_eq!(st, 200, "{me}");
    let commander = token("commander").await;
    let (_, page) = get_json(&commander, "/api/v1/enterprises?limit=1").await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (st, one) = get_json(&commander, &format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(st, 200);
    assert!(one["contact_phone_masked"].as_str().unwrap().contains('*'));
    let (st, full) = get_json(&commander, &format!("/api/v1/enterprises/{id}/full")).await;
    assert_eq!(st, 200, "{full}");
    let phone = full["contact_phone"].as_str().unwrap();
    assert!(phone.chars().all(|c| c.is_ascii_digit()), "{phone}");
    // The full view is recorded in the audit log (the newest entries come first).
    let admin = token("admin").await;
    let page = client()
        .get(server().url("/audit"))
        .header("cookie", format!("zk_session={admin}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("enterprise.view_full"),
        "the audit page names the full view"
    );
    // A department reviewer serves enterprises but is no officer of this one: masked only.
    let reviewer = token("department_reviewer").await;
    let (st, _) = get_json(&reviewer, &format!("/api/v1/enterprises/{id}/full")).await;
    assert_eq!(st, 403);
    let (st, body) = get_json(&commander, "/api/v1/enterprises/abc").await;
    assert_eq!((st, field(&body)), (400, "id"));
    let (st, _) = get_json(&commander, "/api/v1/enterprises/999999999").await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn daily_report_and_rates() {
    let t = token("enterprise_contact").await;
    let (_, reqs) = get_json(&t, "/api/v1/payouts").await;
    assert!(reqs.is_array());
    let commander = token("commander").await;
    let (st, rates) = get_json(&commander, "/api/v1/enterprise-rates").await;
    assert_eq!(st, 200, "{rates}");
    let day = rates["rates"]["day"].as_str().unwrap().to_owned();
    let yesterday = (day.parse::<chrono::NaiveDate>().unwrap() - chrono::Days::new(1)).to_string();
    let report = |on_site: i64, total: i64| {
        json!({"day": yesterday, "resumed": true, "on_site": on_site, "total": total,
               "returned_outside": 0, "in_quarantine": 0, "capacity_pct": 60,
               "masks": 100, "materials_days": 5, "problems": ""})
    };
    // More on site than employed: 422 naming on_site; nothing saved.
    let (st, body) = post_json(&t, "/api/v1/enterprise-reports", &report(11, 10)).await;
    assert_eq!((st, field(&body)), (422, "on_site"), "{body}");
    // A figure of the wrong type names its field.
    let mut wrong = report(1, 10);
    wrong["masks"] = json!("many");
    let (st, body) = post_json(&t, "/api/v1/enterprise-reports", &wrong).await;
    assert_eq!((st, field(&body)), (422, "masks"), "{body}");
    let mut future = report(1, 10);
    future["day"] = json!("2099-01-01");
    let (st, body) = post_json(&t, "/api/v1/enterprise-reports", &future).await;
    assert_eq!((st, field(&body)), (422, "day"), "{body}");
    let (st, body) = post_json(&t, "/api/v1/enterprise-reports", &report(7, 10)).await;
    assert_eq!(st, 201, "{body}");
    // Only contacts report.
    let (st, _) = post_json(&commander, "/api/v1/enterprise-reports", &report(7, 10)).await;
    assert_eq!(st, 403);
    // Rates: streets and sectors in basis points; electricity beside them.
    assert!(!rates["rates"]["by_street"].as_array().unwrap().is_empty());
    assert_eq!(rates["rates"]["by_sector"].as_array().unwrap().len(), 3);
    assert_eq!(rates["threshold_pct"], 30);
    for (query, name) in [
        ("day=2020-13-01", "day"),
        ("threshold_pct=0", "threshold_pct"),
    ] {
        let (st, body) = get_json(&commander, &format!("/api/v1/enterprise-rates?{query}")).await;
        assert_eq!((st, field(&body)), (422, name), "{body}");
    }
    let (st, _) = get_json(&t, "/api/v1/enterprise-rates").await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn a_request_from_raise_to_feedback() {
    let contact = token("enterprise_contact").await;
    let body = json!({"category": "weather", "complexity": "simple", "title": "API 诉求"});
    let (st, err) = post_json(&contact, "/api/v1/enterprise-requests", &body).await;
    assert_eq!((st, field(&err)), (422, "category"), "{err}");
    let body = json!({"category": "materials", "complexity": "complex", "title": " "});
    let (st, err) = post_json(&contact, "/api/v1/enterprise-requests", &body).await;
    assert_eq!((st, field(&err)), (422, "title"), "{err}");
    let body =
        json!({"category": "materials", "complexity": "complex", "title": "API 诉求：口罩原料"});
    let (st, created) = post_json(&contact, "/api/v1/enterprise-requests", &body).await;
    assert_eq!(st, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    // Feedback before an answer skips a step: refused, naming the status.
    let fb = json!({"satisfaction": 5});
    let (st, err) = post_json(
        &contact,
        &format!("/api/v1/enterprise-requests/{id}/feedback"),
        &fb,
    )
    .await;
    assert_eq!((st, field(&err)), (422, "status"), "{err}");
    let officer = token("liaison_officer").await;
    let (st, err) = post_json(
        &officer,
        &format!("/api/v1/enterprise-requests/{id}/assign"),
        &json!({}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "department"), "{err}");
    let (st, err) = post_json(
        &officer,
        &format!("/api/v1/enterprise-requests/{id}/assign"),
        &json!({"department": "经信局"}),
    )
    .await;
    assert_eq!(st, 204, "{err}");
    let (st, err) = post_json(
        &officer,
        &format!("/api/v1/enterprise-requests/{id}/answer"),
        &json!({"answer": "已协调口罩原料供应商"}),
    )
    .await;
    assert_eq!(st, 204, "{err}");
    let (st, err) = post_json(
        &contact,
        &format!("/api/v1/enterprise-requests/{id}/feedback"),
        &json!({"satisfaction": 9}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "satisfaction"), "{err}");
    let (st, _) = post_json(
        &contact,
        &format!("/api/v1/enterprise-requests/{id}/feedback"),
        &json!({"satisfaction": 5, "comment": "满意"}),
    )
    .await;
    assert_eq!(st, 204);
    let (st, detail) = get_json(&officer, &format!("/api/v1/enterprise-requests/{id}")).await;
    assert_eq!(st, 200);
    assert_eq!(detail["request"]["status"], "closed");
    let actions: Vec<&str> = detail["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["receive", "assign", "answer", "feedback"]);
    assert_eq!(detail["steps"][2]["note"], "on time");
    // The overdue list and on-time rates are for officials only.
    let (st, list) = get_json(&officer, "/api/v1/enterprise-requests/overdue?limit=5").await;
    assert_eq!(st, 200);
    assert!(list.as_array().unwrap().len() <= 5);
    let (st, rates) = get_json(&officer, "/api/v1/enterprise-requests/on-time").await;
    assert_eq!(st, 200);
    assert!(!rates["by_department"].as_array().unwrap().is_empty());
    let (st, _) = get_json(&contact, "/api/v1/enterprise-requests/overdue").await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn an_application_to_payment_disbursed_once() {
    let contact = token("enterprise_contact").await;
    let (st, catalog) = get_json(&contact, "/api/v1/policies").await;
    assert_eq!(st, 200);
    assert_eq!(catalog.as_array().unwrap().len(), 26);
    let h01 = catalog
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["mode"] == "application")
        .unwrap();
    let cap = h01["cap_fen"].as_i64().unwrap();
    // Above the cap: refused naming the amount.
    let over = format!("{}.01", cap / 100);
    let (st, err) = post_json(
        &contact,
        "/api/v1/policy-applications",
        &json!({"policy_code": h01["code"], "amount_yuan": over, "statement": "稳岗"}),
    )
    .await;
    assert_eq!(st, 422, "{err}");
    assert!(
        err["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "amount_yuan"),
        "{err}"
    );
    let (st, err) = post_json(
        &contact,
        "/api/v1/policy-applications",
        &json!({"policy_code": "Z99", "amount_yuan": "1", "statement": "稳岗"}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "policy_code"), "{err}");
    // The first fast-application policy that takes this enterprise (the demo and the browser
    // test may have used some): from the end of the catalog, where the browser test starts last.
    let mut application = None;
    for code in ["T03", "T05", "T06", "T08", "T09", "H06", "H04", "H08"] {
        let (st, body) = post_json(
            &contact,
            "/api/v1/policy-applications",
            &json!({"policy_code": code, "amount_yuan": "800.50", "statement": "防疫期间稳定用工"}),
        )
        .await;
        if st == 201 {
            application = Some(body["id"].as_i64().unwrap());
            break;
        }
        assert!(st == 409 || st == 422, "{code}: {st} {body}");
    }
    let application = application.expect("some policy accepted the application");
    let reviewer = token("department_reviewer").await;
    let path = format!("/api/v1/policy-applications/{application}/review");
    let (st, err) = post_json(
        &reviewer,
        &path,
        &json!({"decision": "approve", "reasons": ""}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "reasons"), "{err}");
    let (st, err) = post_json(
        &reviewer,
        &path,
        &json!({"decision": "maybe", "reasons": "x"}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "decision"), "{err}");
    // The contact cannot review.
    let (st, _) = post_json(
        &contact,
        &path,
        &json!({"decision": "approve", "reasons": "ok"}),
    )
    .await;
    assert_eq!(st, 403);
    let (st, reviewed) = post_json(
        &reviewer,
        &path,
        &json!({"decision": "approve", "reasons": "材料齐全，同意兑付"}),
    )
    .await;
    assert_eq!(st, 200, "{reviewed}");
    let payout = reviewed["payout_id"].as_i64().unwrap();
    let pay = format!("/api/v1/payouts/{payout}/disbursements");
    let (_, before) = get_json(&reviewer, "/api/v1/payouts/totals").await;
    let (st, err) = post_json(&reviewer, &pay, &json!({"idempotency_key": "short"})).await;
    assert_eq!((st, field(&err)), (422, "idempotency_key"), "{err}");
    let key = format!("api-test-{payout}-{application}");
    let (st, first) = post_json(&reviewer, &pay, &json!({"idempotency_key": key})).await;
    assert_eq!(st, 201, "{first}");
    assert_eq!(first["replayed"], false);
    assert_eq!(first["disbursement"]["amount_fen"], 80050);
    // The same key again: the first payment, nothing paid now.
    let (st, again) = post_json(&reviewer, &pay, &json!({"idempotency_key": key})).await;
    assert_eq!(st, 200, "{again}");
    assert_eq!(again["replayed"], true);
    assert_eq!(again["disbursement"], first["disbursement"]);
    // Another key for the paid payout: 409.
    let (st, err) = post_json(
        &reviewer,
        &pay,
        &json!({"idempotency_key": format!("{key}-second")}),
    )
    .await;
    assert_eq!((st, field(&err)), (409, "payout_id"), "{err}");
    let (_, after) = get_json(&reviewer, "/api/v1/payouts/totals").await;
    let paid = |t: &Value| t["overall"]["paid_fen"].as_i64().unwrap();
    // Other tests may pay meanwhile; this payment is in the total exactly once.
    assert!(paid(&after) >= paid(&before) + 80050);
    let (st, mine) = get_json(&contact, "/api/v1/payouts").await;
    assert_eq!(st, 200);
    let p = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == payout)
        .unwrap();
    assert!(p["paid_at"].is_number(), "{p}");
    // The contact cannot pay.
    let (st, _) = post_json(
        &contact,
        &pay,
        &json!({"idempotency_key": "contact-pays-1"}),
    )
    .await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn the_grid_and_the_officers() {
    let commander = token("commander").await;
    // Other tests may import an enterprise meanwhile: the tree's count lies between the
    // totals before and after it.
    let (_, before) = get_json(&commander, "/api/v1/enterprises?limit=1").await;
    let (st, grids) = get_json(&commander, "/api/v1/grids").await;
    assert_eq!(st, 200, "{grids}");
    let grids = grids.as_array().unwrap();
    let top = grids.iter().find(|g| g["level"] == "grid").unwrap();
    let micro = grids.iter().find(|g| g["level"] == "micro_grid").unwrap();
    // Parents come before their children and counts add up the tree.
    let pos = |id: &Value| grids.iter().position(|g| &g["id"] == id).unwrap();
    for g in grids.iter().filter(|g| !g["parent_id"].is_null()) {
        assert!(pos(&g["parent_id"]) < pos(&g["id"]));
    }
    let street_total: i64 = grids
        .iter()
        .filter(|g| g["level"] == "grid")
        .map(|g| g["enterprises"].as_i64().unwrap())
        .sum();
    let (_, all) = get_json(&commander, "/api/v1/enterprises?limit=1").await;
    let range = before["total"].as_i64().unwrap()..=all["total"].as_i64().unwrap();
    assert!(range.contains(&street_total), "{street_total} {range:?}");
    // A micro-grid straight under a top grid is refused, naming the parent.
    let bad = json!({"level": "micro_grid", "parent_id": top["id"], "street_id": top["street_id"], "name": "API 微网格"});
    let (st, err) = post_json(&commander, "/api/v1/grids", &bad).await;
    assert_eq!((st, field(&err)), (422, "parent_id"), "{err}");
    let bad = json!({"level": "grid", "street_id": top["street_id"], "name": "API 网格", "keeper_phone": "123"});
    let (st, err) = post_json(&commander, "/api/v1/grids", &bad).await;
    assert_eq!((st, field(&err)), (422, "keeper_phone"), "{err}");
    let bad = json!({"level": "block", "street_id": top["street_id"], "name": "x"});
    let (st, err) = post_json(&commander, "/api/v1/grids", &bad).await;
    assert_eq!((st, field(&err)), (422, "level"), "{err}");
    let (st, _) = post_json(
        &token("liaison_officer").await,
        "/api/v1/grids",
        &json!({"level": "grid", "street_id": top["street_id"], "name": "API 网格"}),
    )
    .await;
    assert_eq!(st, 403);
    // Officers: masked phones, counts, bad kind refused.
    let (st, officers) = get_json(&commander, "/api/v1/officers?kind=policy&limit=50").await;
    assert_eq!(st, 200);
    let items = officers["items"].as_array().unwrap();
    // The small demo has a few policy officers (the zone 21).
    assert!(!items.is_empty());
    assert!(items.iter().all(|o| o["kind"] == "policy"));
    assert!(items[0]["phone_masked"].as_str().unwrap().contains('*'));
    let (st, err) = get_json(&commander, "/api/v1/officers?kind=mayor").await;
    assert_eq!((st, field(&err)), (422, "kind"), "{err}");
    let (st, err) = post_json(
        &commander,
        "/api/v1/officers",
        &json!({"kind": "enterprise", "name": "API 指导员", "phone": "12", "department": "经信局"}),
    )
    .await;
    assert_eq!((st, field(&err)), (422, "phone"), "{err}");
    let (st, created) = post_json(
        &commander,
        "/api/v1/officers",
        &json!({"kind": "prevention", "name": "API 指导员", "phone": "13812345678", "department": "卫健局"}),
    )
    .await;
    assert_eq!(st, 201, "{created}");
    let officer = created["id"].as_i64().unwrap();
    let (_, page) = get_json(&commander, "/api/v1/enterprises?limit=1").await;
    let enterprise = page["items"][0]["id"].as_i64().unwrap();
    let assign = format!("/api/v1/officers/{officer}/assignments");
    let (st, _) = post_json(&commander, &assign, &json!({"enterprise_id": enterprise})).await;
    assert_eq!(st, 204);
    let (_, listed) = get_json(&commander, "/api/v1/officers?q=API&limit=50").await;
    let me = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == officer)
        .unwrap();
    assert_eq!(me["enterprises"], 1);
    let unassign = server().url(&format!("{assign}/{enterprise}"));
    let res = client()
        .delete(&unassign)
        .bearer_auth(&commander)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    // Twice: nothing to end.
    let res = client()
        .delete(&unassign)
        .bearer_auth(&commander)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    // Moving an enterprise: only into a micro-grid of its street.
    let move_to = format!("/api/v1/enterprises/{enterprise}/grid");
    let (st, err) = post_json(&commander, &move_to, &json!({"micro_grid_id": top["id"]})).await;
    assert_eq!((st, field(&err)), (422, "micro_grid_id"), "{err}");
    let e_street = page["items"][0]["street_id"].clone();
    let other_micro = grids
        .iter()
        .find(|g| {
            g["level"] == "micro_grid"
                && g["street_id"] == e_street
                && g["id"] != page["items"][0]["micro_grid_id"]
        })
        .unwrap_or(micro);
    let (st, err) = post_json(
        &commander,
        &move_to,
        &json!({"micro_grid_id": other_micro["id"]}),
    )
    .await;
    assert_eq!(st, 204, "{err}");
    let (_, moved) = get_json(&commander, &format!("/api/v1/enterprises/{enterprise}")).await;
    assert_eq!(moved["micro_grid_id"], other_micro["id"]);
}

#[tokio::test]
async fn the_openapi_document_describes_enterprise_service() {
    let (st, doc) = get_json(&token("commander").await, "/api/v1/openapi.json").await;
    assert_eq!(st, 200);
    for path in [
        "/api/v1/enterprises",
        "/api/v1/enterprises/{id}/full",
        "/api/v1/enterprise-reports",
        "/api/v1/enterprise-rates",
        "/api/v1/enterprise-requests/{id}/feedback",
        "/api/v1/policy-applications/{id}/review",
        "/api/v1/payouts/{id}/disbursements",
        "/api/v1/payouts/totals",
        "/api/v1/grids",
        "/api/v1/officers/{id}/assignments/{enterprise_id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}
