//! The zone-scale demo reproduces the work report's figures from its own records: generated
//! through the real paths (cases traced, outsiders registered at checkpoints, fourteen days of
//! screening at about 300,000 scans a day, quarantine orders), then read back the way a
//! commander reads them — the daily briefing of 2020-03-27 — and the store's own counts.
//!
//! This is the one test at zone scale (360,000 residents, 560,000 outsiders, ~5.6 million
//! scans): it takes minutes, and it is the only place the report's absolute figures
//! (≥ 840,000 screened, 7,510 quarantined cumulatively and 451 now, 54 days without a new
//! confirmed case) are checked, so it runs with every test run.

use app::command::{Tables, briefing};
use app::demo::{self, Scale};
use app::{Actor, App, Settings};
use chrono::NaiveDate;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_zone_demo_gives_the_reports_figures_from_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    let report = demo::generate(&store, Scale::Zone, 2020).await.unwrap();

    // The generator's own report, counted from the records it wrote.
    let e = &report.epidemic;
    assert_eq!(report.persons, 360_000, "{report:?}");
    assert_eq!(e.confirmed, 5, "{e:?}");
    assert_eq!(e.clusters, 1, "{e:?}");
    assert_eq!(e.last_reported, "2020-02-02", "{e:?}");
    assert!(e.close > 0 && e.secondary > 0, "{e:?}");
    let s = &e.screening;
    assert!(s.screened >= 840_000, "{s:?}");
    assert!(
        (270_000..=330_000).contains(&s.daily_min) && (270_000..=330_000).contains(&s.daily_max),
        "about 300,000 scans on each of the last 14 days: {s:?}"
    );
    assert_eq!(
        report.quarantine.cumulative, 7_510,
        "{:?}",
        report.quarantine
    );
    assert_eq!(report.quarantine.current, 451, "{:?}", report.quarantine);

    // The commander's briefing for the demo's day, through the same use case as the CLI and
    // the web download.
    let root = store
        .read()
        .await
        .unwrap()
        .area_children(None)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::command_line(root.id, &root.path);
    let day: NaiveDate = "2020-03-27".parse().unwrap();
    let app = App::new(
        store,
        Settings {
            as_of: Some(day),
            ..Settings::default()
        },
    );
    let b = briefing::build(&app, &actor, &Tables::defaults(), day)
        .await
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&briefing::render(&b, briefing::Format::Json).unwrap()).unwrap();
    assert_eq!(json["date"], "2020-03-27");
    assert_eq!(json["days_without_new_confirmed"], 54, "{json}");
    let screened = json["screened_cumulative"].as_i64().unwrap();
    assert!(screened >= 840_000, "{screened}");
    assert_eq!(screened, s.screened, "the briefing counts the same records");
    assert_eq!(json["quarantine_cumulative"], 7_510);
    assert_eq!(json["quarantine_current"], 451);
    // Everyone holding a code is counted in one colour.
    let coded: i64 = json["codes"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert!(coded >= 360_000, "{json}");
    // Every street has a level and an index entry; 54 days after the last case, all green.
    let levels = json["risk_levels"].as_object().unwrap();
    assert!(!levels.is_empty());
    assert!(levels.values().all(|c| c == "green"), "{levels:?}");
    assert!(!json["index"].as_object().unwrap().is_empty());

    // The per-day counts the writers kept through the whole generation (every bulk path of
    // the demo) equal the straightforward reads over the rows: code colours per street on the
    // last day of the outbreak and on the demo's day, the scans of the demo's day.
    let mut tx = app.store.read().await.unwrap();
    for d in ["2020-02-02", "2020-03-27"] {
        let mut want = tx.code_colours_by_street_reference(d).await.unwrap();
        want.sort();
        assert_eq!(tx.code_colours_by_street(d).await.unwrap(), want, "{d}");
    }
    let n = store::shanghai_day_number(app::command::end_of_day(day) - 1);
    assert_eq!(
        tx.scans_per_day(n, n + 1).await.unwrap(),
        tx.scans_per_day_reference(
            app::command::end_of_day(day) - 86_400_000,
            app::command::end_of_day(day)
        )
        .await
        .unwrap()
    );
    tx.rollback().await.unwrap();
}
