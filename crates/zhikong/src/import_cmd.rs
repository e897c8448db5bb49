//! `zhikong import …`: bring outside data in. Each importer reports what it matched and what
//! it could not, as one JSON object; a broken file writes nothing.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Attach GeoJSON boundaries (Polygon/MultiPolygon, WGS84) to areas.
    Areas {
        file: PathBuf,
        /// Match features to areas by `code` or by `name`.
        #[arg(long = "match", default_value = "code")]
        match_by: String,
        /// The feature property holding the code or name (default: `code` or `name`).
        #[arg(long)]
        property: Option<String>,
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

/// The command line acts for the whole tree: the first root area.
pub(crate) async fn root_actor(app: &app::App) -> anyhow::Result<app::Actor> {
    let mut tx = app.store.read().await?;
    let root =
        tx.area_children(None).await?.into_iter().next().context(
            "the database has no areas yet; run `zhikong demo` or create the zone first",
        )?;
    Ok(app::Actor::command_line(root.id, &root.path))
}
