//! Health codes end to end through the use cases, on the small demo zone.

use app::codes::{self, CheckInInput, DeclarationInput, ItineraryInput};
use app::{App, AppError, Settings};
use domain::rules::CodeColor;

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 3)
        .await
        .unwrap();
    (App::new(store, Settings::default()), dir)
}

async fn login(app: &App, user: &str) -> app::Actor {
    app::auth::login(app, user, app::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor
}

fn declaration(itinerary: Vec<ItineraryInput>) -> DeclarationInput {
    DeclarationInput {
        temperature: 36.6,
        address: "金穗社区 3 幢 201".into(),
        itinerary,
        ..Default::default()
    }
}

fn days_ago(app: &App, n: i64) -> String {
    (app.today() - chrono::Duration::days(n)).to_string()
}

#[tokio::test]
async fn a_clean_declaration_is_green_with_one_history_entry() {
    let (app, _dir) = demo().await;
    let resident = login(&app, "resident").await;
    let code = codes::declare(&app, &resident, None, &declaration(vec![]))
        .await
        .unwrap();
    assert_eq!(code.colour, CodeColor::Green);
    assert_eq!(code.history.len(), 1);
    assert_eq!(code.history[0].from, None);
    assert_eq!(code.history[0].to, "green");
    assert_eq!(code.history[0].actor, "resident");
    // Asking again changes nothing and writes no history.
    let again = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(again.history.len(), 1);
}

#[tokio::test]
async fn arrival_from_a_high_risk_area_is_red_with_its_reason() {
    let (app, _dir) = demo().await;
    {
        let mut tx = app.store.write().await.unwrap();
        tx.insert_risk_area("420100", "high", &days_ago(&app, 30), None, 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let resident = login(&app, "resident").await;
    let trip = vec![ItineraryInput {
        division_code: "420100".into(),
        arrived_on: days_ago(&app, 3),
    }];
    let code = codes::declare(&app, &resident, None, &declaration(trip))
        .await
        .unwrap();
    assert_eq!(code.colour, CodeColor::Red);
    assert_eq!(code.assessment.reasons[0].code, "high_risk_arrival");
    assert!(code.assessment.earliest_change.unwrap() > app.today());
    assert_eq!(code.history[0].to, "red");
}

#[tokio::test]
async fn fever_turns_yellow_and_one_check_in_a_day() {
    let (app, _dir) = demo().await;
    let worker = login(&app, "community_worker").await;
    let resident = login(&app, "resident").await;
    let person = resident.person_id.unwrap();
    // The community worker checks in for a resident of 金穗 (e.g. one without a phone).
    let code = codes::check_in(
        &app,
        &worker,
        Some(person),
        &CheckInInput {
            temperature: 38.2,
            symptoms: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(code.colour, CodeColor::Yellow);
    assert_eq!(code.assessment.reasons[0].code, "fever_or_symptoms");
    let twice = codes::check_in(
        &app,
        &resident,
        None,
        &CheckInInput {
            temperature: 36.5,
            symptoms: false,
        },
    )
    .await;
    assert!(
        matches!(twice, Err(AppError::Conflict { ref field, .. }) if field == "day"),
        "{twice:?}"
    );
}

#[tokio::test]
async fn bad_declarations_name_every_field() {
    let (app, _dir) = demo().await;
    let resident = login(&app, "resident").await;
    let input = DeclarationInput {
        temperature: 50.0,
        address: " ".into(),
        itinerary: vec![
            ItineraryInput {
                division_code: "009999".into(),
                arrived_on: days_ago(&app, 1),
            },
            ItineraryInput {
                division_code: "420100".into(),
                arrived_on: days_ago(&app, -2),
            },
            ItineraryInput {
                division_code: "420100".into(),
                arrived_on: "2020-02-30".into(),
            },
        ],
        ..Default::default()
    };
    let Err(AppError::Invalid(fields)) = codes::declare(&app, &resident, None, &input).await else {
        panic!("must be refused")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        [
            "temperature",
            "address",
            "itinerary[0].division_code",
            "itinerary[1].arrived_on",
            "itinerary[2].arrived_on"
        ]
    );
    // Nothing was written.
    let none = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(
        none.history.len(),
        1,
        "only the first computation, from `current`"
    );
}

#[tokio::test]
async fn a_resident_acts_only_for_themselves() {
    let (app, _dir) = demo().await;
    let resident = login(&app, "resident").await;
    let other = resident.person_id.unwrap() + 1;
    let r = codes::current(&app, &resident, Some(other)).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let commander = login(&app, "commander").await;
    let r = codes::current(&app, &commander, None).await;
    assert!(
        matches!(r, Err(AppError::Invalid(_))),
        "an officer must name the person"
    );
}

#[tokio::test]
async fn code_history_is_insert_only() {
    let (app, _dir) = demo().await;
    let resident = login(&app, "resident").await;
    codes::declare(&app, &resident, None, &declaration(vec![]))
        .await
        .unwrap();
    for sql in [
        "UPDATE code_changes SET to_colour = 'red'",
        "DELETE FROM code_changes",
    ] {
        let mut tx = app.store.write().await.unwrap();
        assert!(tx.execute_raw_for_tests(sql).await.is_err(), "{sql}");
    }
}

#[tokio::test]
async fn the_credential_verifies_offline_and_dies_after_expiry() {
    let (app, dir) = demo().await;
    let keys =
        app::keys::KeyRing::load_or_create(&dir.path().join("keys"), codes::default_ttl()).unwrap();
    let app = app.with_keys(keys);
    let resident = login(&app, "resident").await;
    let cred = codes::issue_credential(&app, &resident, None)
        .await
        .unwrap();
    assert!(cred.text.starts_with("ZK1:"));
    assert!(cred.qr_svg.contains("<svg"));
    let now = chrono::Utc::now();
    let ok = codes::verify(&app, &cred.text, Some(now)).unwrap();
    assert!(ok.valid, "{ok:?}");
    let claims = serde_json::to_value(&ok).unwrap()["claims"].clone();
    assert!(
        claims
            .to_string()
            .contains(&cred.code.colour.as_str().to_string())
    );
    assert!(
        !claims.to_string().contains("王敏"),
        "only the masked name travels"
    );
    // One minute after expiry it fails on expiry alone.
    let late = codes::verify(
        &app,
        &cred.text,
        Some(now + codes::default_ttl() + chrono::TimeDelta::minutes(1)),
    )
    .unwrap();
    assert!(!late.valid);
    assert_eq!(late.checks.expiry, Some(false));
    assert_eq!(late.checks.signature, Some(true));
    // A code from another platform's key is refused.
    let other_dir = tempfile::tempdir().unwrap();
    let other = app::keys::KeyRing::load_or_create(other_dir.path(), codes::default_ttl()).unwrap();
    let foreign = app.clone().with_keys(other);
    let v = codes::verify(&foreign, &cred.text, Some(now)).unwrap();
    assert!(!v.valid);
}
