//! The PostgreSQL client programs a backup and a restore need (`pg_dump`, `pg_restore`):
//! from `ZHIKONG_PG_BIN`, else the `PATH`, else the newest `/usr/lib/postgresql/*/bin`.

use std::path::{Path, PathBuf};

use crate::{AppError, Result};

pub fn find(program: &str) -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("ZHIKONG_PG_BIN") {
        let p = PathBuf::from(dir).join(program);
        if p.is_file() {
            return Ok(p);
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(program);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let version = |p: &Path| -> Vec<u32> {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        name.split('.').map(|n| n.parse().unwrap_or(0)).collect()
    };
    std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("bin").join(program).is_file())
        .max_by_key(|p| version(p))
        .map(|p| p.join("bin").join(program))
        .ok_or_else(|| {
            AppError::Internal(format!(
                "{program} is not installed, and a PostgreSQL backup or restore needs it: install \
                 the PostgreSQL client of the server's version (Debian: apt-get install \
                 postgresql-client-15) or point ZHIKONG_PG_BIN at its bin directory"
            ))
        })
}

/// Run a client program; its error output becomes the error.
pub async fn run(program: &Path, args: &[&str]) -> Result<()> {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .map_err(|e| AppError::Internal(format!("cannot run {}: {e}", program.display())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(AppError::Internal(format!(
            "{} failed ({}): {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}
