//! `berguru migrate`: apply pending database migrations and exit.

use api::config::Config;

use super::CliResult;

pub(super) async fn run(config: &Config) -> CliResult {
    let db = super::open_migrated(config).await?;
    api::response_cache::notify_change(&db).await?;
    tracing::info!("migrations applied");
    Ok(())
}
