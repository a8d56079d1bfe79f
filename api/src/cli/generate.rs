//! `berguru generate`: deterministic synthetic data at national scale (for
//! load tests and benchmarks), then a rebuilt search index.

use api::config::Config;

use super::{CliResult, DataArgs, progress_bar};

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
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
    pub(super) data: DataArgs,
}

pub(super) async fn run(config: &Config, args: GenerateArgs) -> CliResult {
    let db = super::open_migrated(config).await?;
    let opts = api::generate::Options {
        practices: args.practices,
        agreements: args.agreements,
        seed: args.seed,
        replace: args.replace,
        with_demo: args.with_demo,
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
    if !args.no_index {
        let done = super::reindex::rebuild(config, &db).await?;
        println!("indexed {done}");
    }
    Ok(())
}
