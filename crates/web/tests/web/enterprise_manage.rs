//! Managing enterprise service from the web, over HTTP with the session cookie: the list
//! (search, sort, pages), the import of enterprises and electricity with the row-by-row
//! report (all or nothing), the grid, and officers' assignments with a confirmation before
//! one ends.

use crate::common::{client, csrf, multipart, page, post_form, server, token};

async fn upload(tok: &str, fields: &[(&str, &str)], file: (&str, &[u8])) -> (u16, String) {
    let (content_type, body) = multipart(fields, Some(file));
    let res = client()
        .post(server().url("/enterprises/import"))
        .header("cookie", format!("zk_session={tok}"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The text of the element with this id (up to its first tag).
fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("#{id}"))
        + id.len()
        + 6;
    &html[at..at + html[at..].find('<').unwrap()]
}

fn total(html: &str) -> i64 {
    text_of(html, "mg-total").parse().unwrap()
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    let t = token("commander").await;
    let (st, html) = page(&t, "/enterprises").await;
    assert_eq!(st, 200);
    assert!(total(&html) >= 80);
    // 50 a page: the small demo's 80 need a second one.
    assert_eq!(html.matches("<tr data-enterprise=").count(), 50);
    let next = text_of(&html, "next-page");
    assert!(!next.is_empty());
    let at = html.find("id=\"next-page\"").unwrap();
    let href_at = html[..at].rfind("href=\"").unwrap() + 6;
    let href = html[href_at..href_at + html[href_at..].find('"').unwrap()].replace("&amp;", "&");
    let (st, second) = page(&t, &href).await;
    assert_eq!(st, 200);
    assert!(second.matches("<tr data-enterprise=").count() >= 30);
    // Search: a sector and the employees order.
    let (_, service) = page(&t, "/enterprises?sector=service&sort=employees").await;
    assert!(total(&service) > 0 && total(&service) < total(&html));
    // A bad sort is refused, naming it, with the page drawn again.
    let (st, bad) = page(&t, "/enterprises?sort=size").await;
    assert_eq!(st, 422);
    assert!(text_of(&bad, "mg-error").contains("sort"));
    // Nothing found: the empty state.
    let (_, none) = page(&t, "/enterprises?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E5%AE%B6").await;
    assert!(none.contains("id=\"mg-empty\""));
    // Phones are masked in the list.
    assert!(!html.contains("139000"));
    // Officers see the list but not the import; contacts not at all.
    let (st, officer) = page(&token("liaison_officer").await, "/enterprises").await;
    assert_eq!(st, 200);
    assert!(!officer.contains("mg-import-form"));
    let (st, _) = page(&token("enterprise_contact").await, "/enterprises").await;
    assert_eq!(st, 403);
    // The export downloads xlsx.
    let res = client()
        .get(server().url("/enterprises/export.xlsx"))
        .header("cookie", format!("zk_session={t}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}

#[tokio::test]
async fn an_import_is_all_or_nothing_with_its_report() {
    let t = token("commander").await;
    let csrf = csrf(&t, "/enterprises").await;
    let (_, before) = page(&t, "/enterprises").await;
    // A micro-grid of a street, from the grid page.
    let (_, grid) = page(&t, "/enterprises/grid").await;
    let row_at = grid.find("data-level=\"micro_grid\"").unwrap();
    let row = &grid[row_at..row_at + grid[row_at..].find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("<td>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().trim_start_matches('　'))
        .collect();
    let (micro, street) = (cells[0], cells[2]);
    let body = "91330402MA2B3C4D5";
    let code = format!("{body}{}", domain::credit_code::check_char(body));
    let wrong_check = if code.ends_with('0') { '1' } else { '0' };
    let bad_code = format!("{body}{wrong_check}");
    let header = "统一社会信用代码,企业名称,行业,规上,世界500强,重点项目,街道,微网格,地址,员工人数,用地面积(亩),纳税(元),联系人,联系电话\n";
    let good = format!(
        "{code},网页导入测试企业,industry,1,0,0,{street},{micro},科技大道1号,120,30.5,100000,王五,13912345678\n"
    );
    // One bad row (an invalid credit code, more problems too) refuses the whole file.
    let bad = format!(
        "{header}{good}{bad_code},坏企业,farming,1,0,0,{street},{micro},,-3,1,1,赵六,123\n"
    );
    let fields = [("csrf", csrf.as_str()), ("kind", "enterprises")];
    let (st, html) = upload(&t, &fields, ("enterprises.csv", bad.as_bytes())).await;
    assert_eq!(st, 422, "{html}");
    assert!(html.contains("id=\"mg-import-issues\""));
    for code in ["credit_code", "sector", "employees", "contact_phone"] {
        assert!(
            html.contains(&format!("<td>{code}</td>")),
            "{code} named in the report"
        );
    }
    assert_eq!(text_of(&html, "mg-import-written"), "0");
    let (_, after_bad) = page(&t, "/enterprises").await;
    assert_eq!(total(&after_bad), total(&before), "nothing written");
    // The good row alone is written.
    let file = format!("{header}{good}");
    let (st, html) = upload(&t, &fields, ("enterprises.csv", file.as_bytes())).await;
    assert_eq!(st, 200, "{html}");
    assert_eq!(text_of(&html, "mg-import-written"), "1");
    let (_, found) = page(&t, &format!("/enterprises?q={code}")).await;
    assert_eq!(total(&found), 1);
    assert!(found.contains("网页导入测试企业"));
    // Electricity for it: an unknown code refuses the file; then the good one is written.
    let fields = [("csrf", csrf.as_str()), ("kind", "electricity")];
    let power = format!("credit_code,day,kwh\n{code},2019-12-02,900\n{code},2020-03-27,400\n");
    let wrong = format!("{power}{bad_code},2020-03-27,5\n");
    let (st, html) = upload(&t, &fields, ("power.csv", wrong.as_bytes())).await;
    assert_eq!(st, 422);
    assert!(html.contains("data-code=\"unknown_enterprise\""));
    let (st, html) = upload(&t, &fields, ("power.csv", power.as_bytes())).await;
    assert_eq!(st, 200, "{html}");
    assert_eq!(text_of(&html, "mg-import-written"), "2");
    // No file, an unknown kind, a forged token: refused.
    let (st, _) = upload(
        &t,
        &[("csrf", csrf.as_str()), ("kind", "persons")],
        ("x.csv", b"a\n1\n"),
    )
    .await;
    assert_eq!(st, 422);
    let (st, _) = upload(
        &t,
        &[("csrf", "forged"), ("kind", "enterprises")],
        ("x.csv", b"a\n1\n"),
    )
    .await;
    assert_eq!(st, 403);
    // An officer may not import.
    let officer = token("liaison_officer").await;
    let officer_csrf = csrf_of_page(&officer).await;
    let (st, _) = upload(
        &officer,
        &[("csrf", officer_csrf.as_str()), ("kind", "enterprises")],
        ("enterprises.csv", file.as_bytes()),
    )
    .await;
    assert_eq!(st, 403);
}

/// An officer's CSRF token (the officer's own page has forms).
async fn csrf_of_page(tok: &str) -> String {
    csrf(tok, "/officer").await
}

#[tokio::test]
async fn the_grid_and_officers_with_a_confirmation_before_an_assignment_ends() {
    let t = token("commander").await;
    let token_ = csrf(&t, "/enterprises/grid").await;
    let (_, grid) = page(&t, "/enterprises/grid").await;
    assert!(grid.contains("data-level=\"grid\""));
    assert!(grid.contains("data-level=\"sub_grid\""));
    // A sub-grid without a parent: refused, naming parent_id, page drawn again.
    let select = grid.find("id=\"grid-street\"").unwrap();
    let street_at = select + grid[select..].find("<option value=\"").unwrap() + 15;
    let street = &grid[street_at..street_at + grid[street_at..].find('"').unwrap()];
    let (st, _, html) = post_form(
        &t,
        "/enterprises/grid",
        &[
            ("csrf", token_.as_str()),
            ("level", "sub_grid"),
            ("street_id", street),
            ("name", "网页子网格"),
        ],
    )
    .await;
    assert_eq!(st, 422);
    assert!(text_of(&html, "mg-error").contains("parent_id"));
    let (st, location, _) = post_form(
        &t,
        "/enterprises/grid",
        &[
            ("csrf", token_.as_str()),
            ("level", "grid"),
            ("street_id", street),
            ("name", "网页新网格"),
            ("keeper_name", "李四"),
            ("keeper_phone", "13987654321"),
        ],
    )
    .await;
    assert_eq!(
        (st, location.as_str()),
        (303, "/enterprises/grid?done=grid")
    );
    let (_, grid) = page(&t, "/enterprises/grid").await;
    assert!(grid.contains("网页新网格"));
    assert!(grid.contains("139****4321"), "keeper's phone masked");

    // An officer: added, assigned to an enterprise by its credit code.
    let (st, location, _) = post_form(
        &t,
        "/enterprises/officers",
        &[
            ("csrf", token_.as_str()),
            ("kind", "policy"),
            ("name", "网页指导员"),
            ("phone", "13811112222"),
            ("department", "人社局"),
        ],
    )
    .await;
    assert_eq!(
        (st, location.as_str()),
        (303, "/enterprises/officers?done=officer")
    );
    let (_, officers) = page(&t, "/enterprises/officers?q=%E7%BD%91%E9%A1%B5").await;
    let at = officers.find("<tr data-officer=\"").unwrap() + 18;
    let officer = &officers[at..at + officers[at..].find('"').unwrap()];
    assert!(officers.contains("138****2222"));
    let (_, list) = page(&t, "/enterprises?limit=1").await;
    let code_at = list.find("<span class=\"mono small\">").unwrap() + 25;
    let code = &list[code_at..code_at + 18];
    let assign = format!("/enterprises/officers/{officer}/assign");
    let (st, _, html) = post_form(
        &t,
        &assign,
        &[("csrf", token_.as_str()), ("credit_code", "not-a-code")],
    )
    .await;
    assert_eq!(st, 422);
    assert!(text_of(&html, "mg-error").contains("credit_code"));
    let (st, location, html) = post_form(
        &t,
        &assign,
        &[("csrf", token_.as_str()), ("credit_code", code)],
    )
    .await;
    assert_eq!(
        st,
        303,
        "{code} {}",
        html.split("mg-error").nth(1).unwrap_or("")
    );
    assert_eq!(
        location,
        format!("/enterprises/officers?officer={officer}&done=assigned")
    );
    let (_, detail) = page(&t, &location).await;
    assert!(detail.contains(&format!("<span class=\"mono small\">{code}</span>")));

    // Ending it: first the confirmation, which changes nothing.
    let unassign = format!("/enterprises/officers/{officer}/unassign");
    let (st, _, confirm) = post_form(
        &t,
        &unassign,
        &[("csrf", token_.as_str()), ("credit_code", code)],
    )
    .await;
    assert_eq!(st, 200);
    assert!(confirm.contains("id=\"unassign-confirm\""));
    let (_, still) = page(&t, &format!("/enterprises/officers?officer={officer}")).await;
    assert!(still.contains(&format!("<span class=\"mono small\">{code}</span>")));
    let (st, _, _) = post_form(
        &t,
        &unassign,
        &[
            ("csrf", token_.as_str()),
            ("credit_code", code),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    let (_, gone) = page(&t, &format!("/enterprises/officers?officer={officer}")).await;
    assert!(!gone.contains(&format!("<span class=\"mono small\">{code}</span>")));
    // A second time: nothing to end, said plainly.
    let (st, _, html) = post_form(
        &t,
        &unassign,
        &[
            ("csrf", token_.as_str()),
            ("credit_code", code),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(st, 409);
    assert!(text_of(&html, "mg-error").contains("not assigned"));
    // An officer cannot manage the grid.
    let officer_tok = token("liaison_officer").await;
    let officer_csrf = csrf_of_page(&officer_tok).await;
    let (st, _, _) = post_form(
        &officer_tok,
        "/enterprises/grid",
        &[
            ("csrf", officer_csrf.as_str()),
            ("level", "grid"),
            ("street_id", street),
            ("name", "越权网格"),
        ],
    )
    .await;
    assert_eq!(st, 403);
}
