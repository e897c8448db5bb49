//! Backup and restore (docs/OPERATIONS.md). A backup is made while the platform runs: SQLite
//! through `VACUUM INTO` (a consistent copy, writers keep writing), PostgreSQL through
//! `pg_dump` of an exported snapshot whose rows are counted in the same snapshot. It is packed
//! with the signing keys and a manifest (rows per table, SHA-256 of every file) into one
//! `.tar.gz`. A restore goes into an empty place only, checks every checksum, and checks the
//! restored rows against the manifest's counts.

mod archive;
mod pg_tools;
mod restore;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use store::{Backend, Store};

use crate::jobs::BackupPlan;
use crate::{App, AppError, Result};

pub use archive::{FORMAT, FileEntry, Manifest};
pub use restore::restore;

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// The files under `data` that go with the database: `keys/*` and `zhikong.toml`.
fn data_files(data: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = vec![];
    let keys = data.join("keys");
    if keys.is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(&keys)
            .map_err(internal)?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            files.push((format!("keys/{name}"), keys.join(&name)));
        }
    }
    let config = data.join("zhikong.toml");
    if config.is_file() {
        files.push(("zhikong.toml".into(), config));
    }
    Ok(files)
}

/// Make a backup of the running platform into `out` (a new `.tar.gz`), with the keys and
/// configuration under `data`.
pub async fn create(app: &App, data: &Path, out: &Path) -> Result<Manifest> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(internal)?;
    let work = tempfile::Builder::new()
        .prefix(".zhikong-backup-")
        .tempdir_in(dir)
        .map_err(internal)?;
    let store = &app.store;
    let (db_name, db_file, counts) = match store.backend() {
        Backend::Sqlite => {
            let copy = work.path().join("zhikong.db");
            store.vacuum_into(&copy).await?;
            // Counted in the copy itself, so the manifest describes exactly what is saved.
            let url = format!("sqlite://{}", copy.display());
            let snapshot = Store::connect_unmigrated(&url).await?;
            let mut tx = snapshot.read().await?;
            let counts = tx.table_counts().await?;
            tx.rollback().await?;
            snapshot.close().await;
            ("zhikong.db", copy, counts)
        }
        Backend::Postgres => {
            let dump = work.path().join("zhikong.pgdump");
            let pg_dump = pg_tools::find("pg_dump")?;
            let mut tx = store.read().await?;
            let snapshot = tx.export_snapshot().await?;
            let counts = tx.table_counts().await?;
            // The snapshot lives while this transaction is open.
            pg_tools::run(
                &pg_dump,
                &[
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    &format!("--snapshot={snapshot}"),
                    &format!("--file={}", dump.display()),
                    &format!("--dbname={}", store.url()),
                ],
            )
            .await?;
            tx.rollback().await?;
            ("zhikong.pgdump", dump, counts)
        }
    };
    let mut files = vec![(db_name.to_owned(), db_file)];
    files.extend(data_files(data)?);
    let manifest = Manifest {
        format: FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: backend_name(store.backend()).into(),
        created: domain::time::to_local(domain::time::now_ms())
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        counts,
        files: vec![],
    };
    let out = out.to_owned();
    let made = tokio::task::spawn_blocking(move || {
        let r = archive::pack(&out, manifest, &files);
        drop(work);
        r
    })
    .await
    .map_err(internal)??;
    Ok(made)
}

/// The daily backup: `DIR/zhikong-YYYY-MM-DD.tar.gz` for the business day, keeping the newest
/// `keep` of them. What it did, in a sentence.
pub async fn daily(app: &App, plan: &BackupPlan, day: NaiveDate) -> Result<String> {
    std::fs::create_dir_all(&plan.dir).map_err(|e| {
        AppError::Internal(format!(
            "cannot create the backup directory {}: {e}",
            plan.dir.display()
        ))
    })?;
    let out = plan.dir.join(format!("zhikong-{day}.tar.gz"));
    let m = create(app, &plan.data_dir, &out).await?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let mut old: Vec<PathBuf> = std::fs::read_dir(&plan.dir)
        .map_err(internal)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("zhikong-") && n.ends_with(".tar.gz")
            })
        })
        .collect();
    // YYYY-MM-DD names sort by day.
    old.sort();
    let removed = old.len().saturating_sub(plan.keep.max(1));
    for p in &old[..removed] {
        let _ = std::fs::remove_file(p);
    }
    let rows: i64 = m.counts.values().sum();
    Ok(format!(
        "{}: {rows} rows in {} tables, {bytes} bytes; {removed} old backups removed",
        out.display(),
        m.counts.len()
    ))
}
