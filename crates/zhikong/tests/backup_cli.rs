//! Backup and restore (issue 14, item 7) through the binary: the demo → `backup` → `restore`
//! into another directory (and, on PostgreSQL, another database) → `stats --json` identical and
//! `check` clean on both; a restore refuses a place that is not empty and an archive that does
//! not match its manifest; `stats` on a damaged SQLite file says it is damaged.

use std::path::Path;
use std::process::{Command, Output};

fn zhikong(data: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhikong"));
    cmd.arg("--data").arg(data);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    cmd.args(args).env("ZHIKONG_LOG", "warn").output().unwrap()
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stats(data: &Path, database: Option<&str>) -> serde_json::Value {
    let out = ok(zhikong(data, database, &["stats", "--json"]), "stats");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Demo into (`from`, `from_db`), back it up, restore into (`to`, `to_db`): the same counts,
/// both consistent; what a second restore into the filled place and a damaged archive get.
fn round_trip(from_db: Option<&str>, to_db: Option<&str>, spare_db: Option<&str>) {
    let root = tempfile::tempdir().unwrap();
    let (from, to) = (root.path().join("from"), root.path().join("to"));
    ok(
        zhikong(&from, from_db, &["demo", "--scale", "small"]),
        "demo",
    );
    // Keys, as `serve` makes them, go along.
    ok(zhikong(&from, from_db, &["keys", "generate"]), "keys");
    let archive = root.path().join("zhikong.tar.gz");
    let out = ok(
        zhikong(
            &from,
            from_db,
            &["backup", "--out", archive.to_str().unwrap()],
        ),
        "backup",
    );
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(manifest["counts"]["persons"].as_i64().unwrap() > 0);
    assert!(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "keys/current.pk8")
    );
    // Never over an existing file.
    assert!(
        !zhikong(
            &from,
            from_db,
            &["backup", "--out", archive.to_str().unwrap()]
        )
        .status
        .success()
    );

    ok(
        zhikong(&to, to_db, &["restore", archive.to_str().unwrap()]),
        "restore",
    );
    let before = stats(&from, from_db);
    assert_eq!(
        before,
        stats(&to, to_db),
        "the restored platform counts the same"
    );
    assert!(before["persons"].as_i64().unwrap() > 0);
    ok(zhikong(&to, to_db, &["check"]), "check after restore");
    assert_eq!(
        std::fs::read(from.join("keys/current.pk8")).unwrap(),
        std::fs::read(to.join("keys/current.pk8")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(to.join("keys/current.pk8"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "keys readable by their owner only");
    }

    // Into a place that is not empty: refused, nothing touched.
    let again = zhikong(&to, spare_db, &["restore", archive.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    if let (Some(_), Some(to_db)) = (spare_db, to_db) {
        let other = root.path().join("other");
        let used = zhikong(&other, Some(to_db), &["restore", archive.to_str().unwrap()]);
        assert!(!used.status.success());
        assert!(String::from_utf8_lossy(&used.stderr).contains("already holds tables"));
    }

    // A damaged archive: refused, the target left empty.
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    let damaged = root.path().join("damaged.tar.gz");
    std::fs::write(&damaged, bytes).unwrap();
    let target = root.path().join("damaged-target");
    let out = zhikong(&target, spare_db, &["restore", damaged.to_str().unwrap()]);
    assert!(!out.status.success(), "a damaged archive was restored");
    assert!(
        std::fs::read_dir(&target).map_or(true, |mut d| d.next().is_none()),
        "a refused restore leaves the place empty"
    );
}

#[test]
fn backup_and_restore_on_sqlite_give_the_same_platform() {
    round_trip(None, None, None);
}

#[test]
fn backup_and_restore_on_postgres_give_the_same_platform() {
    let Some(pg) = testkit::PgCluster::shared() else {
        return;
    };
    let from = pg.create_database("backup_from");
    let to = pg.create_database("backup_to");
    let spare = pg.create_database("backup_spare");
    round_trip(Some(&from), Some(&to), Some(&spare));
}

#[test]
fn check_names_a_kept_count_that_differs_and_stats_refuses_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        zhikong(dir.path(), None, &["demo", "--scale", "small"]),
        "demo",
    );
    ok(zhikong(dir.path(), None, &["check"]), "check on the demo");

    // A kept count no longer matching its rows: `check` names it and fails.
    let db = dir.path().join("zhikong.db");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = store::Store::open_sqlite(dir.path()).await.unwrap();
        let mut tx = store.write().await.unwrap();
        let n = tx
            .execute_raw_for_tests(
                "UPDATE scan_day_counts SET total = total + 1 \
                 WHERE rowid = (SELECT MIN(rowid) FROM scan_day_counts)",
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        tx.commit().await.unwrap();
        store.close().await;
    });
    let out = zhikong(dir.path(), None, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("scan_day_counts"));

    // Pages overwritten in the middle of the file.
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    let start = (bytes.len() / 2 / page) * page;
    for b in &mut bytes[start..start + 8 * page] {
        *b = 0xA5;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = zhikong(dir.path(), None, &["stats", "--json"]);
    assert!(
        !out.status.success(),
        "stats printed counts of a damaged file"
    );
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
