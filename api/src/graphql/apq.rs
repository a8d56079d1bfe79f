//! Automatic persisted queries (the Apollo protocol): a client sends only
//! the SHA-256 of a query it sent before; a miss answers
//! `PERSISTED_QUERY_NOT_FOUND` (message `PersistedQueryNotFound`, which
//! Apollo clients look for) and the client resends the full query with its
//! hash, which is then remembered. The cache is bounded; the oldest entry
//! leaves when it is full (least recently used). It is per process: a miss on another replica
//! only costs one resend.
//!
//! This runs before the schema sees the request ([`super::gate`]), not as
//! an async-graphql extension: any extension on the schema turns off
//! async-graphql's fast path for every field of every query.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::{Request, ServerError};
use sha2::{Digest, Sha256};

use crate::error::coded;

/// The shared cache of persisted queries.
#[derive(Clone)]
pub struct PersistedQueries {
    cache: Arc<Mutex<Cache>>,
}

struct Cache {
    capacity: usize,
    tick: u64,
    entries: HashMap<String, (u64, String)>,
}

impl PersistedQueries {
    /// A cache holding at most `capacity` queries.
    pub fn new(capacity: usize) -> Self {
        Self {
            cache: Arc::new(Mutex::new(Cache {
                capacity: capacity.max(1),
                tick: 0,
                entries: HashMap::new(),
            })),
        }
    }

    fn get(&self, hash: &str) -> Option<String> {
        let mut c = self.cache.lock().ok()?;
        c.tick += 1;
        let tick = c.tick;
        let entry = c.entries.get_mut(hash)?;
        entry.0 = tick;
        Some(entry.1.clone())
    }

    fn put(&self, hash: String, query: String) {
        let Ok(mut c) = self.cache.lock() else { return };
        c.tick += 1;
        let tick = c.tick;
        if c.entries.len() >= c.capacity && !c.entries.contains_key(&hash) {
            // Least recently used leaves; a scan only when the cache is full.
            if let Some(oldest) = c
                .entries
                .iter()
                .min_by_key(|(_, (t, _))| *t)
                .map(|(k, _)| k.clone())
            {
                c.entries.remove(&oldest);
            }
        }
        c.entries.insert(hash, (tick, query));
    }
}

impl PersistedQueries {
    /// Resolves the `persistedQuery` extension of `request`, if it has one:
    /// fills in the query of a known hash, remembers a new one, or refuses.
    pub fn resolve(&self, mut request: Request) -> Result<Request, ServerError> {
        let Some(pq) = request.extensions.remove("persistedQuery") else {
            return Ok(request);
        };
        let pq = pq.into_json().unwrap_or_default();
        if pq.get("version").and_then(|v| v.as_i64()) != Some(1) {
            return Err(coded(
                "only version 1 of persisted queries is supported",
                "PERSISTED_QUERY_NOT_SUPPORTED",
            ));
        }
        let Some(hash) = pq
            .get("sha256Hash")
            .and_then(|h| h.as_str())
            .map(str::to_ascii_lowercase)
        else {
            return Err(coded("persistedQuery needs a sha256Hash", "BAD_USER_INPUT"));
        };
        if request.query.is_empty() {
            return match self.get(&hash) {
                Some(query) => {
                    request.query = query;
                    Ok(request)
                }
                None => Err(coded("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")),
            };
        }
        let actual = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if actual != hash {
            return Err(coded(
                "provided sha256Hash does not match the query",
                "BAD_USER_INPUT",
            ));
        }
        // The text is kept, not a parsed document: a hit goes through the
        // normal parse, validation and limits again. Only queries that parse
        // are remembered.
        if async_graphql::parser::parse_query(&request.query).is_ok() {
            self.put(hash, request.query.clone());
        }
        Ok(request)
    }
}
