//! `zhikong report economy` and `zhikong import indicators`: the annual economic report in
//! HTML, xlsx or JSON, and indicator values from CSV or xlsx (all or nothing, with a
//! row-by-row report).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

/// `zhikong import …`: the other importers, and indicator values.
#[derive(Subcommand)]
pub enum ImportAny {
    #[command(flatten)]
    Other(crate::import_cmd::ImportWhat),
    /// Indicator values from a CSV or xlsx file (columns: indicator, region, period,
    /// cumulative, value, unit, growth, source); a file with any problem writes nothing.
    Indicators {
        /// The file (.csv or .xlsx).
        #[arg(required_unless_present = "demo")]
        file: Option<PathBuf>,
        /// Write the demo data instead: 2018–2019 for the zone and the peer districts.
        #[arg(long, conflicts_with = "file")]
        demo: bool,
        /// Seed of the demo's monthly split.
        #[arg(long, default_value_t = 2020, requires = "demo")]
        seed: u64,
    },
    /// Above-scale industrial enterprises' yearly land, tax and output for the per-mu
    /// evaluation (columns: credit_code, name, year, land_mu, tax_10k_yuan, output_10k_yuan).
    EnterpriseFacts { file: PathBuf },
    /// Enterprises for enterprise service (credit_code, name, sector, above_size, fortune500,
    /// major_project, street, micro_grid, address, employees, land_mu, tax_yuan,
    /// contact_name, contact_phone, chartered_buses, new_hires, talent_hires; headers in
    /// English or Chinese); a known credit code is updated. See docs/ENTERPRISE.md.
    Enterprises { file: PathBuf },
    /// Daily electricity use per enterprise (credit_code, day, kwh), to compare with the
    /// resumption reports.
    Electricity { file: PathBuf },
    /// Investment projects (code, name, investor, country, fortune500, sector, total_10k_yuan,
    /// contracted_foreign, actual_foreign, foreign_unit, conference, licence_on, and the date
    /// of each stage: negotiating_on, signed_on, started_on, completed_on).
    Projects { file: PathBuf },
    /// Office buildings' tax by year (code, name, street, year, tax_10k_yuan).
    Buildings { file: PathBuf },
    /// External evaluations (name, category, year, scope, rank, previous_rank, publisher,
    /// region), e.g. the national ranking of development zones.
    Evaluations { file: PathBuf },
    /// Economy settings from a JSON file as `zhikong report economy-settings` prints them
    /// (summary templates, ranks that earn a clause, per-mu weighting); a part left out
    /// keeps its default.
    EconomySettings { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ReportWhat {
    /// The economy settings in force (JSON), to edit and import again.
    EconomySettings,
    /// Every stored indicator value as an xlsx workbook in the columns `import indicators`
    /// reads (exporting and importing again changes nothing).
    Indicators {
        /// First year (default: all).
        #[arg(long)]
        from: Option<i32>,
        /// Last year (default: all).
        #[arg(long)]
        to: Option<i32>,
        #[arg(long)]
        out: PathBuf,
    },
    /// The annual economic report: headline table, rankings among the city's districts,
    /// summary sentences.
    Economy {
        #[arg(long)]
        year: i32,
        /// Report January to the end of this month only (cumulative to date, 1-12).
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u8).range(1..=12))]
        through_month: u8,
        #[arg(long, default_value = "html", value_parser = ["html", "xlsx", "json"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub async fn import(app: &app::App, what: ImportAny) -> anyhow::Result<()> {
    match what {
        ImportAny::Other(w) => crate::import_cmd::run(app, w).await,
        ImportAny::Indicators {
            demo: true, seed, ..
        } => {
            let r = app::economy::demo::generate(&app.store, seed).await?;
            println!("{}", serde_json::to_string(&r)?);
            Ok(())
        }
        ImportAny::Indicators { file, .. } => {
            let file = file.context("a file to import is required")?;
            let (name, bytes) = read(&file)?;
            let r = app::economy::import::import(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::EnterpriseFacts { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::economy::permu::import_facts(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::Enterprises { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::enterprise::import::import(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::Electricity { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::enterprise::electricity::import(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::Projects { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::economy::project_import::import_projects(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::EconomySettings { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let result = match app::economy::settings::parse(&text) {
                Ok(s) => app::economy::settings::set_settings(app, None, &s).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    println!(
                        "{{\"file\":{},\"written\":true}}",
                        serde_json::to_string(&file.display().to_string())?
                    );
                    Ok(())
                }
                Err(app::AppError::Invalid(fields)) => {
                    for f in &fields {
                        eprintln!("{}: {}: {}", file.display(), f.field, f.message);
                    }
                    anyhow::bail!(
                        "{}: nothing written ({})",
                        file.display(),
                        problems(fields.len())
                    )
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
        ImportAny::Evaluations { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::economy::project_import::import_evaluations(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
        ImportAny::Buildings { file } => {
            let (name, bytes) = read(&file)?;
            let r = app::economy::project_import::import_buildings(app, None, &name, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            finish(&file, &r)
        }
    }
}

fn read(file: &std::path::Path) -> anyhow::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}

/// The report as JSON on standard output; each problem on standard error, and a failure.
fn finish(file: &std::path::Path, r: &app::economy::import::ImportReport) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(r)?);
    if !r.ok() {
        for i in &r.issues {
            let column = i
                .column
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            eprintln!("{}: row {}{column}: {}", file.display(), i.row, i.message);
        }
        anyhow::bail!(
            "{}: nothing imported ({})",
            file.display(),
            problems(r.issues.len())
        );
    }
    Ok(())
}

pub async fn report(app: &app::App, what: ReportWhat) -> anyhow::Result<()> {
    match what {
        ReportWhat::Indicators { from, to, out } => {
            let bytes = app::economy::export::export_xlsx(app, None, from, to)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&out, &bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            Ok(())
        }
        ReportWhat::EconomySettings => {
            let s = app::economy::settings::settings(app)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&s)?);
            Ok(())
        }
        ReportWhat::Economy {
            year,
            through_month,
            format,
            out,
        } => {
            let r = app::economy::report::report(app, None, year, through_month)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let bytes = match format.as_str() {
                "html" => app::economy::report::render_html(&r).into_bytes(),
                "json" => app::economy::report::render_json(&r),
                _ => app::economy::report::render_xlsx(&r).map_err(|e| anyhow::anyhow!("{e}"))?,
            };
            match out {
                Some(path) => std::fs::write(&path, &bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().write_all(&bytes)?,
            }
            Ok(())
        }
    }
}

fn problems(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}
