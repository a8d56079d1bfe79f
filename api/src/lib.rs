//! Berguru: the GraphQL API for city sharing between Indonesian regions.
//!
//! Two functions build the service from its inputs and are shared by `main`
//! and the tests: [`graphql::build_schema`] and [`http::app`]. `main` only
//! loads config, connects, migrates, seeds and serves.

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod response_cache;
pub mod search_sync;
pub mod seed;
pub mod shutdown;
pub mod web;
pub mod webhook;

pub use graphql::{AppSchema, SchemaDeps, build_schema};
pub use http::{AppState, app};

/// Builds the application state (schema, pool and search engine) from a
/// connection, limits and an engine. On PostgreSQL (inside a Tokio
/// runtime) it also starts the replica's event and cache listener.
pub fn state(
    db: sea_orm::DatabaseConnection,
    limits: config::Limits,
    search: search_sync::Engine,
) -> AppState {
    state_with_guru(db, limits, search, domain::guru::GuruWeights::default())
}

/// [`state`] with the guru score's weights from configuration.
pub fn state_with_guru(
    db: sea_orm::DatabaseConnection,
    limits: config::Limits,
    search: search_sync::Engine,
    guru: domain::guru::GuruWeights,
) -> AppState {
    let bus = events::EventBus::default();
    let schema = build_schema(SchemaDeps {
        db: db.clone(),
        limits,
        events: bus.clone(),
        search: search.clone(),
        guru,
    });
    let response_cache = response_cache::ResponseCache::new(
        limits.response_cache_mb,
        std::time::Duration::from_secs(limits.response_cache_ttl_secs),
    )
    .map(std::sync::Arc::new);
    // PostgreSQL: every replica's events and cache invalidations arrive
    // through LISTEN; SQLite: one process, writes publish in process.
    let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let listener =
        events::spawn_listener(&db, bus.clone(), response_cache.clone()).map(std::sync::Arc::new);
    let rate_limiter =
        http::rate_limit::RateLimiter::for_database(limits.rate_limit_per_minute, &db)
            .map(std::sync::Arc::new);
    AppState {
        schema,
        gate: std::sync::Arc::new(graphql::gate::Gate::new(limits)),
        db,
        require_token_for_reads: false,
        limits,
        cors_allowed_origins: Vec::new(),
        metrics: std::sync::Arc::new(metrics::Metrics::default()),
        search,
        guru,
        response_cache,
        sink: (!postgres).then(|| events::Sink::new(bus.clone())),
        events: bus,
        listener,
        shutdown: shutdown::Shutdown::default(),
        anonymous_operations: None,
        rate_limiter,
    }
}
