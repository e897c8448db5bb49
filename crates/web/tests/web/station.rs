//! The checkpoint station page over HTTP: the officer's checkpoints to pick from, the choice
//! remembered in a cookie, the page of one checkpoint with today's counts, its script and
//! service worker; an unknown, foreign, retired or malformed checkpoint is refused with the
//! right status, and so is an account that does not screen.

use serde_json::{Value, json};

use crate::common::{client, get_json, post_json, server, token};

/// GET a page with the session cookie and extra cookies: (status, Location, Set-Cookie, body).
async fn get_page(tok: &str, path: &str, cookies: &str) -> (u16, String, String, String) {
    let res = client()
        .get(server().url(path))
        .header("cookie", format!("zk_session={tok}{cookies}"))
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (location, cookie) = (header("location"), header("set-cookie"));
    (
        res.status().as_u16(),
        location,
        cookie,
        res.text().await.unwrap(),
    )
}

/// The officer's checkpoints (in 城南) and one of the zone's outside them.
async fn inside_and_outside() -> (i64, i64) {
    let officer = token("checkpoint_officer").await;
    let commander = token("commander").await;
    let (_, mine) = get_json(&officer, "/api/v1/checkpoints").await;
    let (_, all) = get_json(&commander, "/api/v1/checkpoints").await;
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let mine = ids(&mine);
    let outside = ids(&all)
        .into_iter()
        .find(|id| !mine.contains(id))
        .expect("a checkpoint outside 城南");
    (mine[0], outside)
}

#[tokio::test]
async fn the_officer_picks_a_checkpoint_once_and_its_page_opens() {
    let officer = token("checkpoint_officer").await;
    let (inside, outside) = inside_and_outside().await;

    // No checkpoint remembered: the list of the officer's own.
    let (status, _, _, html) = get_page(&officer, "/checkpoint", "").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("href=\"/checkpoint/{inside}\"")),
        "{html}"
    );
    assert!(!html.contains(&format!("href=\"/checkpoint/{outside}\"")));
    // Search narrows the list; nothing found says so.
    let (_, _, _, none) = get_page(
        &officer,
        "/checkpoint?q=%E6%97%A0%E6%AD%A4%E5%8D%A1%E7%82%B9",
        "",
    )
    .await;
    assert!(none.contains("没有符合条件的卡点"), "{none}");

    // The page: the checkpoint, the session's CSRF token for the script, today's counts, the
    // fever threshold, the script; the choice is remembered on the device.
    let (status, _, cookie, html) = get_page(&officer, &format!("/checkpoint/{inside}"), "").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("data-checkpoint=\"{inside}\"")));
    assert!(html.contains("data-csrf=\""));
    assert!(
        html.contains("data-fever=\"37.3\""),
        "threshold from the rules"
    );
    assert!(html.contains("id=\"count-total\""));
    assert!(html.contains("/assets/station.js"));
    assert!(
        html.contains("待联网核验"),
        "texts for the script, in Chinese"
    );
    assert!(
        cookie.contains(&format!("zk_checkpoint={inside}")),
        "{cookie}"
    );
    // Next time: straight there, unless asked to choose again.
    let remembered = format!("; zk_checkpoint={inside}");
    let (status, location, _, _) = get_page(&officer, "/checkpoint", &remembered).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/checkpoint/{inside}").as_str())
    );
    let (status, _, _, html) = get_page(&officer, "/checkpoint?choose=1", &remembered).await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"remembered\""));
    // A remembered checkpoint the officer may not use is ignored.
    let foreign = format!("; zk_checkpoint={outside}");
    let (status, _, _, _) = get_page(&officer, "/checkpoint", &foreign).await;
    assert_eq!(status, 200);

    // English on request.
    let (_, _, _, html) =
        get_page(&officer, &format!("/checkpoint/{inside}"), "; zk_lang=en").await;
    assert!(html.contains("Today at this checkpoint") && html.contains("QUEUED"));

    // The script and the service worker come from the binary.
    for (path, needle) in [
        ("/assets/station.js", "/api/v1/scans"),
        ("/checkpoint/sw.js", "zhikong-station-v1"),
    ] {
        let res = client().get(server().url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/javascript")
        );
        assert!(res.text().await.unwrap().contains(needle), "{path}");
    }
}

#[tokio::test]
async fn a_checkpoint_the_officer_may_not_screen_at_is_refused() {
    let officer = token("checkpoint_officer").await;
    let (inside, outside) = inside_and_outside().await;
    // Outside the officer's area: 403; unknown: 404; not a number: 400 naming the id.
    let (status, _, _, html) = get_page(&officer, &format!("/checkpoint/{outside}"), "").await;
    assert_eq!(status, 403, "{html}");
    let (status, _, _, _) = get_page(&officer, "/checkpoint/987654321", "").await;
    assert_eq!(status, 404);
    let (status, _, _, html) = get_page(&officer, "/checkpoint/abc", "").await;
    assert_eq!(status, 400);
    assert!(html.contains("id"), "{html}");
    // Who does not screen may not open the station, nor the list.
    let resident = token("resident").await;
    let (status, _, _, _) = get_page(&resident, &format!("/checkpoint/{inside}"), "").await;
    assert_eq!(status, 403);
    let (status, _, _, _) = get_page(&resident, "/checkpoint", "").await;
    assert_eq!(status, 403);
    // Signed out: to the login form, back here afterwards.
    let res = client()
        .get(server().url(&format!("/checkpoint/{inside}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );

    // The upload the page makes refuses a scan at the foreign checkpoint, naming the field.
    let at = chrono::Utc::now().to_rfc3339();
    let (status, r) = post_json(
        &officer,
        "/api/v1/scans",
        &json!({"scans": [{"event_id": "station-foreign-1", "checkpoint_id": outside, "at": at,
                            "id_number": "11010519491231002X", "direction": "in"}]}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["items"][0]["status"], "rejected");
    assert_eq!(r["items"][0]["error"]["field"], "checkpoint_id");
    assert_eq!(r["items"][0]["error"]["code"], "out_of_scope");

    // A retired checkpoint takes no scans: its station is 409 naming the id.
    let commander = token("commander").await;
    let (_, cp) = get_json(&commander, &format!("/api/v1/checkpoints/{inside}")).await;
    let (status, made) = post_json(
        &commander,
        "/api/v1/checkpoints",
        &json!({"code": "STATION-RETIRED-1", "kind": "community_gate", "name": "值守测试小门",
                "area_id": cp["area_id"], "lat": 30.75, "lon": 120.76, "hours": "24h",
                "staff_on_duty": 2}),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let (status, ..) = get_page(&officer, &format!("/checkpoint/{id}"), "").await;
    assert_eq!(status, 200);
    let (status, _) = post_json(
        &commander,
        &format!("/api/v1/checkpoints/{id}/retire"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, _, html) = get_page(&officer, &format!("/checkpoint/{id}"), "").await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("id"));
}

/// In headless Chromium against a server of the test's own: the officer screens online, the
/// server goes down, screening goes on into the browser's queue (also across a reload), the
/// server comes back and the queue drains — every scan stored exactly once, with its verdict.
mod offline {
    use std::time::Duration;

    use serde_json::Value;
    use testkit::fantoccini::{Client, Locator, error::CmdError};

    use crate::common::{OwnServer, PASSWORD, client};

    async fn api_token(s: &OwnServer, user: &str) -> String {
        let res = client()
            .post(s.url("/api/v1/session"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn api_get(s: &OwnServer, tok: &str, path: &str) -> Value {
        let res = client()
            .get(s.url(path))
            .bearer_auth(tok)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.json().await.unwrap()
    }

    /// A fresh signed code of a person, as the commander may fetch it.
    async fn code_of(s: &OwnServer, commander: &str, person: i64) -> String {
        let v = api_get(
            s,
            commander,
            &format!("/api/v1/code/credential?person_id={person}"),
        )
        .await;
        v["text"].as_str().unwrap().to_owned()
    }

    /// Persons of the demo with an ID number, the first `n` by id: (id, ID number).
    async fn persons(s: &OwnServer, n: usize) -> Vec<(i64, String)> {
        let store = store::Store::open_sqlite(s.dir.path()).await.unwrap();
        let mut tx = store.read().await.unwrap();
        let mut out = vec![];
        for (id, _) in tx.code_colours().await.unwrap() {
            if let Some(number) = tx.person(id).await.unwrap().id_number {
                out.push((id, number));
            }
            if out.len() == n {
                break;
            }
        }
        tx.rollback().await.unwrap();
        store.close().await;
        out
    }

    async fn colour(s: &OwnServer, commander: &str, person: i64) -> String {
        let v = api_get(s, commander, &format!("/api/v1/code?person_id={person}")).await;
        v["colour"].as_str().unwrap_or_default().to_owned()
    }

    /// A code that looks right but is signed with a key nobody trusts.
    fn forged_code() -> String {
        let key = credential::SigningKey::generate().unwrap();
        let claims = credential::Claims {
            issuer: app::codes::ISSUER.to_owned(),
            reference: "forged-reference".to_owned(),
            colour: credential::Colour::Green,
            since: chrono::Utc::now().date_naive(),
            masked_name: "张**".to_owned(),
        };
        credential::issue(&key, &claims, chrono::Utc::now(), credential::DEFAULT_TTL).unwrap()
    }

    /// Scans stored at a checkpoint today, by decision: (total, pass, refer, stop), read
    /// straight from the database.
    async fn stored(s: &OwnServer, checkpoint: i64) -> (i64, i64, i64, i64) {
        let store = store::Store::open_sqlite(s.dir.path()).await.unwrap();
        let mut tx = store.read().await.unwrap();
        let from = chrono::Utc::now().timestamp_millis() - 3_600_000;
        let c = tx
            .scan_counts_at(checkpoint, from, from + 2 * 3_600_000)
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        store.close().await;
        (c.total, c.pass, c.refer, c.stop)
    }

    async fn fill(c: &Client, id: &str, text: &str) -> Result<(), CmdError> {
        let field = c.find(Locator::Id(id)).await?;
        field.clear().await?;
        field.send_keys(text).await
    }

    /// The event id of the scan shown large now ("" before any).
    async fn shown_event(c: &Client) -> Result<String, CmdError> {
        let d = c.find(Locator::Id("decision")).await?;
        Ok(d.attr("data-event").await?.unwrap_or_default())
    }

    /// Scan like a handheld scanner (text + Enter) with a temperature, or none; returns the
    /// event id shown before, for [`decided`] to wait for the new one.
    async fn scan(c: &Client, code: &str, temperature: &str) -> Result<String, CmdError> {
        let before = shown_event(c).await?;
        fill(c, "temperature", temperature).await?;
        c.find(Locator::Id("scan"))
            .await?
            .send_keys(&format!("{code}\n"))
            .await?;
        Ok(before)
    }

    async fn manual(c: &Client, id_number: &str) -> Result<String, CmdError> {
        let before = shown_event(c).await?;
        let details = c.find(Locator::Id("manual")).await?;
        if details.attr("open").await?.is_none() {
            c.find(Locator::Css("#manual summary"))
                .await?
                .click()
                .await?;
        }
        fill(c, "id-number", id_number).await?;
        c.find(Locator::Css("#manual-form button"))
            .await?
            .click()
            .await?;
        Ok(before)
    }

    /// The big decision of a new scan (not the one shown as `before`) once it is `decision`
    /// (and, when given, in `state`; else answered by the server), and its text.
    async fn decided(
        c: &Client,
        before: &str,
        decision: &str,
        state: Option<&str>,
    ) -> Result<String, CmdError> {
        let new = format!("#decision[data-decision='{decision}']:not([data-event='{before}'])");
        let css = match state {
            Some(st) => format!("{new}[data-state='{st}']"),
            None => format!("{new}:not([data-state='queued'])"),
        };
        let el = match c
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(&css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                let d = c.find(Locator::Id("decision")).await?;
                eprintln!(
                    "waited for {css}; shown: {:?} {:?} {}; recent: {}",
                    d.attr("data-decision").await?,
                    d.attr("data-state").await?,
                    d.text().await?,
                    c.find(Locator::Id("recent")).await?.text().await?
                );
                return Err(e);
            }
        };
        el.text().await
    }

    async fn queued(c: &Client) -> Result<String, CmdError> {
        c.find(Locator::Id("count-queued")).await?.text().await
    }

    /// Wait until the queue count shows `n`.
    async fn queued_is(c: &Client, n: usize, secs: u64) -> Result<(), CmdError> {
        c.wait()
            .at_most(Duration::from_secs(secs))
            .for_element(Locator::Css(&format!("#station[data-queued='{n}']")))
            .await?;
        assert_eq!(queued(c).await?, n.to_string());
        Ok(())
    }

    /// Wraps the page's `fetch` so that the first successful answer to an upload never
    /// arrives: the server has stored the batch, the page sees a network error.
    const LOSE_FIRST_ANSWER: &str = r#"
        const real = window.fetch.bind(window);
        window.answersLost = 0;
        window.fetch = async (input, init) => {
            const res = await real(input, init);
            if (window.answersLost === 0 && String(input).endsWith("/api/v1/scans") && res.ok) {
                window.answersLost = 1;
                throw new TypeError("the answer was lost on the way");
            }
            return res;
        };
    "#;

    /// A wrong check character: the same number with its last character changed.
    fn wrong_check(id: &str) -> String {
        let last = if id.ends_with('1') { '2' } else { '1' };
        format!("{}{last}", &id[..17])
    }

    #[tokio::test]
    async fn scans_queue_while_the_server_is_down_and_drain_exactly_once() {
        let Some(browser) = testkit::Browser::start().await else {
            return;
        };
        let mut s = OwnServer::start(11).await;
        let commander = api_token(&s, "commander").await;
        let officer = api_token(&s, "checkpoint_officer").await;
        let cp = api_get(&s, &officer, "/api/v1/checkpoints").await[0]["id"]
            .as_i64()
            .unwrap();
        // A person whose code is green, and one made red by a confirmed case.
        let mut green = None;
        let mut red = None;
        for (id, number) in persons(&s, 40).await {
            if colour(&s, &commander, id).await != "green" {
                continue;
            }
            if green.is_none() {
                green = Some((id, number));
            } else {
                red = Some(id);
                break;
            }
        }
        let ((green, green_id), red) = (green.unwrap(), red.unwrap());
        let today = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .date_naive()
            .to_string();
        let res = client()
            .post(s.url("/api/v1/cases"))
            .bearer_auth(&commander)
            .json(
                &serde_json::json!({"person_id": red, "kind": "confirmed", "origin": "local",
                                      "reported_on": today}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(colour(&s, &commander, red).await, "red");
        let green_code = code_of(&s, &commander, green).await;
        let red_code = code_of(&s, &commander, red).await;
        let forged = forged_code();
        assert_eq!(
            stored(&s, cp).await.0,
            0,
            "no scan at the checkpoint today yet"
        );

        // Online: the server's verdicts, large.
        browser
            .run("station_online", async |c| {
                c.goto(&s.url("/login")).await?;
                fill(c, "username", "checkpoint_officer").await?;
                fill(c, "password", PASSWORD).await?;
                c.find(Locator::Id("login-submit")).await?.click().await?;
                c.wait().for_element(Locator::Id("home")).await?;
                // Pick the checkpoint once from the list.
                c.goto(&s.url("/checkpoint")).await?;
                c.find(Locator::Css(&format!("a[data-checkpoint='{cp}']")))
                    .await?
                    .click()
                    .await?;
                // The page and its script are kept for a reload without the link.
                c.wait()
                    .at_most(Duration::from_secs(20))
                    .for_element(Locator::Css("#station[data-offline='ready']"))
                    .await?;
                let before = scan(c, &green_code, "36.5").await?;
                let text = decided(c, &before, "pass", None).await?;
                assert!(text.contains("通行") && text.contains('*'), "{text}");
                let before = scan(c, &green_code, "38.2").await?;
                let text = decided(c, &before, "refer", None).await?;
                assert!(text.contains("体温异常"), "{text}");
                let before = scan(c, &red_code, "36.4").await?;
                let text = decided(c, &before, "stop", None).await?;
                assert!(text.contains("红码"), "{text}");
                // A forged code: stopped, the signature named.
                let before = scan(c, &forged, "").await?;
                let text = decided(c, &before, "stop", None).await?;
                assert!(text.contains("码无效"), "{text}");
                // By hand: a wrong check character is caught in the browser, queued nothing.
                let before = manual(c, &wrong_check(&green_id)).await?;
                let err = c.find(Locator::Id("input-error")).await?;
                assert!(err.text().await?.contains("校验位"));
                assert_eq!(shown_event(c).await?, before, "nothing new was scanned");
                queued_is(c, 0, 1).await?;
                let before = manual(c, &green_id).await?;
                decided(c, &before, "pass", None).await?;
                queued_is(c, 0, 10).await?;
                // Today's counts come from the server.
                c.wait()
                    .at_most(Duration::from_secs(10))
                    .for_element(Locator::XPath(
                        "//b[@id='count-total'][normalize-space()='5']",
                    ))
                    .await?;
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        browser.screenshot("station_online").await;
        assert_eq!(stored(&s, cp).await, (5, 2, 1, 2));

        // The server goes down: scanning goes on into the queue.
        s.stop();
        browser
            .run("station_offline", async |c| {
                let before = scan(c, &green_code, "36.6").await?;
                let text = decided(c, &before, "queued", Some("queued")).await?;
                assert!(text.contains("待联网核验"), "{text}");
                queued_is(c, 1, 10).await?;
                // A fever is judged here: refer at once.
                let before = scan(c, &green_code, "37.3").await?;
                decided(c, &before, "refer", Some("queued")).await?;
                let before = scan(c, &red_code, "").await?;
                decided(c, &before, "queued", Some("queued")).await?;
                queued_is(c, 3, 10).await?;
                scan(c, &forged, "36.8").await?;
                queued_is(c, 4, 10).await?;
                manual(c, &green_id).await?;
                queued_is(c, 5, 10).await?;
                let state = c
                    .find(Locator::Id("link"))
                    .await?
                    .attr("data-state")
                    .await?;
                assert_eq!(state.as_deref(), Some("offline"));
                // A reload without the server: the page comes from the device, the queue too.
                c.refresh().await?;
                queued_is(c, 5, 10).await?;
                // Today's counts as last known, not those of the cached page.
                let total = c.find(Locator::Id("count-total")).await?.text().await?;
                assert_eq!(total, "5");
                let items = c
                    .find_all(Locator::Css("#recent li[data-state='queued']"))
                    .await?;
                assert_eq!(items.len(), 5);
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        browser.screenshot("station_offline").await;
        assert_eq!(stored(&s, cp).await.0, 5, "nothing reached the server");

        // Back, but the answer to the first upload is lost on the way (the server stored the
        // scans; the page saw a network error): the page sends the same scans again, with the
        // same event ids, and the server answers "duplicate" with what it decided the first
        // time. The queue drains by itself and the verdicts replace "queued".
        browser
            .run("station_lose_an_answer", async |c| {
                c.execute(LOSE_FIRST_ANSWER, vec![]).await?;
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        s.restart();
        browser
            .run("station_drained", async |c| {
                queued_is(c, 0, 45).await?;
                let lost = c.execute("return window.answersLost;", vec![]).await?;
                assert_eq!(lost, serde_json::json!(1), "the first answer was dropped");
                let state = |sel: &'static str| async move {
                    c.find_all(Locator::Css(sel)).await.map(|v| v.len())
                };
                assert_eq!(state("#recent li[data-state='queued']").await?, 0);
                assert_eq!(state("#recent li[data-state='accepted']").await?, 5);
                assert_eq!(state("#recent li[data-state='duplicate']").await?, 5);
                assert_eq!(state("#recent li[data-decision='pass']").await?, 4);
                assert_eq!(state("#recent li[data-decision='refer']").await?, 2);
                assert_eq!(state("#recent li[data-decision='stop']").await?, 4);
                c.wait()
                    .at_most(Duration::from_secs(10))
                    .for_element(Locator::XPath(
                        "//b[@id='count-total'][normalize-space()='10']",
                    ))
                    .await?;
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
        browser.screenshot("station_drained").await;
        // Exactly the ten scans made: none lost, none twice.
        assert_eq!(stored(&s, cp).await, (10, 4, 2, 4));
        browser.close().await;
    }
}
