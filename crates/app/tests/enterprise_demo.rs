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
}
