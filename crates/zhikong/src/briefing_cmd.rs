//! `zhikong briefing --date YYYY-MM-DD --format html|xlsx|json [--out FILE]`: the daily
//! briefing for the whole zone, to a file or standard output.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

pub async fn run(
    app: &app::App,
    date: Option<String>,
    format: &str,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let plain = |e: app::AppError| match e {
        app::AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!(
                    "--{}: {}",
                    if f.field == "day" { "date" } else { &f.field },
                    f.message
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    };
    let format: app::command::briefing::Format = format.parse().map_err(plain)?;
    // The briefing of a replayed demo stands on the demo's day.
    let app = app.clone().load_as_of().await?;
    let actor = crate::import_cmd::root_actor(&app).await?;
    let tables = app::command::Tables::load().map_err(plain)?;
    let day = app::command::resolve_day(&app, &actor, date.as_deref().unwrap_or(""))
        .await
        .map_err(plain)?;
    let b = app::command::briefing::build(&app, &actor, &tables, day)
        .await
        .map_err(plain)?;
    let bytes = app::command::briefing::render(&b, format).map_err(plain)?;
    match out {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}
