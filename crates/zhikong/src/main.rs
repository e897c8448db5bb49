//! `zhikong`: the one binary. `serve` runs the platform (and its daily jobs), `demo` fills a
//! database with the demo zone, `stats` prints counts, `backup`/`restore`/`check` keep it safe,
//! `verify` checks a ZK1 or HC1 code offline.

mod briefing_cmd;
mod config;
mod economy_cmd;
mod import_cmd;
mod keys_cmd;
mod ops_cmd;
mod verify;

use std::path::PathBuf;

use anyhow::Context;
use app::demo::Scale;
use clap::{Parser, Subcommand};
use store::Store;

#[derive(Parser)]
#[command(
    name = "zhikong",
    version,
    about = "智控 — epidemic precision control and enterprise services"
)]
struct Cli {
    /// Directory for the SQLite database and keys.
    #[arg(long, global = true, env = "ZHIKONG_DATA")]
    data: Option<PathBuf>,
    /// Database URL (overrides the SQLite file), e.g. postgres://user@host/db.
    #[arg(long, global = true, env = "ZHIKONG_DATABASE")]
    database: Option<String>,
    /// TOML configuration file (default: DATA/zhikong.toml when it exists).
    #[arg(long, global = true, env = "ZHIKONG_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web platform.
    Serve {
        /// Fill an empty database with the small demo zone first.
        #[arg(long)]
        demo: bool,
        /// Address to listen on.
        #[arg(long, env = "ZHIKONG_LISTEN")]
        listen: Option<String>,
    },
    /// Fill an empty database with the demo zone.
    Demo {
        #[arg(long, default_value = "small", value_parser = ["small", "zone"])]
        scale: String,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
    },
    /// Import outside data (area boundaries, …).
    Import {
        #[command(subcommand)]
        what: economy_cmd::ImportAny,
    },
    /// Reports (the annual economic report, …).
    Report {
        #[command(subcommand)]
        what: economy_cmd::ReportWhat,
    },
    /// The credential signing keys under DATA/keys.
    Keys {
        #[command(subcommand)]
        what: keys_cmd::KeysWhat,
    },
    /// Verify a ZK1 or HC1 code offline: one JSON verdict on stdout; exit 0 valid, 1 not,
    /// 2 usage error.
    Verify(verify::VerifyArgs),
    /// The daily briefing (每日一会商一研判) of a day: figures and changes from yesterday, the
    /// risk map, the index ranking and what needs a decision.
    Briefing {
        /// The day, YYYY-MM-DD (default: today, or a replayed demo's day).
        #[arg(long)]
        date: Option<String>,
        /// html, xlsx or json.
        #[arg(long, default_value = "json")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Back up the database (SQLite or PostgreSQL), the signing keys and the configuration
    /// into one .tar.gz with a manifest of row counts and checksums; safe while serving.
    Backup {
        /// The archive to write (e.g. zhikong-2020-03-27.tar.gz).
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into an empty data directory (--data) and, for a PostgreSQL backup,
    /// an empty database (--database); checksums and row counts are verified.
    Restore {
        /// The archive made by `zhikong backup`.
        file: PathBuf,
    },
    /// Check the database: the engine's integrity check and every kept count against the
    /// rows. Exit 0 when consistent, 1 naming each difference.
    Check,
    /// Print counts.
    Stats {
        /// One JSON object on standard output.
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            // sqlx's statement log would print whole bulk inserts; its errors still show.
            tracing_subscriber::EnvFilter::try_from_env("ZHIKONG_LOG")
                .unwrap_or_else(|_| "info,sqlx=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // `verify` needs no database, configuration or data directory.
    if let Command::Verify(args) = &cli.command {
        std::process::exit(verify::run(args));
    }
    let data_flag = cli.data.clone();
    let file = config::FileConfig::load(
        cli.config.as_deref(),
        data_flag.as_deref().unwrap_or(&PathBuf::from("data")),
    )?;
    let data = data_flag
        .or(file.data.clone())
        .unwrap_or_else(|| PathBuf::from("data"));
    let database = cli.database.clone().or(file.database.clone());
    let settings = file.settings()?;
    let code_ttl = file.code_ttl()?;
    // Keys live in files, not in the database.
    if let Command::Keys { what } = &cli.command {
        return keys_cmd::run(&data.join("keys"), code_ttl, what);
    }
    // A restore goes into an empty place: nothing may be opened (or created) there first.
    if let Command::Restore { file } = &cli.command {
        return ops_cmd::restore(file, &data, database.as_deref()).await;
    }

    let store = match &database {
        Some(url) => Store::connect(url).await.context("opening the database")?,
        None => Store::open_sqlite(&data).await.with_context(|| {
            format!(
                "opening the SQLite database {}: the file is damaged or not a zhikong database",
                data.join("zhikong.db").display()
            )
        })?,
    };
    let app = app::App::new(store, settings);

    match cli.command {
        Command::Verify(_) | Command::Keys { .. } | Command::Restore { .. } => {
            unreachable!("handled before the store is opened")
        }
        Command::Serve { demo, listen } => {
            if demo {
                match app::demo::whole::build(&app.store, Scale::Small, 2020).await {
                    Ok(r) => eprintln!(
                        "demo zone generated: {} persons in {} ms",
                        r.zone.persons, r.zone.millis
                    ),
                    Err(app::AppError::Conflict { .. }) => {
                        eprintln!("database already holds data; demo not regenerated")
                    }
                    Err(e) => return Err(e).context("generating the demo zone"),
                }
            } else {
                app::demo::whole::require_not_interrupted(&app.store).await?;
            }
            let keys = app::keys::KeyRing::load_or_create(&data.join("keys"), code_ttl)
                .context("loading the signing keys")?;
            // A replayed demo stands on its own day (recorded by the generator).
            let app = app.with_keys(keys).load_as_of().await?;
            if let Some(day) = app.settings.as_of {
                eprintln!("records are kept as of {day} (a replayed or configured day)");
            }
            let listen = listen
                .or(file.listen.clone())
                .unwrap_or_else(|| "127.0.0.1:8080".into());
            // The daily jobs (docs/OPERATIONS.md): recompute, follow-ups, purge, backup.
            let _jobs =
                app::jobs::Scheduler::new(app.clone(), app::jobs::Scheduler::process_owner())
                    .with_backup(app::jobs::BackupPlan {
                        dir: file
                            .backup_dir
                            .clone()
                            .unwrap_or_else(|| data.join("backups")),
                        data_dir: data.clone(),
                        keep: file.backup_keep.unwrap_or(14),
                    })
                    .spawn();
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let addr = listener.local_addr()?;
            eprintln!("zhikong is running: open http://{addr}/login");
            if demo {
                eprintln!(
                    "demo accounts (password {}): {}",
                    app::demo::DEMO_PASSWORD,
                    app::demo::demo_accounts()
                        .iter()
                        .map(|a| a.username)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            web::serve(app.clone(), listener).await?;
            app.store.close().await;
        }
        Command::Demo { scale, seed } => {
            let scale: Scale = scale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let r = app::demo::whole::build(&app.store, scale, seed).await?;
            if r.removed_interrupted {
                eprintln!("an interrupted demo was removed and built again");
            }
            println!("{}", serde_json::to_string(&r.zone)?);
            eprintln!(
                "economy demo: {} values, {} projects, {} buildings, {} enterprises",
                r.economy.values, r.economy.projects, r.economy.buildings, r.economy.enterprises
            );
            app.store.close().await;
        }
        Command::Import { what } => {
            let result = economy_cmd::import(&app, what).await;
            app.store.close().await;
            result?;
        }
        Command::Report { what } => {
            let result = economy_cmd::report(&app, what).await;
            app.store.close().await;
            result?;
        }
        Command::Briefing { date, format, out } => {
            let result = briefing_cmd::run(&app, date, &format, out).await;
            app.store.close().await;
            result?;
        }
        Command::Backup { out } => {
            let result = ops_cmd::backup(&app, &data, &out).await;
            app.store.close().await;
            result?;
        }
        Command::Check => {
            let result = ops_cmd::check(&app).await;
            app.store.close().await;
            if !result? {
                std::process::exit(1);
            }
        }
        Command::Stats { json } => {
            ops_cmd::refuse_damaged(&app).await?;
            app::demo::whole::require_not_interrupted(&app.store).await?;
            let s = app::stats::stats(&app).await?;
            if json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                println!("{}", serde_json::to_string_pretty(&s)?);
            }
            app.store.close().await;
        }
    }
    Ok(())
}
