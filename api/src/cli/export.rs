//! `berguru export`: practices, agreements, learning requests or work-plan
//! indicators as CSV or JSON (re-importable).

use std::path::PathBuf;

use api::config::Config;
use api::domain::bulk;

use super::{CliResult, DataArgs, describe};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// `practices`, `agreements`, `requests` or `indicators`.
    #[arg(value_parser = ["practices", "agreements", "requests", "indicators"])]
    what: String,
    /// `json` (default) or `csv`.
    #[arg(long, value_parser = ["csv", "json"], default_value = "json")]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    pub(super) data: DataArgs,
}

pub(super) async fn run(config: &Config, args: ExportArgs) -> CliResult {
    let db = super::open_migrated(config).await?;
    let format = if args.format == "csv" {
        bulk::Format::Csv
    } else {
        bulk::Format::Json
    };
    let text = match args.what.as_str() {
        "practices" => bulk::render_practices(
            &bulk::export_practices(&db).await.map_err(describe)?,
            format,
        ),
        "requests" => bulk::requests::render_requests(
            &bulk::requests::export_requests(&db, None)
                .await
                .map_err(describe)?,
            format,
        ),
        "indicators" => bulk::requests::render_indicators(
            &bulk::requests::export_indicators(&db)
                .await
                .map_err(describe)?,
            format,
        ),
        _ => bulk::render_agreements(
            &bulk::export_agreements(&db).await.map_err(describe)?,
            format,
        ),
    }
    .map_err(describe)?;
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}
