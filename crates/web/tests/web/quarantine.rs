//! Quarantine over the API (ordering, refusals that name the field, figures, a release that
//! says what is missing, OpenAPI entries) and in the browser: ordering through the form, a day
//! of checks entered for a whole floor, and a release through the release page.

use testkit::fantoccini::Locator;

use crate::common::{browser_log_in, get_json, post_json, server, token};

/// Persons of the demo with no quarantine order yet (from the people list).
async fn free_persons(t: &str, n: usize) -> Vec<(i64, i64)> {
    let (status, page) = get_json(t, "/api/v1/people?limit=500").await;
    assert_eq!(status, 200, "{page}");
    let mut out = vec![];
    for p in page["items"].as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let (_, orders) = get_json(
            t,
            &format!(
                "/api/v1/quarantine/orders?state=all&q={}",
                urlencode(p["name"].as_str().unwrap_or_default())
            ),
        )
        .await;
        let taken = orders["orders"]
            .as_array()
            .is_some_and(|o| o.iter().any(|o| o["person_id"] == id));
        if !taken && p["category"] != "foreign" {
            out.push((id, p["community_id"].as_i64().unwrap()));
        }
        if out.len() == n {
            break;
        }
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_api_orders_refuses_with_reasons_and_gives_figures() {
    let t = token("commander").await;
    let people = free_persons(&t, 3).await;
    let (status, sites) = get_json(&t, "/api/v1/quarantine/sites").await;
    assert_eq!(status, 200, "{sites}");
    let (status, site) = post_json(
        &t,
        "/api/v1/quarantine/sites",
        &serde_json::json!({"code": "API-1", "name": "API 测试隔离点", "area_id": sites[0]["street_id"],
                            "rooms": [{"floor": 1, "number": "101", "capacity": 1}]}),
    )
    .await;
    assert_eq!(status, 201, "{site}");
    let site_id = site["id"].as_i64().unwrap();
    let order = |person: i64| {
        serde_json::json!({"person_id": person, "kind": "centralized", "reason": "close_contact",
                           "site_id": site_id, "entered": true})
    };
    let (status, o) = post_json(&t, "/api/v1/quarantine/orders", &order(people[0].0)).await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["state"], "in_quarantine");
    // A second active order, a full site, a bad temperature: 422 naming the field.
    let (status, e) = post_json(&t, "/api/v1/quarantine/orders", &order(people[0].0)).await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("person_id"), "{e}");
    let (status, e) = post_json(&t, "/api/v1/quarantine/orders", &order(people[1].0)).await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("site_full"), "{e}");
    let (status, e) = post_json(
        &t,
        "/api/v1/quarantine/checks/entry",
        &serde_json::json!({"entries": [{"check_id": 1, "temperature": 48.0}]}),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("temperature"), "{e}");
    // Release before the end: refused, saying what is missing.
    let id = o["id"].as_i64().unwrap();
    let (status, e) = post_json(
        &t,
        &format!("/api/v1/quarantine/orders/{id}/release"),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("end_not_reached"), "{e}");
    let (status, f) = get_json(&t, "/api/v1/quarantine/figures").await;
    assert_eq!(status, 200, "{f}");
    assert!(f["current"].as_i64().unwrap() >= 31, "{f}");
    let (_, doc) = get_json(&t, "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/quarantine/orders",
        "/api/v1/quarantine/figures",
        "/api/v1/returnees",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} in OpenAPI");
    }
    // A resident may not see quarantine.
    let r = token("resident").await;
    let (status, _) = get_json(&r, "/api/v1/quarantine/figures").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn in_the_browser_an_order_a_day_of_checks_and_a_release() {
    let Some(browser) = testkit::Browser::start().await else {
        return;
    };
    let t = token("commander").await;
    let people = free_persons(&t, 8).await;
    let (ordered, _) = people[6];
    // An order that reaches its end today, with every check done and two negative tests, made
    // through the API day by day, for the release page.
    let (releasable, community) = people[7];
    let (_, f) = get_json(&t, "/api/v1/quarantine/figures").await;
    let today: chrono::NaiveDate = f["day"].as_str().unwrap().parse().unwrap();
    let start = today - chrono::Duration::days(14);
    let (status, o) = post_json(
        &t,
        "/api/v1/quarantine/orders",
        &serde_json::json!({"person_id": releasable, "kind": "home", "reason": "close_contact",
                            "start_on": start.to_string(), "entered": true}),
    )
    .await;
    assert_eq!(status, 201, "{o}");
    let rid = o["id"].as_i64().unwrap();
    assert_eq!(o["planned_end_on"], today.to_string());
    for n in 0..14 {
        let day = (start + chrono::Duration::days(n)).to_string();
        let (status, r) = post_json(
            &t,
            &format!("/api/v1/quarantine/follow-ups?day={day}"),
            &serde_json::json!({}),
        )
        .await;
        assert_eq!(status, 200, "{r}");
        let (_, checks) = get_json(
            &t,
            &format!("/api/v1/quarantine/checks?day={day}&community_id={community}"),
        )
        .await;
        let entries: Vec<serde_json::Value> = checks
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["order_id"] == rid && k["temperature"].is_null())
            .map(|k| serde_json::json!({"check_id": k["id"], "temperature": 36.6}))
            .collect();
        assert_eq!(entries.len(), 2, "{day}");
        let (status, e) = post_json(
            &t,
            "/api/v1/quarantine/checks/entry",
            &serde_json::json!({ "entries": entries }),
        )
        .await;
        assert_eq!(status, 200, "{e}");
    }
    for n in [2, 12] {
        let day = (start + chrono::Duration::days(n)).to_string();
        let (status, e) = post_json(
            &t,
            &format!("/api/v1/quarantine/orders/{rid}/tests"),
            &serde_json::json!({"sampled_on": day, "result": "negative"}),
        )
        .await;
        assert_eq!(status, 201, "{e}");
    }
    browser
        .run("quarantine", async |c| {
            browser_log_in(c, "commander").await?;
            // Order through the form.
            c.goto(&server().url("/quarantine")).await?;
            c.wait().for_element(Locator::Id("order-form")).await?;
            c.find(Locator::Css("#order-form input[name='person_id']"))
                .await?
                .send_keys(&ordered.to_string())
                .await?;
            c.find(Locator::Css(
                "#order-form select[name='kind'] option[value='home']",
            ))
            .await?
            .click()
            .await?;
            c.find(Locator::Id("create-order")).await?.click().await?;
            let state = c.wait().for_element(Locator::Id("order-state")).await?;
            assert_eq!(state.text().await?, "in_quarantine");
            let missing = c.find(Locator::Id("missing")).await?.text().await?;
            let end = (today + chrono::Duration::days(14)).to_string();
            assert!(missing.contains(&end), "{missing}");
            // A day of checks at the first site: generate, then save the first floor.
            c.goto(&server().url("/quarantine")).await?;
            c.find(Locator::Id("generate")).await?.click().await?;
            c.wait().for_element(Locator::Id("floor-entry")).await?;
            let inputs = c
                .find_all(Locator::Css("#floor-entry input[name^='t_']"))
                .await?;
            assert!(!inputs.is_empty(), "open checks at the site");
            for i in &inputs {
                i.send_keys("36.6").await?;
            }
            c.find(Locator::Id("save-floor")).await?.click().await?;
            let notice = c.wait().for_element(Locator::Css("p.notice")).await?;
            assert!(!notice.text().await?.is_empty());
            assert!(
                c.find_all(Locator::Css("#floor-entry input[name^='t_']"))
                    .await
                    .map(|v| v.is_empty())
                    .unwrap_or(true)
            );
            // The release page: ready, released after the confirmation.
            c.goto(&server().url(&format!("/quarantine/orders/{rid}")))
                .await?;
            c.find(Locator::Id("confirm-release"))
                .await?
                .click()
                .await?;
            c.find(Locator::Id("release-button")).await?.click().await?;
            // The form posts and the order page loads again: until it has, the state found may
            // be the old page's (then stale), so read it until it says released (10 s at most).
            let mut state = String::new();
            for _ in 0..100 {
                if let Ok(e) = c.find(Locator::Id("order-state")).await
                    && let Ok(t) = e.text().await
                {
                    state = t;
                    if state == "released" {
                        break;
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert_eq!(state, "released");
            Ok::<(), testkit::fantoccini::error::CmdError>(())
        })
        .await
        .unwrap();
}
