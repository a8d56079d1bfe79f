//! The `/graphql` handlers: POST and GET by the GraphQL-over-HTTP spec
//! (see [`super::spec`]), and subscriptions over WebSocket.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::AppState;
use super::execute::SocketExecutor;
use super::spec::{self, error_response};
use crate::auth::{self, Viewer};
use crate::error::ApiError;
use crate::response_cache::{Cached, ResponseCache};

pub(super) async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(media) = spec::negotiate(&headers) else {
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
            return spec::Rejection {
                status,
                code,
                message,
            }
            .into_response(media);
        }
    };
    let params = match spec::parse_post(&headers, &body) {
        Ok(p) => p,
        Err(r) => return r.into_response(media),
    };
    run(state, &headers, params, media).await
}

pub(super) async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(media) = spec::negotiate(&headers) else {
        return not_acceptable();
    };
    let params = match spec::parse_get(query.as_deref()) {
        Ok(p) => p,
        Err(r) => return r.into_response(media),
    };
    if let Some(q) = params.get("query").and_then(|q| q.as_str())
        && spec::is_mutation(q, params.get("operationName").and_then(|n| n.as_str()))
    {
        return spec::Rejection {
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
/// (`{"Authorization": "Bearer <token>"}`, also under `headers`). Each
/// operation runs with its own in-task DataLoader ([`SocketExecutor`]); a
/// subscription's does not cache, so every event shows current data.
pub(super) async fn graphql_ws(
    State(state): State<AppState>,
    protocol: async_graphql_axum::GraphQLProtocol,
    upgrade: axum::extract::WebSocketUpgrade,
) -> Response {
    let executor = SocketExecutor::new(state.clone());
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            use futures_util::{SinkExt, StreamExt};
            let shutdown = state.shutdown.clone();
            let (mut tx, rx) = socket.split();
            // On shutdown the client's side is cut, which ends the
            // operations; then the client gets a close frame (1001).
            let stopping = shutdown.clone();
            let rx = rx.take_until(async move { stopping.wait().await });
            async_graphql_axum::GraphQLWebSocket::new_with_pair(&mut tx, rx, executor, protocol)
                .on_connection_init(move |payload| connection_data(state, payload))
                .serve()
                .await;
            if shutdown.started() {
                let close = axum::extract::ws::CloseFrame {
                    code: axum::extract::ws::close_code::AWAY,
                    reason: "the server is shutting down; reconnect".into(),
                };
                let _ = tx
                    .send(axum::extract::ws::Message::Close(Some(close)))
                    .await;
                let _ = tx.close().await;
            }
        })
}

async fn connection_data(
    state: AppState,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let value = ["Authorization", "authorization"].iter().find_map(|k| {
        payload
            .get(k)
            .or_else(|| payload.get("headers").and_then(|h| h.get(k)))
    });
    // `null` is no token, as an absent key; anything else must be text.
    let header = match value {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .ok_or_else(|| ApiError::unauthenticated("the Authorization value is not text"))?,
        ),
    };
    let viewer = auth::authenticate(&state.db, header).await?;
    if viewer == Viewer::Anonymous && state.require_token_for_reads {
        return Err(
            ApiError::unauthenticated("this server requires a token in connection_init").into(),
        );
    }
    // Registered operations only, for clients without a token: over the
    // WebSocket that means no anonymous connection at all.
    if viewer == Viewer::Anonymous && state.anonymous_operations.is_some() {
        return Err(ApiError::unauthenticated(
            "this server runs only registered operations for clients without a token; a WebSocket needs a token in connection_init",
        )
        .into());
    }
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    Ok(data)
}

fn not_acceptable() -> Response {
    spec::Rejection {
        status: StatusCode::NOT_ACCEPTABLE,
        code: "NOT_ACCEPTABLE",
        message: "accept application/graphql-response+json or application/json".into(),
    }
    .into_response(spec::MediaType::Json)
}

async fn run(
    state: AppState,
    headers: &HeaderMap,
    params: serde_json::Map<String, serde_json::Value>,
    media: spec::MediaType,
) -> Response {
    let started = std::time::Instant::now();
    let viewer = match viewer(&state, headers).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
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
        return spec::with_body(hit.status, hit.body, media);
    }
    let generation = state.response_cache.as_ref().map_or(0, |c| c.generation());
    let request = match spec::build_request(params) {
        Ok(r) => r,
        Err(r) => return r.into_response(media),
    };
    let request = match (&viewer, &state.anonymous_operations) {
        (Viewer::Anonymous, Some(registered)) => match registered.admit(request) {
            Ok(r) => r,
            Err(refused) => {
                state.metrics.refused("PERSISTED_QUERY_REQUIRED");
                let (status, body) =
                    spec::serialise(async_graphql::Response::from_errors(vec![refused]), media);
                return spec::with_body(status, Bytes::from(body), media);
            }
        },
        _ => request,
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
    let (status, body) = spec::serialise(response, media);
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
    spec::with_body(status, body, media)
}

/// The caller of an HTTP request, from its `Authorization` header (see
/// [`auth::authenticate`]); a refusal is the 401 to answer. Anonymous
/// callers are refused when the server requires a token for reads.
pub(super) async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    // A token that cannot be checked because the database is unreachable
    // is no refusal: 503, to retry.
    authenticate(state, headers).await.map_err(|e| match e {
        ApiError::ServiceUnavailable {
            retry_after_secs, ..
        } => {
            let mut r = error_response(StatusCode::SERVICE_UNAVAILABLE, e);
            r.headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
            r
        }
        e => error_response(StatusCode::UNAUTHORIZED, e),
    })
}

/// [`viewer`] as an error rather than a response (the web app renders its
/// own page for it).
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Viewer, ApiError> {
    let header = match headers.get(header::AUTHORIZATION).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => {
            return Err(ApiError::unauthenticated(
                "the Authorization header is not text",
            ));
        }
    };
    let viewer = auth::authenticate(&state.db, header).await?;
    if viewer == Viewer::Anonymous && state.require_token_for_reads {
        return Err(ApiError::unauthenticated(
            "this server requires a token: send `Authorization: Bearer <token>`",
        ));
    }
    Ok(viewer)
}
