//! `zhikong import …`: bring outside data in. Each importer reports what it matched and what
//! it could not, as one JSON object; a broken file writes nothing.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Attach GeoJSON boundaries (Polygon/MultiPolygon, WGS84) to areas; DataV-style files
    /// (numeric `adcode`, `parent`, `center`, `centroid`) are read as they are.
    Areas {
        file: PathBuf,
        /// Match features to areas by `auto` (the code in `code`, `adcode` or `区划代码`, else
        /// the exact name), by `code` only or by `name` only.
        #[arg(long = "match", default_value = "auto")]
        match_by: String,
        /// The feature property holding the code or name (default: as for `--match`).
        #[arg(long)]
        property: Option<String>,
    },
    /// The area tree from CSV or xlsx (columns code, name, kind = street|community|micro_grid,
    /// parent_code; or 区划代码, 名称, 级别, 上级代码): the whole hierarchy in one transaction,
    /// all or nothing, rows in any order; a known code with a new name is renamed.
    AreaTree {
        file: PathBuf,
        /// Check the file and print what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Checkpoints and gates from CSV or xlsx (columns code, name, kind, area (code or exact
    /// name), lat, lon, hours, optionally party_branch; Chinese headers too); all or nothing,
    /// a known code is updated.
    Checkpoints {
        file: PathBuf,
        /// Check the file and print what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The risk-area list from CSV (columns division_code, level, valid_from, valid_to) or
    /// JSON (an array of such objects); all or nothing. Entries already listed with the same
    /// division and first day are updated; the codes of everyone who arrived from a changed
    /// division are recomputed in the same transaction.
    RiskAreas { file: PathBuf },
}

pub async fn run(app: &app::App, what: ImportWhat) -> anyhow::Result<()> {
    match what {
        ImportWhat::Areas {
            file,
            match_by,
            property,
        } => {
            let by: app::areas_import::MatchBy = match_by.parse().map_err(anyhow::Error::msg)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let actor = root_actor(app).await?;
            match app::areas_import::import_boundaries(app, &actor, &text, by, property.as_deref())
                .await
            {
                Ok(report) => println!("{}", serde_json::to_string(&report)?),
                Err(app::AppError::Invalid(fields)) => {
                    for f in &fields {
                        eprintln!("{}: {}: {}", file.display(), f.field, f.message);
                    }
                    anyhow::bail!(
                        "{}: nothing imported ({} problems)",
                        file.display(),
                        fields.len()
                    );
                }
                Err(e) => return Err(anyhow::anyhow!("{e}")),
            }
        }
        ImportWhat::AreaTree { file, dry_run } => {
            let (name, bytes) = read_named(&file)?;
            let actor = root_actor(app).await?;
            let report = app::areas_admin::import_tree(app, &actor, &name, &bytes, !dry_run)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string(&report)?);
            refuse_on_issues(&file, &report.issues)?;
        }
        ImportWhat::Checkpoints { file, dry_run } => {
            let (name, bytes) = read_named(&file)?;
            let actor = root_actor(app).await?;
            let report = app::checkpoints::import::import(app, &actor, &name, &bytes, !dry_run)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string(&report)?);
            refuse_on_issues(&file, &report.issues)?;
        }
        ImportWhat::RiskAreas { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            // Codes are recomputed for the platform's today: a replayed demo's day if recorded.
            let app = app.clone().load_as_of().await?;
            let actor = root_actor(&app).await?;
            let report = app::codes::risk_areas::import(&app, &actor, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string(&report)?);
            if !report.ok() {
                for i in &report.issues {
                    let field = i
                        .field
                        .as_deref()
                        .map(|f| format!(" {f}"))
                        .unwrap_or_default();
                    eprintln!("{}: row {}{field}: {}", file.display(), i.row, i.message);
                }
                anyhow::bail!(
                    "{}: nothing imported ({} problems)",
                    file.display(),
                    report.issues.len()
                );
            }
        }
    }
    Ok(())
}

/// A file's name (for its format) and bytes.
fn read_named(file: &std::path::Path) -> anyhow::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    Ok((name, bytes))
}

/// Print each problem of a refused file (row, column, problem) and fail.
fn refuse_on_issues(
    file: &std::path::Path,
    issues: &[app::economy::import::RowIssue],
) -> anyhow::Result<()> {
    if issues.is_empty() {
        return Ok(());
    }
    for i in issues {
        let column = i
            .column
            .as_deref()
            .map(|c| format!(" column {c}"))
            .unwrap_or_default();
        eprintln!("{}: row {}{column}: {}", file.display(), i.row, i.message);
    }
    anyhow::bail!(
        "{}: nothing imported ({} problems)",
        file.display(),
        issues.len()
    )
}

/// The command line acts for the whole tree: the first root area.
pub(crate) async fn root_actor(app: &app::App) -> anyhow::Result<app::Actor> {
    let mut tx = app.store.read().await?;
    let root =
        tx.area_children(None).await?.into_iter().next().context(
            "the database has no areas yet; run `zhikong demo` or create the zone first",
        )?;
    Ok(app::Actor::command_line(root.id, &root.path))
}
