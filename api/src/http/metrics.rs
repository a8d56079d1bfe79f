//! `/metrics`: Prometheus text. The counters themselves live in
//! [`crate::metrics`]; this adds the search outbox backlog.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// The counters as Prometheus text (format 0.0.4).
pub(super) async fn metrics(State(state): State<AppState>) -> Response {
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
