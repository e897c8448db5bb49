//! The storage conformance suite: every case runs against SQLite and against PostgreSQL (a
//! throwaway cluster from the local binaries; with ZHIKONG_REQUIRE_POSTGRES=1 a missing
//! PostgreSQL fails the run instead of skipping).

use std::sync::atomic::{AtomicUsize, Ordering};

use domain::AreaKind;
use store::{
    AuditEntry, AuditQuery, NewArea, NewPerson, NewSession, NewUser, PersonCursor, PersonQuery,
    PersonSort, Scope, Store, StoreError,
};

const NOW: i64 = 1_585_267_200_000; // 2020-03-27T00:00:00Z

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (store, dir)
}

async fn postgres() -> Option<Store> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let cluster = testkit::PgCluster::shared()?;
    let name = format!("conformance_{}", N.fetch_add(1, Ordering::SeqCst));
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
    area_tree_has_paths,
    unknown_area_is_not_found,
    duplicate_area_code_conflicts,
    persons_page_by_keyset,
    persons_search_and_scope,
    duplicate_id_number_conflicts,
    rollback_leaves_nothing,
    sessions_expire,
    login_failures_are_counted,
    audit_log_is_insert_only,
    counts_group_by_kind,
    scans_cases_and_contacts,
    risk_area_list_pages_and_updates,
    bulk_reads_and_writes_of_codes,
    quarantine_orders_checks_and_figures,
    stored_scan_verdicts_answer_a_resend,
    wipe_empties_every_table_and_keeps_the_guards,
);

struct Tree {
    zone: store::AreaRow,
    streets: Vec<store::AreaRow>,
    communities: Vec<Community>,
}

struct Community {
    row: store::AreaRow,
    zone: i64,
    street: i64,
}

fn scope(kind: AreaKind, area: &store::AreaRow) -> Scope {
    Scope {
        kind,
        area_id: area.id,
    }
}

async fn tree(s: &Store) -> Tree {
    let mut tx = s.write().await.unwrap();
    let zone = tx
        .insert_area(&area(None, "zone", "Z", "园区"), NOW)
        .await
        .unwrap();
    let mut streets = vec![];
    let mut communities = vec![];
    for i in 0..2 {
        let st = tx
            .insert_area(
                &area(Some(zone.id), "street", &format!("S{i}"), "街道"),
                NOW,
            )
            .await
            .unwrap();
        for j in 0..2 {
            let c = tx
                .insert_area(
                    &area(Some(st.id), "community", &format!("C{i}{j}"), "社区"),
                    NOW,
                )
                .await
                .unwrap();
            communities.push(Community {
                row: c,
                zone: zone.id,
                street: st.id,
            });
        }
        streets.push(st);
    }
    tx.commit().await.unwrap();
    Tree {
        zone,
        streets,
        communities,
    }
}

fn area(parent: Option<i64>, kind: &str, code: &str, name: &str) -> NewArea {
    NewArea {
        parent_id: parent,
        kind: kind.into(),
        code: code.into(),
        name: name.into(),
        boundary: None,
    }
}

fn person(i: usize, community: &Community, name: &str) -> NewPerson {
    NewPerson {
        id_number: Some(format!("ID{i:016}")),
        name: name.into(),
        phone: Some(format!("138{i:08}")),
        zone_id: community.zone,
        street_id: community.street,
        community_id: community.row.id,
        micro_grid_id: None,
        area_path: community.row.path.clone(),
        category: "resident".into(),
        nationality: None,
        passport_no: None,
    }
}

async fn area_tree_has_paths(s: &Store) {
    let t = tree(s).await;
    assert_eq!(t.zone.path, format!("/{}/", t.zone.id));
    assert_eq!(
        t.communities[3].row.path,
        format!(
            "/{}/{}/{}/",
            t.zone.id, t.streets[1].id, t.communities[3].row.id
        )
    );
    let mut tx = s.read().await.unwrap();
    let kids = tx.area_children(Some(t.streets[0].id)).await.unwrap();
    assert_eq!(
        kids.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
        ["C00", "C01"]
    );
    let roots = tx.area_children(None).await.unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(
        tx.area_by_code("C11").await.unwrap().unwrap().id,
        t.communities[3].row.id
    );
    let in_street = tx
        .areas_of_kind("community", &t.streets[1].path)
        .await
        .unwrap();
    assert_eq!(in_street.len(), 2);
}

async fn unknown_area_is_not_found(s: &Store) {
    let mut tx = s.read().await.unwrap();
    assert!(matches!(
        tx.area(999_999).await,
        Err(StoreError::NotFound("area"))
    ));
    assert!(tx.area_by_code("nope").await.unwrap().is_none());
}

async fn duplicate_area_code_conflicts(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let err = tx
        .insert_area(&area(Some(t.zone.id), "street", "S0", "again"), NOW)
        .await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
}

async fn persons_page_by_keyset(s: &Store) {
    let t = tree(s).await;
    let people: Vec<NewPerson> = (0..2_500)
        .map(|i| {
            person(
                i,
                &t.communities[i % 4],
                &format!("名{:04}", (i * 7919) % 2_500),
            )
        })
        .collect();
    let mut tx = s.write().await.unwrap();
    tx.insert_persons(&people, NOW).await.unwrap();
    tx.commit().await.unwrap();

    for sort in [PersonSort::Id, PersonSort::Name] {
        let mut seen = vec![];
        let mut after = None;
        loop {
            let mut tx = s.read().await.unwrap();
            let q = PersonQuery {
                scope: scope(AreaKind::Zone, &t.zone),
                sort,
                after: after.clone(),
                limit: 100,
                ..Default::default()
            };
            let page = tx.list_persons(&q).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some(match sort {
                PersonSort::Id => PersonCursor::Id(last.id),
                PersonSort::Name => PersonCursor::Name(last.name.clone(), last.id),
            });
            seen.extend(page.into_iter().map(|p| (p.name, p.id)));
        }
        assert_eq!(seen.len(), 2_500, "{sort:?}: every person exactly once");
        let mut sorted = seen.clone();
        match sort {
            PersonSort::Id => sorted.sort_by_key(|p| p.1),
            PersonSort::Name => sorted.sort(),
        }
        assert_eq!(seen, sorted, "{sort:?}: pages in order");
    }
    let mut tx = s.read().await.unwrap();
    assert_eq!(
        tx.count_persons(scope(AreaKind::Zone, &t.zone))
            .await
            .unwrap(),
        2_500
    );
    assert_eq!(
        tx.count_persons(scope(AreaKind::Street, &t.streets[0]))
            .await
            .unwrap(),
        1_250
    );
}

async fn persons_search_and_scope(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_person(&person(1, &t.communities[0], "张三"), NOW)
        .await
        .unwrap();
    tx.insert_person(&person(2, &t.communities[0], "张三丰"), NOW)
        .await
        .unwrap();
    tx.insert_person(&person(3, &t.communities[2], "张伟"), NOW)
        .await
        .unwrap();
    tx.insert_person(&person(4, &t.communities[1], "李四"), NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let q = |s: Scope| PersonQuery {
        scope: s,
        limit: 50,
        ..Default::default()
    };
    let zone = scope(AreaKind::Zone, &t.zone);
    let street0 = scope(AreaKind::Street, &t.streets[0]);
    let names = |v: Vec<store::PersonRow>| v.into_iter().map(|p| p.name).collect::<Vec<_>>();

    let zhang = PersonQuery {
        name_prefix: Some("张".into()),
        ..q(zone)
    };
    assert_eq!(
        names(tx.list_persons(&zhang).await.unwrap()),
        ["张三", "张三丰", "张伟"]
    );
    let zhang_s0 = PersonQuery {
        name_prefix: Some("张".into()),
        ..q(street0)
    };
    assert_eq!(
        names(tx.list_persons(&zhang_s0).await.unwrap()),
        ["张三", "张三丰"]
    );
    let by_id = PersonQuery {
        id_number: Some(format!("ID{:016}", 3)),
        ..q(zone)
    };
    assert_eq!(names(tx.list_persons(&by_id).await.unwrap()), ["张伟"]);
    // Out of scope: the same ID number is invisible from another street.
    let by_id_s0 = PersonQuery {
        id_number: Some(format!("ID{:016}", 3)),
        ..q(street0)
    };
    assert!(tx.list_persons(&by_id_s0).await.unwrap().is_empty());
    let by_phone = PersonQuery {
        phone: Some(format!("138{:08}", 4)),
        ..q(zone)
    };
    assert_eq!(names(tx.list_persons(&by_phone).await.unwrap()), ["李四"]);
    assert!(
        tx.person_by_id_number(&format!("ID{:016}", 2))
            .await
            .unwrap()
            .is_some()
    );
}

async fn duplicate_id_number_conflicts(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_person(&person(1, &t.communities[0], "张三"), NOW)
        .await
        .unwrap();
    let again = tx
        .insert_person(&person(1, &t.communities[1], "张三"), NOW)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

async fn rollback_leaves_nothing(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_person(&person(1, &t.communities[0], "张三"), NOW)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    {
        // Dropped without commit: rolled back as well.
        let mut tx = s.write().await.unwrap();
        tx.insert_person(&person(2, &t.communities[0], "李四"), NOW)
            .await
            .unwrap();
    }
    let mut tx = s.read().await.unwrap();
    assert_eq!(
        tx.count_persons(scope(AreaKind::Zone, &t.zone))
            .await
            .unwrap(),
        0
    );
}

async fn sessions_expire(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let uid = tx
        .insert_user(
            &NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                role: "admin".into(),
                area_id: t.zone.id,
                area_path: t.zone.path.clone(),
                person_id: None,
                password_hash: "x".into(),
            },
            NOW,
        )
        .await
        .unwrap();
    let session = NewSession {
        token_hash: "h1".into(),
        user_id: uid,
        csrf_token: "c1".into(),
        client_addr: "127.0.0.1".into(),
        expires_at: NOW + 1_000,
    };
    tx.insert_session(&session, NOW).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    let live = tx.session("h1", NOW + 999).await.unwrap().unwrap();
    assert_eq!(live.user.username, "admin");
    assert_eq!(live.csrf_token, "c1");
    assert!(tx.session("h1", NOW + 1_000).await.unwrap().is_none());
    assert!(tx.session("other", NOW).await.unwrap().is_none());
    assert_eq!(tx.delete_expired_sessions(NOW + 1_000).await.unwrap(), 1);
    assert!(tx.session("h1", NOW).await.unwrap().is_none());
}

async fn login_failures_are_counted(s: &Store) {
    let mut tx = s.write().await.unwrap();
    for i in 0..3 {
        tx.record_login_attempt("admin", "10.0.0.1", false, NOW + i)
            .await
            .unwrap();
    }
    tx.record_login_attempt("admin", "10.0.0.2", true, NOW + 5)
        .await
        .unwrap();
    tx.record_login_attempt("other", "10.0.0.1", false, NOW + 6)
        .await
        .unwrap();
    assert_eq!(
        tx.failed_logins_since("admin", "10.0.0.1", NOW)
            .await
            .unwrap(),
        (3, 4)
    );
    assert_eq!(
        tx.failed_logins_since("admin", "10.0.0.1", NOW + 2)
            .await
            .unwrap(),
        (1, 2)
    );
}

async fn audit_log_is_insert_only(s: &Store) {
    let mut tx = s.write().await.unwrap();
    let entry = AuditEntry {
        user_id: None,
        username: "admin".into(),
        role: "admin".into(),
        action: "person.view_full".into(),
        record_type: "person".into(),
        record_id: "7".into(),
        client_addr: "127.0.0.1".into(),
        detail: String::new(),
    };
    // Entries younger than three years can never be deleted (retention keeps them 3 years).
    let now = domain::time::now_ms();
    tx.insert_audit(&entry, now).await.unwrap();
    tx.insert_audit(
        &AuditEntry {
            record_id: "8".into(),
            ..entry.clone()
        },
        now + 1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.write().await.unwrap();
    let rows = tx
        .list_audit(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r.record_id.as_str())
            .collect::<Vec<_>>(),
        ["8", "7"]
    );
    let only7 = AuditQuery {
        record_id: Some("7".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(tx.list_audit(&only7).await.unwrap().len(), 1);
    drop(tx);

    for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
        let mut tx = s.write().await.unwrap();
        let err = tx.execute_raw_for_tests(sql).await;
        assert!(err.is_err(), "{sql} must be refused");
    }
    let mut tx = s.read().await.unwrap();
    assert_eq!(
        tx.list_audit(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        2
    );
    // One older than three years may be deleted (the retention job), never updated.
    let mut tx = s.write().await.unwrap();
    let old = now - 1100 * 86_400_000;
    tx.insert_audit(
        &AuditEntry {
            record_id: "old".into(),
            ..entry.clone()
        },
        old,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    assert!(
        tx.execute_raw_for_tests("UPDATE audit_log SET action = 'x' WHERE record_id = 'old'")
            .await
            .is_err()
    );
    drop(tx);
    let mut tx = s.write().await.unwrap();
    assert_eq!(
        tx.execute_raw_for_tests("DELETE FROM audit_log WHERE record_id = 'old'")
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
}

async fn counts_group_by_kind(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_persons(
        &[
            person(1, &t.communities[0], "甲"),
            person(2, &t.communities[3], "乙"),
        ],
        NOW,
    )
    .await
    .unwrap();
    tx.insert_checkpoints(
        &[store::NewCheckpoint {
            code: "K1".into(),
            kind: "traffic".into(),
            name: "卡点".into(),
            area_id: t.streets[0].id,
            area_path: t.streets[0].path.clone(),
            lat: 30.75,
            lon: 120.76,
            party_branch: None,
            hours: "00:00-24:00".into(),
        }],
        NOW,
    )
    .await
    .unwrap();
    let c = tx.counts().await.unwrap();
    assert_eq!(c.areas_by_kind["street"], 2);
    assert_eq!(c.areas_by_kind["community"], 4);
    assert_eq!(c.persons, 2);
    assert_eq!(c.checkpoints_by_kind["traffic"], 1);
    let by_child = tx
        .count_persons_by_child(scope(AreaKind::Zone, &t.zone))
        .await
        .unwrap();
    assert_eq!(by_child, vec![(t.streets[0].id, 1), (t.streets[1].id, 1)]);
}

/// Checkpoint edits, scans (idempotent insert, lookups, tracing ranges, counts), cases and
/// contacts (upsert that widens, exposures, counts).
async fn scans_cases_and_contacts(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let p1 = tx
        .insert_person(&person(1, &t.communities[0], "张三"), NOW)
        .await
        .unwrap();
    let p2 = tx
        .insert_person(&person(2, &t.communities[0], "李四"), NOW)
        .await
        .unwrap();
    let edit = store::CheckpointEdit {
        kind: "traffic".into(),
        name: "卡点".into(),
        area_id: t.streets[0].id,
        area_path: t.streets[0].path.clone(),
        lat: 30.75,
        lon: 120.76,
        party_branch: Some("临时党支部".into()),
        hours: "24h".into(),
        staff_on_duty: 4,
    };
    let cp = tx.create_checkpoint("K9", &edit, NOW).await.unwrap();
    tx.update_checkpoint(
        cp,
        &store::CheckpointEdit {
            staff_on_duty: 6,
            ..edit
        },
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(tx.checkpoint_record(cp).await.unwrap().staff_on_duty, 6);
    let scan = |e: &str, at: i64, person: i64, decision: &str| store::NewScan {
        checkpoint_id: cp,
        event_id: e.into(),
        at,
        person_id: Some(person),
        method: "id_number".into(),
        direction: "in".into(),
        temperature: Some(36.5),
        colour: None,
        decision: decision.into(),
        reason: "r".into(),
        fingerprint: format!("f-{e}"),
    };
    let rows = vec![
        scan("e1", NOW, p1, "pass"),
        scan("e2", NOW + 60_000, p2, "stop"),
    ];
    assert_eq!(tx.insert_scans(&rows, NOW).await.unwrap().len(), 2);
    assert_eq!(tx.insert_scans(&rows, NOW).await.unwrap().len(), 0);
    let keys = tx.stored_scan_keys(cp, &["e1", "x"]).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].fingerprint, "f-e1");
    assert_eq!(
        tx.sightings_of_person(p1, NOW, NOW + 1)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        tx.sightings_at(cp, NOW, NOW + 60_000).await.unwrap().len(),
        2
    );
    assert!(tx.checkpoint_has_scans(cp).await.unwrap());
    assert!(!tx.delete_unused_checkpoint(cp).await.unwrap());
    let c = tx.scan_counts().await.unwrap();
    assert_eq!((c.total, c.pass, c.stop), (2, 1, 1));
    assert_eq!(tx.screened_cumulative().await.unwrap(), 2);
    let today = store::shanghai_day_number(NOW);
    let per_day = tx.scans_per_day(today - 1, today + 2).await.unwrap();
    assert_eq!(per_day.iter().map(|r| r.counts.total).sum::<i64>(), 2);
    assert_eq!(
        per_day,
        tx.scans_per_day_reference(NOW - 86_400_000 * 2, NOW + 86_400_000 * 2)
            .await
            .unwrap()
    );
    assert_eq!(
        tx.scan_counts_at(cp, NOW, NOW + 120_000)
            .await
            .unwrap()
            .total,
        2
    );
    let numbers = tx
        .persons_by_id_number(&["110105194912310021"])
        .await
        .unwrap();
    assert!(numbers.len() <= 1);

    let case = tx
        .insert_case(
            &store::NewCase {
                person_id: p1,
                kind: "suspected".into(),
                origin: "local".into(),
                onset_on: None,
                reported_on: "2020-02-01".into(),
                cluster_id: None,
                note: String::new(),
            },
            NOW,
        )
        .await
        .unwrap();
    let cluster = tx.insert_cluster("一号聚集", NOW).await.unwrap();
    tx.set_case_cluster(case, Some(cluster), NOW).await.unwrap();
    tx.update_case_status(case, "confirmed", "active", "2020-02-02", None, NOW)
        .await
        .unwrap();
    assert_eq!(tx.case(case).await.unwrap().kind, "confirmed");
    assert_eq!(tx.cases_since("2020-01-01").await.unwrap().len(), 1);
    assert_eq!(
        tx.case_counts().await.unwrap(),
        vec![("confirmed".into(), 1)]
    );
    let contact = |last: i64, day: &str| store::NewContact {
        case_id: case,
        person_id: p2,
        source_person_id: p1,
        degree: "close".into(),
        setting: "checkpoint".into(),
        checkpoint_id: Some(cp),
        first_at: NOW,
        last_at: last,
        closest_seconds: Some(60),
        encounters: 1,
        last_exposure_on: day.into(),
        added_by: "tracing".into(),
    };
    tx.upsert_contacts(&[contact(NOW, "2020-02-01")], NOW)
        .await
        .unwrap();
    tx.upsert_contacts(&[contact(NOW + 1, "2020-02-02")], NOW)
        .await
        .unwrap();
    let list = tx.contacts_of_case(case).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].last_at, list[0].last_exposure_on.as_str()),
        (NOW + 1, "2020-02-02")
    );
    assert_eq!(
        tx.exposures_of_person(p2, "2020-01-01")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(tx.exposures_since("2020-02-03").await.unwrap().len(), 0);
    assert_eq!(tx.contact_counts().await.unwrap(), (1, 0));
    tx.commit().await.unwrap();
}

async fn risk_area_list_pages_and_updates(s: &Store) {
    use store::{RiskAreaQuery, RiskAreaSort, RiskAreaStatus};
    let mut tx = s.write().await.unwrap();
    let wuhan = tx
        .insert_risk_area("420100", "high", "2020-01-23", None, NOW)
        .await
        .unwrap();
    tx.insert_risk_area("420000", "medium", "2020-03-25", None, NOW)
        .await
        .unwrap();
    tx.insert_risk_area("330300", "high", "2020-02-01", Some("2020-02-26"), NOW)
        .await
        .unwrap();
    let query = |prefix: Option<&str>, status, sort, offset| RiskAreaQuery {
        division_prefix: prefix.map(Into::into),
        level: None,
        status,
        on: "2020-03-27".into(),
        sort,
        offset,
        limit: 2,
    };
    let (rows, total) = tx
        .risk_areas_page(&query(Some("42"), None, RiskAreaSort::Level, 0))
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(rows[0].division_code, "420100", "high before medium");
    let (rows, total) = tx
        .risk_areas_page(&query(
            None,
            Some(RiskAreaStatus::Ended),
            RiskAreaSort::Division,
            0,
        ))
        .await
        .unwrap();
    assert_eq!((total, rows[0].division_code.as_str()), (1, "330300"));
    let (rows, total) = tx
        .risk_areas_page(&query(None, None, RiskAreaSort::Newest, 2))
        .await
        .unwrap();
    assert_eq!((total, rows.len()), (3, 1));
    assert_eq!(rows[0].valid_from, "2020-01-23", "the oldest start is last");
    let (rows, _) = tx
        .risk_areas_page(&query(
            None,
            Some(RiskAreaStatus::Upcoming),
            RiskAreaSort::Division,
            0,
        ))
        .await
        .unwrap();
    assert!(rows.is_empty());

    tx.update_risk_area(wuhan, "medium", "2020-01-23", Some("2020-04-08"))
        .await
        .unwrap();
    let row = tx.risk_area(wuhan).await.unwrap().unwrap();
    assert_eq!(
        (row.level.as_str(), row.valid_to.as_deref()),
        ("medium", Some("2020-04-08"))
    );
    assert!(matches!(
        tx.update_risk_area(wuhan + 100, "high", "2020-01-01", None)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(tx.risk_area(wuhan + 100).await.unwrap().is_none());
    tx.commit().await.unwrap();
}

async fn bulk_reads_and_writes_of_codes(s: &Store) {
    use store::{BulkDeclaration, BulkScope, BulkWindow, CodeUpsert, NewCheckIn, NewCodeChange};
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let mut ids = vec![];
    for (i, name) in ["张一", "张二", "张三", "张四"].iter().enumerate() {
        ids.push(
            tx.insert_person(&person(10 + i, &t.communities[i % 2], name), NOW)
                .await
                .unwrap(),
        );
    }
    let (p1, p2, p3, p4) = (ids[0], ids[1], ids[2], ids[3]);
    let declaration =
        |id: i64, person_id: i64, on: &str, trip: Option<(&str, &str)>| BulkDeclaration {
            id,
            declared_at: NOW,
            found_false_on: (person_id == p3).then(|| "2020-03-20".to_owned()),
            declaration: store::NewDeclaration {
                person_id,
                declared_on: on.into(),
                temperature: 36.5,
                symptoms: false,
                contact_case: false,
                contact_risk_area: false,
                address: "地址".into(),
                itinerary: trip
                    .map(|(d, a)| vec![(d.to_owned(), a.to_owned())])
                    .unwrap_or_default(),
            },
        };
    tx.insert_declarations_with_ids(&[
        declaration(1, p1, "2020-03-20", Some(("420102", "2020-03-20"))),
        declaration(2, p2, "2020-03-21", Some(("110105", "2020-03-19"))),
        declaration(3, p3, "2020-03-10", None),
    ])
    .await
    .unwrap();
    // The identity moved past the chosen ids: the next declaration gets a fresh one.
    let next = tx
        .insert_declaration(&declaration(0, p4, "2020-03-26", None).declaration, NOW)
        .await
        .unwrap();
    assert!(next > 3);
    let check_in = |person_id: i64, day: &str, temperature: f64| NewCheckIn {
        person_id,
        day: day.into(),
        temperature,
        symptoms: false,
        at: NOW,
    };
    tx.insert_check_ins(&[
        check_in(p1, "2020-03-21", 36.6),
        check_in(p1, "2020-03-22", 36.7),
        check_in(p2, "2020-03-22", 38.2),
        check_in(p2, "2020-03-22", 36.1),
        check_in(p3, "2020-01-01", 39.0),
    ])
    .await
    .unwrap();

    let w = BulkWindow {
        day: "2020-03-27",
        since: "2020-02-01",
        normal_below: 37.3,
    };
    let everyone = BulkScope::Everyone;
    let arrivals = tx.bulk_arrivals(everyone, w).await.unwrap();
    let who: Vec<(i64, &str)> = arrivals
        .iter()
        .map(|a| (a.person_id, a.arrival.division_code.as_str()))
        .collect();
    assert_eq!(who, [(p1, "420102"), (p2, "110105")]);
    assert_eq!(arrivals[1].arrival.declared_on, "2020-03-21");
    let hubei = ["4201".to_owned()];
    let from_hubei = BulkScope::ArrivedFrom(&hubei);
    assert_eq!(tx.bulk_arrivals(from_hubei, w).await.unwrap().len(), 1);
    assert_eq!(tx.count_arrived_from("4201", w.since).await.unwrap(), 1);
    assert_eq!(tx.count_arrived_from("42", "2020-03-21").await.unwrap(), 0);

    assert_eq!(
        tx.bulk_abnormal_check_in_persons(everyone, w)
            .await
            .unwrap(),
        [p2],
        "the fever of p3 is before the window; a day's second check-in is skipped"
    );
    assert!(
        tx.bulk_abnormal_check_in_persons(from_hubei, w)
            .await
            .unwrap()
            .is_empty()
    );
    let check_ins = tx.check_ins_of(&[p1, p2, p4], w.since).await.unwrap();
    let days: Vec<(i64, &str)> = check_ins
        .iter()
        .map(|c| (c.person_id, c.check_in.day.as_str()))
        .collect();
    assert_eq!(
        days,
        [(p1, "2020-03-21"), (p1, "2020-03-22"), (p2, "2020-03-22")]
    );
    assert_eq!(check_ins[2].check_in.temperature, 38.2);
    assert_eq!(
        tx.bulk_false_declarations(everyone, w).await.unwrap(),
        [(p3, "2020-03-20".to_owned())]
    );
    assert!(
        tx.bulk_false_declarations(from_hubei, w)
            .await
            .unwrap()
            .is_empty()
    );

    // Who applied by the day and has no code yet.
    let without: Vec<i64> = tx
        .bulk_persons_without_code(everyone, w)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(without, [p1, p2, p3, p4]);
    let early = BulkWindow {
        day: "2020-03-15",
        ..w
    };
    let without: Vec<i64> = tx
        .bulk_persons_without_code(everyone, early)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(without, [p3], "p3 checked in on 01-01 and declared 03-10");

    let areas = tx.persons_areas(&[p2, p1, p1 + 1000]).await.unwrap();
    assert_eq!(areas.len(), 2);
    let a1 = areas.iter().find(|a| a.id == p1).unwrap();
    assert_eq!(a1.community_id, t.communities[0].row.id);
    let code = |person_id: i64, r: &str, colour: &str, since: &str| CodeUpsert {
        person_id,
        r#ref: r.into(),
        colour: colour.into(),
        since: since.into(),
        reasons: if colour == "green" { "[]" } else { "[{}]" }.into(),
        earliest_change: (colour != "green").then(|| "2020-04-03".to_owned()),
        ruleset_version: "v1".into(),
        zone_id: a1.zone_id,
        street_id: a1.street_id,
        community_id: a1.community_id,
    };
    tx.upsert_health_codes(
        &[
            code(p1, "r1", "red", "2020-03-20"),
            code(p2, "r2", "green", "2020-03-20"),
        ],
        NOW,
    )
    .await
    .unwrap();
    let stored = tx.bulk_stored_codes(everyone, w, "v1").await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].person_id, stored[0].colour.as_str()),
        (p1, "red")
    );
    assert_eq!(
        tx.bulk_stored_codes(everyone, w, "v2").await.unwrap().len(),
        2
    );
    let without: Vec<i64> = tx
        .bulk_persons_without_code(everyone, w)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(without, [p3, p4]);
    // A scope of named persons (a tracing's contacts), through the temporary table; filling
    // it again replaces them.
    tx.set_scope_persons(&[p4, p1, p4]).await.unwrap();
    let named = BulkScope::Persons;
    let without: Vec<i64> = tx
        .bulk_persons_without_code(named, w)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(without, [p4]);
    let stored: Vec<i64> = tx
        .bulk_stored_codes(named, w, "v1")
        .await
        .unwrap()
        .iter()
        .map(|r| r.person_id)
        .collect();
    assert_eq!(stored, [p1]);
    tx.set_scope_persons(&[p2]).await.unwrap();
    assert!(
        tx.bulk_stored_codes(named, w, "v1")
            .await
            .unwrap()
            .is_empty()
    );
    // Same colour: the reference and the day it began stay; a new colour starts a new day.
    tx.upsert_health_codes(
        &[
            code(p1, "other", "red", "2020-03-27"),
            code(p2, "other2", "yellow", "2020-03-27"),
        ],
        NOW + 1,
    )
    .await
    .unwrap();
    let c1 = tx.health_code(p1).await.unwrap().unwrap();
    assert_eq!((c1.r#ref.as_str(), c1.since.as_str()), ("r1", "2020-03-20"));
    let c2 = tx.health_code(p2).await.unwrap().unwrap();
    assert_eq!((c2.r#ref.as_str(), c2.since.as_str()), ("r2", "2020-03-27"));
    assert_eq!(c2.updated_at, NOW + 1);
    let change = |person_id: i64| NewCodeChange {
        person_id,
        day: "2020-03-27".into(),
        from_colour: Some("green".into()),
        to_colour: "yellow".into(),
        reasons: "[{}]".into(),
        ruleset_version: "v1".into(),
        actor: "daily".into(),
        kind: "rule",
    };
    tx.insert_code_changes(&[change(p2), change(p2)], NOW)
        .await
        .unwrap();
    assert_eq!(tx.code_changes(p2, 10).await.unwrap().len(), 2);
    tx.commit().await.unwrap();
}

/// Enterprise service (migration 0010): every store query of `store::enterprise` on both
/// backends — the grouped sums, CASTs and upserts are where the dialects could differ.
mod enterprise_cases {
    use super::*;
    use store::{
        NewApplication, NewEnterprise, NewGrid, NewOfficer, NewPayout, NewReport, NewRequest,
        NewVisit, RequestStepRow, Tx,
    };

    conformance!(
        enterprise_records_grid_officers_and_visits,
        enterprise_reports_rates_and_electricity,
        enterprise_requests_overdue_and_on_time,
        enterprise_payouts_applications_and_ledger,
        enterprise_search_officer_loads_and_moves,
    );

    async fn enterprise_search_officer_loads_and_moves(s: &Store) {
        use store::{EnterpriseCursor, EnterpriseQuery, EnterpriseSort};
        let mut tx = s.write().await.unwrap();
        let p = place(&mut tx).await;
        let street_path = tx.area(p.street).await.unwrap().path;
        let q = |text: Option<&str>, sort, after, limit| EnterpriseQuery {
            path_prefix: street_path.clone(),
            text: text.map(str::to_owned),
            sort,
            after,
            limit,
            ..Default::default()
        };
        // Part of a name; a wildcard typed by the user matches only itself.
        let (rows, total) = tx
            .search_enterprises(&q(Some("业2"), EnterpriseSort::Id, None, 10))
            .await
            .unwrap();
        assert_eq!((rows.len(), total), (1, 1));
        assert_eq!(rows[0].name, "企业2");
        let (rows, _) = tx
            .search_enterprises(&q(Some("%"), EnterpriseSort::Id, None, 10))
            .await
            .unwrap();
        assert!(rows.is_empty());
        // The start of a credit code, typed in lower case.
        let (rows, _) = tx
            .search_enterprises(&q(Some("91330402ma0000000"), EnterpriseSort::Id, None, 10))
            .await
            .unwrap();
        assert_eq!(rows.len(), 3);
        // Keyset pages by name, and a sector filter with its count.
        let (first, total) = tx
            .search_enterprises(&q(None, EnterpriseSort::Name, None, 2))
            .await
            .unwrap();
        assert_eq!(total, 3);
        let last = first.last().unwrap();
        let (rest, _) = tx
            .search_enterprises(&q(
                None,
                EnterpriseSort::Name,
                Some(EnterpriseCursor::Name(last.name.clone(), last.id)),
                2,
            ))
            .await
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert!(rest[0].name > last.name);
        let (by_size, _) = tx
            .search_enterprises(&q(
                None,
                EnterpriseSort::Employees,
                Some(EnterpriseCursor::Employees(100, p.enterprises[0])),
                10,
            ))
            .await
            .unwrap();
        assert_eq!(by_size.len(), 2);
        let sector = EnterpriseQuery {
            sector: Some("service".into()),
            micro_grid_id: Some(p.micro),
            street_id: Some(p.street),
            ..q(None, EnterpriseSort::Id, None, 10)
        };
        let (rows, total) = tx.search_enterprises(&sector).await.unwrap();
        assert_eq!((rows.len(), total), (1, 1));
        let (rows, _) = tx
            .search_enterprises(&EnterpriseQuery {
                path_prefix: "/nowhere/".into(),
                ..q(None, EnterpriseSort::Id, None, 10)
            })
            .await
            .unwrap();
        assert!(rows.is_empty());
        // Officers with their loads; ending an assignment once.
        let o = tx
            .insert_officer(
                &NewOfficer {
                    user_id: None,
                    kind: "policy".into(),
                    name: "丙".into(),
                    phone: "13700004321".into(),
                    department: "人社局".into(),
                },
                NOW,
            )
            .await
            .unwrap();
        tx.assign_officers(&[(o, p.enterprises[0]), (o, p.enterprises[1])], NOW)
            .await
            .unwrap();
        let loads = tx
            .officers_page(Some("policy"), Some("人社"), 0, 10)
            .await
            .unwrap();
        assert_eq!(loads.len(), 1);
        assert_eq!((loads[0].id, loads[0].enterprises), (o, 2));
        assert!(
            tx.officers_page(Some("prevention"), None, 0, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(tx.unassign_officer(o, p.enterprises[0]).await.unwrap());
        assert!(!tx.unassign_officer(o, p.enterprises[0]).await.unwrap());
        assert_eq!(
            tx.officers_page(None, None, 0, 10).await.unwrap()[0].enterprises,
            1
        );
        // Per-grid counts, and a move to another micro-grid.
        assert_eq!(tx.enterprises_per_grid().await.unwrap(), vec![(p.micro, 3)]);
        let parent = tx.grid(p.micro).await.unwrap().parent_id;
        let other = tx
            .insert_grid(
                &NewGrid {
                    level: "micro_grid".into(),
                    parent_id: parent,
                    street_id: p.street,
                    name: "another".into(),
                    keeper_user_id: None,
                    keeper_name: String::new(),
                    keeper_phone: String::new(),
                },
                NOW,
            )
            .await
            .unwrap();
        tx.set_enterprise_grid(p.enterprises[2], other, NOW + 5)
            .await
            .unwrap();
        assert_eq!(
            tx.enterprises_per_grid().await.unwrap(),
            vec![(p.micro, 2), (other, 1)]
        );
        assert!(matches!(
            tx.set_enterprise_grid(-1, other, NOW).await,
            Err(StoreError::NotFound(_))
        ));
        tx.rollback().await.unwrap();
    }

    struct Place {
        street: i64,
        micro: i64,
        user: i64,
        enterprises: Vec<i64>,
    }

    async fn place(tx: &mut Tx) -> Place {
        let new_area = |parent: Option<i64>, kind: &str, code: &str| NewArea {
            parent_id: parent,
            kind: kind.into(),
            code: code.into(),
            name: code.into(),
            boundary: None,
        };
        let zone = tx
            .insert_area(&new_area(None, "zone", "EZ"), NOW)
            .await
            .unwrap();
        let street = tx
            .insert_area(&new_area(Some(zone.id), "street", "ES"), NOW)
            .await
            .unwrap();
        let user = tx
            .insert_user(
                &NewUser {
                    username: "ec".into(),
                    display_name: "ec".into(),
                    role: "enterprise_contact".into(),
                    area_id: zone.id,
                    area_path: zone.path.clone(),
                    person_id: None,
                    password_hash: "x".into(),
                },
                NOW,
            )
            .await
            .unwrap();
        let grid = |level: &str, parent: Option<i64>| NewGrid {
            level: level.into(),
            parent_id: parent,
            street_id: street.id,
            name: level.into(),
            keeper_user_id: None,
            keeper_name: String::new(),
            keeper_phone: String::new(),
        };
        let g = tx.insert_grid(&grid("grid", None), NOW).await.unwrap();
        let s = tx
            .insert_grid(&grid("sub_grid", Some(g)), NOW)
            .await
            .unwrap();
        let micro = tx
            .insert_grid(&grid("micro_grid", Some(s)), NOW)
            .await
            .unwrap();
        let e = |n: u32, sector: &str, major: bool| NewEnterprise {
            credit_code: format!("91330402MA{n:08}"),
            name: format!("企业{n}"),
            sector: sector.into(),
            above_size: true,
            fortune500: false,
            major_project: major,
            street_id: street.id,
            area_path: street.path.clone(),
            micro_grid_id: micro,
            address: String::new(),
            employees: 100,
            land_centimu: 1000,
            tax_fen: 100,
            contact_name: "甲".into(),
            contact_phone: "13900001234".into(),
            chartered_buses: 1,
            new_hires: 0,
            talent_hires: 0,
        };
        let rows = [
            e(1, "industry", false),
            e(2, "construction", true),
            e(3, "service", false),
        ];
        assert_eq!(tx.upsert_enterprises(&rows, NOW).await.unwrap(), 3);
        // The same codes again update, they do not duplicate.
        tx.upsert_enterprises(&rows[..1], NOW + 1).await.unwrap();
        assert_eq!(tx.count_enterprises().await.unwrap(), 3);
        let page = tx.enterprises_page(&street.path, 0, 10).await.unwrap();
        Place {
            street: street.id,
            micro,
            user,
            enterprises: page.iter().map(|e| e.id).collect(),
        }
    }

    async fn enterprise_records_grid_officers_and_visits(s: &Store) {
        let mut tx = s.write().await.unwrap();
        let p = place(&mut tx).await;
        assert_eq!(p.enterprises.len(), 3);
        let e = tx.enterprise(p.enterprises[0]).await.unwrap();
        assert_eq!((e.micro_grid_id, e.above_size), (p.micro, 1));
        assert!(
            tx.enterprise_by_code(&e.credit_code)
                .await
                .unwrap()
                .is_some()
        );
        assert!(matches!(
            tx.enterprise(-1).await,
            Err(StoreError::NotFound(_))
        ));
        tx.set_enterprise_contact(p.user, e.id).await.unwrap();
        assert_eq!(tx.enterprise_of_contact(p.user).await.unwrap(), Some(e.id));
        assert_eq!(tx.grids().await.unwrap().len(), 3);
        assert_eq!(tx.grid(p.micro).await.unwrap().level, "micro_grid");
        let o = tx
            .insert_officer(
                &NewOfficer {
                    user_id: None,
                    kind: "prevention".into(),
                    name: "乙".into(),
                    phone: "13700001234".into(),
                    department: "卫健局".into(),
                },
                NOW,
            )
            .await
            .unwrap();
        assert_eq!(tx.officer(o).await.unwrap().kind, "prevention");
        assert!(tx.officer_of_user(p.user).await.unwrap().is_none());
        assert_eq!(
            tx.officers_by_kind().await.unwrap(),
            [("prevention".to_owned(), 1)]
        );
        let pairs = [(o, p.enterprises[0]), (o, p.enterprises[1])];
        assert_eq!(tx.assign_officers(&pairs, NOW).await.unwrap(), 2);
        assert_eq!(tx.assign_officers(&pairs, NOW).await.unwrap(), 0);
        assert!(tx.is_assigned(o, p.enterprises[1]).await.unwrap());
        assert_eq!(tx.enterprises_of_officer(o).await.unwrap().len(), 2);
        assert_eq!(
            tx.officers_of_enterprise(p.enterprises[0])
                .await
                .unwrap()
                .len(),
            1
        );
        tx.insert_visit(
            &NewVisit {
                enterprise_id: p.enterprises[0],
                officer_id: o,
                visited_on: "2020-03-01".into(),
                note: String::new(),
                check: Some((true, false, true)),
                findings: "f".into(),
                follow_up: "u".into(),
            },
            NOW,
        )
        .await
        .unwrap();
        let v = tx.visits_of_officer(o, 10).await.unwrap();
        assert_eq!((v[0].plan_ok, v[0].staff_ok), (Some(1), Some(0)));
        tx.commit().await.unwrap();
    }

    fn report(enterprise_id: i64, day: &str, resumed: bool, on_site: i64) -> NewReport {
        NewReport {
            enterprise_id,
            day: day.into(),
            resumed,
            on_site,
            total: 100,
            returned_outside: 5,
            in_quarantine: 1,
            capacity_pct: if resumed { 60 } else { 0 },
            masks: 10,
            materials_days: 3,
            problems: String::new(),
            reported_by: None,
        }
    }

    async fn enterprise_reports_rates_and_electricity(s: &Store) {
        let mut tx = s.write().await.unwrap();
        let p = place(&mut tx).await;
        let [a, b, c] = [p.enterprises[0], p.enterprises[1], p.enterprises[2]];
        tx.upsert_reports(
            &[
                report(a, "2020-03-02", true, 80),
                report(b, "2020-03-02", true, 50),
            ],
            NOW,
        )
        .await
        .unwrap();
        tx.upsert_reports(&[report(a, "2020-03-02", true, 90)], NOW + 1)
            .await
            .unwrap();
        assert_eq!(tx.count_reports().await.unwrap(), 2);
        assert_eq!(tx.reports_of_enterprise(a, 5).await.unwrap()[0].on_site, 90);
        let streets = tx.rate_groups("2020-03-02", true).await.unwrap();
        assert_eq!(streets.len(), 1);
        let g = &streets[0];
        assert_eq!(g.group, p.street.to_string());
        assert_eq!(
            (
                g.enterprises,
                g.reported,
                g.resumed,
                g.on_site,
                g.total,
                g.capacity_sum
            ),
            (3, 2, 2, 140, 200, 120)
        );
        assert_eq!((g.major_projects, g.major_projects_resumed), (1, 1));
        let sectors = tx.rate_groups("2020-03-02", false).await.unwrap();
        let keys: Vec<&str> = sectors.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(keys, ["construction", "industry", "service"]);
        let mut power = vec![];
        for d in 1..=31 {
            power.push((a, format!("2019-12-{d:02}"), 100 + d % 2));
        }
        power.push((a, "2020-03-02".into(), 40));
        power.push((c, "2020-03-02".into(), 5));
        tx.upsert_electricity(&power).await.unwrap();
        let day = tx
            .electricity_day("2020-03-02", "2019-12-01", "2019-12-31")
            .await
            .unwrap();
        assert_eq!(day.len(), 2);
        assert_eq!(
            (day[0].baseline_daily_kwh, day[0].reported_resumed),
            (Some(100), Some(true))
        );
        assert_eq!(
            (day[1].baseline_daily_kwh, day[1].reported_resumed),
            (None, None)
        );
        tx.commit().await.unwrap();
    }

    async fn enterprise_requests_overdue_and_on_time(s: &Store) {
        let mut tx = s.write().await.unwrap();
        let p = place(&mut tx).await;
        let o = tx
            .insert_officer(
                &NewOfficer {
                    user_id: None,
                    kind: "enterprise".into(),
                    name: "丙".into(),
                    phone: "13700001234".into(),
                    department: "经发局".into(),
                },
                NOW,
            )
            .await
            .unwrap();
        let mut ids = vec![];
        for (i, deadline) in [NOW + 100, NOW + 50, NOW + 10_000].into_iter().enumerate() {
            let id = tx
                .insert_request(&NewRequest {
                    enterprise_id: p.enterprises[i],
                    category: "logistics".into(),
                    complexity: "simple".into(),
                    title: "t".into(),
                    detail: String::new(),
                    level: "micro_grid".into(),
                    raised_by: Some(p.user),
                    received_at: NOW,
                    deadline_at: deadline,
                })
                .await
                .unwrap();
            ids.push(id);
        }
        assert!(
            tx.assign_request(ids[0], Some(o), "经发局", NOW + 1)
                .await
                .unwrap()
        );
        assert!(
            !tx.assign_request(ids[0], Some(o), "经发局", NOW + 2)
                .await
                .unwrap()
        );
        let overdue = tx.overdue_requests(NOW + 200, 10).await.unwrap();
        assert_eq!(
            overdue.iter().map(|r| r.id).collect::<Vec<_>>(),
            [ids[1], ids[0]]
        );
        tx.set_request_level(ids[0], "grid").await.unwrap();
        assert!(tx.answer_request(ids[0], "done", NOW + 300).await.unwrap());
        assert!(
            tx.close_request(ids[0], 5, "good", NOW + 400)
                .await
                .unwrap()
        );
        assert!(!tx.close_request(ids[1], 5, "", NOW).await.unwrap());
        let r = tx.request(ids[0]).await.unwrap();
        assert_eq!(
            (r.status.as_str(), r.level.as_str(), r.satisfaction),
            ("closed", "grid", Some(5))
        );
        tx.insert_request_step(&RequestStepRow {
            id: 0,
            request_id: ids[0],
            at: NOW,
            action: "receive".into(),
            level: "micro_grid".into(),
            user_id: Some(p.user),
            username: "ec".into(),
            note: String::new(),
        })
        .await
        .unwrap();
        assert_eq!(tx.request_steps(ids[0]).await.unwrap().len(), 1);
        assert_eq!(tx.overdue_requests(NOW + 200, 10).await.unwrap().len(), 1);
        assert_eq!(
            tx.requests_of_enterprise(p.enterprises[0], 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(tx.requests_of_officer(o, 10).await.unwrap().len(), 1);
        // Assigned to the officer, or raised by one of the officer's enterprises.
        tx.assign_officers(&[(o, p.enterprises[1])], NOW)
            .await
            .unwrap();
        let seen: Vec<i64> = tx
            .requests_for_officer(o, 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(seen, [ids[1], ids[0]]);
        let by_dept = tx.on_time_rates(true).await.unwrap();
        assert_eq!(
            (
                by_dept[0].key.as_str(),
                by_dept[0].answered,
                by_dept[0].on_time
            ),
            ("经发局", 1, 0)
        );
        let by_officer = tx.on_time_rates(false).await.unwrap();
        assert_eq!(by_officer[0].key, o.to_string());
        let by_status = tx.requests_by_status().await.unwrap();
        assert_eq!(
            by_status,
            [("closed".to_owned(), 1), ("received".to_owned(), 2)]
        );
        tx.commit().await.unwrap();
    }

    async fn enterprise_payouts_applications_and_ledger(s: &Store) {
        let mut tx = s.write().await.unwrap();
        let p = place(&mut tx).await;
        let a = p.enterprises[0];
        tx.upsert_reports(&[report(a, "2020-03-01", true, 70)], NOW)
            .await
            .unwrap();
        let facts = tx.match_facts_page("2020-03-02", 0, 10).await.unwrap();
        assert_eq!(facts.len(), 3);
        assert_eq!((facts[0].resumed, facts[0].on_site), (Some(1), Some(70)));
        assert_eq!(facts[1].resumed, None);
        let payout = |e: i64, code: &str, fen: i64| NewPayout {
            policy_code: code.into(),
            enterprise_id: e,
            mode: "automatic".into(),
            amount_fen: fen,
            evidence: "x".into(),
            application_id: None,
        };
        let rows = [
            payout(a, "E01", 100),
            payout(p.enterprises[1], "E01", 200),
            payout(a, "E02", 300),
        ];
        assert_eq!(tx.insert_payouts(&rows, NOW).await.unwrap(), 3);
        assert_eq!(tx.insert_payouts(&rows, NOW).await.unwrap(), 0);
        let e01 = tx.payout_of("E01", a).await.unwrap().unwrap();
        assert_eq!(tx.payouts_of_enterprise(a).await.unwrap().len(), 2);
        assert_eq!(tx.unpaid_payouts(0, 10).await.unwrap().len(), 3);
        let app = tx
            .insert_application(
                &NewApplication {
                    policy_code: "E07".into(),
                    enterprise_id: a,
                    requested_fen: 500,
                    statement: "s".into(),
                    submitted_by: Some(p.user),
                },
                NOW,
            )
            .await
            .unwrap();
        assert_eq!(
            tx.applications_by_status("submitted", 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            tx.review_application(app, "approved", Some(p.user), "r", NOW)
                .await
                .unwrap()
        );
        assert!(
            !tx.review_application(app, "rejected", Some(p.user), "r", NOW)
                .await
                .unwrap()
        );
        assert_eq!(tx.application(app).await.unwrap().status, "approved");
        assert_eq!(tx.applications_of_enterprise(a).await.unwrap().len(), 1);
        tx.insert_disbursement(e01.id, "key-0001", 100, NOW, "t")
            .await
            .unwrap();
        assert_eq!(tx.payout(e01.id).await.unwrap().paid_at, Some(NOW));
        assert_eq!(
            tx.disbursement_by_key("key-0001")
                .await
                .unwrap()
                .unwrap()
                .payout_id,
            e01.id
        );
        tx.commit().await.unwrap();
        // A second payment of the same payout, or the same key again, is refused.
        let mut tx = s.write().await.unwrap();
        let again = tx
            .insert_disbursement(e01.id, "key-0002", 100, NOW, "t")
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        tx.rollback().await.unwrap();
        let mut tx = s.write().await.unwrap();
        let other = tx.payout_of("E02", a).await.unwrap().unwrap();
        let again = tx
            .insert_disbursement(other.id, "key-0001", 300, NOW, "t")
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        tx.rollback().await.unwrap();
        let mut tx = s.read().await.unwrap();
        let all = tx.payout_totals("all").await.unwrap();
        assert_eq!(
            (all[0].payouts, all[0].granted_fen, all[0].paid_fen),
            (3, 600, 100)
        );
        let by_policy = tx.payout_totals("policy").await.unwrap();
        assert_eq!(by_policy[0].key, "E01");
        assert_eq!(by_policy[0].granted_fen, 300);
        let by_street = tx.payout_totals("street").await.unwrap();
        assert_eq!(by_street[0].key, p.street.to_string());
        assert_eq!(tx.paid_total_fen().await.unwrap(), 100);
        tx.rollback().await.unwrap();
    }
}

async fn quarantine_orders_checks_and_figures(s: &Store) {
    let t = tree(s).await;
    let c = &t.communities[0];
    let mut tx = s.write().await.unwrap();
    let mut ids = vec![];
    for i in 0..3 {
        ids.push(
            tx.insert_person(&person(900 + i, c, "隔离"), NOW)
                .await
                .unwrap(),
        );
    }
    let site = tx
        .insert_quarantine_site(
            &store::NewSite {
                code: "QS".into(),
                name: "隔离点".into(),
                address: String::new(),
                street_id: c.street,
                area_path: t.streets[0].path.clone(),
            },
            NOW,
        )
        .await
        .unwrap();
    tx.insert_quarantine_rooms(
        site,
        &[
            store::NewRoom {
                floor: 1,
                number: "101".into(),
                capacity: 1,
            },
            store::NewRoom {
                floor: 1,
                number: "102".into(),
                capacity: 2,
            },
        ],
    )
    .await
    .unwrap();
    let rooms = tx.quarantine_rooms(site).await.unwrap();
    let order = |p: i64, kind: &str, room: Option<i64>, entered: Option<&str>| store::NewOrder {
        person_id: p,
        kind: kind.into(),
        reason: "close_contact".into(),
        state: if entered.is_some() {
            "in_quarantine"
        } else {
            "ordered"
        }
        .into(),
        start_on: "2020-03-01".into(),
        planned_end_on: "2020-03-15".into(),
        site_id: room.map(|_| site),
        room_id: room,
        community_id: c.row.id,
        street_id: c.street,
        area_path: c.row.path.clone(),
        entered_on: entered.map(str::to_owned),
        ended_on: None,
        note: String::new(),
        follows_order_id: None,
        case_id: None,
        contact_id: None,
        created_by: "t".into(),
    };
    let o = tx
        .insert_quarantine_orders(
            &[
                order(ids[0], "centralized", Some(rooms[0].id), Some("2020-03-01")),
                order(ids[1], "home", None, Some("2020-03-02")),
                order(ids[2], "centralized", Some(rooms[1].id), None),
            ],
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(o.len(), 3);
    assert_eq!(tx.quarantine_order(o[1]).await.unwrap().person_id, ids[1]);
    tx.commit().await.unwrap();
    // One active order per person, on both backends.
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.insert_quarantine_orders(&[order(ids[0], "home", None, None)], NOW)
            .await,
        Err(store::StoreError::Conflict(_))
    ));
    tx.rollback().await.unwrap();
    let mut tx = s.write().await.unwrap();
    let site_row = tx.quarantine_site(site).await.unwrap();
    assert_eq!((site_row.capacity, site_row.occupied), (3, 2));
    let targets = tx.follow_up_targets("2020-03-02").await.unwrap();
    assert_eq!(targets.len(), 2);
    let checks: Vec<store::NewCheck> = targets
        .iter()
        .flat_map(|t| {
            [1, 2].map(|slot| store::NewCheck {
                order_id: t.order_id,
                day: "2020-03-02".into(),
                slot,
                site_id: t.site_id,
                community_id: t.community_id,
                street_id: t.street_id,
                assignee_id: None,
                due_at: 1000 * slot,
            })
        })
        .collect();
    assert_eq!(tx.insert_quarantine_checks(&checks).await.unwrap(), 4);
    assert_eq!(tx.insert_quarantine_checks(&checks).await.unwrap(), 0);
    let day = tx
        .quarantine_checks_of_day("2020-03-02", Some(site), None)
        .await
        .unwrap();
    assert_eq!(day.len(), 2);
    assert!(
        tx.record_quarantine_check(day[0].id, 36.6, "", 500, "t")
            .await
            .unwrap()
    );
    assert!(
        !tx.record_quarantine_check(day[0].id, 36.6, "", 500, "t")
            .await
            .unwrap()
    );
    assert!(
        tx.record_quarantine_check(day[1].id, 36.6, "", 5000, "t")
            .await
            .unwrap()
    );
    let by_street = tx
        .quarantine_checks_by_street("2020-03-02", &t.zone.path)
        .await
        .unwrap();
    assert_eq!(by_street.len(), 1);
    let r = &by_street[0];
    assert_eq!((r.due, r.on_time, r.late, r.open), (4, 1, 1, 2));
    let overdue = tx
        .overdue_quarantine_checks("2020-03-02", 1500, &t.zone.path, 10)
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        tx.quarantine_check_counts(o[0], "2020-03-01", "2020-03-03")
            .await
            .unwrap(),
        (2, 2)
    );
    // Release the first on 03-15: figures before and after.
    tx.set_quarantine_state(o[0], "released", None, Some("2020-03-15"), None, NOW)
        .await
        .unwrap();
    tx.move_stay(o[0], "2020-03-15", true).await.unwrap();
    assert_eq!(
        tx.quarantine_totals("2020-03-01", &t.zone.path)
            .await
            .unwrap(),
        (1, 1)
    );
    assert_eq!(
        tx.quarantine_totals("2020-03-14", &t.zone.path)
            .await
            .unwrap(),
        (2, 2)
    );
    assert_eq!(
        tx.quarantine_totals("2020-03-15", &t.zone.path)
            .await
            .unwrap(),
        (2, 1)
    );
    assert_eq!(
        tx.quarantine_totals("2020-03-15", &t.streets[1].path)
            .await
            .unwrap(),
        (0, 0)
    );
    let occ = tx
        .quarantine_site_occupancy("2020-03-14", &t.zone.path)
        .await
        .unwrap();
    assert_eq!((occ[0].capacity, occ[0].occupied), (3, 1));
    let occ = tx
        .quarantine_site_occupancy("2020-03-15", &t.zone.path)
        .await
        .unwrap();
    assert_eq!(occ[0].occupied, 0);
    let com = tx
        .quarantine_by_community("2020-03-14", &t.zone.path)
        .await
        .unwrap();
    assert_eq!(
        (com[0].centralized, com[0].home, com[0].cumulative),
        (1, 1, 2)
    );
    let ending = tx
        .quarantine_ending("2020-03-15", &t.zone.path)
        .await
        .unwrap();
    assert_eq!(ending.len(), 1);
    assert_eq!(ending[0].id, o[1]);
    let periods = tx.quarantine_periods_since("2020-03-10").await.unwrap();
    assert_eq!(periods.len(), 2);
    let (list, total) = tx
        .list_quarantine_orders(&store::OrderQuery {
            scope_path: t.zone.path.clone(),
            states: vec!["ordered".into(), "in_quarantine".into()],
            name: Some("隔".into()),
            sort: "end".into(),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((list.len(), total), (1, 2));
    let test = tx
        .insert_quarantine_test(o[1], "2020-03-05", "pending", None, "t", NOW)
        .await
        .unwrap();
    tx.set_quarantine_test_result(test, "negative", "2020-03-06")
        .await
        .unwrap();
    assert_eq!(
        tx.quarantine_tests_of_order(o[1]).await.unwrap()[0].result,
        "negative"
    );
    let alert = tx
        .insert_quarantine_alert(
            &store::NewAlert {
                order_id: o[1],
                kind: "fever".into(),
                day: "2020-03-05".into(),
                detail: "37.9".into(),
                community_id: c.row.id,
                street_id: c.street,
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        tx.quarantine_alerts("2020-03-01", &t.zone.path, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        tx.acknowledge_quarantine_alert(alert, "t", NOW)
            .await
            .unwrap()
    );
    assert!(
        !tx.acknowledge_quarantine_alert(alert, "t", NOW)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
}

mod command_cases {
    use super::*;
    use store::{NewCase, NewCodeChange, NewContact};

    conformance!(command_centre_reads, command_reads_match_reference);

    const DAY: i64 = 86_400_000;

    /// Code colours per street as of a day (current codes corrected by the later changes) and
    /// screened as of an instant (`screened_persons`, kept by both scan inserts) give the same
    /// figures as the straightforward reads over every change and every scan, day by day.
    async fn command_reads_match_reference(s: &Store) {
        let t = tree(s).await;
        let mut tx = s.write().await.unwrap();
        let mut persons = vec![];
        for i in 0..8 {
            let c = &t.communities[i % 4];
            let id = tx
                .insert_person(&person(10 + i, c, "某人"), NOW)
                .await
                .unwrap();
            persons.push((id, c));
        }
        // Code histories as the app writes them: each colour change logged, the code row
        // holding the last colour. Person 7 never gets a code.
        let history: [&[(&str, &str)]; 7] = [
            &[("2020-03-01", "green")],
            &[("2020-03-01", "green"), ("2020-03-05", "red")],
            &[("2020-03-02", "yellow"), ("2020-03-05", "green")],
            &[
                ("2020-03-01", "green"),
                ("2020-03-03", "red"),
                ("2020-03-05", "green"),
            ],
            &[("2020-03-04", "red")],
            &[("2020-03-05", "yellow")],
            &[("2020-03-02", "green"), ("2020-03-02", "red")],
        ];
        for (k, changes) in history.iter().enumerate() {
            let (pid, c) = persons[k];
            let mut before: Option<String> = None;
            for (day, colour) in changes.iter() {
                tx.upsert_health_code(
                    &store::CodeUpsert {
                        person_id: pid,
                        r#ref: format!("ref-{pid}"),
                        colour: (*colour).into(),
                        since: (*day).into(),
                        reasons: "[]".into(),
                        earliest_change: None,
                        ruleset_version: "v".into(),
                        zone_id: c.zone,
                        street_id: c.street,
                        community_id: c.row.id,
                    },
                    NOW,
                )
                .await
                .unwrap();
                tx.insert_code_change(
                    &NewCodeChange {
                        person_id: pid,
                        day: (*day).into(),
                        from_colour: before.clone(),
                        to_colour: (*colour).into(),
                        reasons: "[]".into(),
                        ruleset_version: "v".into(),
                        actor: "test".into(),
                        kind: "rule",
                    },
                    NOW,
                )
                .await
                .unwrap();
                before = Some((*colour).into());
            }
        }
        // The bulk path (the demo, the bulk recompute): two more persons' histories in one
        // statement each for the codes and the changes, one person changing twice in a day.
        let c = &t.communities[3];
        let mut bulk = vec![];
        for i in 0..2 {
            let id = tx
                .insert_person(&person(30 + i, c, "某人"), NOW)
                .await
                .unwrap();
            bulk.push(id);
        }
        let change = |pid: i64, day: &str, from: Option<&str>, to: &str| NewCodeChange {
            person_id: pid,
            day: day.into(),
            from_colour: from.map(Into::into),
            to_colour: to.into(),
            reasons: "[]".into(),
            ruleset_version: "v".into(),
            actor: "test".into(),
            kind: "rule",
        };
        let code = |pid: i64, colour: &str| store::CodeUpsert {
            person_id: pid,
            r#ref: format!("ref-{pid}"),
            colour: colour.into(),
            since: "2020-03-02".into(),
            reasons: "[]".into(),
            earliest_change: None,
            ruleset_version: "v".into(),
            zone_id: c.zone,
            street_id: c.street,
            community_id: c.row.id,
        };
        tx.upsert_health_codes(&[code(bulk[0], "red"), code(bulk[1], "green")], NOW)
            .await
            .unwrap();
        tx.insert_code_changes(
            &[
                change(bulk[0], "2020-03-01", None, "green"),
                change(bulk[1], "2020-03-02", None, "yellow"),
                change(bulk[0], "2020-03-04", Some("green"), "yellow"),
                change(bulk[0], "2020-03-04", Some("yellow"), "red"),
                change(bulk[1], "2020-03-04", Some("yellow"), "green"),
            ],
            NOW,
        )
        .await
        .unwrap();
        for day in [
            "2020-02-28",
            "2020-03-01",
            "2020-03-02",
            "2020-03-03",
            "2020-03-04",
            "2020-03-05",
            "2020-03-27",
        ] {
            // NULL sorts first on SQLite, last on PostgreSQL: compare sorted.
            let mut want = tx.code_colours_by_street_reference(day).await.unwrap();
            want.sort();
            assert_eq!(tx.code_colours_by_street(day).await.unwrap(), want, "{day}");
        }
        let mid = tx.code_colours_by_street("2020-03-03").await.unwrap();
        let s1 = t.communities[2].street;
        assert!(mid.contains(&(s1, Some("red".to_owned()), 2)), "{mid:?}");

        // Scans through both inserts, out of time order, with a resend and a clash.
        let edit = store::CheckpointEdit {
            kind: "traffic".into(),
            name: "卡点".into(),
            area_id: t.streets[0].id,
            area_path: t.streets[0].path.clone(),
            lat: 30.75,
            lon: 120.76,
            party_branch: None,
            hours: "24h".into(),
            staff_on_duty: 1,
        };
        let cp = tx.create_checkpoint("K1", &edit, NOW).await.unwrap();
        let scan = |e: &str, at: i64, person: Option<i64>| store::NewScan {
            checkpoint_id: cp,
            event_id: e.into(),
            at,
            person_id: person,
            method: "id_number".into(),
            direction: "in".into(),
            temperature: None,
            colour: None,
            decision: "pass".into(),
            reason: "r".into(),
            fingerprint: format!("f-{e}"),
        };
        let p = |k: usize| Some(persons[k].0);
        let first = vec![
            scan("a1", NOW - 2 * DAY, p(0)),
            scan("a2", NOW - DAY, p(1)),
            scan("a3", NOW - DAY + 5, p(1)),
            scan("a4", NOW, None),
        ];
        assert_eq!(tx.insert_scans(&first, NOW).await.unwrap().len(), 4);
        // A clash: the same event id with another content, earlier; it is not stored and
        // must not count.
        let mut clash = scan("a2", NOW - 9 * DAY, p(2));
        clash.fingerprint = "other".into();
        assert!(tx.insert_scans(&[clash], NOW).await.unwrap().is_empty());
        // The bulk path: an earlier scan of a person already screened moves their first
        // scan back; a new person is added.
        tx.insert_scans_unchecked(
            &[
                scan("b1", NOW - 3 * DAY, p(1)),
                scan("b2", NOW + DAY, p(3)),
                scan("b3", NOW + DAY, p(3)),
            ],
            NOW,
        )
        .await
        .unwrap();
        for until in [
            NOW - 10 * DAY,
            NOW - 3 * DAY,
            NOW - 3 * DAY + 1,
            NOW - 2 * DAY + 1,
            NOW,
            NOW + DAY,
            NOW + DAY + 1,
            i64::MAX,
        ] {
            assert_eq!(
                tx.screened_before(until).await.unwrap(),
                tx.screened_before_reference(until).await.unwrap(),
                "until {until}"
            );
        }
        assert_eq!(tx.screened_before(NOW - 2 * DAY + 1).await.unwrap(), 2);
        assert_eq!(tx.screened_cumulative().await.unwrap(), 3);
        // Scans per checkpoint per day (`scan_day_counts`, kept by both inserts; the clash
        // not counted) as the scans themselves give them, over every day and over one.
        let all = tx.scans_per_day(0, i64::from(i32::MAX)).await.unwrap();
        assert_eq!(
            all,
            tx.scans_per_day_reference(0, i64::MAX / 2).await.unwrap()
        );
        assert_eq!(all.iter().map(|r| r.counts.total).sum::<i64>(), 7);
        let today = store::shanghai_day_number(NOW);
        assert_eq!(
            tx.scans_per_day(today, today + 1).await.unwrap(),
            tx.scans_per_day_reference(
                (today * DAY) - 8 * 3_600_000,
                (today + 1) * DAY - 8 * 3_600_000
            )
            .await
            .unwrap()
        );
        assert_eq!(tx.scan_counts().await.unwrap().total, 7);
        tx.commit().await.unwrap();
    }

    /// The command centre's reads: confirmed cases with their areas (an excluded one left
    /// out), the first record day, code colours per street as of a day, screened before an
    /// instant, close contacts and their code changes, contacts until a day, the map's areas.
    async fn command_centre_reads(s: &Store) {
        let t = tree(s).await;
        let mut tx = s.write().await.unwrap();
        let p1 = tx
            .insert_person(&person(1, &t.communities[0], "张三"), NOW)
            .await
            .unwrap();
        let p2 = tx
            .insert_person(&person(2, &t.communities[0], "李四"), NOW)
            .await
            .unwrap();
        let p3 = tx
            .insert_person(&person(3, &t.communities[2], "王五"), NOW)
            .await
            .unwrap();
        let cluster = tx.insert_cluster("聚集", NOW).await.unwrap();
        let case = |person, day: &str, cluster| NewCase {
            person_id: person,
            kind: "confirmed".into(),
            origin: "local".into(),
            onset_on: None,
            reported_on: day.into(),
            cluster_id: cluster,
            note: String::new(),
        };
        let c1 = tx
            .insert_case(&case(p1, "2020-02-01", Some(cluster)), NOW)
            .await
            .unwrap();
        let c3 = tx
            .insert_case(&case(p3, "2020-01-25", None), NOW)
            .await
            .unwrap();
        tx.update_case_status(
            c3,
            "confirmed",
            "excluded",
            "2020-01-25",
            Some("2020-01-26"),
            NOW,
        )
        .await
        .unwrap();
        let rows = tx.confirmed_cases().await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (
                rows[0].id,
                rows[0].confirmed_on.as_str(),
                rows[0].cluster_id,
                rows[0].street_id,
                rows[0].community_id
            ),
            (
                c1,
                "2020-02-01",
                Some(cluster),
                t.communities[0].street,
                t.communities[0].row.id
            )
        );
        let change = |person, day: &str, colour: &str| NewCodeChange {
            person_id: person,
            day: day.into(),
            from_colour: None,
            to_colour: colour.into(),
            reasons: "[]".into(),
            ruleset_version: "v".into(),
            actor: "test".into(),
            kind: "rule",
        };
        tx.insert_code_change(&change(p1, "2020-01-28", "green"), NOW - 86_400_000 * 10)
            .await
            .unwrap();
        tx.insert_code_change(&change(p1, "2020-02-01", "red"), NOW)
            .await
            .unwrap();
        tx.insert_code_change(&change(p2, "2020-01-28", "green"), NOW)
            .await
            .unwrap();
        // The codes now, as every change writes them beside the history.
        for (p, colour, c) in [
            (p1, "red", &t.communities[0]),
            (p2, "green", &t.communities[0]),
        ] {
            tx.upsert_health_code(
                &store::CodeUpsert {
                    person_id: p,
                    r#ref: format!("ref-{p}"),
                    colour: colour.into(),
                    since: "2020-02-01".into(),
                    reasons: "[]".into(),
                    earliest_change: None,
                    ruleset_version: "v".into(),
                    zone_id: c.zone,
                    street_id: c.street,
                    community_id: c.row.id,
                },
                NOW,
            )
            .await
            .unwrap();
        }
        let (first, first_at) = tx.first_record_day().await.unwrap();
        assert_eq!(first.as_deref(), Some("2020-01-25"));
        assert_eq!(first_at, Some(NOW - 86_400_000 * 10));
        let mut colours = tx.code_colours_by_street("2020-01-30").await.unwrap();
        colours.sort();
        let s0 = t.communities[0].street;
        let s1 = t.communities[2].street;
        assert_eq!(
            colours,
            vec![(s0, Some("green".to_owned()), 2), (s1, None, 1)]
        );
        let later = tx.code_colours_by_street("2020-02-01").await.unwrap();
        assert!(later.contains(&(s0, Some("red".to_owned()), 1)));
        tx.upsert_contacts(
            &[NewContact {
                case_id: c1,
                person_id: p2,
                source_person_id: p1,
                degree: "close".into(),
                setting: "household".into(),
                checkpoint_id: None,
                first_at: NOW,
                last_at: NOW,
                closest_seconds: None,
                encounters: 1,
                last_exposure_on: "2020-01-31".into(),
                added_by: "test".into(),
            }],
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(
            tx.close_contacts_of_cases(&[c1, c3]).await.unwrap(),
            vec![(c1, p2)]
        );
        let changes = tx.code_changes_of_persons(&[p1]).await.unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[1].2, "red");
        assert_eq!(tx.contacts_until("2020-01-30").await.unwrap(), (0, 0));
        assert_eq!(tx.contacts_until("2020-01-31").await.unwrap(), (1, 0));
        assert_eq!(tx.screened_before(NOW).await.unwrap(), 0);
        assert_eq!(tx.pending_appeals_count().await.unwrap(), 0);
        assert!(tx.requests_on_time_by_street(NOW).await.unwrap().is_empty());
        assert!(tx.payouts_by_street(NOW).await.unwrap().is_empty());
        let areas = tx.map_areas(&t.zone.path).await.unwrap();
        assert_eq!(areas.len(), 6);
        assert!(areas.iter().all(|a| a.kind != "zone"));
        tx.rollback().await.unwrap();
    }
}

/// A resend learns the stored verdicts: decision, reason, colour and the holder's name, and
/// nothing for event ids that were never stored or belong to another checkpoint.
async fn stored_scan_verdicts_answer_a_resend(s: &Store) {
    let t = tree(s).await;
    let mut tx = s.write().await.unwrap();
    let p = tx
        .insert_person(&person(7, &t.communities[0], "王五"), NOW)
        .await
        .unwrap();
    let edit = store::CheckpointEdit {
        kind: "community_gate".into(),
        name: "小门".into(),
        area_id: t.streets[0].id,
        area_path: t.streets[0].path.clone(),
        lat: 30.75,
        lon: 120.76,
        party_branch: None,
        hours: "24h".into(),
        staff_on_duty: 2,
    };
    let cp = tx.create_checkpoint("V1", &edit, NOW).await.unwrap();
    let other = tx.create_checkpoint("V2", &edit, NOW).await.unwrap();
    let scan =
        |cp: i64, e: &str, person: Option<i64>, decision: &str, reason: &str| store::NewScan {
            checkpoint_id: cp,
            event_id: e.into(),
            at: NOW,
            person_id: person,
            method: "code".into(),
            direction: "in".into(),
            temperature: Some(38.0),
            colour: person.map(|_| "green".into()),
            decision: decision.into(),
            reason: reason.into(),
            fingerprint: format!("f-{e}"),
        };
    let rows = vec![
        scan(cp, "v-1", Some(p), "refer", "fever"),
        scan(cp, "v-2", None, "stop", "invalid"),
        scan(other, "v-3", Some(p), "pass", "green"),
    ];
    assert_eq!(tx.insert_scans(&rows, NOW).await.unwrap().len(), 3);
    let mut got: Vec<_> = tx
        .stored_scan_verdicts(cp, &["v-1", "v-2", "v-3", "never"])
        .await
        .unwrap()
        .into_iter()
        .map(|v| {
            assert_eq!(v.checkpoint_id, cp);
            (v.event_id, v.decision, v.reason, v.colour, v.person_name)
        })
        .collect();
    got.sort();
    let text = |s: &str| s.to_owned();
    assert_eq!(
        got,
        vec![
            (
                text("v-1"),
                text("refer"),
                text("fever"),
                Some(text("green")),
                Some(text("王五"))
            ),
            (text("v-2"), text("stop"), text("invalid"), None, None),
        ]
    );
    assert!(tx.stored_scan_verdicts(cp, &[]).await.unwrap().is_empty());
    tx.rollback().await.unwrap();
}

/// Removing an interrupted demo: every table empty in one transaction, ids counted from the
/// start again, and the insert-only guards of the audit log back in force afterwards.
async fn wipe_empties_every_table_and_keeps_the_guards(s: &Store) {
    let first = tree(s).await;
    let mut tx = s.write().await.unwrap();
    tx.insert_persons(&[person(1, &first.communities[0], "张三")], NOW)
        .await
        .unwrap();
    tx.insert_audit(
        &AuditEntry {
            user_id: None,
            username: "admin".into(),
            role: "admin".into(),
            action: "person.view_full".into(),
            record_type: "person".into(),
            record_id: "1".into(),
            client_addr: "127.0.0.1".into(),
            detail: String::new(),
        },
        domain::time::now_ms(),
    )
    .await
    .unwrap();
    tx.set_meta("demo_state", "started").await.unwrap();
    tx.drop_scan_search_indexes().await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.write().await.unwrap();
    tx.wipe_all_data().await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.read().await.unwrap();
    let counts = tx.counts().await.unwrap();
    assert_eq!(counts, store::Counts::default());
    assert_eq!(tx.meta("demo_state").await.unwrap(), None);
    let audit = tx
        .list_audit(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.is_empty());
    drop(tx);
    let again = tree(s).await;
    assert_eq!(again.zone.id, first.zone.id, "ids start again");
    let mut tx = s.write().await.unwrap();
    tx.insert_audit(
        &AuditEntry {
            user_id: None,
            username: "admin".into(),
            role: "admin".into(),
            action: "x".into(),
            record_type: "person".into(),
            record_id: "1".into(),
            client_addr: "127.0.0.1".into(),
            detail: String::new(),
        },
        domain::time::now_ms(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    assert!(
        tx.execute_raw_for_tests("DELETE FROM audit_log")
            .await
            .is_err(),
        "the audit log is insert-only again"
    );
}
