//! Serving the router on a TCP listener until a shutdown signal, then
//! shutting down gracefully (see [`crate::shutdown`]).

use std::future::Future;
use std::time::Duration;

use super::{AppState, app};

/// Serves `state` on `listener` until `signal` resolves; then starts the
/// shutdown ([`AppState::shutdown`]): `/readyz` answers 503, the listener
/// stops accepting, WebSocket clients get a close frame, and requests in
/// flight finish. Returns once every connection closed, or when `grace`
/// ran out (the connections left are then dropped, and a warning says so).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    signal: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let shutdown = state.shutdown.clone();
    let stopping = shutdown.clone();
    // The peer address is the client of the request budget.
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move { stopping.wait().await });
    let mut server = tokio::spawn(async move { server.await });
    tokio::select! {
        ended = &mut server => return ended.map_err(std::io::Error::other)?,
        () = signal => {}
        () = shutdown.wait() => {}
    }
    shutdown.begin();
    tracing::info!(
        grace_secs = grace.as_secs_f64(),
        "shutting down: not accepting, finishing requests in flight"
    );
    match tokio::time::timeout(grace, &mut server).await {
        Ok(ended) => {
            tracing::info!("every connection closed");
            ended.map_err(std::io::Error::other)?
        }
        Err(_) => {
            server.abort();
            tracing::warn!(
                grace_secs = grace.as_secs_f64(),
                "grace period over: connections still open were dropped"
            );
            Ok(())
        }
    }
}
