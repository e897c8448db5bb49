//! In headless Chromium: every role logs in through the form and lands on its home page.

use crate::common::server;
use testkit::fantoccini::{Locator, error::CmdError};

#[tokio::test]
async fn every_role_logs_in_and_sees_its_home_page() {
    let Some(browser) = testkit::Browser::start().await else {
        return;
    };
    for role in domain::Role::ALL {
        let name = format!("login_{}", role.as_str());
        browser
            .run(&name, async |c| {
                c.goto(&server().url("/login")).await?;
                c.find(Locator::Id("username"))
                    .await?
                    .send_keys(role.as_str())
                    .await?;
                c.find(Locator::Id("password"))
                    .await?
                    .send_keys(crate::common::PASSWORD)
                    .await?;
                c.find(Locator::Id("login-submit")).await?.click().await?;
                let home = c.wait().for_element(Locator::Id("home")).await?;
                let shown = home.attr("data-role").await?;
                assert_eq!(shown.as_deref(), Some(role.as_str()));
                let title = c.title().await?;
                assert!(title.contains("首页"), "Chinese by default: {title}");
                // Log out through the form (it carries the CSRF token).
                c.find(Locator::Css("form[action='/logout'] button"))
                    .await?
                    .click()
                    .await?;
                c.wait().for_element(Locator::Id("login-form")).await?;
                Ok::<_, CmdError>(())
            })
            .await
            .unwrap();
    }
    browser.close().await;
}
