//! The HTTP surface: GraphQL at `/graphql` (POST, and GET for queries) and
//! `/graphql/ws` (subscriptions), GraphiQL at `/graphiql`, liveness at
//! `/healthz`, readiness at `/readyz`, Prometheus text at `/metrics`, a visit
//! plan as iCalendar at `/visits/plan.ics`, and the web app for officials at
//! `/` and its pages (routes in [`crate::web`]).
//!
//! This file holds the state every handler shares and the route table; each
//! concern has its own module:
//!
//! | module | what |
//! | --- | --- |
//! | [`execute`] | running a request with its in-task DataLoader |
//! | [`graphql`] | the `/graphql` handlers (POST, GET, WebSocket) |
//! | [`spec`] | GraphQL over HTTP by the spec: parsing, media types, status codes |
//! | `middleware` | request id, CORS |
//! | `metrics` | `/metrics` (the counters live in [`crate::metrics`]) |
//! | `ics` | `/visits/plan.ics`, `/regions/{code}/due.ics` |
//! | `assets` | the GraphiQL page (`/graphiql`) and its assets |
//! | `health` | `/healthz`, `/readyz` |

mod assets;
pub mod execute;
pub mod graphql;
mod health;
mod ics;
mod metrics;
mod middleware;
pub mod rate_limit;
mod serve;
pub mod spec;

use axum::Router;
use axum::routing::get;
use sea_orm::DatabaseConnection;

use crate::graphql::AppSchema;
pub use execute::execute_batched;
pub use serve::serve;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    /// Persisted queries, parsing, limits and error codes around the schema.
    pub gate: std::sync::Arc<crate::graphql::gate::Gate>,
    pub db: DatabaseConnection,
    /// Refuse anonymous reads.
    pub require_token_for_reads: bool,
    /// Limits (request body size, and the schema's query limits).
    pub limits: crate::config::Limits,
    /// Origins allowed to call the API from a browser (`*` for any).
    pub cors_allowed_origins: Vec<String>,
    /// Counters for `/metrics`.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// The search engine, for `/readyz` and `/visits/plan.ics`.
    pub search: crate::search_sync::Engine,
    /// Weights of the guru score, for `/visits/plan.ics`.
    pub guru: crate::domain::guru::GuruWeights,
    /// Whole responses to recent queries (`None`: off).
    pub response_cache: Option<std::sync::Arc<crate::response_cache::ResponseCache>>,
    /// This replica's event bus (what its subscriptions listen to).
    pub events: crate::events::EventBus,
    /// SQLite: where requests' writes queue their events until commit.
    pub sink: Option<crate::events::Sink>,
    /// PostgreSQL: the listener bringing every replica's events and cache
    /// invalidations to this one (aborted with the last clone).
    pub listener: Option<std::sync::Arc<crate::events::Listener>>,
    /// The process's shutdown: `/readyz`, WebSockets and the outbox worker
    /// watch it.
    pub shutdown: crate::shutdown::Shutdown,
    /// With `anonymous_persisted_only`: the only operations clients
    /// without a token may run (`None`: anyone may run anything).
    pub anonymous_operations:
        Option<std::sync::Arc<crate::graphql::registered::RegisteredOperations>>,
    /// The per-client request budget (`None`: off).
    pub rate_limiter: Option<std::sync::Arc<rate_limit::RateLimiter>>,
}

impl AppState {
    /// True unless this replica's PostgreSQL listener is disconnected.
    pub fn events_listening(&self) -> bool {
        self.listener.as_ref().is_none_or(|l| l.connected())
    }

    /// Runs one GraphQL request with its own DataLoader (whose cache lives
    /// only as long as the request); see [`execute_batched`].
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        self.execute_op(request).await.0
    }

    /// [`execute`](Self::execute), also telling whether the request was a
    /// query (`false` when refused before running, or a mutation). A
    /// mutation invalidates the response cache before its answer returns.
    pub async fn execute_op(
        &self,
        request: async_graphql::Request,
    ) -> (async_graphql::Response, bool) {
        self.gate
            .run(request, self.response_cache.as_deref(), |r| {
                execute_batched(&self.schema, &self.db, self.sink.as_ref(), r)
            })
            .await
    }
}

/// The router of the whole service.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(crate::web::routes())
        .route("/graphiql", get(assets::graphiql))
        .route("/assets/graphiql/{file}", get(assets::graphiql_asset))
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/graphql/ws", get(graphql::graphql_ws))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/visits/plan.ics", get(ics::visit_plan_ics))
        .route("/regions/{code}/due.ics", get(ics::region_due_ics))
        .fallback(crate::web::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            state.limits.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::cors,
        ))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}
