//! The economy dashboard and data-entry pages, over HTTP and in the browser. The shared server
//! holds the economy demo (2014–2019); tests that write use years after 2019, one indicator
//! each, so that they cannot change what another test reads of 2019.

use serde_json::{Value, json};
use testkit::fantoccini::{Locator, error::CmdError};

use crate::common::{
    browser_log_in, browser_log_out, client, csrf, multipart, page, post_form, server, token,
};

/// The table row of one indicator on the dashboard.
fn row<'a>(html: &'a str, code: &str) -> &'a str {
    let at = html
        .find(&format!("<tr data-code=\"{code}\">"))
        .unwrap_or_else(|| panic!("row {code}"));
    &html[at..at + html[at..].find("</tr>").unwrap()]
}

fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("#{id}"))
        + id.len()
        + 6;
    &html[at..at + html[at..].find('<').unwrap()]
}

#[tokio::test]
async fn the_dashboard_shows_2019_from_records() {
    let tok = token("commander").await;
    let (status, html) = page(&tok, "/economy?year=2019").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("全年GDP可比增长7%"),
        "the summary, from records"
    );
    assert!(row(&html, "gdp").contains("7%"));
    assert!(row(&html, "fdi_contracted").contains("7.85亿美元"));
    assert!(
        row(&html, "fdi_contracted").contains("econ-high"),
        "a historic high"
    );
    assert!(row(&html, "industrial_output").contains("497.6亿元"));
    // Retail sales: growth 9.8%, first of the eight districts by growth.
    assert!(row(&html, "retail_sales").contains("9.8%"));
    assert!(row(&html, "retail_sales").contains(">1/8<"));
    assert!(row(&html, "budget_revenue").contains(">3/8<"));
    for (id, expected) in [
        ("econ-fortune500", "37"),
        ("econ-started", "26"),
        ("econ-completed", "34"),
        ("econ-over-ten-million", "36"),
        ("econ-over-hundred-million", "10"),
        ("econ-tax-per-mu", "42.6"),
    ] {
        assert_eq!(text_of(&html, id), expected, "#{id}");
    }
    assert!(html.contains("第五届招商大会"));
    assert!(html.contains("<b>37</b> · ") && html.contains("<b>2</b>"));
    // Trend and ranking charts are drawn on the server.
    assert!(html.matches("<svg class=\"chart\"").count() > 10);
    // English on request; the figures stay the same.
    let res = client()
        .get(server().url("/economy?year=2019"))
        .header("cookie", format!("zk_session={tok}; zk_lang=en"))
        .send()
        .await
        .unwrap();
    let en = res.text().await.unwrap();
    assert!(en.contains("Economic operation") && en.contains("Retail sales"));
    assert!(row(&en, "retail_sales").contains("9.8%"));
}

#[tokio::test]
async fn the_report_and_the_values_download() {
    let tok = token("liaison_officer").await;
    let get = async |path: &str| {
        client()
            .get(server().url(path))
            .header("cookie", format!("zk_session={tok}"))
            .send()
            .await
            .unwrap()
    };
    let xlsx = get("/economy/report?year=2019&format=xlsx").await;
    assert_eq!(xlsx.status(), 200);
    assert!(
        xlsx.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("economy-2019.xlsx")
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    let report: Value = get("/economy/report?year=2019&format=json")
        .await
        .json()
        .await
        .unwrap();
    let gdp = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "gdp")
        .unwrap();
    assert_eq!(gdp["growth_bp"], 700);
    let html = get("/economy/report?year=2019&through=7&format=html").await;
    assert_eq!(html.status(), 200);
    assert!(
        html.text()
            .await
            .unwrap()
            .contains("2019年1-7月经济运行报告")
    );
    let values = get("/economy/indicators.xlsx?from=2019&to=2019").await;
    assert_eq!(values.status(), 200);
    assert!(values.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    // Bad parameters name the field.
    for (path, field) in [
        ("/economy/report?year=2019&format=pdf", "format"),
        ("/economy/report?year=abc", "year"),
        ("/economy?year=2019&through=13", "through"),
        ("/economy/indicators.xlsx?from=soon", "from"),
    ] {
        let res = get(path).await;
        assert_eq!(res.status(), 422, "{path}");
        assert!(res.text().await.unwrap().contains(field), "{path}");
    }
}

#[tokio::test]
async fn residents_may_not_see_it_and_liaison_officers_may_not_enter() {
    let resident = token("resident").await;
    for path in ["/economy", "/economy/entry", "/economy/report?year=2019"] {
        assert_eq!(page(&resident, path).await.0, 403, "{path}");
    }
    let res = client()
        .get(server().url("/api/v1/economy/figures?year=2019"))
        .bearer_auth(&resident)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let liaison = token("liaison_officer").await;
    assert_eq!(page(&liaison, "/economy?year=2019").await.0, 200);
    assert_eq!(page(&liaison, "/economy/entry").await.0, 403);
    let reviewer = token("department_reviewer").await;
    let token = csrf(&reviewer, "/economy/entry").await;
    // Forms without the session's token are refused before anything is read.
    let (status, _, _) = post_form(
        &reviewer,
        "/economy/values",
        &[("csrf", "forged"), ("indicator", "gdp")],
    )
    .await;
    assert_eq!(status, 403);
    // A liaison officer's valid token still does not give the right to edit.
    let liaison_token = csrf(&liaison, "/economy?year=2019").await;
    let (status, _, _) = post_form(
        &liaison,
        "/economy/values",
        &[("csrf", &liaison_token), ("indicator", "gdp")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(!token.is_empty());
}

#[tokio::test]
async fn a_value_is_entered_and_bad_fields_are_named() {
    let tok = token("department_reviewer").await;
    let csrf = csrf(&tok, "/economy/entry").await;
    let form = |unit: &'static str, period: &'static str, value: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("indicator", "budget_revenue".to_owned()),
            ("region", "330402".to_owned()),
            ("period", period.to_owned()),
            ("value", value.to_owned()),
            ("unit", unit.to_owned()),
        ]
    };
    for (f, field) in [
        (form("万美元", "2021", "31"), "unit"),
        (form("亿元", "2021-13", "31"), "period"),
        (form("亿元", "2021", "3l"), "value"),
        (form("亿元", "2021-03", "3"), "period"), // January and February missing
    ] {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) = post_form(&tok, "/economy/values", &pairs).await;
        assert_eq!(status, 422, "{field}: {html}");
        assert!(
            html.contains(&format!("data-field=\"{field}\"")),
            "{field} named"
        );
        // What was typed is kept.
        assert!(html.contains(&format!("value=\"{}\"", f[4].1)));
    }
    let good = form("亿元", "2021", "31");
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location, _) = post_form(&tok, "/economy/values", &pairs).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/economy/entry?saved=value")
    );
    let (_, html) = page(&tok, "/economy?year=2021").await;
    assert!(row(&html, "budget_revenue").contains("31亿元"));
    let admin = token("admin").await;
    let (_, audit) = page(&admin, "/audit").await;
    assert!(audit.contains("economy.value.record"));
}

async fn upload(tok: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (u16, String) {
    let (content_type, body) = multipart(fields, file);
    let res = client()
        .post(server().url("/economy/import"))
        .header("cookie", format!("zk_session={tok}"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn an_import_shows_its_report_row_by_row() {
    let tok = token("department_reviewer").await;
    let csrf = csrf(&tok, "/economy/entry").await;
    let kind = [("csrf", csrf.as_str()), ("kind", "indicators")];
    let bad = "indicator,region,period,value,unit\nfai,330402,2023,250,亿元\nno_such,330402,2023,1,亿元\nfai,330421,2023,3,万美元\n";
    let (status, html) = upload(&tok, &kind, Some(("2023.csv", bad.as_bytes()))).await;
    assert_eq!(status, 422);
    assert!(html.contains("data-code=\"unknown_indicator\""));
    assert!(html.contains("data-code=\"unit_mismatch\"") || html.contains("万美元"));
    assert!(
        html.contains("id=\"econ-import-written\">0<"),
        "nothing written"
    );
    let (_, dash) = page(&tok, "/economy?year=2023").await;
    assert!(!dash.contains("250亿元"), "not even the good row");
    let good = "indicator,region,period,value,unit\nfai,330402,2023,250,亿元\n";
    let (status, html) = upload(&tok, &kind, Some(("2023.csv", good.as_bytes()))).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"econ-import-written\">1<"));
    let (_, dash) = page(&tok, "/economy?year=2023").await;
    assert!(row(&dash, "fai").contains("250亿元"));
    // The form's own mistakes name their field.
    let (status, html) = upload(
        &tok,
        &[("csrf", &csrf), ("kind", "shoes")],
        Some(("a.csv", b"x")),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-field=\"kind\""));
    let (status, html) = upload(&tok, &kind, None).await;
    assert_eq!(status, 422);
    assert!(html.contains("data-field=\"file\""));
    let (status, _) = upload(&tok, &[("csrf", "forged"), ("kind", "indicators")], None).await;
    assert_eq!(status, 403);
    let res = client()
        .post(server().url("/economy/import"))
        .header("cookie", format!("zk_session={tok}"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body("garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_project_stage_is_recorded_and_checked() {
    let tok = token("department_reviewer").await;
    let (_, html) = page(&tok, "/economy/entry").await;
    let csrf = csrf(&tok, "/economy/entry").await;
    // A project standing at the signed stage (its label ends with the stage).
    let signed = html
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains(" · 签约</option>"))
        .expect("a signed project");
    let id = &signed[..signed.find('"').unwrap()];
    for (stage, on, field) in [
        ("started", "2021-13-01", "on"),
        ("signed", "2021-03-01", "stage"), // the same stage again, without a reason
        ("started", "1999-01-01", "stage"), // before the signing
    ] {
        let (status, _, html) = post_form(
            &tok,
            "/economy/stages",
            &[
                ("csrf", &csrf),
                ("project", id),
                ("stage", stage),
                ("on", on),
            ],
        )
        .await;
        assert_eq!(status, 422, "{stage} {on}");
        assert!(
            html.contains(&format!("data-field=\"{field}\"")),
            "{stage} {on}"
        );
    }
    let (status, _, html) = post_form(
        &tok,
        "/economy/stages",
        &[
            ("csrf", &csrf),
            ("project", ""),
            ("stage", "started"),
            ("on", "2021-03-01"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-field=\"project\""));
    let (status, location, _) = post_form(
        &tok,
        "/economy/stages",
        &[
            ("csrf", &csrf),
            ("project", id),
            ("stage", "started"),
            ("on", "2021-03-01"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/economy/entry?saved=stage")
    );
    let (_, html) = page(&tok, "/economy/entry").await;
    assert!(html.contains(&format!("<option value=\"{id}\">")));
    let option = html
        .split(&format!("<option value=\"{id}\">"))
        .nth(1)
        .unwrap();
    let label = &option[..option.find('<').unwrap()];
    assert!(label.ends_with("· 开工"), "{label}");
}

#[tokio::test]
async fn the_api_gives_the_figures_and_takes_a_value() {
    let commander = token("commander").await;
    let res = client()
        .get(server().url("/api/v1/economy/figures?year=2019"))
        .bearer_auth(&commander)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let retail = body["report"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "retail_sales")
        .unwrap();
    assert_eq!(
        (retail["growth_bp"].clone(), retail["growth_rank"].clone()),
        (json!(980), json!(1))
    );
    assert_eq!(body["report"]["projects"]["fortune500_to_date"], 37);
    assert_eq!(body["buildings"].as_array().unwrap().len(), 36);
    let post = async |value: Value| {
        let res = client()
            .post(server().url("/api/v1/economy/values"))
            .bearer_auth(&commander)
            .json(&value)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json::<Value>().await.unwrap())
    };
    let (status, err) =
        post(json!({"indicator": "fdi_actual", "period": "2022", "value": "4.5", "unit": "%"}))
            .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "unit");
    let (status, ok) = post(
        json!({"indicator": "fdi_actual", "period": "2022", "value": "4.5", "unit": "亿美元"}),
    )
    .await;
    assert_eq!(status, 201, "{ok}");
    assert_eq!(ok["replaced"], false);
    let doc: Value = client()
        .get(server().url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"].get("/api/v1/economy/figures").is_some());
    assert!(doc["paths"].get("/api/v1/economy/values").is_some());
}

#[tokio::test]
async fn in_the_browser_the_commander_reads_and_the_statistics_office_enters() {
    let Some(browser) = testkit::Browser::start().await else {
        return;
    };
    browser
        .run("economy_commander", async |c| {
            browser_log_in(c, "commander").await?;
            // Through the navigation, then the year 2019.
            c.find(Locator::Css("nav a[href='/economy']"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Id("econ-period")).await?;
            c.goto(&server().url("/economy?year=2019")).await?;
            let gdp = c
                .find(Locator::Css("tr[data-code='gdp'] .econ-growth"))
                .await?
                .text()
                .await?;
            assert!(gdp.ends_with("7%"), "GDP growth: {gdp}");
            let summary = c.find(Locator::Id("econ-summary")).await?.text().await?;
            assert!(summary.contains("增幅列全市第一"), "{summary}");
            let fortune = c.find(Locator::Id("econ-fortune500")).await?.text().await?;
            assert_eq!(fortune, "37");
            let charts = c.find_all(Locator::Css("#econ-trends svg")).await?;
            assert!(!charts.is_empty(), "trend charts drawn");
            // Kept as an artifact: how the whole dashboard looks.
            c.set_window_size(1280, 3200).await?;
            browser.screenshot("economy_dashboard").await;
            c.set_window_size(1280, 900).await?;
            browser_log_out(c).await?;
            Ok::<_, CmdError>(())
        })
        .await
        .unwrap();
    browser
        .run("economy_statistics_office", async |c| {
            browser_log_in(c, "department_reviewer").await?;
            c.goto(&server().url("/economy/entry")).await?;
            c.find(Locator::Css("#econ-indicator option[value='retail_sales']"))
                .await?
                .click()
                .await?;
            c.find(Locator::Id("econ-period-input"))
                .await?
                .send_keys("2020")
                .await?;
            c.find(Locator::Id("econ-value-input"))
                .await?
                .send_keys("130")
                .await?;
            c.find(Locator::Id("econ-unit"))
                .await?
                .send_keys("亿元")
                .await?;
            c.find(Locator::Id("econ-value-submit"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Id("econ-saved")).await?;
            c.set_window_size(1280, 2000).await?;
            browser.screenshot("economy_entry").await;
            c.set_window_size(1280, 900).await?;
            c.goto(&server().url("/economy?year=2020")).await?;
            let value = c
                .find(Locator::Css("tr[data-code='retail_sales'] .econ-value"))
                .await?
                .text()
                .await?;
            assert_eq!(value, "130亿元");
            // Growth over 2019's 121.4亿元, computed from the two records.
            let growth = c
                .find(Locator::Css("tr[data-code='retail_sales'] .econ-growth"))
                .await?
                .text()
                .await?;
            assert_eq!(growth, "7.1%");
            browser_log_out(c).await?;
            Ok::<_, CmdError>(())
        })
        .await
        .unwrap();
    browser.close().await;
}
