//! The admin's area pages and the checkpoint management pages over HTTP: who may open them,
//! the tree upload → preview → confirm flow, boundaries, rename / move / retire / delete with
//! their confirmations, and checkpoints from a file. Reads and refused uploads use the shared
//! server; everything that changes the tree runs on a server of its own.

use crate::common::{OwnServer, client, csrf, multipart, page, server, token};

async fn upload(
    base: &dyn Fn(&str) -> String,
    tok: &str,
    path: &str,
    csrf: &str,
    name: &str,
    data: &[u8],
) -> (u16, String) {
    let (ct, body) = multipart(&[("csrf", csrf)], Some((name, data)));
    let res = client()
        .post(base(path))
        .header("cookie", format!("zk_session={tok}"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The value of the hidden input `name` in a form of `html`.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn admin_pages_are_the_admins() {
    let admin = token("admin").await;
    let (status, html) = page(&admin, "/areas").await;
    assert_eq!(status, 200);
    for id in [
        "id=\"area-tree-file\"",
        "id=\"area-tree-upload\"",
        "id=\"area-boundary-file\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    let (status, html) = page(&admin, "/areas/manage").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-area=\"330402001001\""));
    let id = area_id(&html, "330402001001");
    let (status, html) = page(&admin, &format!("/areas/{id}/edit")).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(page(&admin, "/areas/abc/edit").await.0, 422);
    assert_eq!(page(&admin, "/areas/999999/edit").await.0, 404);
    for path in ["/checkpoints", "/checkpoints/new"] {
        assert_eq!(page(&admin, path).await.0, 200, "{path}");
    }
    let (status, html) = page(&admin, "/checkpoints?kind=traffic&status=all&q=").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"checkpoint-total\""));
    assert_eq!(page(&admin, "/checkpoints?kind=tollgate").await.0, 422);
    assert_eq!(page(&admin, "/checkpoints?page=x").await.0, 422);

    // The commander manages checkpoints, not areas; a community worker neither.
    let commander = token("commander").await;
    assert_eq!(page(&commander, "/checkpoints").await.0, 200);
    assert_eq!(page(&commander, "/areas/manage").await.0, 403);
    assert_eq!(page(&commander, &format!("/areas/{id}/edit")).await.0, 403);
    let (_, html) = page(&commander, "/areas").await;
    assert!(!html.contains("area-tree-file"));
    let worker = token("community_worker").await;
    for path in ["/checkpoints", "/checkpoints/new", "/areas/manage"] {
        assert_eq!(page(&worker, path).await.0, 403, "{path}");
    }
    let tok = csrf(&worker, "/areas").await;
    let base = |p: &str| server().url(p);
    let (status, _) = upload(&base, &worker, "/areas/tree/preview", &tok, "t.csv", b"x").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn refused_uploads_name_row_and_column_and_write_nothing() {
    let admin = token("admin").await;
    let tok = csrf(&admin, "/areas").await;
    let base = |p: &str| server().url(p);
    let file = "区划代码,名称,级别,上级代码\n330402009,新街道,街道,330402\n330402009001,新社区,社区,330402777\n";
    let (status, html) = upload(
        &base,
        &admin,
        "/areas/tree/preview",
        &tok,
        "t.csv",
        file.as_bytes(),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"area-tree-issues\""));
    assert!(html.contains("上级代码不存在"), "{html}");
    assert!(!html.contains("id=\"area-tree-confirm\""));
    // A good file previews with its counts and the confirmation, and still writes nothing.
    let good = "code,name,kind,parent_code\n330402009,新街道,street,330402\n";
    let (status, html) = upload(
        &base,
        &admin,
        "/areas/tree/preview",
        &tok,
        "t.csv",
        good.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"area-tree-confirm\""));
    assert!(html.contains("id=\"area-tree-added\">1<"));
    let (_, html) = page(&admin, "/areas/manage").await;
    assert!(!html.contains("330402009"));
    // Not a form upload at all; a forged token.
    let res = client()
        .post(server().url("/areas/tree/preview"))
        .header("cookie", format!("zk_session={admin}"))
        .header("content-type", "text/csv")
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let (status, _) = upload(
        &base,
        &admin,
        "/areas/tree/preview",
        "forged",
        "t.csv",
        good.as_bytes(),
    )
    .await;
    assert_eq!(status, 403);
    // A confirmation whose carried file is damaged.
    let res = client()
        .post(server().url("/areas/tree/import"))
        .header("cookie", format!("zk_session={admin}"))
        .form(&[("csrf", tok.as_str()), ("name", "t.csv"), ("data", "%%%")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // Broken geometry names the feature.
    let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":330402001,"name":"城南街道"},"geometry":{"type":"Polygon","coordinates":[[[120.7,30.7],[120.8,30.7],[120.8,30.8],[120.7,30.8]]]}}]}"#;
    let (status, html) = upload(
        &base,
        &admin,
        "/areas/boundaries",
        &tok,
        "b.json",
        geo.as_bytes(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("城南街道") && html.contains("id=\"boundary-broken\""));
    // Checkpoints: a bad row.
    let cps = "code,name,kind,area,lat,lon,hours\nKX-1,门,traffic,330402001,95,120.8,24h\n";
    let tok = csrf(&admin, "/checkpoints").await;
    let (status, html) = upload(
        &base,
        &admin,
        "/checkpoints/import/preview",
        &tok,
        "c.csv",
        cps.as_bytes(),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"checkpoint-issues\"") && html.contains("超出范围"));
}

/// Page helpers against a server of this test's own.
struct Own<'a> {
    s: &'a OwnServer,
    tok: String,
}

impl Own<'_> {
    async fn page(&self, path: &str) -> (u16, String) {
        let res = client()
            .get(self.s.url(path))
            .header("cookie", format!("zk_session={}", self.tok))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn csrf(&self, path: &str) -> String {
        hidden(&self.page(path).await.1, "csrf")
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
        let res = client()
            .post(self.s.url(path))
            .header("cookie", format!("zk_session={}", self.tok))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, res.text().await.unwrap())
    }
}

/// The id of the area with `code` on the admin's list.
fn area_id(list_html: &str, code: &str) -> String {
    let row = &list_html[list_html.find(&format!("data-area=\"{code}\"")).unwrap()..];
    let at = row.find("/areas/").unwrap() + 7;
    row[at..at + row[at..].find('/').unwrap()].to_owned()
}

#[tokio::test]
async fn the_admin_imports_a_tree_and_edits_areas_on_the_pages() {
    let s = OwnServer::start(21).await;
    let res = client()
        .post(s.url("/api/v1/session"))
        .json(&serde_json::json!({"username": "admin", "password": crate::common::PASSWORD}))
        .send()
        .await
        .unwrap();
    let tok = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let own = Own { s: &s, tok };
    let base = |p: &str| s.url(p);
    let csrf = own.csrf("/areas").await;

    // Upload → preview → confirm → the notice on /areas.
    let file = "code,name,kind,parent_code\n330402005001,新社区,community,330402005\n330402005,新街道,street,330402\n";
    let (status, html) = upload(
        &base,
        &own.tok,
        "/areas/tree/preview",
        &csrf,
        "tree.csv",
        file.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let data = hidden(&html, "data");
    let (status, location, _) = own
        .post(
            "/areas/tree/import",
            &[("csrf", &csrf), ("name", "tree.csv"), ("data", &data)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = own.page(&location).await;
    assert!(html.contains("id=\"area-tree-done\""), "{html}");
    assert!(html.contains("id=\"area-tree-done-added\">2<"));
    let (_, list) = own.page("/areas/manage").await;
    let community = area_id(&list, "330402005001");

    // Rename; a refused name keeps the page with the refusal.
    let (status, location, _) = own
        .post(
            &format!("/areas/{community}/rename"),
            &[("csrf", &csrf), ("name", "改名社区")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("/areas/{community}/edit?done=renamed"))
    );
    let (status, _, html) = own
        .post(
            &format!("/areas/{community}/rename"),
            &[("csrf", &csrf), ("name", "  ")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"area-edit-error\""));

    // Move under another street: first the confirmation, then the move.
    let street = area_id(&list, "330402001");
    let (status, _, html) = own
        .post(
            &format!("/areas/{community}/move"),
            &[("csrf", &csrf), ("parent_id", &street)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"area-confirm\"") && html.contains("id=\"confirm-target\""));
    let (status, location, _) = own
        .post(
            &format!("/areas/{community}/move"),
            &[("csrf", &csrf), ("parent_id", &street), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let (_, html) = own.page(&location).await;
    assert!(html.contains("id=\"area-edit-done\""));
    assert!(html.contains("城南街道"), "the new parent is shown");
    // A move under an area of the wrong kind is refused.
    let other = area_id(&list, "330402001001");
    let (status, _, _) = own
        .post(
            &format!("/areas/{community}/move"),
            &[("csrf", &csrf), ("parent_id", &other), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 422);

    // Retire after confirming; the area leaves its parent's list.
    let (status, _, html) = own
        .post(&format!("/areas/{community}/retire"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"area-confirm\""));
    let (status, _, _) = own
        .post(
            &format!("/areas/{community}/retire"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = own.page(&format!("/areas?id={street}")).await;
    assert!(!html.contains("改名社区"));

    // Nothing refers to it: delete is offered and done after confirming. A community with
    // persons is refused.
    let (_, html) = own.page(&format!("/areas/{community}/edit")).await;
    assert!(html.contains("id=\"area-delete\""));
    let (status, location, _) = own
        .post(
            &format!("/areas/{community}/delete"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/areas/manage?done=deleted")
    );
    let (_, html) = own.page(&format!("/areas/{other}/edit")).await;
    assert!(html.contains("id=\"area-not-deletable\""));
    let (status, _, _) = own
        .post(
            &format!("/areas/{other}/delete"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 409);

    // Checkpoints from a file, then retired and reinstated on the page.
    let csrf = own.csrf("/checkpoints").await;
    let cps = "编号,名称,类型,所属区域,纬度,经度,值守时间\nKX-77,测试卡点,交通卡点,330402001,30.71,120.81,24h\n";
    let (status, html) = upload(
        &base,
        &own.tok,
        "/checkpoints/import/preview",
        &csrf,
        "c.csv",
        cps.as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let data = hidden(&html, "data");
    let (status, location, _) = own
        .post(
            "/checkpoints/import",
            &[("csrf", &csrf), ("name", "c.csv"), ("data", &data)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = own.page(&location).await;
    assert!(html.contains("id=\"checkpoint-done-added\">1<"), "{html}");
    let (_, html) = own.page("/checkpoints?q=KX-77").await;
    assert!(html.contains("data-checkpoint=\"KX-77\""));
    let row = &html[html.find("data-checkpoint=\"KX-77\"").unwrap()..];
    let at = row.find("/checkpoints/").unwrap() + 13;
    let cp = row[at..at + row[at..].find('/').unwrap()].to_owned();
    let (status, _, html) = own
        .post(&format!("/checkpoints/{cp}/retire"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"checkpoint-confirm\""));
    let (status, _, _) = own
        .post(
            &format!("/checkpoints/{cp}/retire"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = own.page("/checkpoints?q=KX-77").await;
    assert!(
        html.contains("id=\"checkpoint-empty\""),
        "retired ones leave the default list"
    );
    let (_, html) = own.page("/checkpoints?q=KX-77&status=retired").await;
    assert!(html.contains("data-checkpoint=\"KX-77\""));
    // Edit through the form; a bad latitude comes back named.
    let (status, _, html) = own
        .post(
            &format!("/checkpoints/{cp}/edit"),
            &[
                ("csrf", &csrf),
                ("kind", "traffic"),
                ("name", "测试卡点"),
                ("area_id", &street),
                ("lat", "abc"),
                ("lon", "120.8"),
                ("hours", "24h"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("lat"), "{html}");
}
