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

/// Readiness: the database answers (search down, or the event listener
/// reconnecting, is only "degraded").
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
            let search_ok = state.search.health().await.is_ok();
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
