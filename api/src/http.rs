//! The HTTP surface: GraphQL at `/graphql` (POST, and GET for queries),
//! GraphiQL at `/`, liveness at `/healthz`, readiness at `/readyz`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::DatabaseConnection;

use crate::auth::{self, Viewer};
use crate::error::ApiError;
use crate::graphql::AppSchema;
use crate::graphql::loaders::{AppLoader, DbLoader};
use crate::graphql_http;
use crate::response_cache::{Cached, ResponseCache};

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
}

impl AppState {
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
                execute_batched(&self.schema, &self.db, r)
            })
            .await
    }
}

/// Executes `request` with a fresh DataLoader whose batch tasks run inside
/// this request's own task instead of being spawned.
///
/// async-graphql's DataLoader takes a batch a fixed delay after its first
/// key. Spawned on a multi-threaded runtime, that timer races the resolvers
/// still registering keys, so a slow machine splits one batch into several
/// and the statement count starts to depend on the number of rows. Polled
/// from the request's task, a batch task runs only once every resolver of
/// the request is waiting, so each batch holds every key that could be
/// known at that point: deterministic, and no timer latency to pay.
pub async fn execute_batched(
    schema: &AppSchema,
    db: &DatabaseConnection,
    request: async_graphql::Request,
) -> async_graphql::Response {
    use std::future::Future;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, Ordering};
    use std::task::{Context, Poll, Waker};

    use futures_util::StreamExt;
    use futures_util::stream::FuturesUnordered;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let loader = AppLoader::new(DbLoader::new(db.clone()), move |task| {
        // The receiver lives until the request is answered; a send after
        // that has no one left to wait for its result.
        let _ = tx.send(task);
    })
    .delay(std::time::Duration::ZERO);
    let mut exec = std::pin::pin!(schema.execute(request.data(loader)));
    let mut tasks = FuturesUnordered::new();
    let mut yields = 0;
    std::future::poll_fn(move |cx| {
        loop {
            // Poll the request with a waker that notices a cooperative yield
            // (futures-util's `join_all` wakes itself after 32 children, tokio
            // resources when the task's budget is spent): the request still has
            // keys to register, so no batch may run yet. A wake during the
            // poll is absorbed; one after it reaches the task as usual.
            let flag = Arc::new(YieldFlag {
                state: AtomicU8::new(POLLING),
                inner: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            let polled = exec.as_mut().poll(&mut Context::from_waker(&waker));
            let state = flag.state.swap(0, Ordering::SeqCst);
            if let Poll::Ready(response) = polled {
                return Poll::Ready(response);
            }
            if state & WOKEN != 0 {
                // Poll again at once a few times: going through the
                // scheduler for each yield woke another worker thread (a
                // fifth of the nested list query's time went to thread
                // switches). Then return to the scheduler, which also
                // restores tokio's budget; re-polling without end could
                // spin on a spent budget.
                yields += 1;
                if yields % IMMEDIATE_REPOLLS != 0 {
                    continue;
                }
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let mut progressed = false;
            while let Poll::Ready(Some(task)) = rx.poll_recv(cx) {
                tasks.push(task);
            }
            while let Poll::Ready(Some(())) = tasks.poll_next_unpin(cx) {
                progressed = true;
            }
            if !progressed {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// Yields of a request polled again at once before it goes back to the
/// scheduler.
const IMMEDIATE_REPOLLS: u32 = 16;
/// [`YieldFlag`] state: the request is being polled.
const POLLING: u8 = 1;
/// [`YieldFlag`] state: something woke the request.
const WOKEN: u8 = 2;

/// Remembers that the request was woken; a wake while it is being polled
/// is left to `execute_batched`, a later one wakes the request's task.
struct YieldFlag {
    state: std::sync::atomic::AtomicU8,
    inner: std::task::Waker,
}

impl std::task::Wake for YieldFlag {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        let before = self
            .state
            .fetch_or(WOKEN, std::sync::atomic::Ordering::SeqCst);
        if before & POLLING == 0 {
            self.inner.wake_by_ref();
        }
    }
}

/// The router of the whole service.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(graphiql))
        .route("/assets/graphiql/{file}", get(graphiql_asset))
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/visits/plan.ics", get(visit_plan_ics))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.limits.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cors))
        .layer(axum::middleware::from_fn(request_id))
        .with_state(state)
}

/// Takes the caller's `x-request-id` (when it is short, visible ASCII) or
/// makes one, logs the request under it, and returns it on the response.
async fn request_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use tracing::Instrument;
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let mut resp = next.run(req).instrument(span).await;
    if let Ok(v) = axum::http::HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// CORS for the configured origins: answers preflights and marks responses
/// to allowed origins. No configured origin: no CORS headers at all.
async fn cors(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::{HeaderValue, Method};
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = origin
        .as_deref()
        .filter(|o| {
            state
                .cors_allowed_origins
                .iter()
                .any(|a| a == "*" || a == o)
        })
        .and_then(|o| HeaderValue::from_str(o).ok());
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut resp = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    if let Some(origin) = allowed {
        let h = resp.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-request-id"),
        );
        if preflight {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(
                    "content-type, authorization, x-request-id, apollo-require-preflight",
                ),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
    }
    resp
}

async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(media) = graphql_http::negotiate(&headers) else {
        return not_acceptable();
    };
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = rejection.status();
            let (code, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
                (
                    "PAYLOAD_TOO_LARGE",
                    format!(
                        "the request body is larger than {} bytes",
                        state.limits.max_body_bytes
                    ),
                )
            } else {
                (
                    "BAD_REQUEST",
                    "the request body could not be read".to_owned(),
                )
            };
            return graphql_http::Rejection {
                status,
                code,
                message,
            }
            .into_response(media);
        }
    };
    let params = match graphql_http::parse_post(&headers, &body) {
        Ok(p) => p,
        Err(r) => return r.into_response(media),
    };
    run(state, &headers, params, media).await
}

async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = graphql_http::negotiate(&headers) else {
        return not_acceptable();
    };
    let params = match graphql_http::parse_get(query.as_deref()) {
        Ok(p) => p,
        Err(r) => return r.into_response(media),
    };
    if let Some(q) = params.get("query").and_then(|q| q.as_str())
        && graphql_http::is_mutation(q, params.get("operationName").and_then(|n| n.as_str()))
    {
        return graphql_http::Rejection {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "METHOD_NOT_ALLOWED",
            message: "mutations are sent with POST".into(),
        }
        .into_response(media);
    }
    run(state, &headers, params, media).await
}

/// Subscriptions over WebSocket (`graphql-transport-ws`, and the older
/// `graphql-ws`). The connection authenticates once, in `connection_init`
/// (`{"Authorization": "Bearer <token>"}`); its DataLoader does not cache,
/// so every event shows current data.
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: async_graphql_axum::GraphQLProtocol,
    upgrade: axum::extract::WebSocketUpgrade,
) -> Response {
    let schema = crate::graphql::gate::Gated {
        schema: state.schema.clone(),
        gate: state.gate.clone(),
        response_cache: state.response_cache.clone(),
    };
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            async_graphql_axum::GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| connection_data(state, payload))
                .serve()
        })
}

async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let header = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| {
            payload
                .get(k)
                .or_else(|| payload.get("headers").and_then(|h| h.get(k)))
        })
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let viewer = match header {
        None => Viewer::Anonymous,
        Some(h) => {
            let token = h
                .strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
                .unwrap_or(&h)
                .trim();
            auth::authenticate(&state.db, token)
                .await
                .map_err(async_graphql::Error::from)?
        }
    };
    if viewer == Viewer::Anonymous && state.require_token_for_reads {
        return Err(
            ApiError::unauthenticated("this server requires a token in connection_init").into(),
        );
    }
    let loader = AppLoader::new(DbLoader::new(state.db.clone()), tokio::spawn);
    loader.enable_all_cache(false);
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    data.insert(loader);
    Ok(data)
}

fn not_acceptable() -> Response {
    graphql_http::Rejection {
        status: StatusCode::NOT_ACCEPTABLE,
        code: "NOT_ACCEPTABLE",
        message: "accept application/graphql-response+json or application/json".into(),
    }
    .into_response(graphql_http::MediaType::Json)
}

async fn run(
    state: AppState,
    headers: &HeaderMap,
    params: serde_json::Map<String, serde_json::Value>,
    media: graphql_http::MediaType,
) -> Response {
    let started = std::time::Instant::now();
    let viewer = match bearer_token(headers) {
        Ok(None) => Viewer::Anonymous,
        Ok(Some(token)) => match auth::authenticate(&state.db, token).await {
            Ok(v) => v,
            Err(e) => return error_response(StatusCode::UNAUTHORIZED, e),
        },
        Err(e) => return error_response(StatusCode::UNAUTHORIZED, e),
    };
    if viewer == Viewer::Anonymous && state.require_token_for_reads {
        return error_response(
            StatusCode::UNAUTHORIZED,
            ApiError::unauthenticated(
                "this server requires a token: send `Authorization: Bearer <token>`",
            ),
        );
    }
    let cache = state
        .response_cache
        .as_ref()
        .map(|c| (c, ResponseCache::key(&viewer, media.as_str(), &params)));
    if let Some((c, key)) = &cache
        && let Some(hit) = c.get(key)
    {
        let operation = params.get("operationName").and_then(|n| n.as_str());
        state
            .metrics
            .record(operation, started.elapsed(), std::iter::empty());
        state.metrics.cache_hit();
        return graphql_http::with_body(hit.status, hit.body, media);
    }
    let generation = state.response_cache.as_ref().map_or(0, |c| c.generation());
    let request = match graphql_http::build_request(params) {
        Ok(r) => r,
        Err(r) => return r.into_response(media),
    };
    let operation = request.operation_name.clone();
    let (response, is_query) = state.execute_op(request.data(viewer)).await;
    state.metrics.record(
        operation.as_deref(),
        started.elapsed(),
        response.errors.iter().map(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .map_or_else(
                    || "UNKNOWN".to_owned(),
                    |c| c.to_string().trim_matches('"').to_owned(),
                )
        }),
    );
    let cacheable = is_query && response.errors.is_empty();
    let (status, body) = graphql_http::serialise(response, media);
    let body = Bytes::from(body);
    if cacheable && let Some((c, key)) = cache {
        c.put(
            key,
            generation,
            Cached {
                status,
                body: body.clone(),
            },
        );
    }
    graphql_http::with_body(status, body, media)
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state.metrics.render(&state.db);
    if let Ok(n) = crate::search_sync::backlog(&state.db).await {
        use std::fmt::Write;
        body.push_str(
            "# HELP berguru_search_outbox_backlog Changes waiting to reach the search engine.\n",
        );
        body.push_str("# TYPE berguru_search_outbox_backlog gauge\n");
        let _ = writeln!(body, "berguru_search_outbox_backlog {n}");
    }
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    resp
}

/// The token of an `Authorization: Bearer <token>` header, if any.
fn bearer_token(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthenticated("the Authorization header is not text"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(ApiError::unauthenticated(
            "use `Authorization: Bearer <token>`",
        )),
    }
}

/// A GraphQL-shaped error body with an HTTP status.
/// `GET /visits/plan.ics?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02`
/// (also `maxHosts`, `maxDays`, `travelMode` = `AUTO`, `ROAD` or `AIR`):
/// the plan of `planVisits` as an iCalendar file to import into calendars.
/// Bad input is a 400 with the GraphQL error shape and its stable code.
async fn visit_plan_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let viewer = match bearer_token(&headers) {
        Ok(None) => Viewer::Anonymous,
        Ok(Some(token)) => match auth::authenticate(&state.db, token).await {
            Ok(v) => v,
            Err(e) => return error_response(StatusCode::UNAUTHORIZED, e),
        },
        Err(e) => return error_response(StatusCode::UNAUTHORIZED, e),
    };
    if viewer == Viewer::Anonymous && state.require_token_for_reads {
        return error_response(
            StatusCode::UNAUTHORIZED,
            ApiError::unauthenticated(
                "this server requires a token: send `Authorization: Bearer <token>`",
            ),
        );
    }
    let input = match plan_params(&params) {
        Ok(i) => i,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, e),
    };
    match crate::domain::visit::plan::plan(&state.db, state.search.as_ref(), &state.guru, &input)
        .await
    {
        Ok(plan) => {
            let name = format!(
                "attachment; filename=\"berguru-plan-{}-{}.ics\"",
                plan.seeker.code,
                plan.from.format("%Y%m%d")
            );
            (
                StatusCode::OK,
                [
                    (
                        header::CONTENT_TYPE,
                        "text/calendar; charset=utf-8".to_owned(),
                    ),
                    (header::CONTENT_DISPOSITION, name),
                ],
                crate::domain::visit::plan::to_ics(&plan),
            )
                .into_response()
        }
        Err(e) => {
            let status = match e.code() {
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "SEARCH_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, e)
        }
    }
}

fn plan_params(
    params: &[(String, String)],
) -> Result<crate::domain::visit::plan::PlanInput, ApiError> {
    use crate::domain::visit::plan::{PlanInput, TravelMode};
    let one = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let date = |k: &str| -> Result<chrono::NaiveDate, ApiError> {
        let v = one(k).ok_or_else(|| ApiError::bad_input(k, format!("{k} is required")))?;
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_input(k, format!("{v:?} is not a date like 2026-12-01")))
    };
    let number = |k: &str| -> Result<Option<usize>, ApiError> {
        one(k)
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| ApiError::bad_input(k, format!("{v:?} is not a whole number")))
            })
            .transpose()
    };
    let seeker = one("seeker")
        .ok_or_else(|| ApiError::bad_input("seeker", "seeker is required"))?
        .to_owned();
    let topics: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "topic" || k == "topics")
        .map(|(_, v)| v.clone())
        .collect();
    let travel_mode = match one("travelMode") {
        None | Some("AUTO") => TravelMode::Auto,
        Some("ROAD") => TravelMode::Road,
        Some("AIR") => TravelMode::Air,
        Some(v) => {
            return Err(ApiError::bad_input(
                "travelMode",
                format!("{v:?} is not AUTO, ROAD or AIR"),
            ));
        }
    };
    Ok(PlanInput {
        seeker,
        topics,
        from: date("from")?,
        to: date("to")?,
        max_hosts: number("maxHosts")?.unwrap_or(3),
        max_days: number("maxDays")?,
        travel_mode,
    })
}

fn error_response(status: StatusCode, e: ApiError) -> Response {
    let err: async_graphql::Error = e.into();
    let body =
        serde_json::json!({ "errors": [{ "message": err.message, "extensions": err.extensions }] });
    (status, Json(body)).into_response()
}

/// The GraphiQL page; its scripts and styles come from this server
/// (`/assets/graphiql/*`), never a CDN: government networks are often closed.
async fn graphiql() -> Html<&'static str> {
    Html(include_str!("../assets/graphiql/index.html"))
}

/// The GraphiQL assets, compiled into the binary (see
/// `api/assets/graphiql/SOURCE.md` for versions and licences).
async fn graphiql_asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    const JS: &str = "text/javascript; charset=utf-8";
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "graphiql.min.js" => (include_bytes!("../assets/graphiql/graphiql.min.js"), JS),
        "graphiql.min.css" => (
            include_bytes!("../assets/graphiql/graphiql.min.css"),
            "text/css; charset=utf-8",
        ),
        "react.production.min.js" => (
            include_bytes!("../assets/graphiql/react.production.min.js"),
            JS,
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../assets/graphiql/react-dom.production.min.js"),
            JS,
        ),
        "berguru-graphiql.js" => (include_bytes!("../assets/graphiql/berguru-graphiql.js"), JS),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => {
            // Search down is "degraded", not "unavailable": reads and writes
            // still work, and the outbox catches the engine up later.
            let search_ok = state.search.health().await.is_ok();
            let backlog = crate::search_sync::backlog(&state.db).await.ok();
            (
                StatusCode::OK,
                Json(serde_json::json!({
                    "status": if search_ok { "ready" } else { "degraded" },
                    "database": "ok",
                    "search": if search_ok { "ok" } else { "unavailable" },
                    "searchEngine": state.search.name(),
                    "searchOutboxBacklog": backlog,
                })),
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
        }
    }
}
