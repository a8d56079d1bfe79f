//! `berguru seed-demo`: load the demo data set (idempotent).

use api::config::Config;
use api::seed::SeedOutcome;

use super::CliResult;

pub(super) async fn run(config: &Config) -> CliResult {
    let db = super::open_migrated(config).await?;
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
