//! `berguru serve` (the default): migrate, seed the demo into an empty
//! embedded database, start the search and webhook workers and the cache
//! listener, and
//! serve until SIGINT or SIGTERM, then shut down gracefully
//! (`shutdown_grace_secs`).

use api::config::Config;
use api::seed::SeedOutcome;

use super::{CliResult, DataArgs};

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080] (also BERGURU_LISTEN).
    #[arg(long)]
    pub(super) listen: Option<String>,
    #[command(flatten)]
    pub(super) data: DataArgs,
}

pub(super) async fn run(config: Config) -> CliResult {
    let db = super::open_migrated(&config).await?;
    if config.seed_demo
        && config.is_embedded_database()
        && api::seed::is_empty(&db).await?
        && api::seed::load_demo(&db).await? == SeedOutcome::Loaded
    {
        tracing::info!("demo data loaded into the new embedded database");
    }
    let engine = api::search_sync::engine_from_config(&config)?;
    tracing::info!(engine = engine.name(), "search engine");
    api::search_sync::check_at_start(engine.as_ref()).await?;
    let mut state = api::state_with_guru(db.clone(), config.limits, engine.clone(), config.guru);
    let worker = api::search_sync::spawn_worker_until(
        db.clone(),
        engine,
        std::time::Duration::from_millis(config.search.outbox_poll_ms),
        state.response_cache.clone(),
        state.shutdown.clone(),
    );
    let webhooks = api::webhook::spawn_worker(db.clone(), config.webhooks, state.shutdown.clone());
    state.require_token_for_reads = config.require_token_for_reads;
    if config.anonymous_persisted_only
        && let Some(path) = &config.persisted_operations_file
    {
        let registered = api::graphql::registered::RegisteredOperations::load(path)
            .map_err(|e| format!("persisted_operations_file: {e}"))?;
        tracing::info!(
            operations = registered.len(),
            "clients without a token may run only the registered operations"
        );
        state.anonymous_operations = Some(std::sync::Arc::new(registered));
    }
    state.cors_allowed_origins = config.cors_allowed_origins.clone();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!(
        address = %config.listen,
        database = if config.is_embedded_database() { "sqlite" } else { "postgres" },
        "Berguru is serving the web app at http://{}/, GraphiQL at http://{}/graphiql and GraphQL at http://{}/graphql",
        config.listen,
        config.listen,
        config.listen
    );
    api::http::serve(
        listener,
        state,
        shutdown_signal(),
        std::time::Duration::from_secs(config.shutdown_grace_secs),
    )
    .await?;
    // The worker stops between batches (a batch cut short commits nothing
    // and its rows stay for the next start).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), worker).await;
    // A round cut short leaves its claimed rows to be retried after the
    // lease (at least once).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), webhooks).await;
    Ok(())
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
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
