//! The `berguru` command: `serve` (default), `migrate`, `seed-demo`,
//! `export-schema`.

use std::path::PathBuf;
use std::process::ExitCode;

use api::config::{Config, Overrides};
use api::seed::SeedOutcome;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

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
    /// Print the GraphQL schema (SDL).
    ExportSchema {
        /// Print the Apollo Federation v2 subgraph SDL instead of the public one.
        #[arg(long)]
        federation: bool,
    },
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
    #[arg(long)]
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
        Command::Migrate(a) | Command::SeedDemo(a) => Overrides {
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
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
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
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo(_) => {
            let db = open(&config).await?;
            api::db::migrate(&db).await?;
            match api::seed::load_demo(&db).await? {
                SeedOutcome::Loaded => println!("demo data loaded"),
                SeedOutcome::AlreadyPresent => {
                    println!("demo data already present; nothing changed")
                }
            }
            Ok(())
        }
        Command::Serve(_) => serve(config).await,
    }
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
        && api::seed::load_demo(&db).await? == SeedOutcome::Loaded
    {
        tracing::info!("demo data loaded into the new embedded database");
    }
    let state = api::state(db, config.limits);
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
