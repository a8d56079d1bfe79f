//! The GraphQL API: query roots by domain (`query/`), object types
//! (`types/`), DataLoaders, pagination and scalars. `build_schema` is the one
//! way to make a schema, used by the server, the SDL export and the tests.

pub mod apq;
pub mod connection;
pub mod enums;
pub mod gate;
pub mod loaders;
pub mod mutation;
pub mod pagination;
pub mod query;
pub mod registered;
pub mod resolver_spans;
pub mod scalars;
pub mod shape;
pub mod subscription;
pub mod types;

use async_graphql::{Context, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

use crate::config::Limits;
use crate::error::{ApiError, Result};
use types::MissingContext;

/// The Berguru schema.
pub type AppSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// What the schema needs to run.
#[derive(Clone, Debug)]
pub struct SchemaDeps {
    pub db: DatabaseConnection,
    pub limits: Limits,
    /// Where mutations publish changes for subscriptions.
    pub events: crate::events::EventBus,
    /// The search engine (embedded or Meilisearch).
    pub search: crate::search_sync::Engine,
    /// Weights of the guru score.
    pub guru: crate::domain::guru::GuruWeights,
}

/// Builds the schema with its shared data (pool, limits) and federation.
pub fn build_schema(deps: SchemaDeps) -> AppSchema {
    let mut builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .enable_federation()
    // Depth is the gate's (introspection has a rule of its own, see
    // `shape`); the complexity error gets its code in `gate::Gate::finish`.
    .limit_complexity(deps.limits.max_complexity);
    // No other extension: any extension makes async-graphql resolve every
    // field through boxed extension futures (see `gate`).
    if resolver_spans::wanted() {
        builder = builder.extension(resolver_spans::ResolverSpans);
    }
    builder
        .data(deps.limits)
        .data(deps.db)
        .data(deps.events)
        .data(deps.search)
        .data(deps.guru)
        .finish()
}

/// The schema as SDL, without federation directives.
pub fn public_sdl(schema: &AppSchema) -> String {
    schema.sdl_with_options(SDLExportOptions::new().sorted_fields())
}

/// The schema as a federation v2 subgraph SDL.
pub fn federation_sdl(schema: &AppSchema) -> String {
    schema.sdl_with_options(SDLExportOptions::new().federation().sorted_fields())
}

/// The database pool from the schema data.
pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
        .map_err(|_| ApiError::internal(&MissingContext("database")))
}

/// The API limits from the schema data.
pub(crate) fn limits<'a>(ctx: &'a Context<'_>) -> Result<&'a Limits> {
    ctx.data::<Limits>()
        .map_err(|_| ApiError::internal(&MissingContext("limits")))
}
