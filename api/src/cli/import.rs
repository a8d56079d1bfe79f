//! `berguru import`: practices, agreements, learning requests or work-plan
//! indicators from a CSV or JSON file, all
//! or nothing, through the same domain functions as the mutations.

use std::path::PathBuf;

use api::config::Config;
use api::domain::bulk;

use super::{CliResult, DataArgs, describe, progress_bar};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// `practices`, `agreements`, `requests` (learning requests) or
    /// `indicators` (work-plan indicators).
    #[arg(value_parser = ["practices", "agreements", "requests", "indicators"])]
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
    pub(super) data: DataArgs,
}

pub(super) async fn run(config: &Config, args: ImportArgs) -> CliResult {
    let db = super::open_migrated(config).await?;
    import(&db, &args).await?;
    api::response_cache::notify_change(&db).await?;
    Ok(())
}

async fn import(db: &sea_orm::DatabaseConnection, args: &ImportArgs) -> CliResult {
    let file = args.file.as_path();
    let format = match args.format.as_deref() {
        Some("csv") => bulk::Format::Csv,
        Some(_) => bulk::Format::Json,
        None => {
            bulk::Format::from_path(file).ok_or("give --format csv|json or a .csv/.json file")?
        }
    };
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let content = bulk::decode(&bytes).map_err(describe)?;
    let operator = api::auth::Viewer::Operator;
    let report = match args.what.as_str() {
        "practices" => {
            let rows = bulk::parse_practices(content, format).map_err(describe)?;
            let bar = progress_bar(rows.len());
            bulk::import_practices(db, &operator, rows, args.dry_run, bar).await
        }
        "requests" => {
            let rows = bulk::requests::parse_requests(content, format).map_err(describe)?;
            let bar = progress_bar(rows.len());
            bulk::requests::import_requests(db, &operator, rows, args.dry_run, bar).await
        }
        "indicators" => {
            let rows = bulk::requests::parse_indicators(content, format).map_err(describe)?;
            let bar = progress_bar(rows.len());
            bulk::requests::import_indicators(db, &operator, rows, args.dry_run, bar).await
        }
        _ => {
            let rows = bulk::parse_agreements(content, format).map_err(describe)?;
            let bar = progress_bar(rows.len());
            bulk::import_agreements(db, &operator, rows, args.dry_run, bar).await
        }
    }
    .map_err(describe)?;
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
