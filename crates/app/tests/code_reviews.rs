//! Colours set by hand and appeals, end to end through the use cases: no colour changes without
//! a rule or an accountable person, red ↔ green by hand needs a second approver, and an appeal's
//! outcome reaches the resident.

use app::codes::{
    self, AppealDecisionInput, AppealInput, DeclarationInput, ItineraryInput, OverrideAction,
    OverrideDecisionInput, OverrideInput,
};
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

/// The demo resident declares a trip from Wuhan three days ago while it is a high-risk area.
async fn red_resident(app: &App) -> (app::Actor, i64) {
    let day = |n: i64| (app.today() - chrono::Duration::days(n)).to_string();
    {
        let mut tx = app.store.write().await.unwrap();
        tx.insert_risk_area("420100", "high", &day(30), None, 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let resident = login(app, "resident").await;
    let input = DeclarationInput {
        temperature: 36.6,
        address: "金穗社区 3 幢 201".into(),
        itinerary: vec![ItineraryInput {
            division_code: "420100".into(),
            arrived_on: day(3),
        }],
        ..Default::default()
    };
    let code = codes::declare(app, &resident, None, &input).await.unwrap();
    assert_eq!(code.colour, CodeColor::Red);
    let id = resident.person_id.unwrap();
    (resident, id)
}

fn green_by_hand(person_id: i64) -> OverrideInput {
    OverrideInput {
        person_id,
        colour: "green".into(),
        reason: "行程为途经，未停留（核实车票）".into(),
        until: None,
    }
}

fn note(s: &str) -> OverrideDecisionInput {
    OverrideDecisionInput { note: s.into() }
}

async fn audit_actions(app: &App) -> Vec<String> {
    let mut tx = app.store.read().await.unwrap();
    let rows = tx
        .list_audit(&store::AuditQuery {
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    rows.into_iter().map(|r| r.action).collect()
}

#[tokio::test]
async fn red_to_green_by_hand_waits_for_a_second_approver() {
    let (app, _dir) = demo().await;
    let (resident, person) = red_resident(&app).await;
    let worker = login(&app, "community_worker").await;
    let commander = login(&app, "commander").await;

    let o = codes::request_override(&app, &worker, &green_by_hand(person))
        .await
        .unwrap();
    assert_eq!(o.status, "pending");
    assert!(o.second_needed);
    assert_eq!(o.from_colour, "red");
    // Nothing changed yet.
    let code = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(code.colour, CodeColor::Red);
    // The requester cannot be the second approver.
    let own = codes::decide_override(&app, &worker, o.id, OverrideAction::Approve, &note("")).await;
    assert!(matches!(own, Err(AppError::Forbidden(_))), "{own:?}");
    // A second request while one waits is refused.
    let again = codes::request_override(&app, &commander, &green_by_hand(person)).await;
    assert!(matches!(again, Err(AppError::Conflict { .. })), "{again:?}");

    let approved = codes::decide_override(
        &app,
        &commander,
        o.id,
        OverrideAction::Approve,
        &note("已核实"),
    )
    .await
    .unwrap();
    assert_eq!(approved.status, "active");
    let code = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(code.colour, CodeColor::Green);
    assert_eq!(code.assessment.reasons[0].code, "manual");
    // The rule's reason stays visible beside the hand-set colour.
    assert!(
        code.assessment
            .reasons
            .iter()
            .any(|r| r.code == "high_risk_arrival")
    );
    let change = &code.history[0];
    assert_eq!(
        (change.kind.as_str(), change.to.as_str()),
        ("manual", "green")
    );
    assert_eq!(change.actor, "community_worker+commander");
    // Approving twice is refused: the status moved on.
    let twice =
        codes::decide_override(&app, &commander, o.id, OverrideAction::Approve, &note("")).await;
    assert!(matches!(twice, Err(AppError::Conflict { .. })), "{twice:?}");

    // Revoking hands the colour back to the rules.
    let revoked = codes::decide_override(
        &app,
        &worker,
        o.id,
        OverrideAction::Revoke,
        &note("车票存疑"),
    )
    .await
    .unwrap();
    assert_eq!(revoked.status, "revoked");
    let code = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(code.colour, CodeColor::Red);
    assert_eq!(code.history[0].kind, "rule");

    let actions = audit_actions(&app).await;
    for a in [
        "code.override.request",
        "code.override.approve",
        "code.override.revoke",
    ] {
        assert!(actions.iter().any(|x| x == a), "no audit entry {a}");
    }
}

#[tokio::test]
async fn yellow_to_green_by_hand_needs_one_person_and_is_recorded_as_manual() {
    let (app, _dir) = demo().await;
    let worker = login(&app, "community_worker").await;
    let resident = login(&app, "resident").await;
    let person = resident.person_id.unwrap();
    let fever = app::codes::CheckInInput {
        temperature: 38.4,
        symptoms: false,
    };
    let code = codes::check_in(&app, &resident, None, &fever)
        .await
        .unwrap();
    assert_eq!(code.colour, CodeColor::Yellow);
    let until = app.today() + chrono::Duration::days(2);
    let o = codes::request_override(
        &app,
        &worker,
        &OverrideInput {
            until: Some(until.to_string()),
            reason: "复测体温正常，医生确认为运动后".into(),
            ..green_by_hand(person)
        },
    )
    .await
    .unwrap();
    assert_eq!(o.status, "active");
    assert!(!o.second_needed);
    let code = codes::current(&app, &resident, None).await.unwrap();
    assert_eq!(code.colour, CodeColor::Green);
    assert_eq!(code.history[0].kind, "manual");
    assert_eq!(code.history[0].actor, "community_worker");
    // The hand-set colour ends the day after `until`; then the rules decide again.
    assert_eq!(
        code.assessment.earliest_change,
        Some(until + chrono::Duration::days(1))
    );
}

#[tokio::test]
async fn an_appeal_is_decided_and_its_outcome_reaches_the_resident() {
    let (app, _dir) = demo().await;
    let (resident, _person) = red_resident(&app).await;
    let commander = login(&app, "commander").await;
    let worker = login(&app, "community_worker").await;

    let appeal = codes::file_appeal(
        &app,
        &resident,
        None,
        &AppealInput {
            explanation: "我只是在武汉转机，没有出机场。".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (appeal.status.as_str(), appeal.colour.as_str()),
        ("pending", "red")
    );
    let second = codes::file_appeal(
        &app,
        &resident,
        None,
        &AppealInput {
            explanation: "再次申请，请尽快处理。".into(),
        },
    )
    .await;
    assert!(
        matches!(second, Err(AppError::Conflict { .. })),
        "{second:?}"
    );

    // The demo has appeals of its own; ours is among those waiting, masked.
    let queue = codes::review_queue(&app, &commander, 200).await.unwrap();
    let ours = queue.appeals.iter().find(|a| a.id == appeal.id).unwrap();
    assert!(ours.person_name.ends_with('*'), "{}", ours.person_name);

    let decided = codes::decide_appeal(
        &app,
        &commander,
        appeal.id,
        &AppealDecisionInput {
            uphold: true,
            decision: "经核实为转机，予以纠正".into(),
            colour: None,
            until: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(decided.status, "upheld");
    // Red → green by an upheld appeal still needs a second approver.
    assert_eq!(decided.override_status.as_deref(), Some("pending"));
    assert_eq!(
        codes::current(&app, &resident, None).await.unwrap().colour,
        CodeColor::Red
    );
    let oid = decided.override_id.unwrap();
    codes::decide_override(&app, &worker, oid, OverrideAction::Approve, &note("同意"))
        .await
        .unwrap();
    assert_eq!(
        codes::current(&app, &resident, None).await.unwrap().colour,
        CodeColor::Green
    );
    let mine = codes::appeals_of(&app, &resident, None).await.unwrap();
    assert_eq!(mine[0].decision.as_deref(), Some("经核实为转机，予以纠正"));
    assert_eq!(mine[0].override_status.as_deref(), Some("active"));
    let actions = audit_actions(&app).await;
    assert!(actions.iter().any(|a| a == "code.appeal.file"));
    assert!(actions.iter().any(|a| a == "code.appeal.decide"));
}

#[tokio::test]
async fn a_rejected_appeal_keeps_the_colour() {
    let (app, _dir) = demo().await;
    let (resident, _) = red_resident(&app).await;
    let commander = login(&app, "commander").await;
    let appeal = codes::file_appeal(
        &app,
        &resident,
        None,
        &AppealInput {
            explanation: "我认为不应该是红码。".into(),
        },
    )
    .await
    .unwrap();
    let decided = codes::decide_appeal(
        &app,
        &commander,
        appeal.id,
        &AppealDecisionInput {
            uphold: false,
            decision: "行程属实，维持红码，14 天后自动转码".into(),
            colour: None,
            until: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(decided.status, "rejected");
    assert_eq!(decided.override_id, None);
    assert_eq!(
        codes::current(&app, &resident, None).await.unwrap().colour,
        CodeColor::Red
    );
    // A decided appeal cannot be decided again.
    let again = codes::decide_appeal(
        &app,
        &commander,
        appeal.id,
        &AppealDecisionInput {
            uphold: true,
            decision: "改判".into(),
            colour: None,
            until: None,
        },
    )
    .await;
    assert!(matches!(again, Err(AppError::Conflict { .. })), "{again:?}");
}

#[tokio::test]
async fn bad_requests_name_the_field_and_residents_may_not_set_colours() {
    let (app, _dir) = demo().await;
    let (resident, person) = red_resident(&app).await;
    let worker = login(&app, "community_worker").await;
    let bad = OverrideInput {
        person_id: person,
        colour: "blue".into(),
        reason: " ".into(),
        until: Some((app.today() - chrono::Duration::days(1)).to_string()),
    };
    let Err(AppError::Invalid(fields)) = codes::request_override(&app, &worker, &bad).await else {
        panic!("must be refused")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["colour", "reason", "until"]);
    let same = OverrideInput {
        colour: "red".into(),
        ..green_by_hand(person)
    };
    let r = codes::request_override(&app, &worker, &same).await;
    assert!(
        matches!(&r, Err(AppError::Invalid(f)) if f[0].code == "unchanged"),
        "{r:?}"
    );
    let r = codes::request_override(&app, &resident, &green_by_hand(person)).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let r = codes::file_appeal(
        &app,
        &resident,
        None,
        &AppealInput {
            explanation: "短".into(),
        },
    )
    .await;
    assert!(
        matches!(&r, Err(AppError::Invalid(f)) if f[0].field == "explanation"),
        "{r:?}"
    );
}
