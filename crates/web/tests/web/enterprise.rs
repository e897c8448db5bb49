//! Enterprise service in the browser (the small demo's enterprises, officers and payouts):
//! a daily report (an impossible one refused, naming the field), a request from raise to
//! feedback, and a policy application from submission to payment. Over HTTP: pages refuse
//! roles without the right.

use testkit::fantoccini::{Client, Locator, error::CmdError};

use crate::common::{browser_log_in, browser_log_out, client, page, server, token};

async fn fill(c: &Client, css: &str, text: &str) -> Result<(), CmdError> {
    let e = c.find(Locator::Css(css)).await?;
    e.clear().await?;
    e.send_keys(text).await
}

async fn click(c: &Client, css: &str) -> Result<(), CmdError> {
    c.find(Locator::Css(css)).await?.click().await
}

#[tokio::test]
async fn pages_refuse_roles_without_the_right() {
    for (user, path, status) in [
        ("checkpoint_officer", "/enterprise", 403),
        ("enterprise_contact", "/policies/review", 403),
        ("enterprise_contact", "/command-centre", 403),
        ("commander", "/officer", 403),
        ("commander", "/command-centre", 200),
        ("enterprise_contact", "/policies", 200),
    ] {
        let t = token(user).await;
        let res = client()
            .get(server().url(path))
            // Pages take the session from its cookie.
            .header("cookie", format!("zk_session={t}"))
            .send()
            .await
            .unwrap();
        let location = res.headers().get("location").cloned();
        assert_eq!(res.status(), status, "{user} {path} {location:?}");
    }
}

#[tokio::test]
async fn in_the_browser_a_report_a_request_and_an_application() {
    let Some(browser) = testkit::Browser::start().await else {
        return;
    };
    // 1. The daily report: more on site than employed is refused; a sound one is saved.
    browser
        .run("enterprise_daily_report", async |c| {
            browser_log_in(c, "enterprise_contact").await?;
            click(c, "nav a[href='/enterprise']").await?;
            c.wait().for_element(Locator::Id("report-form")).await?;
            let total = c
                .find(Locator::Id("report-total"))
                .await?
                .prop("value")
                .await?
                .unwrap_or_default();
            let total: i64 = total.parse().unwrap();
            fill(c, "#report-on-site", &(total + 1).to_string()).await?;
            click(c, "#report-submit").await?;
            let err = c
                .wait()
                .for_element(Locator::Id("ent-error"))
                .await?
                .text()
                .await?;
            assert!(err.contains("on_site"), "{err}");
            fill(c, "#report-on-site", "1").await?;
            fill(c, "#report-capacity", "50").await?;
            click(c, "#report-submit").await?;
            c.wait().for_element(Locator::Id("ent-done")).await?;
            let day = c
                .find(Locator::Id("report-day"))
                .await?
                .prop("value")
                .await?
                .unwrap_or_default();
            let cell = c
                .find(Locator::Css(&format!(
                    "#reports tr[data-day='{day}'] .on-site"
                )))
                .await?;
            assert_eq!(cell.text().await?, "1");
            Ok::<_, CmdError>(())
        })
        .await
        .unwrap();

    // 2. A request: raised by the contact, taken and answered by the officer, closed by the
    //    contact's feedback.
    let title = "浏览器测试诉求：货车通行证";
    let request_id = browser
        .run("enterprise_request_loop", async |c| {
            fill(c, "#request-title", title).await?;
            click(c, "#request-category option[value='logistics']").await?;
            click(c, "#request-submit").await?;
            c.wait().for_element(Locator::Id("ent-done")).await?;
            let row = c
                .find(Locator::Css("#my-requests tr[data-status='received']"))
                .await?;
            let id = row.attr("data-request").await?.unwrap();
            browser_log_out(c).await?;
            browser_log_in(c, "liaison_officer").await?;
            click(c, "nav a[href='/officer']").await?;
            c.wait()
                .for_element(Locator::Id(&format!("assign-{id}")))
                .await?;
            click(c, &format!("#assign-{id} button")).await?;
            c.wait()
                .for_element(Locator::Id(&format!("answer-{id}")))
                .await?;
            fill(
                c,
                &format!("#answer-{id} input[name='answer']"),
                "已协调交通部门，今日可领取",
            )
            .await?;
            click(c, &format!("#answer-{id} button")).await?;
            c.wait().for_element(Locator::Id("off-done")).await?;
            browser_log_out(c).await?;
            browser_log_in(c, "enterprise_contact").await?;
            c.goto(&server().url("/enterprise")).await?;
            c.wait()
                .for_element(Locator::Id(&format!("feedback-{id}")))
                .await?;
            click(c, &format!("#feedback-{id} button")).await?;
            c.wait().for_element(Locator::Id("ent-done")).await?;
            let row = c
                .find(Locator::Css(&format!(
                    "#my-requests tr[data-request='{id}']"
                )))
                .await?;
            assert_eq!(row.attr("data-status").await?.as_deref(), Some("closed"));
            Ok::<_, CmdError>(id)
        })
        .await
        .unwrap();
    assert!(!request_id.is_empty());

    // 3. An application: submitted by the contact, approved with reasons and paid by the
    //    reviewer, shown paid to the contact. The demo may have paid some policies to this
    //    enterprise already: the first the page accepts is used.
    browser
        .run("enterprise_application_to_payment", async |c| {
            let mut applied = None;
            let mut refusals = Vec::new();
            for code in ["H08", "H04", "H06", "T09", "T08", "T06", "T05", "T03"] {
                c.goto(&server().url("/enterprise")).await?;
                c.wait().for_element(Locator::Id("apply-form")).await?;
                click(c, &format!("#apply-policy option[value='{code}']")).await?;
                fill(c, "#apply-amount", "1000").await?;
                fill(c, "#apply-statement", "防疫期间稳定用工").await?;
                click(c, "#apply-submit").await?;
                // The fresh page has neither notice: whichever appears is the answer to this
                // submission (looking only once, before the answer has loaded, took a slow
                // answer for a refusal).
                let answer = c
                    .wait()
                    .for_element(Locator::Css("#ent-done, #ent-error"))
                    .await?;
                if answer.attr("id").await?.as_deref() == Some("ent-done") {
                    applied = Some(code);
                    break;
                }
                refusals.push(format!("{code}: {}", answer.text().await?));
            }
            let code = applied.unwrap_or_else(|| {
                panic!("no fast-application policy accepted the application: {refusals:?}")
            });
            browser_log_out(c).await?;
            browser_log_in(c, "department_reviewer").await?;
            click(c, "nav a[href='/policies/review']").await?;
            let form = c.wait().for_element(Locator::Css("#pending form")).await?;
            form.find(Locator::Css("input[name='reasons']"))
                .await?
                .send_keys("材料齐全，同意兑付")
                .await?;
            form.find(Locator::Css("button[value='approve']"))
                .await?
                .click()
                .await?;
            c.wait().for_element(Locator::Id("rev-done")).await?;
            click(c, "#unpaid form button").await?;
            c.wait().for_element(Locator::Id("rev-done")).await?;
            browser_log_out(c).await?;
            browser_log_in(c, "enterprise_contact").await?;
            c.goto(&server().url("/enterprise")).await?;
            let paid = c
                .wait()
                .for_element(Locator::Css(&format!(
                    "#my-payouts tr[data-policy='{code}'] .paid"
                )))
                .await?
                .text()
                .await?;
            assert_ne!(paid, "—", "the payout of {code} is paid");
            let amount = c
                .find(Locator::Css(&format!(
                    "#my-payouts tr[data-policy='{code}'] .amount"
                )))
                .await?
                .text()
                .await?;
            assert_eq!(amount, "1,000.00");
            browser_log_out(c).await?;
            Ok::<_, CmdError>(())
        })
        .await
        .unwrap();
    browser.close().await;
}

#[tokio::test]
async fn the_command_centre_shows_electricity_beside_the_reports() {
    // The demo's day (the test server's business day is the machine's).
    let commander = token("commander").await;
    let (st, html) = page(&commander, "/command-centre?day=2020-03-27").await;
    assert_eq!(st, 200);
    // The streets with enterprises have their resumption by electricity (the demo imported a
    // fortnight of use and December 2019), as a percentage with the enterprises measured.
    let cells = html.matches("class=\"by-power\">").count();
    let dashes = html.matches("class=\"by-power\">—<").count();
    assert!(cells > dashes, "{html}");
    assert!(
        html.split("class=\"by-power\">").skip(1).any(|cell| {
            let text = cell.split('<').next().unwrap_or("");
            text.starts_with(|c: char| c.is_ascii_digit()) && text.contains("% (")
        }),
        "{html}"
    );
    assert!(html.contains("用电与上报不一致"));
    // The map component draws the resumption rate per street, each street linking to its
    // enterprises.
    let map = html
        .split("id=\"resumption-map\">")
        .nth(1)
        .and_then(|m| m.split("</svg>").next())
        .unwrap_or("");
    assert!(map.contains("<svg"), "{map}");
    assert!(map.contains("/enterprises?street_id="), "{map}");
    // A day without electricity shows the dash, not a made-up figure.
    let (_, old) = page(&commander, "/command-centre?day=2020-01-02").await;
    assert!(old.contains("class=\"by-power\">—<"));
}
