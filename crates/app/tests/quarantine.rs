//! Quarantine day by day on the small demo: orders through their state machine (ordered → in
//! quarantine → released / to hospital), transfers, extension and a reviewed shortening, the
//! daily checks generated and assigned round-robin, alerts, the release rule refusing until
//! every condition holds, the code engine (red while in quarantine, the rules decide after),
//! the figures, and the returnee desk verifying HC1 certificates. The demo's own quarantines
//! begin on 2020-01-21, so these run in the first half of January on persons of their own.

use app::quarantine::{
    self as q, CheckEntry, EndChangeInput, FloorEntryInput, OrderInput, RoomInput, SiteInput,
    StepInput, TeamInput, TestInput, TransferInput,
};
use app::{App, AppError, Settings};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 9)
        .await
        .unwrap();
    let app = App::new(store, Settings::default())
        .load_as_of()
        .await
        .unwrap();
    (app, dir)
}

async fn login(app: &App, user: &str) -> app::Actor {
    app::auth::login(app, user, app::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor
}

fn on(app: &App, day: NaiveDate) -> App {
    let mut a = app.clone();
    a.settings.as_of = Some(day);
    a
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The codes of the field errors of a refusal.
fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> Vec<String> {
    match r {
        Err(AppError::Invalid(f)) => f
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn reasons(app: &App, person_id: i64) -> String {
    let mut tx = app.store.read().await.unwrap();
    let c = tx.health_code(person_id).await.unwrap();
    c.map(|c| c.reasons).unwrap_or_default()
}

/// Persons without any quarantine order yet, whose codes carry no reason (plain green).
/// In 金穗 community, where the demo's community_worker works.
async fn free_persons(app: &App, n: usize) -> Vec<i64> {
    let mut out = vec![];
    let mut tx = app.store.read().await.unwrap();
    let jinsui = tx.area_by_code("330402001001").await.unwrap().unwrap().path;
    for id in 100.. {
        if tx.person(id).await.is_err() {
            break;
        }
        let none = tx.quarantine_orders_of_person(id).await.unwrap().is_empty();
        let green = tx
            .health_code(id)
            .await
            .unwrap()
            .is_none_or(|c| c.colour == "green" && c.reasons == "[]");
        let p = tx.person(id).await.unwrap();
        if none && green && p.category != "foreign" && p.area_path.starts_with(&jinsui) {
            out.push(id);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

async fn site(app: &App, actor: &app::Actor, code: &str, rooms: &[(i64, &str, i64)]) -> i64 {
    // 嘉北 street, where the demo's quarantine_staff account works.
    let area_id = {
        let mut tx = app.store.read().await.unwrap();
        tx.area_by_code("330402002").await.unwrap().unwrap().id
    };
    q::create_site(
        app,
        actor,
        &SiteInput {
            code: code.into(),
            name: format!("测试隔离点 {code}"),
            address: "嘉兴".into(),
            area_id,
            rooms: rooms
                .iter()
                .map(|(floor, number, capacity)| RoomInput {
                    floor: *floor,
                    number: (*number).into(),
                    capacity: *capacity,
                })
                .collect(),
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn quarantine_day_by_day() {
    let (app0, _dir) = demo().await;
    let cmd = login(&app0, "commander").await;
    let start = d("2020-01-01");
    let app = on(&app0, start);
    let s1 = site(
        &app,
        &cmd,
        "T-1",
        &[(2, "201", 1), (2, "202", 2), (3, "301", 1)],
    )
    .await;
    let s2 = site(&app, &cmd, "T-2", &[(1, "101", 1)]).await;
    for user in ["quarantine_staff", "commander"] {
        q::add_team_member(
            &app,
            &cmd,
            &TeamInput {
                username: user.into(),
                site_id: Some(s1),
                community_id: None,
            },
        )
        .await
        .unwrap();
    }
    let p = free_persons(&app, 4).await;
    let (a, b, c, h) = (p[0], p[1], p[2], p[3]);
    let home_community = app
        .store
        .read()
        .await
        .unwrap()
        .person(c)
        .await
        .unwrap()
        .community_id;
    // The demo puts community_worker on every community's home-quarantine team.
    let rooms = q::rooms_of_site(&app, &cmd, s1).await.unwrap();
    let r201 = rooms.iter().find(|r| r.number == "201").unwrap().id;

    // Ordered, then entered: red with the reason in_quarantine only once entered.
    let order = |person_id, kind: &str, site_id, room_id, entered| OrderInput {
        person_id,
        kind: kind.into(),
        reason: "close_contact".into(),
        start_on: None,
        site_id,
        room_id,
        entered,
        note: None,
    };
    let oa = q::create_order(
        &app,
        &cmd,
        &order(a, "centralized", Some(s1), Some(r201), false),
    )
    .await
    .unwrap();
    assert_eq!(oa.state, "ordered");
    assert_eq!(oa.planned_end_on, "2020-01-15");
    assert!(!reasons(&app, a).await.contains("in_quarantine"));
    let oa = q::enter(&app, &cmd, oa.id, &StepInput::default())
        .await
        .unwrap();
    assert_eq!(oa.state, "in_quarantine");
    assert!(reasons(&app, a).await.contains("in_quarantine"));

    // Bad input, each refused with why, nothing written.
    assert_eq!(
        refused(q::create_order(&app, &cmd, &order(a, "home", None, None, true)).await),
        ["person_id:already_active"]
    );
    assert_eq!(
        refused(
            q::create_order(
                &app,
                &cmd,
                &order(b, "centralized", Some(s1), Some(r201), true)
            )
            .await
        ),
        ["room_id:room_full"]
    );
    assert_eq!(
        refused(q::create_order(&app, &cmd, &order(b, "centralized", None, None, true)).await),
        ["site_id:required"]
    );
    let ob = q::create_order(&app, &cmd, &order(b, "centralized", Some(s1), None, true))
        .await
        .unwrap();
    assert_eq!(ob.room.as_deref(), Some("202"));
    let oc = q::create_order(&app, &cmd, &order(c, "home", None, None, true))
        .await
        .unwrap();
    // C moves to site 2 (its only bed), then B cannot follow: the site is full.
    let oc = q::transfer(
        &app,
        &cmd,
        oc.id,
        &TransferInput {
            site_id: Some(s2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(oc.kind, "centralized");
    assert_eq!(
        refused(
            q::transfer(
                &app,
                &cmd,
                ob.id,
                &TransferInput {
                    site_id: Some(s2),
                    ..Default::default()
                },
            )
            .await
        ),
        ["site_id:site_full"]
    );
    // …and back home, so the community team follows C up.
    let oc = q::transfer(&app, &cmd, oc.id, &TransferInput::default())
        .await
        .unwrap();
    assert_eq!(oc.kind, "home");

    // Extension by anyone; shortening only with another person who may review.
    let ob = q::change_end(
        &app,
        &cmd,
        ob.id,
        &EndChangeInput {
            planned_end_on: "2020-01-17".into(),
            reason: "cough on day 1".into(),
            reviewer: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(ob.planned_end_on, "2020-01-17");
    let shorten = |reviewer: Option<&str>| EndChangeInput {
        planned_end_on: "2020-01-13".into(),
        reason: "early test result".into(),
        reviewer: reviewer.map(str::to_owned),
    };
    assert_eq!(
        refused(q::change_end(&app, &cmd, oc.id, &shorten(None)).await),
        ["reviewer:required"]
    );
    assert_eq!(
        refused(q::change_end(&app, &cmd, oc.id, &shorten(Some("commander"))).await),
        ["reviewer:same_person"]
    );
    assert_eq!(
        refused(q::change_end(&app, &cmd, oc.id, &shorten(Some("quarantine_staff"))).await),
        ["reviewer:not_reviewer"]
    );
    let oc = q::change_end(&app, &cmd, oc.id, &shorten(Some("admin")))
        .await
        .unwrap();
    assert_eq!(oc.planned_end_on, "2020-01-13");
    let (_, changes) = q::get_order(&app, &cmd, oc.id).await.unwrap();
    assert_eq!(changes[0].reviewer.as_deref(), Some("admin"));

    // Two weeks of checks: every day's checks generated, assigned round-robin, entered by
    // floor at the site and one by one at home.
    let staff = login(&app, "quarantine_staff").await;
    let worker = login(&app, "community_worker").await;
    for day_no in 0..14 {
        let day = start + Duration::days(day_no);
        let app = on(&app0, day);
        let r = q::generate_follow_ups(&app, &cmd, day).await.unwrap();
        assert_eq!(r.persons, 3, "{day}");
        assert_eq!(r.created, 6);
        assert_eq!(r.unassigned, 0);
        // Idempotent.
        assert_eq!(
            q::generate_follow_ups(&app, &cmd, day)
                .await
                .unwrap()
                .created,
            0
        );
        let site_checks = q::checks_of_day(&app, &staff, day, Some(s1), None)
            .await
            .unwrap();
        assert_eq!(site_checks.len(), 4);
        let assignees: std::collections::HashSet<_> = site_checks
            .iter()
            .map(|k| k.assignee.clone().unwrap())
            .collect();
        assert_eq!(
            assignees.len(),
            2,
            "round-robin over the site's two members"
        );
        let fever_day = day_no == 3;
        let entries: Vec<CheckEntry> = site_checks
            .iter()
            .map(|k| CheckEntry {
                check_id: k.id,
                temperature: if fever_day && k.order_id == oa.id && k.slot == 1 {
                    37.8
                } else {
                    36.5
                },
                symptoms: String::new(),
            })
            .collect();
        if day_no == 2 {
            // One bad temperature refuses the whole floor, naming the line.
            let mut bad = entries.clone();
            bad[1].temperature = 45.0;
            assert_eq!(
                refused(q::enter_floor(&app, &staff, &FloorEntryInput { entries: bad }).await),
                ["entries[1].temperature:out_of_range"]
            );
        }
        assert_eq!(
            q::enter_floor(&app, &staff, &FloorEntryInput { entries })
                .await
                .unwrap(),
            4
        );
        let home_checks = q::checks_of_day(&app, &worker, day, None, Some(home_community))
            .await
            .unwrap();
        assert_eq!(home_checks.len(), 2);
        assert!(
            home_checks
                .iter()
                .all(|k| k.assignee.as_deref() == Some("community_worker"))
        );
        // C's afternoon check of day 5 is missed.
        for k in home_checks.iter().filter(|k| !(day_no == 5 && k.slot == 2)) {
            q::record_check(
                &app,
                &worker,
                &CheckEntry {
                    check_id: k.id,
                    temperature: 36.6,
                    symptoms: String::new(),
                },
            )
            .await
            .unwrap();
        }
        if day_no == 5 || day_no == 12 {
            for o in [oa.id, ob.id, oc.id] {
                q::record_test(
                    &app,
                    &cmd,
                    o,
                    &TestInput {
                        sampled_on: None,
                        result: Some("negative".into()),
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("{o}: {e}"));
            }
        }
        // Before the planned end, a release is refused and says why.
        if day_no == 13 {
            let why = refused(q::release(&app, &cmd, oa.id, &StepInput::default()).await);
            assert_eq!(why, ["release:end_not_reached"]);
        }
    }
    // The fever raised an alert to the community and the command centre.
    let alerts = q::alerts(&on(&app0, d("2020-01-14")), &cmd, 30)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, "fever");
    assert_eq!(alerts[0].day, "2020-01-04");

    // Day 14 (03-15): A is released; B's end was extended; C missed a check.
    let day15 = on(&app0, d("2020-01-15"));
    q::generate_follow_ups(&day15, &cmd, d("2020-01-15"))
        .await
        .unwrap();
    let check = q::release_check(&day15, &cmd, oa.id).await.unwrap();
    assert!(check.ready, "{:?}", check.missing);
    assert_eq!(check.checks_due, 28);
    let oa = q::release(&day15, &cmd, oa.id, &StepInput::default())
        .await
        .unwrap();
    assert_eq!(oa.state, "released");
    assert_eq!(oa.ended_on.as_deref(), Some("2020-01-15"));
    assert!(!reasons(&day15, a).await.contains("in_quarantine"));
    assert_eq!(
        refused(q::release(&day15, &cmd, ob.id, &StepInput::default()).await),
        ["release:end_not_reached"]
    );
    assert_eq!(
        refused(q::release(&day15, &cmd, oc.id, &StepInput::default()).await),
        ["release:checks_incomplete"]
    );
    // A released order takes no more steps.
    assert_eq!(
        refused(q::release(&day15, &cmd, oa.id, &StepInput::default()).await),
        ["release:state"]
    );

    // Figures of the day: three persons quarantined, two still in.
    let f = q::figures(&day15, &cmd, d("2020-01-15")).await.unwrap();
    assert_eq!((f.cumulative, f.current), (3, 2));
    assert_eq!((f.centralized, f.home), (1, 1));
    let t1 = f.sites.iter().find(|s| s.site_id == s1).unwrap();
    assert_eq!((t1.capacity, t1.occupied), (4, 1));
    let f0 = q::figures(&day15, &cmd, d("2020-01-10")).await.unwrap();
    assert_eq!((f0.cumulative, f0.current), (3, 3));
    let before = q::figures(&day15, &cmd, d("2019-12-31")).await.unwrap();
    assert_eq!((before.cumulative, before.current), (0, 0));
    let on_time = q::checks_on_time(&day15, &cmd, d("2020-01-06"))
        .await
        .unwrap();
    let due: i64 = on_time.iter().map(|s| s.due).sum();
    let open: i64 = on_time.iter().map(|s| s.open).sum();
    assert_eq!((due, open), (6, 1));
    let overdue = q::overdue_follow_ups(&day15, &cmd, d("2020-01-15"))
        .await
        .unwrap();
    assert!(
        overdue
            .iter()
            .any(|o| o.order_id == oc.id && o.day == "2020-01-06" && o.status == "missed")
    );
    let ending = q::ending_on(&day15, &cmd, d("2020-01-15")).await.unwrap();
    assert_eq!(ending.len(), 1);
    assert_eq!(ending[0].order_id, oc.id);
    assert_eq!(ending[0].missing[0].code, "checks_incomplete");

    // A positive test: an alert, and B goes to hospital; the stay ends.
    q::record_test(
        &day15,
        &staff,
        ob.id,
        &TestInput {
            sampled_on: None,
            result: Some("positive".into()),
        },
    )
    .await
    .unwrap();
    let alerts = q::alerts(&day15, &cmd, 30).await.unwrap();
    assert_eq!(alerts[0].kind, "positive");
    let ob = q::transfer_to_hospital(&day15, &cmd, ob.id, &StepInput::default())
        .await
        .unwrap();
    assert_eq!(ob.state, "transferred_to_hospital");
    let f = q::figures(&day15, &cmd, d("2020-01-15")).await.unwrap();
    assert_eq!((f.cumulative, f.current), (3, 1));
    // The bulk recompute agrees with the single-person path on every one of them.
    let before: Vec<String> = {
        let mut v = vec![];
        for p in [a, b, c] {
            v.push(reasons(&day15, p).await);
        }
        v
    };
    {
        let mut tx = day15.store.write().await.unwrap();
        app::codes::recompute_all(&mut tx, d("2020-01-15"), "test")
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    for (i, p) in [a, b, c].into_iter().enumerate() {
        assert_eq!(reasons(&day15, p).await, before[i]);
    }
    assert!(before[2].contains("in_quarantine"));

    // A new order for a released person is allowed again.
    let again = q::create_order(&day15, &cmd, &order(a, "home", None, None, false)).await;
    assert!(again.is_ok());
    let _ = h;
}

#[tokio::test]
async fn returnee_desk_verifies_hc1_and_orders_14_plus_7() {
    let (app0, _dir) = demo().await;
    let cmd = login(&app0, "commander").await;
    let desk = login(&app0, "returnee_desk").await;
    let day = d("2020-01-10");
    let app = on(&app0, day);
    let s1 = site(&app, &cmd, "F-1", &[(1, "101", 2)]).await;
    // The desk trusts one foreign signer.
    let key = credential::SigningKey::generate().unwrap();
    let mut trust = credential::TrustStore::new();
    trust.add_public_key(key.public_key(), None, None);
    let json = serde_json::to_string(&trust.to_trust_list()).unwrap();
    assert_eq!(q::set_trust_list(&app, &cmd, &json).await.unwrap(), 1);
    let dcc = serde_json::json!({
        "ver": "1.0.0", "nam": {"fn": "Kim", "gn": "Minjun", "fnt": "KIM", "gnt": "MINJUN"},
        "dob": "1990-04-02",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2020-01-08T08:00:00Z", "tr": "260415000",
               "tc": "Incheon", "co": "KR", "is": "KDCA", "ci": "URN:UVCI:01:KR:TEST1"}]
    });
    let iat = Utc.with_ymd_and_hms(2020, 1, 8, 10, 0, 0).unwrap();
    let cert = credential::issue_hc1(&key, "KR", &dcc, iat, iat + Duration::days(30)).unwrap();
    let other = credential::SigningKey::generate().unwrap();
    let forged = credential::issue_hc1(&other, "KR", &dcc, iat, iat + Duration::days(30)).unwrap();
    let community = {
        let mut tx = app.store.read().await.unwrap();
        let p = tx.person(100).await.unwrap();
        tx.area(p.community_id).await.unwrap().code
    };
    let input = |passport: &str, cert: &str| q::ArrivalInput {
        name: "Kim Minjun".into(),
        nationality: "KOR".into(),
        passport_no: passport.into(),
        phone: None,
        language: "ko".into(),
        flight: "KE893".into(),
        arrival_on: "2020-01-10".into(),
        community_code: community.clone(),
        certificate: Some(cert.into()),
        officer: Some("returnee_desk".into()),
        kind: None,
        site_id: Some(s1),
        room_id: None,
    };
    let demo_arrivals = q::list_arrivals(&app, &desk, 1).await.unwrap().total;
    let base = q::figures(&app, &cmd, d("2020-01-24")).await.unwrap();
    let v = q::register_arrival(&app, &desk, &input("M12345678", &cert))
        .await
        .unwrap();
    assert_eq!(v.certificate_status, "valid", "{}", v.certificate_detail);
    assert_eq!(v.status, "in_quarantine");
    let v2 = q::register_arrival(&app, &desk, &input("M87654321", &forged))
        .await
        .unwrap();
    assert_eq!(v2.certificate_status, "invalid");
    // The same passport again: one active order per person.
    assert_eq!(
        refused(q::register_arrival(&app, &desk, &input("M12345678", &cert)).await),
        ["person_id:already_active"]
    );
    let mut bad = input("M1", "ZK1:xyz");
    bad.flight = "?".into();
    bad.arrival_on = "2020-01-11".into();
    let why = refused(q::register_arrival(&app, &desk, &bad).await);
    assert!(why.contains(&"passport_no:format".to_owned()), "{why:?}");
    assert!(why.contains(&"flight:invalid".to_owned()), "{why:?}");
    assert!(why.contains(&"arrival_on:future".to_owned()), "{why:?}");
    let list = q::list_arrivals(&app, &desk, 1).await.unwrap();
    assert_eq!(list.total, demo_arrivals + 2);
    // 14 days at the site, then 7 at home.
    let order = v.order_id.unwrap();
    let (o, _) = q::get_order(&app, &cmd, order).await.unwrap();
    assert_eq!(o.planned_end_on, "2020-01-24");
    for n in 0..14 {
        let dd = day + Duration::days(n);
        let a = on(&app0, dd);
        q::generate_follow_ups(&a, &cmd, dd).await.unwrap();
        let mut tx = a.store.write().await.unwrap();
        tx.execute_raw_for_tests(&format!(
            "UPDATE quarantine_checks SET done_at = due_at, done_by = 'test', temperature = 36.5 \
             WHERE order_id = {order}"
        ))
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    for s in ["2020-01-12", "2020-01-22"] {
        q::record_test(
            &on(&app0, d(s)),
            &cmd,
            order,
            &TestInput {
                sampled_on: Some(s.into()),
                result: Some("negative".into()),
            },
        )
        .await
        .unwrap();
    }
    let end = on(&app0, d("2020-01-24"));
    let released = q::release(&end, &cmd, order, &StepInput::default())
        .await
        .unwrap();
    assert_eq!(released.state, "released");
    let orders = q::orders_of_person(&end, &cmd, v.person_id).await.unwrap();
    let home = orders
        .iter()
        .find(|o| o.follows_order_id == Some(order))
        .unwrap();
    assert_eq!(
        (home.kind.as_str(), home.state.as_str()),
        ("home", "in_quarantine")
    );
    assert_eq!(home.planned_end_on, "2020-01-31");
    let f = q::figures(&end, &cmd, d("2020-01-24")).await.unwrap();
    // Beside the demo's own (its outbreak's contacts from 2020-01-21).
    assert_eq!(
        (
            f.cumulative - base.cumulative,
            f.current - base.current,
            f.home - base.home
        ),
        (2, 2, 1)
    );
}

#[tokio::test]
async fn the_demo_reproduces_its_figures_from_records() {
    let (app, _dir) = demo().await;
    let stats = app::stats::stats(&app).await.unwrap();
    assert_eq!(stats["quarantine"]["cumulative"], 150);
    assert_eq!(stats["quarantine"]["current"], 30);
    let cmd = login(&app, "commander").await;
    let f = q::figures(&app, &cmd, app.today()).await.unwrap();
    assert_eq!((f.cumulative, f.current), (150, 30));
    assert_eq!(f.centralized + f.home, 30);
    assert_eq!(f.communities.iter().map(|c| c.current).sum::<i64>(), 30);
    // Everyone in quarantine now is red with the reason.
    let list = q::list_orders(&app, &cmd, &Default::default())
        .await
        .unwrap();
    assert_eq!(list.total, 30);
    for o in &list.orders {
        assert!(reasons(&app, o.person_id).await.contains("in_quarantine"));
    }
    let arrivals = q::list_arrivals(&app, &cmd, 1).await.unwrap();
    assert_eq!(arrivals.total, 6);
    assert!(
        arrivals
            .arrivals
            .iter()
            .any(|a| a.certificate_status == "valid")
    );
    assert!(
        arrivals
            .arrivals
            .iter()
            .all(|a| a.status == "in_quarantine" || a.status == "released")
    );
    // Today's morning checks are in, the afternoon's open.
    let on_time = q::checks_on_time(&app, &cmd, app.today()).await.unwrap();
    let due: i64 = on_time.iter().map(|s| s.due).sum();
    let open: i64 = on_time.iter().map(|s| s.open).sum();
    assert_eq!((due, open), (60, 30));
}

/// A transfer hands the person's open checks of the day on to the new place's team: from home
/// (the community team) to a site (its staff) and back; a check already done stays as done.
#[tokio::test]
async fn a_transfer_hands_the_open_checks_to_the_new_team() {
    let (app0, _dir) = demo().await;
    let cmd = login(&app0, "commander").await;
    let day = d("2020-01-02");
    let app = on(&app0, day);
    let s1 = site(&app, &cmd, "T-9", &[(1, "101", 1)]).await;
    q::add_team_member(
        &app,
        &cmd,
        &TeamInput {
            username: "quarantine_staff".into(),
            site_id: Some(s1),
            community_id: None,
        },
    )
    .await
    .unwrap();
    let person = free_persons(&app, 1).await[0];
    let o = q::create_order(
        &app,
        &cmd,
        &OrderInput {
            person_id: person,
            kind: "home".into(),
            reason: "close_contact".into(),
            start_on: None,
            site_id: None,
            room_id: None,
            entered: true,
            note: None,
        },
    )
    .await
    .unwrap();
    q::generate_follow_ups(&app, &cmd, day).await.unwrap();
    let checks = q::checks_of_order(&app, &cmd, o.id).await.unwrap();
    assert_eq!(checks.len(), 2);
    assert!(
        checks
            .iter()
            .all(|k| k.assignee.as_deref() == Some("community_worker") && k.site.is_none()),
        "{checks:?}"
    );
    // The morning check is done at home; then the person moves to the site.
    q::record_check(
        &app,
        &cmd,
        &CheckEntry {
            check_id: checks[0].id,
            temperature: 36.6,
            symptoms: String::new(),
        },
    )
    .await
    .unwrap();
    let moved = |to: Option<i64>| TransferInput {
        site_id: to,
        ..Default::default()
    };
    q::transfer(&app, &cmd, o.id, &moved(Some(s1)))
        .await
        .unwrap();
    let checks = q::checks_of_order(&app, &cmd, o.id).await.unwrap();
    assert_eq!(checks[0].assignee.as_deref(), Some("community_worker"));
    assert!(
        checks[0].site.is_none(),
        "the done check stays where it was done"
    );
    assert_eq!(checks[1].assignee.as_deref(), Some("quarantine_staff"));
    assert_eq!(checks[1].site.as_deref(), Some("测试隔离点 T-9"));
    let staff = login(&app, "quarantine_staff").await;
    let at_site = q::checks_of_day(&app, &staff, day, Some(s1), None)
        .await
        .unwrap();
    assert_eq!(
        at_site.iter().map(|k| k.id).collect::<Vec<_>>(),
        [checks[1].id]
    );
    // Back home: the open check returns to the community team.
    q::transfer(&app, &cmd, o.id, &moved(None)).await.unwrap();
    let checks = q::checks_of_order(&app, &cmd, o.id).await.unwrap();
    assert_eq!(checks[1].assignee.as_deref(), Some("community_worker"));
    assert!(checks[1].site.is_none());
}
