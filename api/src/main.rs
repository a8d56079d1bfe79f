//! The `berguru` command: `serve` (default), `migrate`, `seed-demo`,
//! `reindex`, `token`, `import`, `export`, `generate`, `export-schema`.

use std::path::PathBuf;
use std::process::ExitCode;

use api::config::{Config, Overrides};
use api::domain::bulk;
use api::seed::SeedOutcome;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's allocator: a GraphQL response is built from
/// many small short-lived allocations, and glibc's malloc/free took a fifth
/// of the CPU time of the nested list query under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Berguru: find your guru region, track city-sharing agreements and adoptions.
#[derive(Parser, Debug)]
#[command(name = "berguru", version)]
struct Cli {
    /// TOML configuration file (also BERGURU_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve GraphQL (the default): migrates, seeds the demo into an empty
    /// embedded database, then listens.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DataArgs),
    /// Load the demo data set from the source articles (idempotent).
    SeedDemo(DataArgs),
    /// Rebuild the search index from the database into fresh indexes, then
    /// swap them in (Meilisearch keeps answering meanwhile). For the
    /// embedded engine, stop the server first: it holds the index.
    Reindex(DataArgs),
    /// Manage API tokens (create prints the secret once).
    Token {
        #[command(subcommand)]
        action: TokenCommand,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Import practices or agreements from a CSV or JSON file, all or nothing.
    Import {
        /// `practices` or `agreements`.
        #[arg(value_parser = ["practices", "agreements"])]
        what: String,
        /// The file (.csv or .json).
        file: PathBuf,
        /// Check every row and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// `csv` or `json` (default: from the file's extension).
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Export practices or agreements as CSV or JSON (re-importable).
    Export {
        /// `practices` or `agreements`.
        #[arg(value_parser = ["practices", "agreements"])]
        what: String,
        /// `json` (default) or `csv`.
        #[arg(long, value_parser = ["csv", "json"], default_value = "json")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Fill the database with deterministic synthetic data at national scale
    /// (for load tests and benchmarks), then rebuild the search index.
    Generate {
        /// Number of practices.
        #[arg(long, default_value_t = 100_000)]
        practices: usize,
        /// Number of agreements.
        #[arg(long, default_value_t = 30_000)]
        agreements: usize,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Delete existing practices, agreements, adoptions, visits, indices
        /// and the audit trail first (regions and tokens are kept).
        #[arg(long)]
        replace: bool,
        /// Load the demo data set from the articles too.
        #[arg(long)]
        with_demo: bool,
        /// Do not rebuild the search index afterwards.
        #[arg(long)]
        no_index: bool,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print the GraphQL schema (SDL).
    ExportSchema {
        /// Print the Apollo Federation v2 subgraph SDL instead of the public one.
        #[arg(long)]
        federation: bool,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create a token and print its secret (shown only this once).
    Create {
        /// `admin` or `editor`.
        #[arg(long, value_parser = ["admin", "editor"])]
        role: String,
        /// Region code: the editor's region, or the admin's province (omit for a national admin).
        #[arg(long)]
        region: Option<String>,
        /// Who or what uses the token.
        #[arg(long, default_value = "command line")]
        name: String,
        /// Days until the token expires (never, when omitted).
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// Revoke a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: String,
    },
    /// List tokens.
    List,
}

#[derive(clap::Args, Debug, Default)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080] (also BERGURU_LISTEN).
    #[arg(long)]
    listen: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(clap::Args, Debug, Default)]
struct DataArgs {
    /// Folder for the SQLite database [default: ./data] (also BERGURU_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let overrides = match &command {
        Command::Serve(a) => Overrides {
            listen: a.listen.clone(),
            data_dir: a.data.data_dir.clone(),
        },
        Command::Migrate(a)
        | Command::SeedDemo(a)
        | Command::Reindex(a)
        | Command::Token { data: a, .. }
        | Command::Import { data: a, .. }
        | Command::Export { data: a, .. }
        | Command::Generate { data: a, .. } => Overrides {
            listen: None,
            data_dir: a.data_dir.clone(),
        },
        Command::ExportSchema { .. } => Overrides::default(),
    };
    let config = match Config::load(cli.config.as_deref(), std::env::vars(), overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("berguru: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // One-shot commands print their own results; their logs stay quiet
    // unless a filter is configured.
    let filter = match (&command, config.log.as_str()) {
        (Command::Serve(_), f) => f.to_owned(),
        (_, "info") => "warn".to_owned(),
        (_, f) => f.to_owned(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("berguru: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "berguru stopped");
            eprintln!("berguru: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::ExportSchema { federation } => {
            let schema = api::graphql::build_schema(api::SchemaDeps {
                db: sea_orm::DatabaseConnection::default(),
                limits: config.limits,
                events: api::events::EventBus::default(),
                search: std::sync::Arc::new(search::embedded::EmbeddedEngine::in_ram()?),
                guru: config.guru,
            });
            let sdl = if federation {
                api::graphql::federation_sdl(&schema)
            } else {
                api::graphql::public_sdl(&schema)
            };
            print!("{sdl}");
            Ok(())
        }
        Command::Migrate(_) => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            api::response_cache::notify_change(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo(_) => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            match api::seed::load_demo(&db).await? {
                SeedOutcome::Loaded => {
                    api::response_cache::notify_change(&db).await?;
                    println!("demo data loaded")
                }
                SeedOutcome::AlreadyPresent => {
                    println!("demo data already present; nothing changed")
                }
            }
            Ok(())
        }
        Command::Reindex(_) => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            let engine = api::search_sync::engine_from_config(&config)?;
            engine.prepare().await?;
            let started = std::time::Instant::now();
            let n = api::search_sync::reindex(&db, engine.as_ref(), |done, total| {
                progress_bar(total as usize)(done as usize);
            })
            .await
            .map_err(|e| e.message().to_owned())?;
            api::response_cache::notify_change(&db).await?;
            println!(
                "reindexed {n} documents into {} in {:.1} s",
                engine.name(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Token { action, .. } => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            token_command(&db, action).await
        }
        Command::Import {
            what,
            file,
            dry_run,
            format,
            ..
        } => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            import_command(&db, &what, &file, dry_run, format.as_deref()).await?;
            api::response_cache::notify_change(&db).await?;
            Ok(())
        }
        Command::Export {
            what,
            format,
            output,
            ..
        } => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            let format = if format == "csv" {
                bulk::Format::Csv
            } else {
                bulk::Format::Json
            };
            let text = if what == "practices" {
                bulk::render_practices(
                    &bulk::export_practices(&db).await.map_err(describe)?,
                    format,
                )
            } else {
                bulk::render_agreements(
                    &bulk::export_agreements(&db).await.map_err(describe)?,
                    format,
                )
            }
            .map_err(describe)?;
            match output {
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Command::Generate {
            practices,
            agreements,
            seed,
            replace,
            with_demo,
            no_index,
            ..
        } => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            let opts = api::generate::Options {
                practices,
                agreements,
                seed,
                replace,
                with_demo,
            };
            let report = api::generate::generate(&db, &opts, |done, total| {
                progress_bar(total)(done);
            })
            .await?;
            api::response_cache::notify_change(&db).await?;
            println!(
                "generated {} practices ({} outcomes), {} agreements ({} parties, {} stage changes), \
                 {} adoptions, {} visits, {} region indices: {} rows in {:.1} s",
                report.practices,
                report.outcomes,
                report.agreements,
                report.parties,
                report.stage_changes,
                report.adoptions,
                report.visits,
                report.region_indices,
                report.rows(),
                report.elapsed.as_secs_f64()
            );
            if !no_index {
                let engine = api::search_sync::engine_from_config(&config)?;
                engine.prepare().await?;
                let started = std::time::Instant::now();
                let n = api::search_sync::reindex(&db, engine.as_ref(), |done, total| {
                    progress_bar(total as usize)(done as usize);
                })
                .await
                .map_err(|e| e.message().to_owned())?;
                println!(
                    "indexed {n} documents into {} in {:.1} s",
                    engine.name(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Serve(_) => serve(config).await,
    }
}

fn describe(e: api::error::ApiError) -> String {
    format!("{}: {}", e.code(), e.message())
}

/// A one-line progress bar on a terminal; nothing when stderr is not one.
fn progress_bar(total: usize) -> impl FnMut(usize) {
    use std::io::{IsTerminal, Write};
    let tty = std::io::stderr().is_terminal();
    move |done: usize| {
        if !tty || total == 0 {
            return;
        }
        let width = 30;
        let filled = done * width / total;
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r[{}{}] {done}/{total}",
            "#".repeat(filled),
            "-".repeat(width - filled)
        );
        if done == total {
            let _ = writeln!(err);
        }
    }
}

async fn import_command(
    db: &sea_orm::DatabaseConnection,
    what: &str,
    file: &std::path::Path,
    dry_run: bool,
    format: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    let format = match format {
        Some("csv") => bulk::Format::Csv,
        Some(_) => bulk::Format::Json,
        None => {
            bulk::Format::from_path(file).ok_or("give --format csv|json or a .csv/.json file")?
        }
    };
    let content = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let operator = api::auth::Viewer::Operator;
    let report = if what == "practices" {
        let rows = bulk::parse_practices(&content, format).map_err(describe)?;
        let bar = progress_bar(rows.len());
        bulk::import_practices(db, &operator, rows, dry_run, bar)
            .await
            .map_err(describe)?
    } else {
        let rows = bulk::parse_agreements(&content, format).map_err(describe)?;
        let bar = progress_bar(rows.len());
        bulk::import_agreements(db, &operator, rows, dry_run, bar)
            .await
            .map_err(describe)?
    };
    for e in &report.errors {
        eprintln!(
            "line {}{}: {}",
            e.line,
            e.field
                .as_deref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default(),
            e.message
        );
    }
    let verb = if report.committed {
        "imported"
    } else {
        "nothing written"
    };
    println!(
        "{verb}: {} rows, {} created, {} updated, {} unchanged, {} rejected{}",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.errors.len(),
        if report.dry_run { " (dry run)" } else { "" }
    );
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{} rows rejected", report.errors.len()).into())
    }
}

async fn token_command(
    db: &sea_orm::DatabaseConnection,
    action: TokenCommand,
) -> Result<(), Box<dyn std::error::Error>> {
    use api::auth::Viewer;
    use api::domain::token;
    let operator = Viewer::Operator;
    let describe = |e: api::error::ApiError| format!("{}: {}", e.code(), e.message());
    match action {
        TokenCommand::Create {
            role,
            region,
            name,
            expires_in_days,
        } => {
            let role = if role == "admin" {
                entity::TokenRole::Admin
            } else {
                entity::TokenRole::Editor
            };
            let expires_at =
                expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d)));
            let (secret, t) = token::create(
                db,
                &operator,
                token::NewToken {
                    name,
                    role,
                    region_code: region,
                    expires_at,
                },
            )
            .await
            .map_err(describe)?;
            eprintln!(
                "created token {} ({:?}{}); the secret below is shown only once:",
                t.id,
                t.role,
                t.region_code.map(|r| format!(" {r}")).unwrap_or_default()
            );
            println!("{secret}");
        }
        TokenCommand::Revoke { id } => {
            let id = api::domain::parse_id("id", &id).map_err(describe)?;
            let t = token::revoke(db, &operator, id).await.map_err(describe)?;
            println!("revoked token {} ({})", t.id, t.name);
        }
        TokenCommand::List => {
            for t in token::list(db, &operator).await.map_err(describe)? {
                let state = if t.revoked_at.is_some() {
                    "revoked".to_owned()
                } else if let Some(e) = t.expires_at {
                    format!("expires {}", e.format("%Y-%m-%d"))
                } else {
                    "active".to_owned()
                };
                println!(
                    "{}\t{:?}\t{}\t{}\t{}",
                    t.id,
                    t.role,
                    t.region_code.unwrap_or_else(|| "-".into()),
                    state,
                    t.name
                );
            }
        }
    }
    Ok(())
}

async fn open(config: &Config) -> Result<sea_orm::DatabaseConnection, Box<dyn std::error::Error>> {
    if config.is_embedded_database() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "cannot create data folder {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    Ok(api::db::connect(config).await?)
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = open(&config).await?;
    api::db::migrate(&db).await?;
    if config.seed_demo
        && config.is_embedded_database()
        && api::seed::is_empty(&db).await?
        && api::seed::load_demo(&db).await? == SeedOutcome::Loaded
    {
        tracing::info!("demo data loaded into the new embedded database");
    }
    let engine = api::search_sync::engine_from_config(&config)?;
    tracing::info!(engine = engine.name(), "search engine");
    let mut state = api::state_with_guru(db.clone(), config.limits, engine.clone(), config.guru);
    api::search_sync::spawn_worker(
        db.clone(),
        engine,
        std::time::Duration::from_millis(config.search.outbox_poll_ms),
        state.response_cache.clone(),
    );
    // Every replica's writes (announced on PostgreSQL) reach this one's
    // response cache.
    let _listener = state
        .response_cache
        .clone()
        .and_then(|cache| api::response_cache::spawn_listener(&db, cache));
    state.require_token_for_reads = config.require_token_for_reads;
    state.cors_allowed_origins = config.cors_allowed_origins.clone();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!(
        address = %config.listen,
        database = if config.is_embedded_database() { "sqlite" } else { "postgres" },
        "Berguru is serving GraphiQL at http://{}/ and GraphQL at http://{}/graphql",
        config.listen,
        config.listen
    );
    axum::serve(listener, api::app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
