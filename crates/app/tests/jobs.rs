//! The daily jobs (issue 14, item 6): each job runs once for a business day even when two
//! processes share the database (SQLite and PostgreSQL), a failed job is retried after its wait
//! and shown to the admin until it succeeds, and the recompute leaves no stored colour older
//! than the day.

use app::jobs::{BackupPlan, Job, NextRun, Scheduler};
use app::{Actor, App, Settings};
use chrono::Duration;

fn admin() -> Actor {
    Actor::command_line(1, "/1/")
}

/// Two processes' schedulers on one database tick at the same moment: every job runs once.
async fn once_across_two(url: &str, data: &std::path::Path) {
    let plan = |n: u32| BackupPlan {
        dir: data.join(format!("backups-{n}")),
        data_dir: data.to_owned(),
        keep: 3,
    };
    let a = App::new(
        store::Store::connect(url).await.unwrap(),
        Settings::default(),
    );
    let b = App::new(
        store::Store::connect(url).await.unwrap(),
        Settings::default(),
    );
    let first = Scheduler::new(a.clone(), "host-a:1").with_backup(plan(1));
    let second = Scheduler::new(b.clone(), "host-b:2").with_backup(plan(2));
    let (ra, rb) = tokio::join!(first.tick(), second.tick());
    let mut ran: Vec<Job> = ra
        .unwrap()
        .into_iter()
        .chain(rb.unwrap())
        .map(|r| {
            assert!(r.outcome.is_ok(), "{r:?}");
            r.job
        })
        .collect();
    ran.sort_by_key(|j| j.name());
    let mut all = Job::ALL.to_vec();
    all.sort_by_key(|j| j.name());
    assert_eq!(ran, all, "each job ran exactly once");
    // Ticking again on the same day runs nothing.
    assert!(first.tick().await.unwrap().is_empty());
    assert!(second.tick().await.unwrap().is_empty());
    let mut tx = a.store.read().await.unwrap();
    for job in Job::ALL {
        let runs = tx.job_runs(job.name(), 10).await.unwrap();
        assert_eq!(runs.len(), 1, "{}: {runs:?}", job.name());
        assert_eq!(runs[0].result, "ok");
        assert_eq!(runs[0].day, a.today().to_string());
    }
    drop(tx);
    for view in app::jobs::list(&a, &admin()).await.unwrap() {
        assert_eq!(view.last.as_ref().unwrap().result, "ok", "{view:?}");
        assert!(matches!(view.next, NextRun::Midnight(_)), "{view:?}");
    }
    // One backup was written, by whichever process took the lease.
    let archives = ["backups-1", "backups-2"]
        .iter()
        .flat_map(|d| std::fs::read_dir(data.join(d)).into_iter().flatten())
        .count();
    assert_eq!(archives, 1);
    // "Run now" runs a job done for the day once more, and is audited.
    app::jobs::request_run(&a, &admin(), "purge_sessions")
        .await
        .unwrap();
    let again = second.tick().await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].job, Job::PurgeSessions);
    assert!(first.tick().await.unwrap().is_empty());
    let mut tx = a.store.read().await.unwrap();
    let runs = tx.job_runs("purge_sessions", 10).await.unwrap();
    assert_eq!(runs[0].cause, "manual");
}

#[tokio::test]
async fn each_job_runs_once_across_two_processes_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("zhikong.db").display()
    );
    once_across_two(&url, dir.path()).await;
}

#[tokio::test]
async fn each_job_runs_once_across_two_processes_on_postgres() {
    let Some(pg) = testkit::PgCluster::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    once_across_two(&pg.create_database("jobs_once"), dir.path()).await;
}

#[tokio::test]
async fn a_failed_job_is_retried_after_its_wait_and_shown_until_it_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    let app = App::new(store, Settings::default());
    // The backup directory cannot be made: below a plain file.
    std::fs::write(dir.path().join("file"), b"x").unwrap();
    let broken = Scheduler::new(app.clone(), "host:1").with_backup(BackupPlan {
        dir: dir.path().join("file").join("backups"),
        data_dir: dir.path().to_owned(),
        keep: 3,
    });
    let ran = broken.tick().await.unwrap();
    let backup = ran.iter().find(|r| r.job == Job::Backup).unwrap();
    assert!(backup.outcome.is_err(), "{backup:?}");
    let failed = app::jobs::failed_jobs(&app, &admin()).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].name, "backup");
    assert_eq!(failed[0].failures, 1);
    assert!(
        matches!(failed[0].next, NextRun::Retry(_)),
        "{:?}",
        failed[0]
    );
    assert!(!failed[0].last.as_ref().unwrap().error.is_empty());
    // Not before its wait.
    assert!(broken.tick().await.unwrap().is_empty());
    assert_eq!(
        app::jobs::retry_delay(1),
        std::time::Duration::from_secs(60)
    );
    assert_eq!(
        app::jobs::retry_delay(3),
        std::time::Duration::from_secs(240)
    );
    assert_eq!(
        app::jobs::retry_delay(50),
        std::time::Duration::from_secs(3600)
    );

    // The wait is over and the directory is fixed: the retry succeeds and the warning goes.
    let mut tx = app.store.write().await.unwrap();
    tx.execute_raw_for_tests("UPDATE jobs SET retry_at = 0 WHERE name = 'backup'")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let fixed = Scheduler::new(app.clone(), "host:1").with_backup(BackupPlan {
        dir: dir.path().join("backups"),
        data_dir: dir.path().to_owned(),
        keep: 3,
    });
    let ran = fixed.tick().await.unwrap();
    assert_eq!(ran.len(), 1);
    assert!(ran[0].outcome.is_ok(), "{:?}", ran[0]);
    assert!(
        app::jobs::failed_jobs(&app, &admin())
            .await
            .unwrap()
            .is_empty()
    );
    let mut tx = app.store.read().await.unwrap();
    let runs = tx.job_runs("backup", 10).await.unwrap();
    assert_eq!(
        runs.iter()
            .map(|r| (r.cause.as_str(), r.result.as_str()))
            .collect::<Vec<_>>(),
        [("retry", "ok"), ("schedule", "failed")]
    );
    // Other roles see no warning and may not open the list.
    let commander = Actor {
        role: domain::Role::Commander,
        ..admin()
    };
    assert!(app::jobs::list(&app, &commander).await.is_err());
}

#[tokio::test]
async fn the_recompute_job_leaves_no_stored_colour_older_than_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 5)
        .await
        .unwrap();
    let demo = App::new(store, Settings::default())
        .load_as_of()
        .await
        .unwrap();
    // A month after the demo's day: quarantines, yellow and red codes have run out since.
    let mut app = demo.clone();
    app.settings.as_of = Some(demo.today() + Duration::days(30));
    let day = app.today();
    let mut tx = app.store.write().await.unwrap();
    let stale = app::codes::recompute_all(&mut tx, day, "test")
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(
        stale.colour_changes > 0,
        "stored colours are stale: {stale:?}"
    );

    let ran = Scheduler::new(app.clone(), "host:1").tick().await.unwrap();
    assert!(ran.iter().all(|r| r.outcome.is_ok()), "{ran:?}");
    let mut tx = app.store.write().await.unwrap();
    let after = app::codes::recompute_all(&mut tx, day, "test")
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(
        (after.written, after.colour_changes),
        (0, 0),
        "nothing is left to change on {day}: {after:?}"
    );
    let mut tx = app.store.read().await.unwrap();
    let runs = tx.job_runs("recompute_codes", 1).await.unwrap();
    assert!(
        runs[0]
            .detail
            .contains(&format!("{} colour changes", stale.colour_changes)),
        "{runs:?}"
    );
}
