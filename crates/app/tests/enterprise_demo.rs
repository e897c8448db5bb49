//! The demo's enterprise service, built through the use cases: the small demo pays its
//! target (a twentieth of the zone's 628 million yuan) from payout records, officers of the three
//! kinds serve every enterprise, requests went round the loop, and `stats` counts it all.

#[tokio::test]
async fn the_small_demo_pays_its_target_from_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    let report = app::demo::generate(&store, app::demo::Scale::Small, 5)
        .await
        .unwrap();
    let e = &report.enterprises;
    assert_eq!(e.enterprises, 80);
    assert_eq!(e.paid_fen, 3_140_000_000, "{e:#?}");
    assert!(e.applications > 0 && e.payouts > e.applications, "{e:#?}");
    assert!(e.requests > 20, "{e:#?}");
    let app = app::App::new(store, app::Settings::default());
    let stats = app::stats::stats(&app).await.unwrap();
    assert_eq!(stats["enterprises"], 80);
    assert_eq!(stats["payouts_fen"], 3_140_000_000i64);
    assert_eq!(stats["officers"]["policy"], 2);
    // The demo's liaison officer account is one of the 4.
    assert_eq!(stats["officers"]["enterprise"], 4);
    assert_eq!(stats["officers"]["prevention"], 4);
    let closed = stats["requests"]["closed"].as_i64().unwrap_or(0);
    assert!(closed > 0, "{stats}");
    // The ledger equals the sum over payouts: every payout paid once.
    let mut tx = app.store.read().await.unwrap();
    let all = tx.payout_totals("all").await.unwrap();
    assert_eq!(
        (all[0].granted_fen, all[0].paid_fen),
        (3_140_000_000, 3_140_000_000)
    );
    assert!(tx.unpaid_payouts(0, 1).await.unwrap().is_empty());
    tx.rollback().await.unwrap();

    // Electricity came in through the import: December 2019 and the last 14 days of each
    // enterprise. On the demo's day every enterprise is measured against its baseline, and
    // the comparison flags exactly those whose meter and report disagree.
    assert_eq!(e.electricity_rows, 80 * (31 + 14), "{e:#?}");
    let commander = app::Actor::command_line(0, "/");
    let day = report_day(&app).await;
    let (streets, flagged) = app::enterprise::electricity::compare(&app, &commander, &day, 30)
        .await
        .unwrap();
    assert_eq!(streets.iter().map(|s| s.measured).sum::<i64>(), 80);
    let resumed: i64 = streets.iter().map(|s| s.resumed_by_electricity).sum();
    assert!(resumed > 40, "{streets:?}");
    assert!(flagged.len() < 8, "{flagged:?}");
    for f in &flagged {
        assert_ne!(f.reported_resumed, Some(f.by_electricity), "{f:?}");
    }
}

/// The latest day with reports: the demo's day.
async fn report_day(app: &app::App) -> String {
    let mut tx = app.store.read().await.unwrap();
    let day = tx
        .reports_of_enterprise(1, 1)
        .await
        .unwrap()
        .first()
        .map(|r| r.day.clone())
        .unwrap();
    tx.rollback().await.unwrap();
    day
}
