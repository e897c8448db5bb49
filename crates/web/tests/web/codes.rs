//! The health code over HTTP: a ZK1 code issued by the server verifies offline against the
//! signed trust list (and fails a minute after expiry), the status list, appeals through the
//! API, and the verifier and review pages.

use credential::chrono::{TimeDelta, Utc};
use credential::{PublicKey, SignedDocument, TrustStore};
use serde_json::{Value, json};

use crate::common::{PASSWORD, client, get_json, post_json, server, token};

/// A session for page forms: (token, csrf).
async fn session(username: &str) -> (String, String) {
    let res = client()
        .post(server().url("/api/v1/session"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    (
        body["token"].as_str().unwrap().to_owned(),
        body["csrf_token"].as_str().unwrap().to_owned(),
    )
}

/// The trust list as a verifier builds it: fetch the anchor (pinned out of band in real life),
/// fetch the signed list, check its signature, load its keys.
async fn trust_store() -> TrustStore {
    let anchor: Value = client()
        .get(server().url("/api/v1/trust-anchor"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut pinned = TrustStore::new();
    pinned.add_trust_list_json(&anchor.to_string()).unwrap();
    let anchors: Vec<PublicKey> = pinned.keys().iter().map(|k| k.key.clone()).collect();
    let signed = client()
        .get(server().url("/api/v1/trust-list"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = SignedDocument::from_json(&signed).unwrap();
    let body = doc.open(&anchors, "zhikong-trust-list").unwrap();
    let mut store = TrustStore::new();
    store
        .add_trust_list_json(std::str::from_utf8(&body).unwrap())
        .unwrap();
    store
}

#[tokio::test]
async fn an_issued_code_verifies_offline_and_fails_a_minute_after_expiry() {
    let tok = token("resident").await;
    let (status, cred) = get_json(&tok, "/api/v1/code/credential").await;
    assert_eq!(status, 200, "{cred}");
    let text = cred["text"].as_str().unwrap();
    assert!(text.starts_with("ZK1:"));
    assert!(
        cred["qr_svg"].as_str().unwrap().starts_with("<svg")
            || cred["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let png = client()
        .get(server().url("/api/v1/code/credential.png"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let trust = trust_store().await;
    let now = Utc::now();
    let ok = credential::verify(text, &trust, now);
    assert!(ok.valid, "{ok:?}");
    assert_eq!(ok.claims["col"], cred["code"]["colour"]);
    let ttl = TimeDelta::seconds(cred["expires_in_seconds"].as_i64().unwrap());
    let late = credential::verify(text, &trust, now + ttl + TimeDelta::minutes(1));
    assert!(!late.valid);
    assert_eq!(late.checks.signature, Some(true));
    assert_eq!(late.checks.expiry, Some(false));
    // A forged trust list does not open with the pinned anchor.
    let signed: Value = client()
        .get(server().url("/api/v1/trust-list"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut forged: SignedDocument = serde_json::from_value(signed).unwrap();
    forged.payload = forged.payload.replace('A', "B");
    let other = credential::SigningKey::generate().unwrap().public_key();
    assert!(forged.open(&[other], "zhikong-trust-list").is_err());
}

#[tokio::test]
async fn the_status_list_is_signed_and_for_verifiers_only() {
    let since = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let path = format!("/api/v1/status-list?since={}", since.replace('+', "%2B"));
    let (s, _) = get_json(&token("resident").await, &path).await;
    assert_eq!(s, 403);
    let officer = token("checkpoint_officer").await;
    let (s, doc) = get_json(&officer, &path).await;
    assert_eq!(s, 200, "{doc}");
    assert!(doc["payload"].is_string() && doc["signature"].is_string());
    let (s, err) = get_json(&officer, "/api/v1/status-list?since=yesterday").await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "since");
    let (s, err) = get_json(&officer, "/api/v1/status-list?since=2020-01-01T00:00:00Z").await;
    assert_eq!(s, 422, "{err}");
}

#[tokio::test]
async fn an_officer_appeals_for_a_person_and_a_reviewer_decides() {
    let worker = token("community_worker").await;
    // Someone in 金穗社区 other than the demo resident (the browser test uses that one).
    let me = get_json(&token("resident").await, "/api/v1/code").await.1;
    let (_, people) = get_json(&worker, "/api/v1/people?limit=5").await;
    let person = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .find(|id| Some(*id) != me["person_id"].as_i64())
        .unwrap();
    let path = format!("/api/v1/code/appeals?person_id={person}");
    let (s, bad) = post_json(&worker, &path, &json!({"explanation": ""})).await;
    assert_eq!(
        (s, bad["error"]["fields"][0]["field"].as_str()),
        (422, Some("explanation"))
    );
    let (s, appeal) = post_json(
        &worker,
        &path,
        &json!({"explanation": "本人行程登记有误，请核实。"}),
    )
    .await;
    assert_eq!(s, 201, "{appeal}");
    let id = appeal["id"].as_i64().unwrap();
    let commander = token("commander").await;
    let (s, queue) = get_json(&commander, "/api/v1/code-reviews").await;
    assert_eq!(s, 200);
    assert!(
        queue["appeals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id)
    );
    // A resident may not decide.
    let decision = json!({"uphold": false, "decision": "行程属实，维持原码"});
    let (s, _) = post_json(
        &token("resident").await,
        &format!("/api/v1/code-reviews/appeals/{id}/decision"),
        &decision,
    )
    .await;
    assert_eq!(s, 403);
    let (s, decided) = post_json(
        &commander,
        &format!("/api/v1/code-reviews/appeals/{id}/decision"),
        &decision,
    )
    .await;
    assert_eq!(s, 200, "{decided}");
    assert_eq!(decided["status"], "rejected");
    let (_, mine) = get_json(&worker, &path).await;
    assert_eq!(mine[0]["decision"], "行程属实，维持原码");
    let body = json!({"uphold": true, "decision": "ok"});
    let (s, _) = post_json(&commander, "/api/v1/code-reviews/appeals/x/decision", &body).await;
    assert_eq!(s, 400);
    let (s, _) = post_json(
        &commander,
        "/api/v1/code-reviews/appeals/999999/decision",
        &body,
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn the_verifier_page_shows_the_decision_large() {
    let cred = get_json(&token("resident").await, "/api/v1/code/credential")
        .await
        .1;
    let text = cred["text"].as_str().unwrap().to_owned();
    let (tok, csrf) = session("checkpoint_officer").await;
    let verify = |t: String| {
        let (tok, csrf) = (tok.clone(), csrf.clone());
        async move {
            let res = client()
                .post(server().url("/verify"))
                .header("cookie", format!("zk_session={tok}"))
                .form(&[("csrf", csrf.as_str()), ("text", t.as_str())])
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (s, page) = verify(text).await;
    assert_eq!(s, 200);
    // The colour may change meanwhile (the browser test declares for the same resident), so
    // the decision is one of the valid ones.
    assert!(
        ["pass", "refer", "stop"]
            .iter()
            .any(|d| page.contains(&format!("data-decision=\"{d}\""))),
        "{page}"
    );
    let (s, page) = verify("ZK1:NOT-A-CODE".into()).await;
    assert_eq!(s, 200);
    assert!(page.contains("data-decision=\"invalid\""));
    assert!(page.contains("base45"));
    // A resident has no verifier page.
    let (rtok, _) = session("resident").await;
    let res = client()
        .get(server().url("/verify"))
        .header("cookie", format!("zk_session={rtok}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_review_page_lists_the_queue_and_refuses_bad_forms() {
    let (tok, csrf) = session("commander").await;
    let res = client()
        .get(server().url("/codes/review"))
        .header("cookie", format!("zk_session={tok}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("赋码审核"));
    let res = client()
        .post(server().url("/codes/review/overrides"))
        .header("cookie", format!("zk_session={tok}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("person_id", "abc"),
            ("colour", "green"),
            ("reason", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("person_id"));
}

mod browser {
    use testkit::fantoccini::{Client, Locator, error::CmdError};

    use crate::common::{browser_log_in as login, browser_log_out as logout, server};

    async fn fill(c: &Client, id: &str, text: &str) -> Result<(), CmdError> {
        let field = c.find(Locator::Id(id)).await?;
        field.clear().await?;
        field.send_keys(text).await
    }

    /// The resident declares a fever, sees the code turn with its reason and appeals; the
    /// checkpoint officer scans the code with a handheld scanner (text + Enter); a reviewer
    /// decides the appeal and the resident sees the answer.
    #[tokio::test]
    async fn declare_code_verify_and_appeal() {
        let Some(browser) = testkit::Browser::start().await else {
            return;
        };
        let text = browser
            .run("code_declare", async |c| {
                login(c, "resident").await?;
                c.goto(&server().url("/code/declare")).await?;
                fill(c, "temperature", "38.6").await?;
                fill(c, "address", "金穗社区 5 幢 302").await?;
                c.find(Locator::Css(
                    "form[action='/code/declare'] button[type=submit]",
                ))
                .await?
                .click()
                .await?;
                let band = c.wait().for_element(Locator::Css(".code-colour")).await?;
                let colour = band.attr("data-colour").await?.unwrap_or_default();
                assert!(
                    colour == "yellow" || colour == "red",
                    "fever gives {colour}"
                );
                c.find(Locator::Css("[data-reason='reason.fever_or_symptoms']"))
                    .await?;
                let qr = c.find(Locator::Id("qr")).await?;
                let text = qr.attr("data-text").await?.unwrap_or_default();
                assert!(text.starts_with("ZK1:"), "{text}");
                assert!(qr.find(Locator::Css("svg")).await.is_ok());
                Ok::<_, CmdError>(text)
            })
            .await
            .unwrap();
        browser.screenshot("code_resident").await;
        browser
            .run("code_appeal", async |c| {
                fill(c, "explanation", "体温计故障，复测 36.5 ℃。").await?;
                c.find(Locator::Css("form[action='/code/appeal'] button"))
                    .await?
                    .click()
                    .await?;
                c.wait()
                    .for_element(Locator::Css(".appeal-pending"))
                    .await?;
                logout(c).await
            })
            .await
            .unwrap();
        browser
            .run("code_verify", async |c| {
                login(c, "checkpoint_officer").await?;
                c.goto(&server().url("/verify")).await?;
                // A handheld scanner types the text and presses Enter.
                c.find(Locator::Id("scan"))
                    .await?
                    .send_keys(&format!("{text}\n"))
                    .await?;
                let verdict = c.wait().for_element(Locator::Id("verdict")).await?;
                let decision = verdict.attr("data-decision").await?.unwrap_or_default();
                assert!(decision == "refer" || decision == "stop", "{decision}");
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        browser.screenshot("code_verifier").await;
        browser
            .run("code_review", async |c| {
                logout(c).await?;
                login(c, "commander").await?;
                c.goto(&server().url("/codes/review")).await?;
                // The resident's appeal, among the demo's others.
                let card = c
                    .wait()
                    .for_element(Locator::XPath(
                        "//div[@data-appeal][.//p[contains(., '体温计故障')]]//form",
                    ))
                    .await?;
                card.find(Locator::Css("input[name=decision]"))
                    .await?
                    .send_keys("经复测体温正常，予以纠正")
                    .await?;
                card.find(Locator::Css("button[value=uphold]"))
                    .await?
                    .click()
                    .await?;
                c.wait().for_element(Locator::Css(".notice")).await?;
                logout(c).await?;
                login(c, "resident").await?;
                c.goto(&server().url("/code")).await?;
                c.find(Locator::Css(".appeal-upheld")).await?;
                let page = c.source().await?;
                assert!(page.contains("经复测体温正常，予以纠正"));
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        browser.close().await;
    }
}

#[tokio::test]
async fn a_colour_set_by_hand_through_the_api_and_its_decisions() {
    let worker = token("community_worker").await;
    let commander = token("commander").await;
    let me = get_json(&token("resident").await, "/api/v1/code").await.1;
    let (_, people) = get_json(&worker, "/api/v1/people?limit=20").await;
    // A third person of 金穗社区: not the resident, not the appeal test's one.
    let person = people["items"].as_array().unwrap()[..]
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .filter(|id| Some(*id) != me["person_id"].as_i64())
        .nth(2)
        .unwrap();
    let (_, code) = get_json(&worker, &format!("/api/v1/code?person_id={person}")).await;
    let target = if code["colour"] == "yellow" {
        "red"
    } else {
        "yellow"
    };
    let (s, o) = post_json(
        &worker,
        "/api/v1/code-reviews/overrides",
        &json!({"person_id": person, "colour": target, "reason": "复核发现行程信息有误"}),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    let id = o["id"].as_i64().unwrap();
    let path = |action: &str| format!("/api/v1/code-reviews/overrides/{id}/{action}");
    let (s, _) = post_json(&commander, &path("bless"), &json!({"note": ""})).await;
    assert_eq!(s, 404);
    if o["status"] == "pending" {
        let (s, _) = post_json(&worker, &path("approve"), &json!({"note": ""})).await;
        assert_eq!(s, 403, "not the requester");
        let (s, done) = post_json(&commander, &path("approve"), &json!({"note": "同意"})).await;
        assert_eq!((s, done["status"].as_str()), (200, Some("active")));
    }
    let (_, now) = get_json(&worker, &format!("/api/v1/code?person_id={person}")).await;
    assert_eq!(now["colour"], target);
    assert_eq!(now["history"][0]["kind"], "manual");
    let (s, err) = post_json(&commander, &path("revoke"), &json!({"note": ""})).await;
    assert_eq!(
        (s, err["error"]["fields"][0]["field"].as_str()),
        (422, Some("note"))
    );
    let (s, done) = post_json(&commander, &path("revoke"), &json!({"note": "已更正行程"})).await;
    assert_eq!((s, done["status"].as_str()), (200, Some("revoked")));
}
