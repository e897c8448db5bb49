use chrono::NaiveDate;
use domain::AreaKind;
use domain::command::RiskLevel;
use store::{NewCase, PersonQuery, Scope};

use super::briefing::{self, Format};
use super::{Tables, index, resolve_day, risk};
use crate::{Actor, App, AppError, Settings};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn demo_app() -> (App, Actor, tempfile::TempDir) {
    demo_app_of(1).await
}

/// The small demo of `seed` on its day 2020-03-27, with a command-line actor over the zone.
async fn demo_app_of(seed: u64) -> (App, Actor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    crate::demo::generate(&store, crate::demo::Scale::Small, seed)
        .await
        .unwrap();
    let root = store
        .read()
        .await
        .unwrap()
        .area_children(None)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::command_line(root.id, &root.path);
    let settings = Settings {
        as_of: Some(d("2020-03-27")),
        ..Settings::default()
    };
    (App::new(store, settings), actor, dir)
}

/// Persons of a community, and that community's street.
async fn persons_of(app: &App, community_code: &str, n: u32) -> (Vec<i64>, i64) {
    let mut tx = app.store.read().await.unwrap();
    let c = tx.area_by_code(community_code).await.unwrap().unwrap();
    let rows = tx
        .list_persons(&PersonQuery {
            scope: Scope {
                kind: AreaKind::Community,
                area_id: c.id,
            },
            limit: n,
            ..PersonQuery::default()
        })
        .await
        .unwrap();
    (rows.iter().map(|p| p.id).collect(), c.parent_id.unwrap())
}

async fn add_case(app: &App, person: i64, day: &str, cluster: Option<i64>) {
    let mut tx = app.store.write().await.unwrap();
    tx.insert_case(
        &NewCase {
            person_id: person,
            kind: "confirmed".into(),
            origin: "local".into(),
            onset_on: None,
            reported_on: day.into(),
            cluster_id: cluster,
            note: String::new(),
        },
        domain::time::now_ms(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn cluster(app: &App) -> i64 {
    let mut tx = app.store.write().await.unwrap();
    let id = tx.insert_cluster("聚集一", 0).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn levels_follow_the_cases_day_by_day_for_communities_and_their_street() {
    let (app, actor, _dir) = demo_app().await;
    let (a, street) = persons_of(&app, "330402001001", 12).await;
    let (b, _) = persons_of(&app, "330402001002", 2).await;
    // Community A: a cluster case on 03-01. Community B: one plain case on 03-10.
    let c = cluster(&app).await;
    add_case(&app, a[0], "2020-03-01", Some(c)).await;
    add_case(&app, b[0], "2020-03-10", None).await;
    let t = Tables::defaults();
    let level = |m: &risk::RiskMap, code: &str| {
        m.areas
            .iter()
            .find(|x| x.code == code)
            .unwrap()
            .assessment
            .level
    };
    let street_code = {
        let mut tx = app.store.read().await.unwrap();
        tx.area(street).await.unwrap().code
    };
    let want_a = |day: u32| match day {
        1..=3 => RiskLevel::Red,
        4..=14 => RiskLevel::Orange,
        _ => RiskLevel::Green,
    };
    let want_b = |day: u32| match day {
        10..=12 => RiskLevel::Orange,
        13..=16 => RiskLevel::Yellow,
        17..=23 => RiskLevel::Blue,
        _ => RiskLevel::Green,
    };
    for day in 1..=25u32 {
        let date = d(&format!("2020-03-{day:02}"));
        let m = risk::risk_map(&app, &actor, &t.risk, date).await.unwrap();
        assert_eq!(level(&m, "330402001001"), want_a(day), "A on {date}");
        assert_eq!(level(&m, "330402001002"), want_b(day), "B on {date}");
        // The street holds both: red while A's cluster is fresh and a case is within 3 days
        // (03-10..03-12 B's case and A's cluster, still within 14 days, make it red again).
        let want_street = match day {
            1..=3 | 10..=12 => RiskLevel::Red,
            4..=9 | 13..=14 => RiskLevel::Orange,
            15..=16 => RiskLevel::Yellow,
            17..=23 => RiskLevel::Blue,
            _ => RiskLevel::Green,
        };
        assert_eq!(level(&m, &street_code), want_street, "street on {date}");
        assert_eq!(level(&m, "330402001003"), RiskLevel::Green);
    }
    // Ten cases within 14 days in one community: red without a cluster.
    for p in &a[1..11] {
        add_case(&app, *p, "2020-03-20", None).await;
    }
    let m = risk::risk_map(&app, &actor, &t.risk, d("2020-03-26"))
        .await
        .unwrap();
    let x = m.areas.iter().find(|x| x.code == "330402001001").unwrap();
    assert_eq!(x.assessment.level, RiskLevel::Red);
    assert_eq!(x.assessment.figures.new_cases_14d, 10);
    let (now, history) =
        risk::area_history(&app, &actor, &t.risk, "330402001001", d("2020-03-26"), 7)
            .await
            .unwrap();
    assert_eq!(now.assessment.level, RiskLevel::Red);
    assert_eq!(history.len(), 7);
    assert_eq!(history[6].0, "2020-03-20");
    assert_eq!(history[6].1.level, RiskLevel::Red);
    let missing = risk::area_history(&app, &actor, &t.risk, "999", d("2020-03-26"), 7).await;
    assert!(matches!(missing, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn bad_days_are_refused_by_name() {
    let (app, actor, _dir) = demo_app().await;
    let code = |r: Result<NaiveDate, AppError>| match r {
        Err(AppError::Invalid(f)) => (f[0].field.clone(), f[0].code.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        code(resolve_day(&app, &actor, "2020-13-01").await),
        ("day".into(), "bad_date".into())
    );
    assert_eq!(
        code(resolve_day(&app, &actor, "2020-03-28").await),
        ("day".into(), "future".into())
    );
    assert_eq!(
        code(resolve_day(&app, &actor, "2000-01-01").await),
        ("day".into(), "before_data".into())
    );
    assert_eq!(
        resolve_day(&app, &actor, "").await.unwrap(),
        d("2020-03-27")
    );
    assert_eq!(
        resolve_day(&app, &actor, "2020-03-20").await.unwrap(),
        d("2020-03-20")
    );
}

#[tokio::test]
async fn the_index_leaves_out_what_has_no_data_and_ranks_the_rest() {
    let (app, actor, _dir) = demo_app().await;
    let t = Tables::defaults();
    let inputs = risk::inputs(&app, &actor).await.unwrap();
    let r = index::ranking(&app, &actor, &t.index, &inputs, d("2020-03-27"))
        .await
        .unwrap();
    assert!(!r.streets.is_empty());
    let first = &r.streets[0];
    assert_eq!(first.rank, Some(1));
    let idx = first.score.index.unwrap();
    assert!((0.0..=100.0).contains(&idx));
    // An indicator without data carries no weight; the others share it all.
    for part in [&first.score.control, &first.score.flow] {
        let with: f64 = part.indicators.iter().map(|i| i.effective_weight).sum();
        assert!(part.points.is_none() || (with - 1.0).abs() < 1e-9);
        for i in &part.indicators {
            assert_eq!(i.value.is_none(), i.effective_weight == 0.0, "{i:?}");
        }
    }
    // Codes exist in the demo: the green share is a real share.
    let g = first
        .score
        .control
        .indicators
        .iter()
        .find(|i| i.indicator == domain::command::Indicator::ValidCodeShare)
        .unwrap();
    assert!(g.value.is_some_and(|v| v > 0.5 && v <= 1.0), "{g:?}");
    let sorted = r
        .streets
        .windows(2)
        .all(|w| w[0].score.index.unwrap_or(-1.0) >= w[1].score.index.unwrap_or(-1.0));
    assert!(sorted);
    let trend = index::trend(&app, &actor, &t.index, &inputs, d("2020-03-27"), 3)
        .await
        .unwrap();
    assert_eq!(trend.len(), 3);
    assert_eq!(trend[2].day, "2020-03-27");
}

#[tokio::test]
async fn the_briefing_has_its_keys_in_json_and_a_sheet_per_section_in_xlsx() {
    use calamine::Reader;
    let (app, actor, _dir) = demo_app().await;
    let (a, _) = persons_of(&app, "330402001001", 1).await;
    add_case(&app, a[0], "2020-02-02", None).await;
    let t = Tables::defaults();
    let b = briefing::build(&app, &actor, &t, d("2020-03-27"))
        .await
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&briefing::render(&b, Format::Json).unwrap()).unwrap();
    for k in [
        "date",
        "days_without_new_confirmed",
        "screened_cumulative",
        "quarantine_cumulative",
        "quarantine_current",
        "codes",
        "risk_levels",
        "index",
    ] {
        assert!(json.get(k).is_some(), "missing {k}");
    }
    assert_eq!(json["date"], "2020-03-27");
    assert_eq!(json["days_without_new_confirmed"], 54);
    assert_eq!(json["risk_levels"]["330402001001"], "green");
    // Quarantine comes from its records (the admin may see it).
    assert!(
        json["quarantine_current"].is_i64(),
        "{}",
        json["quarantine_current"]
    );
    assert!(json["decisions"]["quarantines_ending"].is_i64());
    assert!(json["codes"]["green"].as_i64().unwrap() > 0);
    assert!(json["index"].as_object().unwrap().len() >= 2);
    assert!(json["yesterday"].is_object());

    let html = String::from_utf8(briefing::render(&b, Format::Html).unwrap()).unwrap();
    assert!(html.contains("<svg") && html.contains("连续无新增确诊天数"));

    let bytes = briefing::render(&b, Format::Xlsx).unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["概况", "五色图", "指数", "卡口", "待决策"]
    );
    let figures = book.worksheet_range("概况").unwrap();
    let row = figures
        .rows()
        .find(|r| r[0] == "连续无新增确诊天数")
        .unwrap();
    assert_eq!(row[1].to_string(), "54");
    let levels = book.worksheet_range("五色图").unwrap();
    assert_eq!(levels.rows().count(), b.risk_map.areas.len() + 1);
    assert!("pdf".parse::<Format>().is_err());
}

/// The small demo as generated (seed 2020, nothing added), on its day 2020-03-27.
async fn plain_demo() -> (App, Actor, tempfile::TempDir) {
    demo_app_of(2020).await
}

/// The day's figures (codes per colour, scans per checkpoint, screened) equal the straightforward reads over every
/// code change and every scan, for days across the demo's records; a day before the records
/// is refused by name.
#[tokio::test]
async fn day_figures_match_the_reference_reads_day_by_day() {
    let (app, actor, _dir) = plain_demo().await;
    let first = super::first_day(&app).await.unwrap().unwrap();
    let before = (first - chrono::Days::new(1)).to_string();
    match resolve_day(&app, &actor, &before).await {
        Err(AppError::Invalid(f)) => assert_eq!(
            (f[0].field.as_str(), f[0].code.as_str()),
            ("day", "before_data")
        ),
        other => panic!("{other:?}"),
    }
    let inputs = risk::inputs(&app, &actor).await.unwrap();
    let mut days: Vec<NaiveDate> = [
        "2020-01-20",
        "2020-02-02",
        "2020-02-03",
        "2020-03-06",
        "2020-03-07",
        "2020-03-13",
        "2020-03-20",
        "2020-03-26",
        "2020-03-27",
    ]
    .iter()
    .map(|s| d(s))
    .filter(|x| *x >= first)
    .collect();
    days.insert(0, first);
    assert!(days.len() >= 8, "{first}");
    let mut seen_codes = 0;
    for day in days {
        let f = super::dashboard::figures(&app, &actor, &inputs, day)
            .await
            .unwrap();
        let mut tx = app.store.read().await.unwrap();
        let mut want: std::collections::BTreeMap<String, i64> = ["green", "yellow", "red", "none"]
            .iter()
            .map(|c| ((*c).to_owned(), 0))
            .collect();
        for (_, colour, n) in tx
            .code_colours_by_street_reference(&day.to_string())
            .await
            .unwrap()
        {
            *want
                .entry(colour.unwrap_or_else(|| "none".into()))
                .or_default() += n;
        }
        let mut reference = tx
            .code_colours_by_street_reference(&day.to_string())
            .await
            .unwrap();
        reference.sort();
        assert_eq!(
            tx.code_colours_by_street(&day.to_string()).await.unwrap(),
            reference,
            "{day}"
        );
        let n = crate::checkpoints::figures::day_number(day);
        assert_eq!(
            tx.scans_per_day(n, n + 1).await.unwrap(),
            tx.scans_per_day_reference(
                crate::checkpoints::figures::midnight(day),
                super::end_of(day)
            )
            .await
            .unwrap(),
            "scans on {day}"
        );
        let screened = tx
            .screened_before_reference(super::end_of(day))
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(f.codes, want, "codes on {day}");
        assert_eq!(f.screened_cumulative, screened, "screened on {day}");
        seen_codes += want["green"] + want["yellow"] + want["red"];
    }
    assert!(seen_codes > 0, "the demo has codes");
}

/// Item 7 of issue 6 on the small demo: the briefing of 2020-03-27 has 54 days without a new
/// confirmed case, and screened and quarantine figures as the records give them.
#[tokio::test]
async fn the_demo_days_briefing_has_the_records_figures() {
    let (app, actor, _dir) = plain_demo().await;
    let t = Tables::defaults();
    let b = briefing::build(&app, &actor, &t, d("2020-03-27"))
        .await
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&briefing::render(&b, Format::Json).unwrap()).unwrap();
    let mut tx = app.store.read().await.unwrap();
    let end = super::end_of(d("2020-03-27"));
    let screened = tx
        .count_raw_for_tests(&format!(
            "SELECT COUNT(*) FROM (SELECT person_id FROM scans WHERE person_id IS NOT NULL \
             AND at < {end} GROUP BY person_id) s"
        ))
        .await
        .unwrap();
    let quarantined = tx
        .count_raw_for_tests(
            "SELECT COUNT(*) FROM (SELECT person_id FROM quarantine_orders \
             WHERE entered_on <= '2020-03-27' GROUP BY person_id) q",
        )
        .await
        .unwrap();
    let current = tx
        .count_raw_for_tests(
            "SELECT COUNT(*) FROM (SELECT person_id FROM quarantine_orders \
             WHERE entered_on <= '2020-03-27' AND (ended_on IS NULL OR ended_on > '2020-03-27') \
             GROUP BY person_id) q",
        )
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(json["date"], "2020-03-27");
    assert_eq!(json["days_without_new_confirmed"], 54);
    assert!(screened > 0 && quarantined > 0 && current > 0);
    assert_eq!(json["screened_cumulative"], screened);
    assert_eq!(json["quarantine_cumulative"], quarantined);
    assert_eq!(json["quarantine_current"], current);
}
