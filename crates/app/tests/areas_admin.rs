//! The admin's area work through the use cases: the area tree from CSV and xlsx (good files,
//! every kind of bad row, rows out of order, re-imports), DataV-style boundaries, moving a
//! community or micro-grid with its persons, retiring, deleting, and checkpoints from a file.

use app::areas_admin::{self, TreeAction};
use app::areas_import::{MatchBy, import_boundaries};
use app::{Actor, App, AppError, Settings};

/// A database holding only the zone, as `zhikong init` leaves it.
async fn zone_only() -> (App, Actor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    let mut tx = store.write().await.unwrap();
    let zone = tx
        .insert_area(
            &store::NewArea {
                parent_id: None,
                kind: "zone".into(),
                code: "330402".into(),
                name: "嘉兴经济技术开发区".into(),
                boundary: None,
            },
            0,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let actor = Actor::command_line(zone.id, &zone.path);
    (App::new(store, Settings::default()), actor, dir)
}

async fn demo() -> (App, Actor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 5)
        .await
        .unwrap();
    let app = App::new(store, Settings::default())
        .load_as_of()
        .await
        .unwrap();
    let root = app
        .store
        .read()
        .await
        .unwrap()
        .area_children(None)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::command_line(root.id, &root.path);
    (app, actor, dir)
}

async fn area(app: &App, code: &str) -> Option<store::AreaRow> {
    app.store
        .read()
        .await
        .unwrap()
        .area_by_code(code)
        .await
        .unwrap()
}

async fn area_count(app: &App) -> usize {
    app.store
        .read()
        .await
        .unwrap()
        .all_areas()
        .await
        .unwrap()
        .len()
}

/// Children listed before their parents, on purpose.
const TREE: &str = "code,name,kind,parent_code
330402001001-01,第1微网格,micro_grid,330402001001
330402001001,金穗社区,community,330402001
330402001,城南街道,street,330402
330402002,嘉北街道,street,330402
330402002001,永政社区,community,330402002
";

#[tokio::test]
async fn a_tree_in_any_order_goes_in_whole_and_again_changes_nothing() {
    let (app, actor, _dir) = zone_only().await;
    let preview = areas_admin::import_tree(&app, &actor, "tree.csv", TREE.as_bytes(), false)
        .await
        .unwrap();
    assert!(preview.ok(), "{:?}", preview.issues);
    assert_eq!((preview.added, preview.written), (5, false));
    assert_eq!(area_count(&app).await, 1, "a preview writes nothing");

    let r = areas_admin::import_tree(&app, &actor, "tree.csv", TREE.as_bytes(), true)
        .await
        .unwrap();
    assert!(r.ok() && r.written, "{:?}", r.issues);
    assert_eq!((r.added, r.renamed, r.unchanged), (5, 0, 0));
    let street = area(&app, "330402001").await.unwrap();
    let community = area(&app, "330402001001").await.unwrap();
    let grid = area(&app, "330402001001-01").await.unwrap();
    assert_eq!(community.parent_id, Some(street.id));
    assert_eq!(grid.parent_id, Some(community.id));
    assert_eq!(grid.kind, "micro_grid");
    assert!(grid.path.starts_with(&community.path) && community.path.starts_with(&street.path));

    // The same file again: nothing new; a changed name is a rename, audited before/after.
    let again = areas_admin::import_tree(&app, &actor, "tree.csv", TREE.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!((again.added, again.renamed, again.unchanged), (0, 0, 5));
    let renamed = TREE.replace("嘉北街道", "嘉北街道办事处");
    let r = areas_admin::import_tree(&app, &actor, "tree.csv", renamed.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!((r.added, r.renamed, r.unchanged), (0, 1, 4));
    let change = r
        .changes
        .iter()
        .find(|c| c.action == TreeAction::Renamed)
        .unwrap();
    assert_eq!(change.old_name.as_deref(), Some("嘉北街道"));
    assert_eq!(
        area(&app, "330402002").await.unwrap().name,
        "嘉北街道办事处"
    );
    assert_eq!(area_count(&app).await, 6);
    let id = area(&app, "330402002").await.unwrap().id;
    let audit = app
        .store
        .read()
        .await
        .unwrap()
        .list_audit(&store::AuditQuery {
            record_type: Some("area".into()),
            record_id: Some(id.to_string()),
            before: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert!(
        audit.iter().any(|a| a.action == "area.rename"
            && a.detail.contains("嘉北街道办事处")
            && a.detail.contains("before")),
        "{audit:?}"
    );
}

#[tokio::test]
async fn an_xlsx_with_chinese_headers_and_kinds_is_read() {
    let (app, actor, _dir) = zone_only().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["区划代码", "名称", "级别", "上级代码"],
        ["330402003001", "由拳社区", "社区", "330402003"],
        ["330402003", "塘汇街道", "街道", "330402"],
        ["330402003001-01", "第1微网格", "微网格", "330402003001"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    // A code typed as a number, as spreadsheets do.
    sheet.write_number(4, 0, 330402004.0).unwrap();
    sheet.write_string(4, 1, "长水街道").unwrap();
    sheet.write_string(4, 2, "街道").unwrap();
    sheet.write_number(4, 3, 330402.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let r = areas_admin::import_tree(&app, &actor, "区域.xlsx", &bytes, true)
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!(r.added, 4);
    assert_eq!(
        area(&app, "330402003001-01").await.unwrap().kind,
        "micro_grid"
    );
    assert_eq!(area(&app, "330402004").await.unwrap().name, "长水街道");
}

/// (row, column, code) of a refused file's issues.
fn located(r: &areas_admin::TreeReport) -> Vec<(usize, String, String)> {
    r.issues
        .iter()
        .map(|i| (i.row, i.column.clone().unwrap_or_default(), i.code.clone()))
        .collect()
}

#[tokio::test]
async fn every_bad_row_is_named_and_nothing_is_written() {
    let (app, actor, _dir) = zone_only().await;
    // A street already stored, to clash with.
    areas_admin::import_tree(
        &app,
        &actor,
        "first.csv",
        b"code,name,kind,parent_code\n330402001,\xe5\x9f\x8e\xe5\x8d\x97\xe8\xa1\x97\xe9\x81\x93,street,330402\n330402001001,A,community,330402001\n",
        true,
    )
    .await
    .unwrap();
    let long = "长".repeat(61);
    let file = format!(
        "code,name,kind,parent_code
330402002,嘉北街道,street,330402
330402002001,永政社区,community,330402999
330402002,重复,street,330402
330402001001,换了上级,community,330402002
330402002002,越秀社区,community,330402002002-01
330402002002-01,环,micro_grid,330402002002
330402002003,,community,330402002
330402002004,{long},community,330402002
330402002005-01,网格,micro_grid,330402002
330402005,街道,community,330402
330402006,错级别,village,330402
"
    );
    let before = area_count(&app).await;
    let r = areas_admin::import_tree(&app, &actor, "bad.csv", file.as_bytes(), true)
        .await
        .unwrap();
    assert!(!r.written);
    assert_eq!(area_count(&app).await, before, "nothing is written");
    let issues = located(&r);
    let has = |row: usize, column: &str, code: &str| {
        assert!(
            issues
                .iter()
                .any(|(r, c, k)| *r == row && c == column && k == code),
            "row {row} {column} {code} not in {issues:?}"
        );
    };
    has(3, "parent_code", "unknown_parent");
    has(4, "code", "duplicate_code"); // twice in the file
    has(5, "code", "duplicate_code"); // stored under another street
    has(6, "parent_code", "cycle");
    has(7, "parent_code", "cycle");
    has(8, "name", "bad_name"); // empty
    has(9, "name", "bad_name"); // 61 characters
    has(10, "kind", "wrong_parent_kind"); // a micro-grid under a street
    has(11, "kind", "wrong_parent_kind"); // a community under the zone
    has(12, "kind", "bad_kind");
    assert!(r.changes.is_empty());

    // A file that is not a table at all, and one without the columns.
    let r = areas_admin::import_tree(&app, &actor, "x.xlsx", b"not a zip", true)
        .await
        .unwrap();
    assert_eq!(r.issues[0].code, "unreadable");
    let r = areas_admin::import_tree(&app, &actor, "x.csv", b"a,b\n1,2\n", true)
        .await
        .unwrap();
    assert!(r.issues.iter().any(|i| i.code == "missing_column"));
    let r = areas_admin::import_tree(&app, &actor, "x.csv", b"", true)
        .await
        .unwrap();
    assert!(!r.ok());
    assert_eq!(area_count(&app).await, before);
}

#[tokio::test]
async fn only_the_admin_imports_a_tree() {
    let (app, actor, _dir) = zone_only().await;
    let mut worker = actor.clone();
    worker.role = domain::Role::CommunityWorker;
    let r = areas_admin::import_tree(&app, &worker, "tree.csv", TREE.as_bytes(), true).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
}

const DATAV: &str = include_str!("fixtures/330402_full.json");

#[tokio::test]
async fn a_datav_file_matches_by_numeric_adcode_and_is_drawn_as_it_is() {
    let (app, actor, _dir) = demo().await;
    let r = import_boundaries(&app, &actor, DATAV, MatchBy::Auto, None)
        .await
        .unwrap();
    assert_eq!(r.features, 5);
    let mut matched: Vec<&str> = r.matched.iter().map(|m| m.code.as_str()).collect();
    matched.sort();
    assert_eq!(
        matched,
        ["330402001", "330402002", "330402003", "330402004"]
    );
    assert_eq!(r.unmatched_features.len(), 1);
    assert_eq!(r.unmatched_features[0].value.as_deref(), Some("330402005"));
    // The stored boundary is the feature's geometry, point for point.
    let file: serde_json::Value = serde_json::from_str(DATAV).unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&area(&app, "330402001").await.unwrap().boundary.unwrap()).unwrap();
    assert_eq!(stored, file["features"][0]["geometry"]);

    // The map draws every position of every polygon (no simplification, no clipping).
    let svg = app::areas::children_map(&app, &actor, None, "legend", "empty")
        .await
        .unwrap();
    let drawn_points: usize = svg
        .split(" d=\"")
        .skip(1)
        .map(|p| {
            let d = &p[..p.find('"').unwrap()];
            d.matches(['M', 'L']).count()
        })
        .sum();
    let file_points: usize = file["features"]
        .as_array()
        .unwrap()
        .iter()
        .take(4)
        .map(|f| {
            f["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p.as_array().unwrap())
                .map(|ring| ring.as_array().unwrap().len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(drawn_points, file_points);

    // A broken ring is refused naming the feature, and nothing is written.
    let mut broken = file.clone();
    broken["features"][1]["geometry"]["coordinates"][0][0]
        .as_array_mut()
        .unwrap()
        .pop();
    let before = area(&app, "330402002").await.unwrap().boundary;
    let err = import_boundaries(&app, &actor, &broken.to_string(), MatchBy::Auto, None)
        .await
        .unwrap_err();
    let AppError::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    assert!(fields[0].field.contains("嘉北街道"), "{fields:?}");
    assert_eq!(area(&app, "330402002").await.unwrap().boundary, before);
}

#[tokio::test]
async fn features_without_a_code_match_by_exact_name() {
    let (app, actor, _dir) = demo().await;
    let mut file: serde_json::Value = serde_json::from_str(DATAV).unwrap();
    for f in file["features"].as_array_mut().unwrap() {
        f["properties"].as_object_mut().unwrap().remove("adcode");
    }
    let r = import_boundaries(&app, &actor, &file.to_string(), MatchBy::Auto, None)
        .await
        .unwrap();
    assert_eq!(r.matched.len(), 4, "{:?}", r.unmatched_features);
    assert_eq!(r.unmatched_features[0].value.as_deref(), Some("湘家荡街道"));
}

/// Persons per street by colour, kept and recounted from the rows, agree.
async fn kept_counts_agree(app: &App) {
    let day = app.today().to_string();
    let mut tx = app.store.read().await.unwrap();
    let kept = tx.code_colours_by_street(&day).await.unwrap();
    let reference = tx.code_colours_by_street_reference(&day).await.unwrap();
    assert_eq!(kept, reference);
}

#[tokio::test]
async fn moving_a_community_takes_its_persons_along() {
    let (app, actor, _dir) = demo().await;
    let community = area(&app, "330402001001").await.unwrap();
    let old_street = area(&app, "330402001").await.unwrap();
    let new_street = area(&app, "330402002").await.unwrap();
    let scope = |kind, area_id| store::Scope { kind, area_id };
    let (in_community, old_before, new_before) = {
        let mut tx = app.store.read().await.unwrap();
        (
            tx.count_persons(scope(domain::AreaKind::Community, community.id))
                .await
                .unwrap(),
            tx.count_persons(scope(domain::AreaKind::Street, old_street.id))
                .await
                .unwrap(),
            tx.count_persons(scope(domain::AreaKind::Street, new_street.id))
                .await
                .unwrap(),
        )
    };
    assert!(in_community > 0);
    // A community cannot go under a community.
    let other_community = area(&app, "330402002001").await.unwrap();
    let r = areas_admin::reparent(&app, &actor, community.id, other_community.id).await;
    assert!(
        matches!(r, Err(AppError::Invalid(ref f)) if f[0].field == "parent_id"),
        "{r:?}"
    );

    let moved = areas_admin::reparent(&app, &actor, community.id, new_street.id)
        .await
        .unwrap();
    assert_eq!(moved.persons as i64, in_community);
    assert_eq!(
        moved.areas,
        1 + 8,
        "the community and its eight micro-grids"
    );
    let mut tx = app.store.read().await.unwrap();
    assert_eq!(
        tx.count_persons(scope(domain::AreaKind::Street, old_street.id))
            .await
            .unwrap(),
        old_before - in_community
    );
    assert_eq!(
        tx.count_persons(scope(domain::AreaKind::Street, new_street.id))
            .await
            .unwrap(),
        new_before + in_community
    );
    let moved_area = tx.area(community.id).await.unwrap();
    assert_eq!(moved_area.parent_id, Some(new_street.id));
    assert!(moved_area.path.starts_with(&new_street.path));
    let grid = tx.area_by_code("330402001001-01").await.unwrap().unwrap();
    assert!(grid.path.starts_with(&moved_area.path));
    drop(tx);
    kept_counts_agree(&app).await;

    // A micro-grid moves to a community of another street; its persons follow.
    let grid_persons = app
        .store
        .read()
        .await
        .unwrap()
        .count_persons(scope(domain::AreaKind::MicroGrid, grid.id))
        .await
        .unwrap();
    let target = area(&app, "330402003001").await.unwrap();
    let target_before = app
        .store
        .read()
        .await
        .unwrap()
        .count_persons(scope(domain::AreaKind::Community, target.id))
        .await
        .unwrap();
    let moved = areas_admin::reparent(&app, &actor, grid.id, target.id)
        .await
        .unwrap();
    assert_eq!(moved.persons as i64, grid_persons);
    assert_eq!(
        app.store
            .read()
            .await
            .unwrap()
            .count_persons(scope(domain::AreaKind::Community, target.id))
            .await
            .unwrap(),
        target_before + grid_persons
    );
    kept_counts_agree(&app).await;
}

#[tokio::test]
async fn retire_hides_an_area_and_delete_is_only_for_an_unused_one() {
    let (app, actor, _dir) = demo().await;
    let community = area(&app, "330402001001").await.unwrap();
    // With micro-grids in service it cannot be retired; with persons it is never deleted.
    let r = areas_admin::retire(&app, &actor, community.id, true).await;
    assert!(matches!(r, Err(AppError::Conflict { .. })), "{r:?}");
    let r = areas_admin::delete(&app, &actor, community.id).await;
    assert!(matches!(r, Err(AppError::Conflict { .. })), "{r:?}");
    assert!(area(&app, "330402001001").await.is_some());

    let grid = area(&app, "330402001001-08").await.unwrap();
    areas_admin::retire(&app, &actor, grid.id, true)
        .await
        .unwrap();
    let children = app
        .store
        .read()
        .await
        .unwrap()
        .area_children(Some(community.id))
        .await
        .unwrap();
    assert_eq!(children.len(), 7);
    assert!(children.iter().all(|c| c.id != grid.id));
    let listed = areas_admin::list(&app, &actor).await.unwrap();
    assert!(listed.iter().any(|a| a.id == grid.id && a.retired));
    areas_admin::retire(&app, &actor, grid.id, false)
        .await
        .unwrap();
    assert_eq!(
        app.store
            .read()
            .await
            .unwrap()
            .area_children(Some(community.id))
            .await
            .unwrap()
            .len(),
        8
    );

    // A micro-grid added by mistake, with nothing attached, may be deleted.
    let file = "code,name,kind,parent_code\n330402001001-99,误建网格,micro_grid,330402001001\n";
    areas_admin::import_tree(&app, &actor, "one.csv", file.as_bytes(), true)
        .await
        .unwrap();
    let extra = area(&app, "330402001001-99").await.unwrap();
    assert!(
        areas_admin::edit_view(&app, &actor, extra.id)
            .await
            .unwrap()
            .deletable
    );
    assert!(
        !areas_admin::edit_view(&app, &actor, community.id)
            .await
            .unwrap()
            .deletable
    );
    areas_admin::delete(&app, &actor, extra.id).await.unwrap();
    assert!(area(&app, "330402001001-99").await.is_none());
    let audit = app
        .store
        .read()
        .await
        .unwrap()
        .list_audit(&store::AuditQuery {
            record_type: Some("area".into()),
            record_id: Some(extra.id.to_string()),
            before: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "area.delete" && a.detail.contains("误建网格"))
    );
}

#[tokio::test]
async fn checkpoints_come_from_a_file_all_or_nothing() {
    let (app, actor, _dir) = demo().await;
    let count = |app: &App| {
        let app = app.clone();
        async move {
            app.store
                .read()
                .await
                .unwrap()
                .checkpoint_records("/", true)
                .await
                .unwrap()
                .len()
        }
    };
    let before = count(&app).await;
    let file = "编号,名称,类型,所属区域,纬度,经度,值守时间
KD-901,金穗社区东门,社区小门,金穗社区,30.71,120.82,06:00-22:00
KD-902,嘉北交通卡点,traffic,330402002,30.78,120.72,24h
";
    let preview =
        app::checkpoints::import::import(&app, &actor, "卡点.csv", file.as_bytes(), false)
            .await
            .unwrap();
    assert!(preview.ok(), "{:?}", preview.issues);
    assert_eq!(preview.added, 2);
    assert_eq!(count(&app).await, before, "a preview writes nothing");
    let r = app::checkpoints::import::import(&app, &actor, "卡点.csv", file.as_bytes(), true)
        .await
        .unwrap();
    assert!(r.written);
    assert_eq!(count(&app).await, before + 2);
    let again = app::checkpoints::import::import(&app, &actor, "卡点.csv", file.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!((again.added, again.changed, again.unchanged), (0, 0, 2));
    let changed = file.replace("06:00-22:00", "24h");
    let r = app::checkpoints::import::import(&app, &actor, "卡点.csv", changed.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!((r.added, r.changed), (0, 1));

    let bad = "code,name,kind,area,lat,lon,hours
KD-903,无区域,traffic,不存在的社区,30.7,120.8,24h
KD-904,坏纬度,traffic,330402001,91,120.8,24h
KD-905,坏类型,tollgate,330402001,30.7,120.8,24h
KD-906,,traffic,330402001,30.7,120.8,24h
KD-903,重复,traffic,330402001,30.7,120.8,24h
KD-907,第1微网格,traffic,第1微网格,30.7,120.8,24h
";
    let r = app::checkpoints::import::import(&app, &actor, "bad.csv", bad.as_bytes(), true)
        .await
        .unwrap();
    assert!(!r.written);
    let issues: Vec<(usize, Option<&str>, &str)> = r
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_deref(), i.code.as_str()))
        .collect();
    for want in [
        (2, Some("area"), "unknown_area"),
        (3, Some("lat"), "out_of_range"),
        (4, Some("kind"), "bad_kind"),
        (5, Some("name"), "invalid"),
        (6, Some("code"), "duplicate_code"),
        (7, Some("area"), "ambiguous_area"),
    ] {
        assert!(issues.contains(&want), "{want:?} not in {issues:?}");
    }
    assert_eq!(count(&app).await, before + 2, "nothing more was written");
}
