//! The risk-area list and the bulk recompute, through the use cases on the small demo zone:
//! imports good and bad, edits, their effect on codes, and the bulk path agreeing with the
//! single-person path person by person.

use app::codes::risk_areas::{self, RiskAreaEdit, RiskAreaInput, RiskAreaListParams};
use app::codes::{self, DeclarationInput, ItineraryInput};
use app::{App, AppError, Settings};
use domain::rules::CodeColor;

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 3)
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

fn days_ago(app: &App, n: i64) -> String {
    (app.today() - chrono::Duration::days(n)).to_string()
}

/// The demo resident declares a trip from `division` three days ago; returns the colour.
async fn trip_from(app: &App, division: &str) -> CodeColor {
    let resident = login(app, "resident").await;
    let input = DeclarationInput {
        temperature: 36.5,
        address: "金穗社区 3 幢 201".into(),
        itinerary: vec![ItineraryInput {
            division_code: division.into(),
            arrived_on: days_ago(app, 3),
        }],
        ..Default::default()
    };
    codes::declare(app, &resident, None, &input)
        .await
        .unwrap()
        .colour
}

async fn resident_code(app: &App) -> codes::CodeView {
    let resident = login(app, "resident").await;
    codes::current(app, &resident, None).await.unwrap()
}

async fn import(app: &App, name: &str, text: &str) -> risk_areas::RiskAreaImportReport {
    let commander = login(app, "commander").await;
    risk_areas::import(app, &commander, name, text.as_bytes())
        .await
        .unwrap()
}

async fn listed(app: &App) -> i64 {
    let commander = login(app, "commander").await;
    risk_areas::list(app, &commander, &RiskAreaListParams::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn the_demo_has_a_realistic_spread_with_reasons_and_appeals() {
    let (app, _dir) = demo().await;
    assert_eq!(app.today().to_string(), "2020-03-27");
    let counts = codes::counts(&app).await.unwrap();
    let get = |c: CodeColor| counts.iter().find(|x| x.0 == c).unwrap().1;
    // The 7,800 outsiders registered at checkpoints got green codes on registration; the
    // spread is the residents'.
    const OUTSIDERS: usize = 7_800;
    let total = (get(CodeColor::Green) + get(CodeColor::Yellow) + get(CodeColor::Red)) as f64;
    let green = (get(CodeColor::Green) as f64 - OUTSIDERS as f64) / (total - OUTSIDERS as f64);
    assert!(
        (0.92..0.97).contains(&green),
        "green share {green}: {counts:?}"
    );
    assert!(
        get(CodeColor::Yellow) > 0 && get(CodeColor::Red) > 0,
        "{counts:?}"
    );
    // Everyone but the demo resident (who has not applied yet) has a code.
    // (and the few foreign arrivals the quarantine step registers).
    assert!((4_999 + OUTSIDERS..4_999 + OUTSIDERS + 100).contains(&(total as usize)));
    let mut tx = app.store.read().await.unwrap();
    let page = tx
        .appeals_by_status(login(&app, "commander").await.scope(), "pending", 0, 100)
        .await
        .unwrap();
    assert!(!page.is_empty(), "a few appeals wait for review");
    let reasons: Vec<domain::rules::Reason> = serde_json::from_str(&page[0].reasons).unwrap();
    assert!(!reasons.is_empty());
}

#[tokio::test]
async fn the_bulk_path_gives_every_person_the_single_path_code() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let mut tx = app.store.read().await.unwrap();
    let mut stored = vec![];
    let persons = tx
        .list_persons(&store::PersonQuery {
            scope: commander.scope(),
            id_number: None,
            phone: None,
            name_prefix: None,
            category: None,
            sort: store::PersonSort::Id,
            after: None,
            limit: 10_000,
        })
        .await
        .unwrap();
    for p in &persons {
        stored.push((p.id, tx.health_code(p.id).await.unwrap()));
    }
    tx.rollback().await.unwrap();
    let mut compared = 0;
    for (id, before) in stored {
        let Some(before) = before else { continue };
        // Every person with a colour, and a sample of the green ones.
        if before.colour == "green" && id % 7 != 0 {
            continue;
        }
        let single = codes::current(&app, &commander, Some(id)).await.unwrap();
        assert!(
            single.history.iter().all(|h| h.actor != "daily"),
            "person {id}: the single path changed the colour: {:?}",
            single.history
        );
        let mut tx = app.store.read().await.unwrap();
        let after = tx.health_code(id).await.unwrap().unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            (
                &after.colour,
                &after.reasons,
                &after.earliest_change,
                &after.since
            ),
            (
                &before.colour,
                &before.reasons,
                &before.earliest_change,
                &before.since
            ),
            "person {id}"
        );
        compared += 1;
    }
    assert!(compared > 500, "{compared}");
    // And the other way round: after the single path, the bulk path finds nothing to change.
    let mut tx = app.store.write().await.unwrap();
    let report = codes::recompute_all(&mut tx, app.today(), "daily")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(report.written, 0, "{report:?}");
}

#[tokio::test]
async fn importing_a_csv_list_recomputes_the_travellers_from_there() {
    let (app, _dir) = demo().await;
    assert_eq!(trip_from(&app, "110105").await, CodeColor::Green);
    let before = listed(&app).await;
    let report = import(
        &app,
        "list.csv",
        &format!(
            "division_code,level,valid_from,valid_to\n110000,high,{},\n310000,medium,{},{}\n",
            days_ago(&app, 30),
            days_ago(&app, 30),
            days_ago(&app, 1)
        ),
    )
    .await;
    assert!(report.ok(), "{:?}", report.issues);
    assert_eq!((report.added, report.changed, report.unchanged), (2, 0, 0));
    let recompute = report.recompute.unwrap();
    assert!(recompute.to_red >= 1, "{recompute:?}");
    assert_eq!(listed(&app).await, before + 2);
    let code = resident_code(&app).await;
    assert_eq!(code.colour, CodeColor::Red);
    assert_eq!(code.assessment.reasons[0].code, "high_risk_arrival");
    let change = &code.history[0];
    assert_eq!(
        (
            change.actor.as_str(),
            change.kind.as_str(),
            change.to.as_str()
        ),
        ("commander", "rule", "red")
    );
    // The same file again changes nothing.
    let again = import(
        &app,
        "list.csv",
        &format!(
            "division_code,level,valid_from,valid_to\n110000,high,{},\n310000,medium,{},{}\n",
            days_ago(&app, 30),
            days_ago(&app, 30),
            days_ago(&app, 1)
        ),
    )
    .await;
    assert_eq!((again.added, again.changed, again.unchanged), (0, 0, 2));
    assert!(again.recompute.is_none());
}

#[tokio::test]
async fn importing_json_updates_an_entry_and_its_codes() {
    let (app, _dir) = demo().await;
    let from = days_ago(&app, 30);
    let first = import(
        &app,
        "list.json",
        &format!(r#"[{{"division_code":"110000","level":"high","valid_from":"{from}"}}]"#),
    )
    .await;
    assert!(first.ok(), "{:?}", first.issues);
    assert_eq!(trip_from(&app, "110105").await, CodeColor::Red);
    let second = import(
        &app,
        "list.json",
        &format!(
            r#"{{"risk_areas":[{{"division_code":"110000","level":"medium","valid_from":"{from}","valid_to":null}}]}}"#
        ),
    )
    .await;
    assert_eq!(
        (second.added, second.changed),
        (0, 1),
        "{:?}",
        second.issues
    );
    assert_eq!(resident_code(&app).await.colour, CodeColor::Yellow);
}

#[tokio::test]
async fn a_bad_file_writes_nothing_and_names_each_row_and_field() {
    let (app, _dir) = demo().await;
    let before = listed(&app).await;
    let report = import(
        &app,
        "list.csv",
        "division_code,level,valid_from,valid_to\n\
         110000,high,2020-03-01,\n\
         99AB00,high,2020-03-01,\n\
         310000,severe,2020-02-30,2020-01-01\n\
         110000,medium,2020-03-01,\n",
    )
    .await;
    assert!(!report.ok());
    let at: Vec<(usize, String)> = report
        .issues
        .iter()
        .map(|i| (i.row, i.field.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        at,
        [
            (3, "division_code".to_owned()),
            (4, "level".to_owned()),
            (4, "valid_from".to_owned()),
            (5, "valid_from".to_owned()),
        ]
    );
    assert_eq!((report.added, report.changed), (0, 0));
    assert_eq!(listed(&app).await, before, "all or nothing");
    let err: AppError = report.into();
    assert!(err.to_string().contains("row 3 division_code"), "{err}");

    for (name, text) in [
        ("empty.csv", ""),
        ("header.csv", "division_code,level\n"),
        ("broken.json", "[{"),
        ("binary.csv", "\u{0}\u{1}"),
    ] {
        let r = import(&app, name, text).await;
        assert!(!r.ok(), "{name}");
    }
    let not_utf8 = risk_areas::import(
        &app,
        &login(&app, "commander").await,
        "latin1.csv",
        b"division_code,level,valid_from\n\xe9",
    )
    .await
    .unwrap();
    assert_eq!(not_utf8.issues[0].code, "encoding");
}

#[tokio::test]
async fn editing_an_entry_recomputes_and_is_audited() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let added = risk_areas::add(
        &app,
        &commander,
        &RiskAreaInput {
            division_code: "110000".into(),
            level: "high".into(),
            valid_from: days_ago(&app, 30),
            valid_to: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(added.area.status, "current");
    assert_eq!(trip_from(&app, "110105").await, CodeColor::Red);

    // Medium: yellow.
    let changed = risk_areas::change(
        &app,
        &commander,
        added.area.id,
        &RiskAreaEdit {
            level: "medium".into(),
            valid_from: days_ago(&app, 30),
            valid_to: None,
        },
    )
    .await
    .unwrap();
    // The resident and the demo's own travellers from Beijing.
    assert!(changed.recompute.to_yellow >= 1, "{:?}", changed.recompute);
    assert_eq!(resident_code(&app).await.colour, CodeColor::Yellow);

    // Listed only from after the arrival: green again.
    risk_areas::change(
        &app,
        &commander,
        added.area.id,
        &RiskAreaEdit {
            level: "medium".into(),
            valid_from: days_ago(&app, 1),
            valid_to: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(resident_code(&app).await.colour, CodeColor::Green);

    // Ending it keeps the entry, ended yesterday.
    let ended = risk_areas::end(&app, &commander, added.area.id, Some(&days_ago(&app, 0)))
        .await
        .unwrap();
    assert_eq!(ended.area.valid_to, Some(days_ago(&app, 0)));

    let admin = login(&app, "admin").await;
    let log = app::audit::list(
        &app,
        &admin,
        &app::audit::AuditQuery {
            record_type: Some("risk_area".into()),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e.action.starts_with("risk_area."))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions.len(),
        4,
        "add, two changes and the end are audited: {actions:?}"
    );
}

#[tokio::test]
async fn bad_edits_are_refused_with_the_field() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let resident = login(&app, "resident").await;
    let input = RiskAreaInput {
        division_code: "420100".into(),
        level: "high".into(),
        valid_from: "2020-01-23".into(),
        valid_to: None,
    };
    let r = risk_areas::add(&app, &resident, &input).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let r = risk_areas::add(&app, &commander, &input).await;
    assert!(
        matches!(&r, Err(AppError::Conflict { field, .. }) if field == "valid_from"),
        "the demo lists Wuhan from that day: {r:?}"
    );
    let r = risk_areas::change(&app, &commander, 9_999, &RiskAreaEdit::default()).await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
    let r = risk_areas::list(
        &app,
        &commander,
        &RiskAreaListParams {
            q: Some("42x".into()),
            sort: Some("colour".into()),
            page: Some(0),
            ..Default::default()
        },
    )
    .await;
    let Err(AppError::Invalid(fields)) = r else {
        panic!("{r:?}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["q", "sort", "page"]);
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let hubei = risk_areas::list(
        &app,
        &commander,
        &RiskAreaListParams {
            q: Some("42".into()),
            status: Some("current".into()),
            sort: Some("level".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let rows: Vec<(&str, &str)> = hubei
        .items
        .iter()
        .map(|r| (r.division_code.as_str(), r.level.as_str()))
        .collect();
    assert_eq!(rows, [("420100", "high"), ("420000", "medium")]);
    let ended = risk_areas::list(
        &app,
        &commander,
        &RiskAreaListParams {
            status: Some("ended".into()),
            page: Some(2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(ended.items.is_empty() && ended.total > 0 && ended.page == 2);
}

#[tokio::test]
async fn recomputing_the_affected_equals_recomputing_everyone() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    // Had Hubei's high listing ended before mid-March, its March returnees would be green.
    let page = risk_areas::list(
        &app,
        &commander,
        &RiskAreaListParams {
            q: Some("4200".into()),
            level: Some("high".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let hubei = &page.items[0];
    let change = risk_areas::change(
        &app,
        &commander,
        hubei.id,
        &RiskAreaEdit {
            level: "high".into(),
            valid_from: hubei.valid_from.clone(),
            valid_to: Some("2020-03-01".into()),
        },
    )
    .await
    .unwrap();
    assert!(change.recompute.to_green > 0, "{:?}", change.recompute);
    let mut tx = app.store.write().await.unwrap();
    let all = codes::recompute_all(&mut tx, app.today(), "daily")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(all.written, 0, "{all:?}");
}
