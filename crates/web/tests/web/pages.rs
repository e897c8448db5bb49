//! Server-rendered pages: login with CSRF-protected forms, the language switch, and pages
//! answering bad input with a page that says what is wrong.

use crate::common::{client, server, token};

async fn page(tok: &str, path: &str, lang: Option<&str>) -> (u16, String) {
    let mut cookie = format!("zk_session={tok}");
    if let Some(l) = lang {
        cookie.push_str(&format!("; zk_lang={l}"));
    }
    let res = client()
        .get(server().url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn login_form_sets_a_session_cookie() {
    let res = client()
        .post(server().url("/login"))
        .form(&[
            ("username", "commander"),
            ("password", crate::common::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("zk_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let bad = client()
        .post(server().url("/login"))
        .form(&[("username", "commander"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert!(bad.text().await.unwrap().contains("用户名或密码错误"));
}

#[tokio::test]
async fn pages_need_a_login() {
    let res = client().get(server().url("/people")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=%2Fpeople");
}

#[tokio::test]
async fn chinese_by_default_english_on_request() {
    let tok = token("commander").await;
    let (_, zh) = page(&tok, "/home", None).await;
    assert!(zh.contains("lang=\"zh-CN\"") && zh.contains("指挥部"));
    let (_, en) = page(&tok, "/home", Some("en")).await;
    assert!(en.contains("lang=\"en\"") && en.contains("Commander"));
    let res = client()
        .get(server().url("/lang/en?next=/home"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("zk_lang=en")
    );
    // Only local redirect targets.
    let res = client()
        .get(server().url("/lang/en?next=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/home");
}

#[tokio::test]
async fn forms_without_csrf_are_refused() {
    let tok = token("community_worker").await;
    let res = client()
        .post(server().url("/logout"))
        .header("cookie", format!("zk_session={tok}"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // The session still works.
    let (status, _) = page(&tok, "/home", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn people_page_lists_masked_and_pages_on() {
    let tok = token("community_worker").await;
    let (status, html) = page(&tok, "/people", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"people\""));
    assert!(html.contains("********"), "masked ID numbers");
    assert!(html.contains("id=\"next-page\""));
    let (status, html) = page(
        &tok,
        "/people?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%A7%93",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"people-empty\""), "clear empty state");
    let (status, html) = page(&tok, "/people?sort=bogus", None).await;
    assert_eq!(status, 422);
    assert!(html.contains("sort"));
}

#[tokio::test]
async fn area_and_unknown_pages() {
    let tok = token("commander").await;
    let (status, html) = page(&tok, "/areas", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("城南街道") && html.contains("id=\"area-children\""));
    // The map of the four streets: one linked polygon each, drawn by the server.
    assert!(html.contains("id=\"area-map\""));
    assert_eq!(html.matches("<path").count(), 4);
    assert!(html.contains("<a href=\"/areas?id="));
    let (status, _) = page(&tok, "/areas?id=abc", None).await;
    assert_eq!(status, 422);
    let (status, _) = page(&tok, "/areas?id=999999", None).await;
    assert_eq!(status, 404);
    let (status, _) = page(&tok, "/no/such/page", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn people_export_is_masked_csv_and_audited() {
    let tok = token("community_worker").await;
    let res = client()
        .get(server().url("/people/export.csv?category=resident"))
        .header("cookie", format!("zk_session={tok}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = res.text().await.unwrap();
    let mut lines = body.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("姓名,身份证号"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 50, "all residents of 金穗社区, not one page");
    for r in &rows {
        assert!(r.contains("********"), "masked: {r}");
        assert!(r.contains(",resident,金穗社区,"), "{r}");
    }
    let admin = token("admin").await;
    let (_, audit) = page(&admin, "/audit", None).await;
    assert!(audit.contains("person.export"));
}
