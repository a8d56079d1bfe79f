//! An in-process cache of whole GraphQL responses to queries, so a read
//! that was answered a moment ago is answered again without touching the
//! schema or the database.
//!
//! What keeps it correct:
//! - Only queries are stored, only when they succeeded without any error,
//!   keyed by everything that shapes the answer: the viewer (token id or
//!   anonymous), the response media type, and the request's `query`,
//!   `operationName`, `variables` and `extensions` exactly as sent.
//! - A generation counter: an entry remembers the generation read *before*
//!   its query ran, and is served only while the generation is unchanged.
//!   [`ResponseCache::invalidate`] bumps it after every mutation the server
//!   runs (before the mutation's response leaves, so a client reads its
//!   own writes), and after the search outbox worker changes the index.
//! - Other replicas: on PostgreSQL every write transaction, and every index
//!   change, sends `NOTIFY berguru_changes` ([`notify_change`], delivered
//!   at commit), and the replica's listener ([`crate::events::Listener`],
//!   which also carries subscription events; [`spawn_listener`] is a
//!   cache-only one) bumps the generation on each notification. While the listener is not connected, the cache serves
//!   nothing.
//! - Writes that bypass Berguru (SQL by hand) are seen when the entry's
//!   time to live (`response_cache_ttl_secs`, default 30 s) runs out.
//! - Memory is bounded by `response_cache_mb`; `0` turns the cache off.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

use crate::auth::Viewer;

/// The PostgreSQL channel writes are announced on.
pub const CHANNEL: &str = "berguru_changes";

/// Announces a write to every replica's cache. On PostgreSQL, inside a
/// transaction, the notification is delivered only if it commits (and
/// once per transaction however often it is sent). Nothing on SQLite,
/// which one process serves.
pub async fn notify_change(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(&format!("SELECT pg_notify('{CHANNEL}', '')"))
            .await?;
    }
    Ok(())
}

/// On PostgreSQL, listens for writes announced by any replica (this one
/// included) for as long as the task runs, invalidating `cache` on each
/// (and on every lost or regained connection). Until it listens, the cache
/// serves nothing. `None` on SQLite.
pub fn spawn_listener(
    db: &DatabaseConnection,
    cache: Arc<ResponseCache>,
) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let pool = db.get_postgres_connection_pool().clone();
    let mut down = ListenerDown::new(cache);
    Some(tokio::spawn(async move {
        loop {
            if let Err(e) = listen(&pool, &mut down).await {
                tracing::warn!(error = %e, "response cache: change listener lost; retrying");
            }
            down.set(true);
            down.cache.invalidate();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

async fn listen(
    pool: &sea_orm::sqlx::PgPool,
    down: &mut ListenerDown,
) -> Result<(), sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Writes made while no one listened are unknown: start afresh.
    down.cache.invalidate();
    down.set(false);
    loop {
        listener.recv().await?;
        down.cache.invalidate();
    }
}

/// Counts its listener as down while it is; forgets it when the listener
/// task ends or is aborted.
pub(crate) struct ListenerDown {
    pub(crate) cache: Arc<ResponseCache>,
    down: bool,
}

impl ListenerDown {
    /// A listener of `cache`, down until it says it listens.
    pub(crate) fn new(cache: Arc<ResponseCache>) -> Self {
        let mut d = Self { cache, down: false };
        d.set(true);
        d
    }

    /// Marks the listener down (the cache serves nothing) or up.
    pub(crate) fn set(&mut self, down: bool) {
        if down != self.down {
            if down {
                self.cache.listeners_down.fetch_add(1, Ordering::SeqCst);
            } else {
                self.cache.listeners_down.fetch_sub(1, Ordering::SeqCst);
            }
            self.down = down;
        }
    }
}

impl Drop for ListenerDown {
    fn drop(&mut self) {
        self.set(false);
    }
}

/// A stored response: status and body as sent.
#[derive(Clone, Debug)]
pub struct Cached {
    pub status: StatusCode,
    pub body: Bytes,
}

struct Entry {
    generation: u64,
    stored: Instant,
    response: Cached,
}

/// The cache of one server.
pub struct ResponseCache {
    budget: usize,
    ttl: Duration,
    generation: AtomicU64,
    listeners_down: AtomicUsize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bytes: usize,
    entries: HashMap<String, Entry>,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("budget", &self.budget)
            .field("ttl", &self.ttl)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl ResponseCache {
    /// A cache of at most `mb` MiB of responses, each kept `ttl` at most;
    /// `None` when `mb` is 0 (caching off).
    pub fn new(mb: usize, ttl: Duration) -> Option<Self> {
        (mb > 0 && !ttl.is_zero()).then(|| Self {
            budget: mb.saturating_mul(1024 * 1024),
            ttl,
            generation: AtomicU64::new(0),
            listeners_down: AtomicUsize::new(0),
            inner: Mutex::default(),
        })
    }

    /// The current generation; read it before running a query whose
    /// answer may be stored.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Makes every stored response stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// True when every change listener of this cache is connected.
    pub fn listening(&self) -> bool {
        self.listeners_down.load(Ordering::SeqCst) == 0
    }

    /// The key of a request: viewer, media type and the request's own
    /// parameters (serialised as sent).
    pub fn key(
        viewer: &Viewer,
        media: &str,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let who = match viewer.token_id() {
            Some(id) => id.to_string(),
            None => format!("{viewer:?}"),
        };
        let mut key = format!("{who}\u{1f}{media}\u{1f}");
        for name in ["query", "operationName", "variables", "extensions"] {
            if let Some(v) = params.get(name) {
                key.push_str(&v.to_string());
            }
            key.push('\u{1f}');
        }
        key
    }

    /// The stored response for `key`, if it is still current.
    pub fn get(&self, key: &str) -> Option<Cached> {
        if !self.listening() {
            return None;
        }
        let now = self.generation();
        let inner = self.inner.lock().ok()?;
        let e = inner.entries.get(key)?;
        (e.generation == now && e.stored.elapsed() < self.ttl).then(|| e.response.clone())
    }

    /// Stores the response to a query that started at `generation`.
    pub fn put(&self, key: String, generation: u64, response: Cached) {
        let size = key.len() + response.body.len();
        if size > self.budget / 16 || generation != self.generation() {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.bytes + size > self.budget {
            // Make room: stale entries leave first, then everything (rare,
            // and simpler than an LRU on the hot path).
            let now = self.generation();
            let ttl = self.ttl;
            inner
                .entries
                .retain(|_, e| e.generation == now && e.stored.elapsed() < ttl);
            inner.bytes = inner
                .entries
                .iter()
                .map(|(k, e)| k.len() + e.response.body.len())
                .sum();
            if inner.bytes + size > self.budget {
                inner.entries.clear();
                inner.bytes = 0;
            }
        }
        let key_len = key.len();
        let replaced = inner.entries.insert(
            key,
            Entry {
                generation,
                stored: Instant::now(),
                response,
            },
        );
        inner.bytes += size;
        if let Some(old) = replaced {
            inner.bytes -= key_len + old.response.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(body: &str) -> Cached {
        Cached {
            status: StatusCode::OK,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn cache(ttl: Duration) -> ResponseCache {
        ResponseCache::new(1, ttl).unwrap()
    }

    #[test]
    fn an_entry_is_served_until_the_generation_moves() {
        let cache = cache(Duration::from_secs(60));
        cache.put("k".into(), cache.generation(), cached("a"));
        assert_eq!(cache.get("k").map(|c| c.body), Some(Bytes::from("a")));
        assert!(cache.get("other").is_none());
        cache.invalidate();
        assert!(cache.get("k").is_none());
    }

    #[test]
    fn a_response_computed_before_a_write_is_not_stored() {
        let cache = cache(Duration::from_secs(60));
        let before = cache.generation();
        cache.invalidate();
        cache.put("k".into(), before, cached("old"));
        assert!(cache.get("k").is_none());
    }

    #[test]
    fn a_cache_whose_listener_is_down_serves_nothing() {
        let cache = Arc::new(cache(Duration::from_secs(60)));
        cache.put("k".into(), cache.generation(), cached("a"));
        let down = ListenerDown::new(cache.clone());
        assert!(cache.get("k").is_none());
        drop(down);
        assert!(cache.get("k").is_some());
    }

    #[test]
    fn entries_expire_and_the_budget_holds() {
        let short = cache(Duration::from_millis(1));
        short.put("k".into(), short.generation(), cached("a"));
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get("k").is_none());

        let cache = cache(Duration::from_secs(60));
        let body = "x".repeat(60 * 1024);
        for i in 0..100 {
            cache.put(format!("k{i}"), cache.generation(), cached(&body));
            let inner = cache.inner.lock().unwrap();
            assert!(inner.bytes <= 1024 * 1024, "{}", inner.bytes);
        }
        assert!(cache.get("k99").is_some());
        assert!(ResponseCache::new(0, Duration::from_secs(60)).is_none());
    }

    #[test]
    fn keys_tell_viewers_and_variables_apart() {
        let params = |v: serde_json::Value| {
            serde_json::json!({ "query": "{ a }", "variables": v })
                .as_object()
                .unwrap()
                .clone()
        };
        let anon = ResponseCache::key(
            &Viewer::Anonymous,
            "json",
            &params(serde_json::json!({"x": 1})),
        );
        let other = ResponseCache::key(
            &Viewer::Anonymous,
            "json",
            &params(serde_json::json!({"x": 2})),
        );
        let editor = ResponseCache::key(
            &Viewer::Editor {
                token_id: uuid::Uuid::nil(),
                region: "32.11".into(),
            },
            "json",
            &params(serde_json::json!({"x": 1})),
        );
        assert_ne!(anon, other);
        assert_ne!(anon, editor);
    }
}
