//! Conformance of the admin's area changes: re-parenting (the set-based moves of every stored
//! copy of the tree), retiring and deleting, each case on SQLite and on PostgreSQL (with
//! ZHIKONG_REQUIRE_POSTGRES=1 a missing PostgreSQL fails the run).

use std::sync::atomic::{AtomicUsize, Ordering};

use domain::AreaKind;
use store::{CheckpointEdit, NewArea, NewCodeChange, NewPerson, Scope, Store};

const NOW: i64 = 1_585_267_200_000; // 2020-03-27T00:00:00Z

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (store, dir)
}

async fn postgres() -> Option<Store> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let cluster = testkit::PgCluster::shared()?;
    let name = format!("area_admin_{}", N.fetch_add(1, Ordering::SeqCst));
    let url = cluster.create_database(&name);
    Some(Store::connect(&url).await.unwrap())
}

/// Runs one case on both backends.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $case() { let (s, _dir) = super::sqlite().await; super::$case(&s).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $case() {
                if let Some(s) = super::postgres().await { super::$case(&s).await; }
            })*
        }
    };
}

conformance!(
    reparent_moves_persons_paths_and_figures,
    retire_hides_and_delete_needs_nothing_attached,
);

fn area(parent: Option<i64>, kind: &str, code: &str) -> NewArea {
    NewArea {
        parent_id: parent,
        kind: kind.into(),
        code: code.into(),
        name: code.into(),
        boundary: None,
    }
}

struct Tree {
    streets: [store::AreaRow; 2],
    /// C0 (street 0) with micro-grid G0, C1 (street 1).
    c0: store::AreaRow,
    g0: store::AreaRow,
    c1: store::AreaRow,
    zone: i64,
}

async fn tree(s: &Store) -> Tree {
    let mut tx = s.write().await.unwrap();
    let zone = tx.insert_area(&area(None, "zone", "Z"), NOW).await.unwrap();
    let s0 = tx
        .insert_area(&area(Some(zone.id), "street", "S0"), NOW)
        .await
        .unwrap();
    let s1 = tx
        .insert_area(&area(Some(zone.id), "street", "S1"), NOW)
        .await
        .unwrap();
    let c0 = tx
        .insert_area(&area(Some(s0.id), "community", "C0"), NOW)
        .await
        .unwrap();
    let g0 = tx
        .insert_area(&area(Some(c0.id), "micro_grid", "G0"), NOW)
        .await
        .unwrap();
    let c1 = tx
        .insert_area(&area(Some(s1.id), "community", "C1"), NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Tree {
        streets: [s0, s1],
        c0,
        g0,
        c1,
        zone: zone.id,
    }
}

fn person(
    i: usize,
    t: &Tree,
    street: &store::AreaRow,
    c: &store::AreaRow,
    grid: Option<&store::AreaRow>,
) -> NewPerson {
    NewPerson {
        id_number: Some(format!("ID{i:016}")),
        name: format!("P{i}"),
        phone: None,
        zone_id: t.zone,
        street_id: street.id,
        community_id: c.id,
        micro_grid_id: grid.map(|g| g.id),
        area_path: grid.map_or(c.path.clone(), |g| g.path.clone()),
        category: "resident".into(),
        nationality: None,
        passport_no: None,
    }
}

fn change(person_id: i64, day: &str, from: Option<&str>, to: &str) -> NewCodeChange {
    NewCodeChange {
        person_id,
        day: day.into(),
        from_colour: from.map(str::to_owned),
        to_colour: to.into(),
        reasons: "[]".into(),
        ruleset_version: "v".into(),
        actor: "test".into(),
        kind: "rule",
    }
}

async fn count(s: &Store, kind: AreaKind, area_id: i64) -> i64 {
    s.read()
        .await
        .unwrap()
        .count_persons(Scope { kind, area_id })
        .await
        .unwrap()
}

async fn reparent_moves_persons_paths_and_figures(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let [s0, s1] = &t.streets;
    let p1 = tx
        .insert_person(&person(1, &t, s0, &t.c0, None), NOW)
        .await
        .unwrap();
    let p2 = tx
        .insert_person(&person(2, &t, s0, &t.c0, Some(&t.g0)), NOW)
        .await
        .unwrap();
    let p3 = tx
        .insert_person(&person(3, &t, s1, &t.c1, None), NOW)
        .await
        .unwrap();
    for c in [
        change(p1, "2020-01-28", None, "green"),
        change(p1, "2020-02-01", Some("green"), "red"),
        change(p2, "2020-01-28", None, "yellow"),
        change(p3, "2020-01-30", None, "green"),
    ] {
        tx.insert_code_change(&c, NOW).await.unwrap();
    }
    let edit = CheckpointEdit {
        kind: "community_gate".into(),
        name: "东门".into(),
        area_id: t.g0.id,
        area_path: t.g0.path.clone(),
        lat: 30.7,
        lon: 120.8,
        party_branch: None,
        hours: "24h".into(),
        staff_on_duty: 0,
    };
    let checkpoint = tx.create_checkpoint("K1", &edit, NOW).await.unwrap();
    tx.commit().await.unwrap();

    // The community C0 (with G0) moves from street S0 to S1.
    let mut tx = s.write().await.unwrap();
    let moved = tx.reparent_area(t.c0.id, s1.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((moved.areas, moved.persons), (2, 2));
    assert_eq!(count(s, AreaKind::Street, s0.id).await, 0);
    assert_eq!(count(s, AreaKind::Street, s1.id).await, 3);
    assert_eq!(count(s, AreaKind::Community, t.c0.id).await, 2);
    let mut tx = s.read().await.unwrap();
    let c0 = tx.area(t.c0.id).await.unwrap();
    let g0 = tx.area(t.g0.id).await.unwrap();
    assert_eq!(c0.parent_id, Some(s1.id));
    assert_eq!(c0.path, format!("{}{}/", s1.path, t.c0.id));
    assert_eq!(g0.path, format!("{}{}/", c0.path, t.g0.id));
    let p2_row = tx.person(p2).await.unwrap();
    assert_eq!(p2_row.area_path, g0.path);
    assert_eq!(
        (p2_row.street_id, p2_row.community_id, p2_row.micro_grid_id),
        (s1.id, t.c0.id, Some(t.g0.id))
    );
    assert_eq!(tx.person(p1).await.unwrap().area_path, c0.path);
    assert_eq!(
        tx.checkpoint_record(checkpoint).await.unwrap().area_path,
        g0.path
    );
    // The kept per-street colours follow the persons, on every day.
    for day in ["2020-01-28", "2020-01-31", "2020-02-01"] {
        assert_eq!(
            kept(&mut tx, day).await,
            reference(&mut tx, day).await,
            "{day}"
        );
    }
    tx.rollback().await.unwrap();

    // The micro-grid G0 moves under C1: its person's community changes, the street stays.
    let mut tx = s.write().await.unwrap();
    let moved = tx.reparent_area(t.g0.id, t.c1.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((moved.areas, moved.persons), (1, 1));
    assert_eq!(count(s, AreaKind::Community, t.c1.id).await, 2);
    assert_eq!(count(s, AreaKind::Community, t.c0.id).await, 1);
    let mut tx = s.read().await.unwrap();
    let g0 = tx.area(t.g0.id).await.unwrap();
    assert_eq!(g0.path, format!("{}{}/", t.c1.path, t.g0.id));
    let p2_row = tx.person(p2).await.unwrap();
    assert_eq!(
        (p2_row.community_id, p2_row.area_path.as_str()),
        (t.c1.id, g0.path.as_str())
    );
    assert_eq!(
        tx.checkpoint_record(checkpoint).await.unwrap().area_path,
        g0.path
    );

    // Back to street S0 by moving C0: only p1 goes, and the figures follow again.
    drop(tx);
    let mut tx = s.write().await.unwrap();
    tx.reparent_area(t.c0.id, s0.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(count(s, AreaKind::Street, s0.id).await, 1);
    let mut tx = s.read().await.unwrap();
    assert_eq!(
        kept(&mut tx, "2020-02-01").await,
        reference(&mut tx, "2020-02-01").await
    );
}

/// Persons per street by colour at the end of `day`, kept and recounted (the backends order
/// NULL differently, so both are sorted).
async fn kept(tx: &mut store::Tx, day: &str) -> Vec<(i64, Option<String>, i64)> {
    let mut v = tx.code_colours_by_street(day).await.unwrap();
    v.sort();
    v
}

async fn reference(tx: &mut store::Tx, day: &str) -> Vec<(i64, Option<String>, i64)> {
    let mut v = tx.code_colours_by_street_reference(day).await.unwrap();
    v.sort();
    v
}

async fn retire_hides_and_delete_needs_nothing_attached(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_person(&person(1, &t, &t.streets[0], &t.c0, None), NOW)
        .await
        .unwrap();
    let spare = tx
        .insert_area(&area(Some(t.c1.id), "micro_grid", "G9"), NOW)
        .await
        .unwrap();
    tx.set_area_retired(spare.id, Some(NOW)).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    assert!(tx.area_children(Some(t.c1.id)).await.unwrap().is_empty());
    let listed = tx.areas_for_admin("/").await.unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.id == spare.id && a.retired_at == Some(NOW))
    );
    let c0 = tx.area_attachments(t.c0.id).await.unwrap();
    assert_eq!((c0.children, c0.persons), (1, 1));
    assert!(!c0.is_empty());
    assert!(tx.area_attachments(spare.id).await.unwrap().is_empty());
    tx.delete_area(spare.id).await.unwrap();
    tx.rename_area(t.c1.id, "新名").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    assert!(tx.area_by_code("G9").await.unwrap().is_none());
    assert_eq!(tx.area(t.c1.id).await.unwrap().name, "新名");
}
