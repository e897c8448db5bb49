//! Checkpoints and scan ingest through the use cases on the small demo: management (create,
//! edit, retire, no deletion once scanned), decisions on real codes, every bad item refused
//! alone with its field, and a resend — also after a restart — adding nothing twice.

use app::checkpoints::ingest::{ItemStatus, ScanBatch, ingest};
use app::checkpoints::{self, CheckpointInput};
use app::{App, AppError, Settings};
use domain::scan::ScanDecision;
use serde_json::{Value, json};

async fn open(dir: &std::path::Path) -> App {
    let store = store::Store::open_sqlite(dir).await.unwrap();
    let keys =
        app::keys::KeyRing::load_or_create(&dir.join("keys"), app::codes::default_ttl()).unwrap();
    App::new(store, Settings::default())
        .load_as_of()
        .await
        .unwrap()
        .with_keys(keys)
}

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 5)
        .await
        .unwrap();
    store.close().await;
    (open(dir.path()).await, dir)
}

async fn login(app: &App, user: &str) -> app::Actor {
    app::auth::login(app, user, app::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor
}

fn now_text(offset_minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(offset_minutes)).to_rfc3339()
}

async fn first_checkpoint(app: &App, actor: &app::Actor) -> i64 {
    checkpoints::list(app, actor, false).await.unwrap()[0].id
}

fn batch(items: Vec<Value>) -> ScanBatch {
    ScanBatch { scans: items }
}

#[tokio::test]
async fn a_resend_and_a_restart_add_nothing_twice() {
    let (app, dir) = demo().await;
    let officer = login(&app, "checkpoint_officer").await;
    let resident = login(&app, "resident").await;
    let code = app::codes::issue_credential(&app, &resident, None)
        .await
        .unwrap()
        .text;
    let cp = first_checkpoint(&app, &officer).await;
    let items = || {
        vec![
            json!({"event_id": "dev1-1", "checkpoint_id": cp, "at": now_text(-1), "code": code,
                   "temperature": 36.6, "direction": "in"}),
            json!({"event_id": "dev1-2", "checkpoint_id": cp, "at": now_text(-1), "code": code,
                   "temperature": 37.3, "direction": "out"}),
        ]
    };
    // The demo holds 2020's scans; count what this test adds to them.
    let before = app::stats::stats(&app).await.unwrap();
    let count = |v: &Value, key: &str| v[key].as_i64().unwrap();
    // Fixed times, so that the resend is byte for byte the same content.
    let first = items();
    let r = ingest(&app, &officer, batch(first.clone())).await.unwrap();
    assert_eq!((r.accepted, r.duplicate, r.rejected), (2, 0, 0), "{r:#?}");
    assert_eq!(r.items[0].decision, Some(ScanDecision::Pass));
    // 37.3 ℃ is a fever: refer.
    assert_eq!(r.items[1].decision, Some(ScanDecision::Refer));
    assert_eq!(r.items[1].reason.as_deref(), Some("fever"));
    assert!(r.items[0].person_name.as_deref().unwrap().contains('*'));

    let again = ingest(&app, &officer, batch(first.clone())).await.unwrap();
    assert_eq!((again.accepted, again.duplicate), (0, 2));
    // The resend learns what the first upload decided (its answer may have been lost).
    assert_eq!(again.items[0].decision, Some(ScanDecision::Pass));
    assert_eq!(again.items[1].decision, Some(ScanDecision::Refer));
    assert_eq!(again.items[1].reason.as_deref(), Some("fever"));
    assert_eq!(again.items[0].person_name, r.items[0].person_name);
    assert_eq!(again.items[0].colour, r.items[0].colour);
    assert!(again.items[0].error.is_none());

    // Restart: a new process on the same database.
    app.store.close().await;
    let app = open(dir.path()).await;
    let officer = login(&app, "checkpoint_officer").await;
    let after = ingest(&app, &officer, batch(first)).await.unwrap();
    assert_eq!((after.accepted, after.duplicate), (0, 2));
    assert_eq!(after.items[1].decision, Some(ScanDecision::Refer));
    let stats = app::stats::stats(&app).await.unwrap();
    assert_eq!(count(&stats, "scans"), count(&before, "scans") + 2);
    let screened = count(&stats, "screened_cumulative") - count(&before, "screened_cumulative");
    assert!(
        (0..=1).contains(&screened),
        "one person, screened before or not"
    );
    let today = checkpoints::figures::today(&app, &officer, cp)
        .await
        .unwrap();
    assert_eq!((today.total, today.pass, today.refer), (2, 1, 1));
}

#[tokio::test]
async fn every_bad_item_is_refused_alone_with_its_field() {
    let (app, _dir) = demo().await;
    let officer = login(&app, "checkpoint_officer").await;
    let cp = first_checkpoint(&app, &officer).await;
    let at = now_text(0);
    let ok = |id: &str| {
        json!({"event_id": id, "checkpoint_id": cp, "at": at,
                               "id_number": "11010519491231002X", "direction": "in"})
    };
    let items = vec![
        ok("a-1"),
        json!({"event_id": "a-2", "checkpoint_id": 999_999, "at": at, "id_number": "11010519491231002X", "direction": "in"}),
        json!({"event_id": "a-3", "checkpoint_id": cp, "at": now_text(60), "id_number": "11010519491231002X", "direction": "in"}),
        json!({"event_id": "a-4", "checkpoint_id": cp, "at": "2017-01-01T08:00:00+08:00", "id_number": "11010519491231002X", "direction": "in"}),
        json!({"event_id": "a-5", "checkpoint_id": cp, "at": at, "code": "HELLO", "direction": "in"}),
        json!({"event_id": "a-6", "checkpoint_id": cp, "at": at, "id_number": "110105194912310021", "direction": "in"}),
        json!({"event_id": "a-7", "checkpoint_id": cp, "at": at, "id_number": "11010519491231002X", "direction": "up"}),
        json!({"event_id": "a-8", "checkpoint_id": cp, "at": at, "id_number": "11010519491231002X", "direction": "in", "temperature": 90}),
        json!({"event_id": "a-1", "checkpoint_id": cp, "at": at, "id_number": "11010519491231002X", "direction": "out"}),
        json!({"checkpoint_id": cp}),
        json!("not an object"),
        json!({"event_id": "a-9", "checkpoint_id": cp, "at": at, "direction": "in"}),
    ];
    let r = ingest(&app, &officer, batch(items)).await.unwrap();
    let fields: Vec<(ItemStatus, String, String)> = r
        .items
        .iter()
        .map(|i| {
            let e = i.error.as_ref();
            (
                i.status,
                e.map(|e| e.field.clone()).unwrap_or_default(),
                e.map(|e| e.code.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let expect = [
        (ItemStatus::Accepted, "", ""),
        (ItemStatus::Rejected, "checkpoint_id", "unknown"),
        (ItemStatus::Rejected, "at", "future"),
        (ItemStatus::Rejected, "at", "too_old"),
        (ItemStatus::Rejected, "code", "malformed"),
        (ItemStatus::Rejected, "id_number", "checksum"),
        (ItemStatus::Rejected, "direction", "unknown"),
        (ItemStatus::Rejected, "temperature", "out_of_range"),
        (ItemStatus::Rejected, "event_id", "conflict"),
        (ItemStatus::Rejected, "item", "malformed"),
        (ItemStatus::Rejected, "item", "malformed"),
        (ItemStatus::Rejected, "code", "required"),
    ];
    for (i, (got, want)) in fields.iter().zip(expect).enumerate() {
        assert_eq!(got.0, want.0, "item {i}: {:?}", r.items[i]);
        assert_eq!(got.1, want.1, "item {i}: {:?}", r.items[i]);
        if want.2 != "checksum" {
            assert_eq!(got.2, want.2, "item {i}: {:?}", r.items[i]);
        }
    }
    // An ID number nobody registered is referred, not refused.
    assert_eq!(r.items[0].decision, Some(ScanDecision::Refer));
    assert_eq!(r.items[0].reason.as_deref(), Some("unregistered"));

    let too_many = (0..1_001).map(|i| ok(&format!("b-{i}"))).collect();
    match ingest(&app, &officer, batch(too_many)).await {
        Err(AppError::Invalid(e)) => assert_eq!(e[0].field, "scans"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The stored duplicate with other content is refused again, the first kept.
    let clash = vec![json!({"event_id": "a-1", "checkpoint_id": cp, "at": at,
        "id_number": "11010519491231002X", "direction": "out"})];
    let r = ingest(&app, &officer, batch(clash)).await.unwrap();
    assert_eq!(r.items[0].error.as_ref().unwrap().code, "conflict");
}

#[tokio::test]
async fn codes_decide_stop_for_expired_untrusted_and_someone_elses() {
    let (app, dir) = demo().await;
    let officer = login(&app, "checkpoint_officer").await;
    let resident = login(&app, "resident").await;
    let cp = first_checkpoint(&app, &officer).await;
    // The same signing key, issuing codes that live one minute.
    let short = app::keys::KeyRing::load_or_create(
        &dir.path().join("keys"),
        chrono::TimeDelta::seconds(60),
    )
    .unwrap();
    let code = app::codes::issue_credential(&app.clone().with_keys(short), &resident, None)
        .await
        .unwrap()
        .text;
    let elsewhere = tempfile::tempdir().unwrap();
    let other =
        app::keys::KeyRing::load_or_create(elsewhere.path(), app::codes::default_ttl()).unwrap();
    let untrusted = app::codes::issue_credential(&app.clone().with_keys(other), &resident, None)
        .await
        .unwrap()
        .text;
    let items = vec![
        // Scanned 4 minutes after it was issued: a one-minute code has expired.
        json!({"event_id": "c-1", "checkpoint_id": cp, "at": now_text(4), "code": code, "direction": "in"}),
        // Presented with another person's ID number.
        json!({"event_id": "c-2", "checkpoint_id": cp, "at": now_text(0), "code": code,
               "id_number": "11010519491231002X", "direction": "in"}),
        // Signed by a key this platform does not trust.
        json!({"event_id": "c-3", "checkpoint_id": cp, "at": now_text(0),
               "code": untrusted, "direction": "in"}),
    ];
    let r = ingest(&app, &officer, batch(items)).await.unwrap();
    let reasons: Vec<_> = r
        .items
        .iter()
        .map(|i| (i.decision, i.reason.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        reasons[1],
        (Some(ScanDecision::Stop), "not_holder".into()),
        "{r:#?}"
    );
    assert_eq!(
        reasons[0],
        (Some(ScanDecision::Stop), "expired".into()),
        "{r:#?}"
    );
    assert_eq!(
        reasons[2],
        (Some(ScanDecision::Stop), "invalid".into()),
        "{r:#?}"
    );
}

#[tokio::test]
async fn checkpoints_are_created_edited_retired_and_never_deleted_once_scanned() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let officer = login(&app, "checkpoint_officer").await;
    // Inside the officer's area, so that the officer can scan there.
    let area_id = officer.scope_area_id;
    let input = CheckpointInput {
        code: Some("TEST-1".into()),
        kind: "traffic".into(),
        name: "测试卡点".into(),
        area_id,
        lat: 30.75,
        lon: 120.76,
        party_branch: Some("测试卡点临时党支部".into()),
        hours: "24h".into(),
        staff_on_duty: 6,
    };
    // Officers screen; they do not manage checkpoints.
    assert!(matches!(
        checkpoints::create(&app, &officer, &input).await,
        Err(AppError::Forbidden(_))
    ));
    let cp = checkpoints::create(&app, &commander, &input).await.unwrap();
    assert_eq!(cp.staff_on_duty, 6);
    assert!(matches!(
        checkpoints::create(&app, &commander, &input).await,
        Err(AppError::Conflict { .. })
    ));
    let bad = CheckpointInput {
        kind: "castle".into(),
        lat: 91.0,
        name: " ".into(),
        ..input.clone()
    };
    match checkpoints::create(&app, &commander, &bad).await {
        Err(AppError::Invalid(e)) => {
            let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
            assert!(
                fields.contains(&"kind") && fields.contains(&"name") && fields.contains(&"lat")
            );
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    let edited = checkpoints::edit(
        &app,
        &commander,
        cp.id,
        &CheckpointInput {
            staff_on_duty: 8,
            hours: "06:00-22:00".into(),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (edited.staff_on_duty, edited.hours.as_str()),
        (8, "06:00-22:00")
    );

    let r = ingest(
        &app,
        &officer,
        batch(vec![
            json!({"event_id": "t-1", "checkpoint_id": cp.id, "at": now_text(0),
            "id_number": "11010519491231002X", "direction": "in"}),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(r.accepted, 1);
    assert!(matches!(
        checkpoints::delete(&app, &commander, cp.id).await,
        Err(AppError::Conflict { .. })
    ));
    let retired = checkpoints::retire(&app, &commander, cp.id, true)
        .await
        .unwrap();
    assert!(retired.retired_at.is_some());
    let r = ingest(
        &app,
        &officer,
        batch(vec![
            json!({"event_id": "t-2", "checkpoint_id": cp.id, "at": now_text(1),
            "id_number": "11010519491231002X", "direction": "in"}),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(r.items[0].error.as_ref().unwrap().code, "retired");
    // A checkpoint that never scanned anyone can be deleted.
    let spare = checkpoints::create(
        &app,
        &commander,
        &CheckpointInput {
            code: Some("TEST-2".into()),
            ..input
        },
    )
    .await
    .unwrap();
    checkpoints::delete(&app, &commander, spare.id)
        .await
        .unwrap();
}
