//! `berguru reindex`: rebuild the search index from the database.

use api::config::Config;

use super::CliResult;

pub(super) async fn run(config: &Config) -> CliResult {
    let db = super::open_migrated(config).await?;
    let done = rebuild(config, &db).await?;
    api::response_cache::notify_change(&db).await?;
    println!("reindexed {done}");
    Ok(())
}

/// Rebuilds the configured engine's index from `db` into fresh indexes
/// (with a progress bar on a terminal); tells how many documents went where
/// and how long it took (`N documents into ENGINE in S s`).
pub(super) async fn rebuild(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
) -> Result<String, Box<dyn std::error::Error>> {
    let engine = api::search_sync::engine_from_config(config)?;
    engine.prepare().await?;
    let started = std::time::Instant::now();
    let n = api::search_sync::reindex(db, engine.as_ref(), |done, total| {
        super::progress_bar(total as usize)(done as usize);
    })
    .await
    .map_err(|e| e.message().to_owned())?;
    Ok(format!(
        "{n} documents into {} in {:.1} s",
        engine.name(),
        started.elapsed().as_secs_f64()
    ))
}
