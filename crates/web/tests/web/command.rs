//! The command dashboard: the five-colour map with all five colours on one day (cases added
//! through the API), an area's detail and history, the index page, the briefing in three
//! formats, the JSON API and its refusals; in the browser, the map and the briefing download
//! with a screenshot of the map.

use testkit::fantoccini::Locator;
use tokio::sync::OnceCell;

use crate::common::{browser_log_in, client, get_json, post_json, server, token};

/// The day on which the added cases give every colour.
const DAY: &str = "2020-03-20";

/// Add four cases in four communities (once per test binary): a cluster case on DAY (red),
/// a case on DAY (orange), one 5 days before (yellow), one 10 days before (blue). Returns
/// the community ids in that order.
async fn five_colours() -> &'static [i64; 4] {
    static ONCE: OnceCell<[i64; 4]> = OnceCell::const_new();
    ONCE.get_or_init(|| async {
        let t = token("commander").await;
        let (status, page) = get_json(&t, "/api/v1/people?limit=500").await;
        assert_eq!(status, 200, "{page}");
        let mut picked: Vec<(i64, i64)> = vec![];
        for p in page["items"].as_array().unwrap().iter().rev() {
            let community = p["community_id"].as_i64().unwrap();
            if picked.iter().all(|x| x.1 != community) {
                picked.push((p["id"].as_i64().unwrap(), community));
            }
            if picked.len() == 4 {
                break;
            }
        }
        assert_eq!(picked.len(), 4, "four communities in the first page");
        let cases = [
            (DAY, Some("command-test cluster")),
            (DAY, None),
            ("2020-03-15", None),
            ("2020-03-10", None),
        ];
        for ((person, _), (day, cluster)) in picked.iter().zip(cases) {
            let mut body = serde_json::json!({
                "person_id": person, "kind": "confirmed", "origin": "local", "reported_on": day,
            });
            if let Some(c) = cluster {
                body["cluster"] = serde_json::json!(c);
            }
            let (status, v) = post_json(&t, "/api/v1/cases", &body).await;
            assert_eq!(status, 201, "{v}");
        }
        [picked[0].1, picked[1].1, picked[2].1, picked[3].1]
    })
    .await
}

fn cookie(t: &str) -> String {
    format!("zk_session={t}")
}

#[tokio::test]
async fn the_risk_map_api_gives_every_colour_on_the_day_and_names_bad_days() {
    let ids = five_colours().await;
    let t = token("commander").await;
    let (status, map) = get_json(&t, &format!("/api/v1/command/risk-map?day={DAY}")).await;
    assert_eq!(status, 200, "{map}");
    let level_of = |id: i64| {
        map["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["area_id"] == id)
            .map(|a| a["level"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(
        ids.map(level_of),
        ["red", "orange", "yellow", "blue"].map(String::from)
    );
    let red = map["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area_id"] == ids[0])
        .unwrap();
    assert!(red["figures"]["cluster_cases_14d"].as_i64().unwrap() >= 1);
    assert!(
        map["areas"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["level"] == "green")
    );

    for (day, code) in [
        ("2020-02-31", "bad_date"),
        ("2099-01-01", "future"),
        ("2000-01-01", "before_data"),
    ] {
        let (status, body) = get_json(&t, &format!("/api/v1/command/risk-map?day={day}")).await;
        assert_eq!(status, 422, "{day}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], "day", "{body}");
        assert_eq!(body["error"]["fields"][0]["code"], code, "{body}");
    }
    let resident = token("resident").await;
    let (status, _) = get_json(&resident, "/api/v1/command/risk-map").await;
    assert_eq!(status, 403);

    let (status, idx) = get_json(&t, &format!("/api/v1/command/index?day={DAY}")).await;
    assert_eq!(status, 200);
    assert!(!idx["streets"].as_array().unwrap().is_empty());

    let (status, b) = get_json(&t, &format!("/api/v1/command/briefing?day={DAY}")).await;
    assert_eq!(status, 200);
    assert_eq!(b["date"], DAY);
    assert_eq!(b["days_without_new_confirmed"], 0);
    assert!(
        b["risk_levels"]
            .as_object()
            .unwrap()
            .values()
            .any(|v| v == "red")
    );
    assert!(
        b["quarantine_current"].is_i64(),
        "{}",
        b["quarantine_current"]
    );

    let doc = crate::common::client()
        .get(server().url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    for p in [
        "/api/v1/command/risk-map",
        "/api/v1/command/index",
        "/api/v1/command/briefing",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
}

#[tokio::test]
async fn pages_and_the_briefing_download_in_three_formats() {
    five_colours().await;
    let t = token("commander").await;
    let get = |path: String| {
        let t = t.clone();
        async move {
            client()
                .get(server().url(&path))
                .header("cookie", cookie(&t))
                .send()
                .await
                .unwrap()
        }
    };
    let res = get(format!("/command?day={DAY}&level=community")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    for colour in ["#d7191c", "#f28c28", "#f5d328", "#2c7bb6", "#1a9641"] {
        assert!(
            html.contains(&format!("fill=\"{colour}\"")),
            "{colour} not drawn"
        );
    }
    assert!(html.contains("/command/areas/"));
    let res = get("/command?level=district".into()).await;
    assert_eq!(res.status(), 422);
    let res = get("/command?day=2099-01-01".into()).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("2099-01-01"));

    let res = get(format!("/command/index?day={DAY}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("index-trend") && html.contains("无数据"));

    let res = get(format!("/command/briefing?day={DAY}&format=json")).await;
    assert_eq!(res.status(), 200);
    let b: serde_json::Value = res.json().await.unwrap();
    assert_eq!(b["date"], DAY);
    let res = get(format!("/command/briefing?day={DAY}&format=xlsx")).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("briefing-{DAY}.xlsx"))
    );
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let res = get(format!("/command/briefing?day={DAY}&format=pdf")).await;
    assert_eq!(res.status(), 422);

    let resident = token("resident").await;
    let res = client()
        .get(server().url("/command"))
        .header("cookie", cookie(&resident))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn in_the_browser_the_map_shows_five_colours_and_links_to_an_area() {
    five_colours().await;
    let Some(browser) = testkit::Browser::start().await else {
        return;
    };
    browser
        .run("command_map", async |c| {
            browser_log_in(c, "commander").await?;
            c.find(Locator::Css("nav a[href='/command']"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Id("risk-map")).await?;
            // Pick the day in the selector, then the communities.
            let input = c.find(Locator::Css("#day-form input[name='day']")).await?;
            c.execute(
                "arguments[0].value = arguments[1]; arguments[0].form.submit();",
                vec![
                    serde_json::to_value(&input).unwrap(),
                    serde_json::json!(DAY),
                ],
            )
            .await?;
            c.wait()
                .for_element(Locator::XPath(&format!(
                    "//span[@id='command-day' and text()='{DAY}']"
                )))
                .await?;
            c.find(Locator::Id("show-communities"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Id("show-streets")).await?;
            for level in ["red", "orange", "yellow", "blue", "green"] {
                let n: usize = c
                    .find(Locator::Css(&format!(
                        "#level-counts li[data-level='{level}'] b"
                    )))
                    .await?
                    .text()
                    .await?
                    .parse()
                    .unwrap();
                assert!(n >= 1, "no {level} community on {DAY}");
            }
            c.find(Locator::Css("#map svg path")).await?;
            c.execute(
                "document.getElementById('risk-map').scrollIntoView();",
                vec![],
            )
            .await?;
            Ok::<_, testkit::fantoccini::error::CmdError>(())
        })
        .await
        .unwrap();
    // The map with all five colours, in the test output.
    browser.screenshot("command_map_five_colours").await;
    browser
        .run("command_area_detail", async |c| {
            // Click a red community: its detail says red, with its history.
            c.find(Locator::Css("#map a path[fill='#d7191c']"))
                .await?
                .click()
                .await?;
            let level = c
                .wait()
                .for_element(Locator::Id("area-level"))
                .await?
                .attr("data-level")
                .await?;
            assert_eq!(level.as_deref(), Some("red"));
            c.find(Locator::Id("area-history")).await?;
            // The briefing's HTML opens from the dashboard.
            c.goto(&server().url(&format!("/command/briefing?day={DAY}&format=html")))
                .await?;
            let h1 = c.find(Locator::Css("h1")).await?.text().await?;
            assert!(h1.contains(DAY), "{h1}");
            c.find(Locator::Css("#community-map svg")).await?;
            Ok::<_, testkit::fantoccini::error::CmdError>(())
        })
        .await
        .unwrap();
    browser.close().await;
}
