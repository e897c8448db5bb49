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
    }
    Ok(())
}

/// The command line acts for the whole tree: the first root area.
async fn root_actor(app: &app::App) -> anyhow::Result<app::Actor> {
    let mut tx = app.store.read().await?;
    let root =
        tx.area_children(None).await?.into_iter().next().context(
            "the database has no areas yet; run `zhikong demo` or create the zone first",
        )?;
    Ok(app::Actor::command_line(root.id, &root.path))
}
