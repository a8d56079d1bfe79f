//! The `berguru` command: `serve` (default), `migrate`, `seed-demo`,
//! `reindex`, `token`, `import`, `export`, `generate`, `export-schema`.
//!
//! This file parses the command line, loads the configuration, starts
//! logging and the runtime, and dispatches; each command lives in
//! `cli/<command>.rs`. Exit codes: 0 on success, 1 when the command fails,
//! 2 for a configuration error (and clap's 2 for a bad command line).

mod cli;

use std::process::ExitCode;

use api::config::Config;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's allocator: a GraphQL response is built from
/// many small short-lived allocations, and glibc's malloc/free took a fifth
/// of the CPU time of the nested list query under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let command = cli.command.unwrap_or_default();
    let config = match Config::load(cli.config.as_deref(), std::env::vars(), command.overrides()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("berguru: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = command.log_filter(&config.log);
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
    match runtime.block_on(command.run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "berguru stopped");
            eprintln!("berguru: {e}");
            ExitCode::FAILURE
        }
    }
}
