//! Contact tracing on constructed scans: the boundary minutes (exactly ±30 is a contact, a
//! millisecond more is not), the period's edges, a person seen twice, secondary contacts only
//! after the close contact's exposure, codes (close red, secondary yellow, the case named),
//! tracing twice adding nothing, and the bulk recompute agreeing with the single-person path.

use app::cases::{self, CaseChangeInput, CaseInput, ContactInput};
use app::tracing::{self as trace, TraceInput};
use app::{App, Settings};
use chrono::TimeZone;
use store::NewScan;

const MIN: i64 = 60_000;

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

/// Local time in Asia/Shanghai as ms UTC.
fn at(day: &str, hh: u32, mm: u32) -> i64 {
    let d: chrono::NaiveDate = day.parse().unwrap();
    domain::time::shanghai()
        .from_local_datetime(&d.and_hms_opt(hh, mm, 0).unwrap())
        .unwrap()
        .timestamp_millis()
}

fn scan(n: &mut usize, checkpoint_id: i64, at: i64, person_id: i64) -> NewScan {
    *n += 1;
    NewScan {
        checkpoint_id,
        event_id: format!("t-{n}"),
        at,
        person_id: Some(person_id),
        method: "code".into(),
        direction: "in".into(),
        temperature: Some(36.5),
        colour: Some("green".into()),
        decision: "pass".into(),
        reason: "green".into(),
        fingerprint: format!("f{n}"),
    }
}

async fn colour(app: &App, person_id: i64) -> String {
    let mut tx = app.store.read().await.unwrap();
    let c = tx.health_code(person_id).await.unwrap();
    c.map(|c| c.colour).unwrap_or_else(|| "none".into())
}

#[tokio::test]
async fn tracing_finds_exactly_the_constructed_contacts() {
    let (app, _dir) = demo().await;
    let worker = login(&app, "commander").await;
    // Twelve persons and two checkpoints of their own, so that the demo's scans of the same
    // weeks do not mix in; p[0] becomes the case.
    let (p, cp1, cp2) = {
        let mut tx = app.store.write().await.unwrap();
        let home = tx.person(1).await.unwrap();
        let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
        let rows: Vec<store::NewPerson> = (0..12)
            .map(|i| store::NewPerson {
                id_number: Some(
                    domain::ResidentId::from_parts("330402", born, 980 + i)
                        .unwrap()
                        .into_string(),
                ),
                name: format!("测试{i}"),
                phone: None,
                zone_id: home.zone_id,
                street_id: home.street_id,
                community_id: home.community_id,
                micro_grid_id: home.micro_grid_id,
                area_path: home.area_path.clone(),
                category: "resident".into(),
                nationality: None,
                passport_no: None,
            })
            .collect();
        tx.insert_persons(&rows, 0).await.unwrap();
        let mut p = vec![];
        for r in &rows {
            let id = r.id_number.as_deref().unwrap();
            p.push(tx.person_by_id_number(id).await.unwrap().unwrap().id);
        }
        let any = tx.checkpoint_records("/", true).await.unwrap().remove(0);
        let cps: Vec<store::NewCheckpoint> = ["T-1", "T-2"]
            .iter()
            .map(|code| store::NewCheckpoint {
                code: (*code).into(),
                kind: "community_gate".into(),
                name: format!("测试{code}"),
                area_id: any.area_id,
                area_path: any.area_path.clone(),
                lat: any.lat,
                lon: any.lon,
                party_branch: None,
                hours: "00:00-24:00".into(),
            })
            .collect();
        tx.insert_checkpoints(&cps, 0).await.unwrap();
        let all = tx.checkpoint_records("/", true).await.unwrap();
        let id = |code: &str| all.iter().find(|c| c.code == code).unwrap().id;
        let (cp1, cp2) = (id("T-1"), id("T-2"));
        tx.commit().await.unwrap();
        (p, cp1, cp2)
    };
    let stats_before = app::stats::stats(&app).await.unwrap();
    let t0 = at("2020-03-15", 10, 0);
    let mut n = 0;
    let mut rows = vec![
        scan(&mut n, cp1, t0, p[0]),
        scan(&mut n, cp1, t0 - 30 * MIN, p[1]), // exactly −30 min: close
        scan(&mut n, cp1, t0 + 30 * MIN, p[2]), // exactly +30 min: close
        // A millisecond more: not close (but within minutes of p[2], so secondary).
        scan(&mut n, cp1, t0 + 30 * MIN + 1, p[3]),
        scan(&mut n, cp2, t0, p[4]), // same time, other place: not
        scan(&mut n, cp1, t0 + 10 * MIN, p[5]), // seen twice: one close contact
        scan(&mut n, cp1, at("2020-03-18", 8, 0), p[0]),
        scan(&mut n, cp1, at("2020-03-18", 7, 55), p[5]),
        // The period's start (03-06 00:00) is in, the evening before is out.
        scan(&mut n, cp2, at("2020-03-06", 0, 0), p[0]),
        scan(&mut n, cp2, at("2020-03-06", 0, 10), p[6]),
        scan(&mut n, cp2, at("2020-03-05", 20, 0), p[0]),
        scan(&mut n, cp2, at("2020-03-05", 20, 0), p[7]),
        // The period's end (03-21 00:00) is out.
        scan(&mut n, cp1, at("2020-03-21", 0, 0), p[0]),
        scan(&mut n, cp1, at("2020-03-21", 0, 0), p[8]),
        // p[1] later meets p[9]: secondary. Before meeting the case, p[1] met p[10]: not.
        scan(&mut n, cp2, t0 + 120 * MIN, p[1]),
        scan(&mut n, cp2, t0 + 140 * MIN, p[9]),
        scan(&mut n, cp2, t0 - 120 * MIN, p[1]),
        scan(&mut n, cp2, t0 - 120 * MIN, p[10]),
    ];
    rows.sort_by_key(|r| r.at);
    {
        let mut tx = app.store.write().await.unwrap();
        tx.insert_scans_unchecked(&rows, 0).await.unwrap();
        tx.commit().await.unwrap();
    }
    let case = cases::create(
        &app,
        &worker,
        &CaseInput {
            person_id: p[0],
            kind: "confirmed".into(),
            origin: "local".into(),
            onset_on: Some("2020-03-18".into()),
            reported_on: "2020-03-20".into(),
            cluster: Some("测试聚集".into()),
            note: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(colour(&app, p[0]).await, "red");

    let report = trace::trace(&app, &worker, case.id, &TraceInput::default())
        .await
        .unwrap();
    let contacts = cases::contacts_of(&app, &worker, case.id).await.unwrap();
    let of = |d: &str| {
        let mut v: Vec<i64> = contacts
            .iter()
            .filter(|c| c.degree == d)
            .map(|c| c.person_id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(of("close"), vec![p[1], p[2], p[5], p[6]], "{contacts:#?}");
    assert_eq!(of("secondary"), vec![p[3], p[9]], "{contacts:#?}");
    assert_eq!((report.close, report.secondary, report.changed), (4, 2, 6));
    let twice = contacts.iter().find(|c| c.person_id == p[5]).unwrap();
    assert_eq!(twice.encounters, 2);
    assert_eq!(twice.closest_minutes, Some(5.0));
    assert_eq!(twice.last_exposure_on, "2020-03-18");
    let secondary = contacts.iter().find(|c| c.person_id == p[9]).unwrap();
    assert_eq!(secondary.source_person_id, p[1]);

    for id in [p[1], p[2], p[5], p[6]] {
        assert_eq!(colour(&app, id).await, "red");
    }
    assert_eq!(colour(&app, p[9]).await, "yellow");
    // The history names the case.
    {
        let mut tx = app.store.read().await.unwrap();
        let h = tx.code_changes(p[9], 5).await.unwrap();
        assert_eq!(h[0].actor, format!("case {}", case.id));
    }

    // Tracing again adds nothing and changes no code.
    let again = trace::trace(&app, &worker, case.id, &TraceInput::default())
        .await
        .unwrap();
    assert_eq!(again.changed, 0);
    assert_eq!(
        cases::contacts_of(&app, &worker, case.id)
            .await
            .unwrap()
            .len(),
        contacts.len()
    );
    // A narrower window finds fewer.
    let narrow = TraceInput {
        window_minutes: Some(10),
        lookback_days: Some(14),
    };
    let r = {
        let mut tx = app.store.read().await.unwrap();
        let row = tx.case(case.id).await.unwrap();
        trace::search(&mut tx, &row, narrow.params().unwrap())
            .await
            .unwrap()
    };
    let close: Vec<i64> = r.close.iter().map(|e| e.person).collect();
    assert_eq!(close, vec![p[5], p[6]]);
    assert!(
        TraceInput {
            window_minutes: Some(0),
            lookback_days: None
        }
        .params()
        .is_err()
    );

    // A household member added by hand is red too.
    let added = cases::add_contact(
        &app,
        &worker,
        case.id,
        &ContactInput {
            person_id: p[11],
            setting: "household".into(),
            degree: None,
            last_exposure_on: "2020-03-19".into(),
            source_person_id: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(added.degree, "close");
    assert_eq!(colour(&app, p[11]).await, "red");

    // The bulk recompute reads the same cases and contacts: no colour moves.
    let before: Vec<String> = futures_colours(&app, &p).await;
    {
        let mut tx = app.store.write().await.unwrap();
        app::codes::recompute_all(&mut tx, app.today(), "daily")
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(futures_colours(&app, &p).await, before);

    // Status changes: a confirmed case is discharged, and its code stays red after.
    let discharged = cases::change(
        &app,
        &worker,
        case.id,
        &CaseChangeInput {
            change: "discharge".into(),
            on: Some("2020-03-26".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(discharged.status, "discharged");
    assert!(
        cases::change(
            &app,
            &worker,
            case.id,
            &CaseChangeInput {
                change: "exclude".into(),
                on: None
            }
        )
        .await
        .is_err()
    );
    let stats = app::stats::stats(&app).await.unwrap();
    let added =
        |a: &str, b: &str| stats[a][b].as_i64().unwrap() - stats_before[a][b].as_i64().unwrap();
    assert_eq!(added("cases", "confirmed"), 1);
    assert_eq!(added("contacts", "close"), 5);
    assert_eq!(added("contacts", "secondary"), 2);

    let svg = trace::graph::svg(&case.person_name, &contacts);
    assert!(svg.starts_with("<svg") && svg.contains("class=\"secondary\""));
    let csv = String::from_utf8(trace::export::csv(&contacts).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), contacts.len() + 1);
}

async fn futures_colours(app: &App, ids: &[i64]) -> Vec<String> {
    let mut out = vec![];
    for id in ids {
        out.push(colour(app, *id).await);
    }
    out
}
