//! Liveness (`/healthz`) and readiness (`/readyz`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::AppState;

/// Liveness: the process answers.
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers (search down or refusing the key, or
/// the event listener reconnecting, is only "degraded").
pub(super) async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.shutdown.started() {
        // Load balancers stop sending here; requests in flight finish.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "shutting down" })),
        );
    }
    match state.db.ping().await {
        Ok(()) => {
            // Search down is "degraded", not "unavailable": reads and writes
            // still work, and the outbox catches the engine up later.
            let search = state.search.health().await;
            let search_ok = search.is_ok();
            // A refused key is said with the setting to change; an engine
            // that does not answer is only "unavailable" (it may come back).
            let (search_state, search_error) = match &search {
                Ok(()) => ("ok", None),
                Err(search::SearchError::Refused(m)) => ("refused", Some(m.clone())),
                Err(_) => ("unavailable", None),
            };
            let backlog = crate::search_sync::backlog(&state.db).await.ok();
            // A replica whose PostgreSQL listener is reconnecting serves
            // reads and writes (its response cache is off meanwhile), but
            // its subscribers miss other replicas' events: "degraded".
            let listening = state.events_listening();
            let events = match &state.listener {
                None => "in-process",
                Some(_) if listening => "listening",
                Some(_) => "reconnecting",
            };
            (
                StatusCode::OK,
                Json(serde_json::json!({
                    "status": if search_ok && listening { "ready" } else { "degraded" },
                    "database": "ok",
                    "events": events,
                    "search": search_state,
                    "searchError": search_error,
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
