//! `zhikong backup`, `restore` and `check`, and the damage check in front of `stats`.

use std::path::Path;

use anyhow::Context;

pub async fn backup(app: &app::App, data: &Path, out: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !out.exists(),
        "{} exists already; a backup never overwrites a file",
        out.display()
    );
    let m = app::backup::create(app, data, out)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("making the backup")?;
    let rows: i64 = m.counts.values().sum();
    eprintln!(
        "backup written to {}: {} database, {rows} rows in {} tables, {} files",
        out.display(),
        m.backend,
        m.counts.len(),
        m.files.len()
    );
    println!("{}", serde_json::to_string(&m)?);
    Ok(())
}

pub async fn restore(file: &Path, data: &Path, database: Option<&str>) -> anyhow::Result<()> {
    let m = app::backup::restore(file, data, database)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("restoring {}", file.display()))?;
    let rows: i64 = m.counts.values().sum();
    eprintln!(
        "restored the backup of {} into {}{}: {rows} rows in {} tables, checksums and counts verified",
        m.created,
        data.display(),
        database.map_or(String::new(), |_| " and the database".into()),
        m.counts.len()
    );
    Ok(())
}

/// Print each problem; true when there is none.
pub async fn check(app: &app::App) -> anyhow::Result<bool> {
    let problems = app::check::check(app)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("checking the database")?;
    if problems.is_empty() {
        println!(
            "ok: the database passed its integrity check and every kept count matches its rows"
        );
        return Ok(true);
    }
    for p in &problems {
        println!("{p}");
    }
    eprintln!("{} problems found", problems.len());
    Ok(false)
}

/// `stats` on a damaged SQLite file says so instead of printing counts.
pub async fn refuse_damaged(app: &app::App) -> anyhow::Result<()> {
    let damage = async {
        let mut tx = app.store.read().await?;
        let problems = tx.quick_check().await?;
        tx.rollback().await?;
        Ok::<_, store::StoreError>(problems)
    }
    .await;
    let problems = match damage {
        Ok(p) => p,
        Err(e) => vec![e.to_string()],
    };
    anyhow::ensure!(
        problems.is_empty(),
        "the database is damaged ({}); restore it from a backup (zhikong restore)",
        problems
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
    Ok(())
}
