//! The one-account test of the change policy (docs/RULES.md, "Change policy"; issue 15): for
//! every path that can change a colour, each account holding the path's right (and commander
//! and admin) tries, alone, to turn a person who is red by the rules green. On every path the
//! person stays red (the change is refused, or waits as a request); then a second, different
//! account approves and the change happens, with both names in the person's code history.

use app::codes::{self, CheckInInput, DeclarationInput, OverrideAction, OverrideDecisionInput};
use app::{Actor, App, AppError, Settings, cases, change_requests, quarantine as q};
use chrono::Duration;
use domain::rules::CodeColor;

/// Every path of `rulesets/change-policy-2020.toml` that can change a colour, with the roles
/// that hold its right. Each row is tried by each role alone, on a person red by the rules.
const PATHS: &[(Path, &[&str])] = &[
    (Path::Rules, &["community_worker", "commander", "admin"]),
    (Path::HandSet, &["community_worker", "commander", "admin"]),
    (
        Path::HandSetInSteps,
        &["community_worker", "commander", "admin"],
    ),
    (Path::Appeal, &["community_worker", "commander", "admin"]),
    (
        Path::OverrideRevoke,
        &["community_worker", "commander", "admin"],
    ),
    (
        Path::CaseStatus,
        &["community_worker", "commander", "admin"],
    ),
    (
        Path::ManualContact,
        &["community_worker", "commander", "admin"],
    ),
    (Path::Tracing, &["community_worker", "commander", "admin"]),
    (
        Path::QuarantineEnd,
        &[
            "community_worker",
            "quarantine_staff",
            "returnee_desk",
            "commander",
            "admin",
        ],
    ),
    (
        Path::QuarantineRelease,
        &[
            "community_worker",
            "quarantine_staff",
            "returnee_desk",
            "commander",
            "admin",
        ],
    ),
    (Path::RiskArea, &["commander", "admin"]),
    (
        Path::DeclarationForOther,
        &[
            "community_worker",
            "quarantine_staff",
            "returnee_desk",
            "commander",
            "admin",
        ],
    ),
    (
        Path::CheckInForOther,
        &[
            "community_worker",
            "quarantine_staff",
            "returnee_desk",
            "commander",
            "admin",
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    /// Ask for the code again: the rules decide.
    Rules,
    /// 人工赋码 green at once.
    HandSet,
    /// Finding 1: red → yellow, then → green, each by the same person.
    HandSetInSteps,
    /// An appeal upheld to green.
    Appeal,
    /// Revoke a hand-set colour (the pending green) to get out of red.
    OverrideRevoke,
    /// Exclude the suspected case (red → green).
    CaseStatus,
    /// A contact entered by hand.
    ManualContact,
    /// Contact tracing over the person's case.
    Tracing,
    /// Shorten the quarantine to today, then release.
    QuarantineEnd,
    /// Release from quarantine before its end.
    QuarantineRelease,
    /// Lower, then end, the high-risk area the person came from.
    RiskArea,
    /// A declaration typed by staff that completes the release.
    DeclarationForOther,
    /// A check-in typed by staff that completes the release.
    CheckInForOther,
}

/// The high-risk area of the risk-area row, and the one of the declaration rows (so approving
/// the risk-area row does not release the others); outside Hubei, which the demo lists itself.
const GUANGZHOU: &str = "440100";
const NANNING: &str = "450100";

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 15)
        .await
        .unwrap();
    (App::new(store, Settings::default()), dir)
}

async fn login(app: &App, user: &str) -> Actor {
    app::auth::login(app, user, app::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor
}

/// A second commander, the other person of every two-person change here.
async fn second_commander(app: &App) -> Actor {
    let hash = app::auth::hash_password(app::demo::DEMO_PASSWORD);
    let mut tx = app.store.write().await.unwrap();
    let zone = tx.user_by_username("commander").await.unwrap().unwrap();
    tx.insert_user(
        &store::NewUser {
            username: "commander2".into(),
            display_name: "指挥部值班 第二人".into(),
            role: "commander".into(),
            area_id: zone.area_id,
            area_path: zone.area_path.clone(),
            person_id: None,
            password_hash: hash,
        },
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    login(app, "commander2").await
}

async fn display_name(app: &App, username: &str) -> String {
    let mut tx = app.store.read().await.unwrap();
    tx.user_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .display_name
}

/// Persons of 金穗 community (the community worker's area) with no record that colours them.
struct Pool {
    next: i64,
    jinsui: String,
}

impl Pool {
    async fn new(app: &App) -> Pool {
        let mut tx = app.store.read().await.unwrap();
        let jinsui = tx.area_by_code("330402001001").await.unwrap().unwrap().path;
        Pool { next: 100, jinsui }
    }

    async fn take(&mut self, app: &App) -> i64 {
        let mut tx = app.store.read().await.unwrap();
        loop {
            let id = self.next;
            self.next += 1;
            let p = tx.person(id).await.expect("enough persons in the demo");
            let clean = tx.quarantine_orders_of_person(id).await.unwrap().is_empty()
                && tx.cases_of_person(id).await.unwrap().is_empty()
                && tx.live_overrides(id).await.unwrap().is_empty();
            let resident = tx
                .user_by_username("resident")
                .await
                .unwrap()
                .unwrap()
                .person_id;
            if clean && p.area_path.starts_with(&self.jinsui) && resident != Some(id) {
                return id;
            }
        }
    }
}

fn day(app: &App, back: i64) -> String {
    (app.today() - Duration::days(back)).to_string()
}

async fn colour(app: &App, who: &Actor, person: i64) -> CodeColor {
    codes::current(app, who, Some(person)).await.unwrap().colour
}

/// A suspected case reported 15 days ago, with a normal check-in every day since: red by the
/// rules while the case lasts, and green the day it is excluded (the release is complete).
async fn suspected(app: &App, setup: &Actor, person: i64) -> i64 {
    let id = cases::create(
        app,
        setup,
        &cases::CaseInput {
            person_id: person,
            kind: "suspected".into(),
            origin: "local".into(),
            onset_on: None,
            reported_on: day(app, 15),
            cluster: None,
            note: None,
        },
    )
    .await
    .unwrap()
    .id;
    let mut tx = app.store.write().await.unwrap();
    for n in 1..15 {
        tx.insert_check_in(person, &day(app, n), 36.5, false, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

/// Arrived from `division` (high risk) `back` days ago, with a normal check-in on every day
/// since (not today): red until the fourteenth normal check-in after arrival.
async fn arrived(app: &App, person: i64, division: &str, back: i64) {
    let mut tx = app.store.write().await.unwrap();
    tx.insert_declaration(
        &store::NewDeclaration {
            person_id: person,
            declared_on: day(app, back),
            temperature: 36.5,
            symptoms: false,
            contact_case: false,
            contact_risk_area: false,
            address: "金穗社区".into(),
            itinerary: vec![(division.to_owned(), day(app, back))],
        },
        0,
    )
    .await
    .unwrap();
    for n in 1..back {
        tx.insert_check_in(person, &day(app, n), 36.5, false, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// In home quarantine as a close contact since today: red while it lasts.
async fn in_quarantine(app: &App, setup: &Actor, person: i64) -> i64 {
    q::create_order(
        app,
        setup,
        &q::OrderInput {
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
    .unwrap()
    .id
}

/// What a row left behind for the second person to approve.
enum Waiting {
    Nothing,
    Override(i64),
    Request(i64),
}

fn request_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> Waiting {
    match r {
        Err(AppError::Pending {
            request: Some(id), ..
        }) => Waiting::Request(id),
        _ => Waiting::Nothing,
    }
}

fn green_input(app: &App, person: i64, colour: &str) -> codes::OverrideInput {
    codes::OverrideInput {
        person_id: person,
        colour: colour.into(),
        reason: "核实后认为应转码".into(),
        until: Some(day(app, -5)),
    }
}

struct World {
    app: App,
    setup: Actor,
    pool: Pool,
    /// A case of another person, for manual contacts.
    other_case: i64,
}

/// Make a fresh person red by the rules in the way `path` needs; returns (person, record id).
async fn red_subject(w: &mut World, path: Path) -> (i64, i64) {
    let app = &w.app;
    let person = w.pool.take(app).await;
    let record = match path {
        Path::QuarantineEnd | Path::QuarantineRelease => in_quarantine(app, &w.setup, person).await,
        Path::RiskArea => {
            arrived(app, person, GUANGZHOU, 3).await;
            0
        }
        Path::DeclarationForOther | Path::CheckInForOther => {
            arrived(app, person, NANNING, 14).await;
            0
        }
        _ => suspected(app, &w.setup, person).await,
    };
    assert_eq!(
        colour(app, &w.setup, person).await,
        CodeColor::Red,
        "{path:?}: the subject must start red by the rules"
    );
    (person, record)
}

/// One account, alone, tries to turn the person green by `path`.
async fn attempt(w: &World, path: Path, who: &Actor, person: i64, record: i64) -> Waiting {
    let app = &w.app;
    match path {
        Path::Rules => {
            let _ = codes::current(app, who, Some(person)).await;
            Waiting::Nothing
        }
        Path::HandSet => {
            match codes::request_override(app, who, &green_input(app, person, "green")).await {
                Ok(o) => {
                    assert_eq!(o.status, "pending", "{path:?} by {}", who.username);
                    Waiting::Override(o.id)
                }
                Err(_) => Waiting::Nothing,
            }
        }
        Path::HandSetInSteps => {
            let yellow =
                codes::request_override(app, who, &green_input(app, person, "yellow")).await;
            let green = codes::request_override(app, who, &green_input(app, person, "green")).await;
            assert!(
                green.is_err(),
                "a second step while the first waits: {green:?}"
            );
            match yellow {
                Ok(o) => {
                    assert_eq!(
                        o.status, "pending",
                        "red → yellow is less strict than the rules"
                    );
                    Waiting::Override(o.id)
                }
                Err(_) => Waiting::Nothing,
            }
        }
        Path::Appeal => {
            let appeal = codes::file_appeal(
                app,
                &w.setup,
                Some(person),
                &codes::AppealInput {
                    explanation: "本人认为应为绿码，请核实".into(),
                },
            )
            .await
            .unwrap();
            let decided = codes::decide_appeal(
                app,
                who,
                appeal.id,
                &codes::AppealDecisionInput {
                    uphold: true,
                    decision: "予以纠正".into(),
                    colour: Some("green".into()),
                    until: None,
                },
            )
            .await;
            match decided {
                Ok(a) => {
                    assert_eq!(a.override_status.as_deref(), Some("pending"));
                    Waiting::Override(a.override_id.unwrap())
                }
                Err(_) => Waiting::Nothing,
            }
        }
        Path::OverrideRevoke => {
            let o = codes::request_override(app, who, &green_input(app, person, "green"))
                .await
                .unwrap();
            let revoked = codes::decide_override(
                app,
                who,
                o.id,
                OverrideAction::Revoke,
                &OverrideDecisionInput {
                    note: "撤销以转码".into(),
                },
            )
            .await;
            assert!(
                revoked.is_err(),
                "a pending request is not revoked into force"
            );
            Waiting::Override(o.id)
        }
        Path::CaseStatus => request_of(
            cases::change(
                app,
                who,
                record,
                &cases::CaseChangeInput {
                    change: "exclude".into(),
                    on: None,
                },
            )
            .await,
        ),
        Path::ManualContact => {
            let _ = cases::add_contact(
                app,
                who,
                w.other_case,
                &cases::ContactInput {
                    person_id: person,
                    setting: "other".into(),
                    degree: Some("secondary".into()),
                    last_exposure_on: day(app, 30),
                    source_person_id: None,
                },
            )
            .await;
            Waiting::Nothing
        }
        Path::Tracing => {
            let _ = app::tracing::trace(app, who, record, &Default::default()).await;
            Waiting::Nothing
        }
        Path::QuarantineEnd => {
            let r = q::change_end(
                app,
                who,
                record,
                &q::EndChangeInput {
                    planned_end_on: day(app, -1),
                    reason: "提前解除".into(),
                    reviewer: Some("commander2".into()),
                },
            )
            .await;
            let release = q::release(app, who, record, &Default::default()).await;
            assert!(release.is_err(), "released before its end: {release:?}");
            request_of(r)
        }
        Path::QuarantineRelease => {
            let _ = q::release(app, who, record, &Default::default()).await;
            Waiting::Nothing
        }
        Path::RiskArea => {
            let area = risk_area_id(app, GUANGZHOU).await;
            let lower = codes::risk_areas::change(
                app,
                who,
                area,
                &codes::risk_areas::RiskAreaEdit {
                    level: "medium".into(),
                    valid_from: day(app, 30),
                    valid_to: None,
                },
            )
            .await;
            let lowered = request_of(lower);
            let end = codes::risk_areas::end(app, who, area, None).await;
            // One request per area waits at a time: the end is refused while the lowering waits.
            assert!(end.is_err(), "{end:?}");
            lowered
        }
        Path::DeclarationForOther => request_of(
            codes::declare(
                app,
                who,
                Some(person),
                &DeclarationInput {
                    temperature: 36.4,
                    address: "金穗社区".into(),
                    ..Default::default()
                },
            )
            .await,
        ),
        Path::CheckInForOther => request_of(
            codes::check_in(
                app,
                who,
                Some(person),
                &CheckInInput {
                    temperature: 36.4,
                    symptoms: false,
                },
            )
            .await,
        ),
    }
}

/// The entry this test listed (the demo lists some divisions of its own, in 2020).
async fn risk_area_id(app: &App, division: &str) -> i64 {
    let from = day(app, 30);
    let mut tx = app.store.read().await.unwrap();
    tx.risk_areas()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.division_code == division && r.valid_from == from)
        .unwrap()
        .id
}

/// Undo a waiting change so the next account starts from the same place: the second person
/// rejects it (a rejection changes no colour).
async fn reject(w: &World, second: &Actor, waiting: &Waiting) {
    match waiting {
        Waiting::Override(id) => {
            codes::decide_override(
                &w.app,
                second,
                *id,
                OverrideAction::Reject,
                &OverrideDecisionInput {
                    note: "不同意".into(),
                },
            )
            .await
            .unwrap();
        }
        Waiting::Request(id) => {
            change_requests::decide(&w.app, second, *id, false, "不同意")
                .await
                .unwrap();
        }
        Waiting::Nothing => {}
    }
}

#[tokio::test]
async fn one_account_cannot_turn_a_red_person_green_on_any_path() {
    let (app, _dir) = demo().await;
    let second = second_commander(&app).await;
    let setup = login(&app, "admin").await;
    {
        let mut tx = app.store.write().await.unwrap();
        for division in [GUANGZHOU, NANNING] {
            tx.insert_risk_area(division, "high", &day(&app, 30), None, 0)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let mut pool = Pool::new(&app).await;
    let other = pool.take(&app).await;
    let other_case = suspected(&app, &setup, other).await;
    let mut w = World {
        app,
        setup,
        pool,
        other_case,
    };
    let mut approved_paths = vec![];
    for (path, roles) in PATHS {
        let (person, record) = red_subject(&mut w, *path).await;
        let mut last = Waiting::Nothing;
        for role in *roles {
            let who = login(&w.app, role).await;
            let waiting = attempt(&w, *path, &who, person, record).await;
            assert_eq!(
                colour(&w.app, &w.setup, person).await,
                CodeColor::Red,
                "{path:?}: {role} alone turned a red person less strict"
            );
            if role == roles.last().unwrap() {
                last = waiting;
            } else {
                reject(&w, &second, &waiting).await;
            }
        }
        // The second person approves the last request: the change happens, named by both.
        let requester = display_name(&w.app, roles.last().unwrap()).await;
        let approved = match last {
            Waiting::Nothing => false,
            Waiting::Override(id) => {
                codes::decide_override(
                    &w.app,
                    &second,
                    id,
                    OverrideAction::Approve,
                    &OverrideDecisionInput::default(),
                )
                .await
                .unwrap();
                true
            }
            Waiting::Request(id) => {
                change_requests::decide(&w.app, &second, id, true, "复核同意")
                    .await
                    .unwrap();
                true
            }
        };
        if approved {
            approved_paths.push(*path);
            if *path == Path::QuarantineEnd {
                // Shortened by both; the release itself follows the rules (tests, the day).
                let (o, changes) = q::get_order(&w.app, &second, record).await.unwrap();
                assert_eq!(o.planned_end_on, day(&w.app, -1));
                assert_eq!(changes[0].reviewer.as_deref(), Some("commander2"));
                continue;
            }
            if *path == Path::RiskArea {
                // Lowered to medium: yellow now, and the rest of the list's changes alike.
                let code = codes::current(&w.app, &second, Some(person)).await.unwrap();
                let areas = w
                    .app
                    .store
                    .read()
                    .await
                    .unwrap()
                    .risk_areas()
                    .await
                    .unwrap();
                assert_eq!(
                    code.colour,
                    CodeColor::Yellow,
                    "{path:?} {:?} {areas:?}",
                    code.assessment.reasons
                );
            } else {
                let code = codes::current(&w.app, &second, Some(person)).await.unwrap();
                assert_ne!(
                    code.colour,
                    CodeColor::Red,
                    "{path:?}: approved but still red"
                );
            }
            let code = codes::current(&w.app, &second, Some(person)).await.unwrap();
            let h = &code.history[0];
            assert_eq!(
                h.requested_by.as_deref(),
                Some(requester.as_str()),
                "{path:?}: {h:?}"
            );
            assert_eq!(
                h.approved_by.as_deref(),
                Some("指挥部值班 第二人"),
                "{path:?}: {h:?}"
            );
        }
    }
    // Every path that can relax a code waited for the second person.
    for p in [
        Path::HandSet,
        Path::HandSetInSteps,
        Path::Appeal,
        Path::OverrideRevoke,
        Path::CaseStatus,
        Path::QuarantineEnd,
        Path::RiskArea,
        Path::DeclarationForOther,
        Path::CheckInForOther,
    ] {
        assert!(approved_paths.contains(&p), "{p:?} left nothing to approve");
    }
}

/// Finding 1: a community worker set a red person in quarantine yellow by hand (at once), then
/// green (at once): green with no end date, passing a checkpoint. Now each step waits.
#[tokio::test]
async fn finding_1_red_to_green_in_two_steps_is_refused() {
    let (app, _dir) = demo().await;
    let admin = login(&app, "admin").await;
    let worker = login(&app, "community_worker").await;
    let mut pool = Pool::new(&app).await;
    let person = pool.take(&app).await;
    in_quarantine(&app, &admin, person).await;
    assert_eq!(colour(&app, &admin, person).await, CodeColor::Red);
    let yellow = codes::request_override(&app, &worker, &green_input(&app, person, "yellow"))
        .await
        .unwrap();
    assert_eq!(yellow.status, "pending");
    assert_eq!(colour(&app, &admin, person).await, CodeColor::Red);
    let green = codes::request_override(&app, &worker, &green_input(&app, person, "green")).await;
    assert!(matches!(green, Err(AppError::Conflict { .. })), "{green:?}");
    // No end date is refused outright.
    let open = codes::request_override(
        &app,
        &worker,
        &codes::OverrideInput {
            until: None,
            ..green_input(&app, person, "green")
        },
    )
    .await;
    assert!(
        matches!(&open, Err(AppError::Invalid(f)) if f.iter().any(|f| f.field == "until")),
        "{open:?}"
    );
    // Even once a second person approved the yellow, green is weighed against the rules' red,
    // not the yellow in force: it waits again.
    codes::decide_override(
        &app,
        &admin,
        yellow.id,
        OverrideAction::Approve,
        &OverrideDecisionInput::default(),
    )
    .await
    .unwrap();
    assert_eq!(colour(&app, &admin, person).await, CodeColor::Yellow);
    let green = codes::request_override(&app, &worker, &green_input(&app, person, "green"))
        .await
        .unwrap();
    assert_eq!(green.status, "pending");
    assert_eq!(colour(&app, &admin, person).await, CodeColor::Yellow);
}

/// Finding 2: staff declared a Wuhan itinerary for a green person (→ red) and typed a check-in
/// for someone, and neither row said who typed it; excluding a suspected case and a risk-area
/// change took one person. Now the typist is recorded, a stricter result holds at once, and
/// the relaxing ones wait.
#[tokio::test]
async fn finding_2_records_typed_for_others_name_the_typist_and_relaxing_waits() {
    let (app, _dir) = demo().await;
    let commander = login(&app, "commander").await;
    let desk = login(&app, "returnee_desk").await;
    let mut pool = Pool::new(&app).await;
    {
        let mut tx = app.store.write().await.unwrap();
        tx.insert_risk_area(GUANGZHOU, "high", &day(&app, 30), None, 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // A Wuhan itinerary declared by the commander for a green person: red at once (safety
    // first), attributed to the commander.
    let person = pool.take(&app).await;
    let code = codes::declare(
        &app,
        &commander,
        Some(person),
        &DeclarationInput {
            temperature: 36.5,
            address: "金穗社区".into(),
            itinerary: vec![codes::ItineraryInput {
                division_code: GUANGZHOU.into(),
                arrived_on: day(&app, 2),
            }],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(code.colour, CodeColor::Red);
    assert_eq!(code.history[0].cause, "declaration_for_other");
    assert_eq!(
        code.history[0].requested_by.as_deref(),
        Some(display_name(&app, "commander").await.as_str())
    );
    // A fever typed by the returnee desk: yellow at once, the check-in names the typist.
    let feverish = pool.take(&app).await;
    let code = codes::check_in(
        &app,
        &desk,
        Some(feverish),
        &CheckInInput {
            temperature: 38.5,
            symptoms: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(code.colour, CodeColor::Yellow);
    {
        let mut tx = app.store.read().await.unwrap();
        let today = day(&app, 0);
        assert_eq!(
            tx.check_in_entered_by(feverish, &today).await.unwrap(),
            Some(desk.user_id)
        );
        assert_eq!(
            tx.check_in_entered_by(person, &today).await.unwrap(),
            Some(commander.user_id)
        );
    }
    // Excluding a suspected case on one person's word: pending, still red.
    let suspect = pool.take(&app).await;
    let case = suspected(&app, &commander, suspect).await;
    let r = cases::change(
        &app,
        &commander,
        case,
        &cases::CaseChangeInput {
            change: "exclude".into(),
            on: None,
        },
    )
    .await;
    assert!(
        matches!(
            r,
            Err(AppError::Pending {
                request: Some(_),
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(colour(&app, &commander, suspect).await, CodeColor::Red);
    // Ending the risk area on one person's word: pending, the Wuhan arrival stays red.
    let area = risk_area_id(&app, GUANGZHOU).await;
    let r = codes::risk_areas::end(&app, &commander, area, None).await;
    assert!(
        matches!(
            r,
            Err(AppError::Pending {
                request: Some(_),
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(colour(&app, &commander, person).await, CodeColor::Red);
    // Raising an area holds at once.
    let r = codes::risk_areas::add(
        &app,
        &commander,
        &codes::risk_areas::RiskAreaInput {
            division_code: "420500".into(),
            level: "high".into(),
            valid_from: day(&app, 10),
            valid_to: None,
        },
    )
    .await;
    assert!(r.is_ok(), "{r:?}");
}

/// Finding 3: quarantine staff named `commander` as reviewer and a 14-day order became 1 day,
/// the audit saying "approved by commander", who never acted. Now naming only asks.
#[tokio::test]
async fn finding_3_naming_a_reviewer_does_not_shorten_a_quarantine() {
    let (app, _dir) = demo().await;
    let admin = login(&app, "admin").await;
    let worker = login(&app, "community_worker").await;
    let commander = login(&app, "commander").await;
    let mut pool = Pool::new(&app).await;
    let person = pool.take(&app).await;
    let order = in_quarantine(&app, &admin, person).await;
    let (before, _) = q::get_order(&app, &admin, order).await.unwrap();
    let r = q::change_end(
        &app,
        &worker,
        order,
        &q::EndChangeInput {
            planned_end_on: day(&app, -1),
            reason: "家属要求".into(),
            reviewer: Some("commander".into()),
        },
    )
    .await;
    let Err(AppError::Pending {
        request: Some(request),
        ..
    }) = r
    else {
        panic!("a shortening must wait for the reviewer: {r:?}");
    };
    let (after, changes) = q::get_order(&app, &admin, order).await.unwrap();
    assert_eq!(after.planned_end_on, before.planned_end_on);
    assert!(changes.is_empty(), "{changes:?}");
    // No audit entry claims an approval nobody gave.
    let mut tx = app.store.read().await.unwrap();
    let audit = tx
        .list_audit(&store::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(
        !audit
            .iter()
            .any(|a| a.action == "quarantine.shorten" && a.record_id == order.to_string()),
        "no shortening happened yet"
    );
    // Another reviewer than the named one may not approve it.
    let r = change_requests::decide(&app, &admin, request, true, "同意").await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    change_requests::decide(&app, &commander, request, true, "同意")
        .await
        .unwrap();
    let (after, changes) = q::get_order(&app, &admin, order).await.unwrap();
    assert_eq!(after.planned_end_on, day(&app, -1));
    assert_eq!(changes[0].reviewer.as_deref(), Some("commander"));
    assert_eq!(changes[0].changed_by, "community_worker");
    let mut tx = app.store.read().await.unwrap();
    let audit = tx
        .list_audit(&store::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let approval = audit
        .iter()
        .find(|a| a.action == "change.approve" && a.record_id == request.to_string())
        .expect("the approval is audited");
    assert_eq!(approval.username, "commander");
}

/// Finding 10 (part): staff issuing a live code for another person leave an audit entry
/// naming who issued it and for whom; a resident's own code does not.
#[tokio::test]
async fn issuing_a_live_code_for_someone_else_is_audited() {
    let (app, dir) = demo().await;
    let keys =
        app::keys::KeyRing::load_or_create(&dir.path().join("keys"), codes::default_ttl()).unwrap();
    let app = app.with_keys(keys);
    let worker = login(&app, "community_worker").await;
    let resident = login(&app, "resident").await;
    let mut pool = Pool::new(&app).await;
    let person = pool.take(&app).await;
    let count = |app: App| async move {
        let mut tx = app.store.read().await.unwrap();
        tx.list_audit(&store::AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "code.issue_for_other")
        .collect::<Vec<_>>()
    };
    codes::issue_credential(&app, &resident, None)
        .await
        .unwrap();
    assert!(
        count(app.clone()).await.is_empty(),
        "one's own code is not issued for another"
    );
    codes::issue_credential(&app, &worker, Some(person))
        .await
        .unwrap();
    let entries = count(app.clone()).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].username, "community_worker");
    assert_eq!(entries[0].record_id, person.to_string());
}
