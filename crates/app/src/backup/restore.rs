//! Restoring a backup into an empty place: an empty (or new) data directory, and for a
//! PostgreSQL backup an empty database. Every file is checked against the manifest before
//! anything is put in place, and the restored rows against the manifest's counts after.

use std::path::Path;

use store::Store;

use super::archive::{self, Manifest};
use super::{internal, pg_tools};
use crate::{AppError, Result};

fn conflict(field: &str, message: String) -> AppError {
    AppError::Conflict {
        field: field.into(),
        message,
    }
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(internal(format!("cannot read {}: {e}", dir.display()))),
    }
}

#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(internal)
}

#[cfg(not(unix))]
fn owner_only(_: &Path, _: u32) -> Result<()> {
    Ok(())
}

/// Restore `archive` into `data` (which must be empty or absent) and, for a PostgreSQL
/// backup, into the empty database `database`. The manifest of what was restored.
pub async fn restore(archive: &Path, data: &Path, database: Option<&str>) -> Result<Manifest> {
    if !is_empty_dir(data)? {
        return Err(conflict(
            "data",
            format!(
                "{} is not empty; a backup is restored into an empty place only",
                data.display()
            ),
        ));
    }
    if let Some(url) = database {
        let target = Store::connect_unmigrated(url).await?;
        let mut tx = target.read().await?;
        let used = tx.has_tables().await?;
        tx.rollback().await?;
        target.close().await;
        if used {
            return Err(conflict(
                "database",
                "the database already holds tables; a backup is restored into an empty \
                 database only"
                    .into(),
            ));
        }
    }
    std::fs::create_dir_all(data).map_err(internal)?;
    owner_only(data, 0o700)?;
    let result = restore_into(archive, data, database).await;
    if result.is_err() {
        // The directory was empty: leave it so, ready for another try.
        if let Ok(entries) = std::fs::read_dir(data) {
            for e in entries.flatten() {
                let p = e.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
    }
    result
}

async fn restore_into(archive: &Path, data: &Path, database: Option<&str>) -> Result<Manifest> {
    let work = tempfile::Builder::new()
        .prefix(".restore-")
        .tempdir_in(data)
        .map_err(internal)?;
    let (archive_path, work_path) = (archive.to_owned(), work.path().to_owned());
    let manifest = tokio::task::spawn_blocking(move || archive::unpack(&archive_path, &work_path))
        .await
        .map_err(internal)??;
    let url = match (manifest.backend.as_str(), database) {
        ("sqlite", None) => {
            let db = data.join("zhikong.db");
            std::fs::rename(work.path().join("zhikong.db"), &db).map_err(internal)?;
            owner_only(&db, 0o600)?;
            format!("sqlite://{}?mode=rwc", db.display())
        }
        ("postgres", Some(url)) => {
            let pg_restore = pg_tools::find("pg_restore")?;
            let dump = work.path().join("zhikong.pgdump");
            pg_tools::run(
                &pg_restore,
                &[
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    &format!("--dbname={url}"),
                    &dump.display().to_string(),
                ],
            )
            .await?;
            url.to_owned()
        }
        ("sqlite", Some(_)) => {
            return Err(AppError::invalid(
                "database",
                "backend",
                "this is a SQLite backup: restore it into a data directory, without --database",
            ));
        }
        ("postgres", None) => {
            return Err(AppError::invalid(
                "database",
                "required",
                "this is a PostgreSQL backup: name an empty database with --database URL",
            ));
        }
        (other, _) => {
            return Err(AppError::invalid(
                "file",
                "backup",
                format!("unknown database kind {other:?} in the manifest"),
            ));
        }
    };
    let keys = work.path().join("keys");
    if keys.is_dir() {
        let target = data.join("keys");
        std::fs::rename(&keys, &target).map_err(internal)?;
        owner_only(&target, 0o700)?;
        for e in std::fs::read_dir(&target).map_err(internal)?.flatten() {
            owner_only(&e.path(), 0o600)?;
        }
    }
    let config = work.path().join("zhikong.toml");
    if config.is_file() {
        std::fs::rename(&config, data.join("zhikong.toml")).map_err(internal)?;
    }
    drop(work);

    // The schema brought up to this version, then every saved table's rows counted again.
    let store = Store::connect(&url).await?;
    let mut tx = store.read().await?;
    let counts = tx.table_counts().await?;
    tx.rollback().await?;
    store.close().await;
    let differences: Vec<String> = manifest
        .counts
        .iter()
        .filter(|(table, n)| counts.get(*table) != Some(n))
        .map(|(table, n)| {
            format!(
                "{table}: {n} saved, {} restored",
                counts.get(table).copied().unwrap_or(0)
            )
        })
        .collect();
    if !differences.is_empty() {
        return Err(AppError::Internal(format!(
            "the restored database does not hold what the backup saved: {}",
            differences.join("; ")
        )));
    }
    Ok(manifest)
}
