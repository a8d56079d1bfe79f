//! The commands of the `berguru` binary, one file each; `main.rs` parses
//! the command line with [`Cli`] and hands the [`Command`] to
//! [`Command::run`].
//!
//! These modules belong to the binary (`mod cli` in `main.rs`), not to the
//! `api` library: they print to the terminal, own the exit-code contract and
//! the clap definitions, and nothing else (tests, other crates) calls them.
//! Everything they do goes through the library's public functions
//! (`api::db`, `api::domain`, `api::search_sync`, ...), like any client.

mod export;
mod export_schema;
mod generate;
mod import;
mod migrate;
mod reindex;
mod seed_demo;
mod serve;
mod token;

use std::path::PathBuf;

use api::config::{Config, Overrides};
use clap::{Parser, Subcommand};

/// What a command returns; an error makes `berguru` exit with status 1.
pub type CliResult = Result<(), Box<dyn std::error::Error>>;

/// Berguru: find your guru region, track city-sharing agreements and adoptions.
#[derive(Parser, Debug)]
#[command(name = "berguru", version)]
pub struct Cli {
    /// TOML configuration file (also BERGURU_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve GraphQL (the default): migrates, seeds the demo into an empty
    /// embedded database, then listens.
    Serve(serve::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DataArgs),
    /// Load the demo data set from the source articles (idempotent).
    SeedDemo(DataArgs),
    /// Rebuild the search index from the database into fresh indexes, then
    /// swap them in (Meilisearch keeps answering meanwhile). For the
    /// embedded engine, stop the server first: it holds the index.
    Reindex(DataArgs),
    /// Manage API tokens (create prints the secret once).
    Token(token::TokenArgs),
    /// Import practices or agreements from a CSV or JSON file, all or nothing.
    Import(import::ImportArgs),
    /// Export practices or agreements as CSV or JSON (re-importable).
    Export(export::ExportArgs),
    /// Fill the database with deterministic synthetic data at national scale
    /// (for load tests and benchmarks), then rebuild the search index.
    Generate(generate::GenerateArgs),
    /// Print the GraphQL schema (SDL).
    ExportSchema(export_schema::ExportSchemaArgs),
}

// The database folder flag every command that opens the database takes.
#[derive(clap::Args, Debug, Default)]
pub struct DataArgs {
    /// Folder for the SQLite database [default: ./data] (also BERGURU_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

impl Default for Command {
    fn default() -> Self {
        Self::Serve(serve::ServeArgs::default())
    }
}

impl Command {
    /// The flags that override the configuration file and environment.
    pub fn overrides(&self) -> Overrides {
        let data = |a: &DataArgs| Overrides {
            listen: None,
            data_dir: a.data_dir.clone(),
        };
        match self {
            Self::Serve(a) => Overrides {
                listen: a.listen.clone(),
                data_dir: a.data.data_dir.clone(),
            },
            Self::Migrate(a) | Self::SeedDemo(a) | Self::Reindex(a) => data(a),
            Self::Token(a) => data(&a.data),
            Self::Import(a) => data(&a.data),
            Self::Export(a) => data(&a.data),
            Self::Generate(a) => data(&a.data),
            Self::ExportSchema(_) => Overrides::default(),
        }
    }

    /// The log filter: the configured one, except that one-shot commands,
    /// which print their own results, stay quiet at the default `info`.
    pub fn log_filter(&self, configured: &str) -> String {
        match (self, configured) {
            (Self::Serve(_), f) => f.to_owned(),
            (_, "info") => "warn".to_owned(),
            (_, f) => f.to_owned(),
        }
    }

    /// Runs the command.
    pub async fn run(self, config: Config) -> CliResult {
        match self {
            Self::Serve(_) => serve::run(config).await,
            Self::Migrate(_) => migrate::run(&config).await,
            Self::SeedDemo(_) => seed_demo::run(&config).await,
            Self::Reindex(_) => reindex::run(&config).await,
            Self::Token(a) => token::run(&config, a).await,
            Self::Import(a) => import::run(&config, a).await,
            Self::Export(a) => export::run(&config, a).await,
            Self::Generate(a) => generate::run(&config, a).await,
            Self::ExportSchema(a) => export_schema::run(&config, &a),
        }
    }
}

/// Opens the database (creating the embedded database's folder) and
/// applies pending migrations.
async fn open_migrated(
    config: &Config,
) -> Result<sea_orm::DatabaseConnection, Box<dyn std::error::Error>> {
    let db = open(config).await?;
    api::db::migrate(&db).await?;
    Ok(db)
}

/// Opens the database, creating the embedded database's folder.
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

/// An API error as the commands print it: `CODE: message`.
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
