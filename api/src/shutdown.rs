//! Graceful shutdown, shared by the HTTP server, the WebSocket connections
//! and the search outbox worker.
//!
//! [`Shutdown::begin`] (on SIGTERM or Ctrl-C) at once makes `/readyz`
//! answer 503, makes the listener stop accepting, tells every WebSocket
//! connection to send a close frame (1001, going away), and tells the
//! outbox worker to stop between batches; requests in flight finish within
//! the grace period (`shutdown_grace_secs`), see [`crate::http::serve`].

use std::sync::Arc;

use tokio::sync::watch;

/// The shutdown state of one process; cheap to clone.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            tx: Arc::new(watch::channel(false).0),
        }
    }
}

impl Shutdown {
    /// Starts the shutdown (idempotent).
    pub fn begin(&self) {
        self.tx.send_replace(true);
    }

    /// True once the shutdown started.
    pub fn started(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once the shutdown started.
    pub async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so this only returns once it is true.
        let _ = rx.wait_for(|s| *s).await;
    }
}
