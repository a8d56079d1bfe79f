//! A request budget per client (`rate_limit_per_minute`, off by default):
//! a token bucket per client holding a minute's budget and refilled
//! continuously. A client is the SHA-256 of its `Authorization` header when
//! it sends one, else its IP address (the connection's, or the first
//! `X-Forwarded-For` entry with `trust_forwarded_for`). Beyond the budget:
//! HTTP 429 with `Retry-After`, and a GraphQL-shaped body with the code
//! `RATE_LIMITED` and `extensions.retryAfterSeconds`.
//!
//! On PostgreSQL the buckets live in the database (`rate_buckets`, an
//! UNLOGGED table), so every replica charges the same budget: one atomic
//! upsert per request takes a token or says it has none, whichever replica
//! the request reached. Should that statement fail (the database
//! unreachable), the replica falls back to its own bucket for the client
//! rather than refusing everyone. On SQLite (one process) the buckets are
//! in memory.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use sha2::{Digest, Sha256};

use super::AppState;

/// Clients remembered before full buckets are forgotten.
const MAX_CLIENTS: usize = 100_000;

/// Shared buckets are swept of idle clients once in this many checks.
const SWEEP_EVERY: u64 = 1024;

/// Takes a token from `$1`'s shared bucket of capacity `$2` refilled at
/// `$3` a second, or records that it had none. The row is locked for the
/// statement, so concurrent requests of one client (on any replica) are
/// charged one after the other. Every expression in `SET` reads the row
/// as it was.
const TAKE: &str = "INSERT INTO rate_buckets AS b (client, tokens, at, granted)
VALUES ($1, $2::float8 - 1, now(), true)
ON CONFLICT (client) DO UPDATE SET
  tokens = LEAST($2::float8, b.tokens + EXTRACT(EPOCH FROM now() - b.at)::float8 * $3::float8)
    - CASE WHEN LEAST($2::float8, b.tokens + EXTRACT(EPOCH FROM now() - b.at)::float8 * $3::float8) >= 1
      THEN 1 ELSE 0 END,
  granted = LEAST($2::float8, b.tokens + EXTRACT(EPOCH FROM now() - b.at)::float8 * $3::float8) >= 1,
  at = now()
RETURNING tokens, granted";

/// The buckets of every client.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
    /// The database holding the buckets every replica shares (PostgreSQL).
    shared: Option<DatabaseConnection>,
    checks: AtomicU64,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// A limiter of `per_minute` requests per client, kept in this process;
    /// `None` for 0 (off).
    pub fn new(per_minute: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self {
            per_minute,
            buckets: Mutex::default(),
            shared: None,
            checks: AtomicU64::new(0),
        })
    }

    /// A limiter whose buckets live in `db` when it is PostgreSQL (shared
    /// by every replica on it), in this process otherwise; `None` for 0.
    pub fn for_database(per_minute: u32, db: &DatabaseConnection) -> Option<Self> {
        let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
        Self::new(per_minute).map(|l| Self {
            shared: postgres.then(|| db.clone()),
            ..l
        })
    }

    /// Whether every replica on the database shares the budget.
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Takes one request from `client`'s budget, or says after how many
    /// seconds one will be available.
    pub async fn check(&self, client: &str) -> Result<(), u64> {
        let Some(db) = &self.shared else {
            return self.check_local(client);
        };
        match self.check_shared(db, client).await {
            Ok(answer) => answer,
            Err(e) => {
                tracing::warn!(error = %e, "rate limit: the shared budget is unreachable; charging this replica's own");
                self.check_local(client)
            }
        }
    }

    async fn check_shared(
        &self,
        db: &DatabaseConnection,
        client: &str,
    ) -> Result<Result<(), u64>, sea_orm::DbErr> {
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            // A bucket idle for a minute is full again: the same as none.
            db.execute_unprepared(
                "DELETE FROM rate_buckets WHERE at < now() - interval '61 seconds'",
            )
            .await?;
        }
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                TAKE,
                [client.into(), cap.into(), rate.into()],
            ))
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotFound("rate_buckets row".into()))?;
        let tokens: f64 = row.try_get("", "tokens")?;
        let granted: bool = row.try_get("", "granted")?;
        Ok(if granted {
            Ok(())
        } else {
            Err(retry_after(tokens, rate))
        })
    }

    fn check_local(&self, client: &str) -> Result<(), u64> {
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_CLIENTS {
            // A full bucket is the same as no bucket.
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < cap);
        }
        let b = buckets.entry(client.to_owned()).or_insert(Bucket {
            tokens: cap,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(cap);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(retry_after(b.tokens, rate))
        }
    }
}

/// Seconds until a bucket holding `tokens` refilled at `rate` a second has
/// one (at least 1).
fn retry_after(tokens: f64, rate: f64) -> u64 {
    ((1.0 - tokens) / rate).ceil().max(1.0) as u64
}

/// Who a request is charged to.
fn client(headers: &HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> String {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        return format!(
            "token:{}",
            crate::auth::hex(&Sha256::digest(auth.as_bytes()))
        );
    }
    let forwarded = trust_forwarded_for
        .then(|| headers.get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match (forwarded, peer) {
        (Some(ip), _) => format!("ip:{ip}"),
        (None, Some(peer)) => format!("ip:{}", peer.ip()),
        (None, None) => "ip:unknown".to_owned(),
    }
}

/// The middleware: charges GraphQL and calendar requests to their client.
pub(super) async fn limit(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(limiter) = &state.rate_limiter else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if !(path.starts_with("/graphql")
        || path == "/visits/plan.ics"
        || (path.starts_with("/regions/") && path.ends_with("/due.ics")))
    {
        return next.run(req).await;
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let who = client(req.headers(), peer, state.limits.trust_forwarded_for);
    match limiter.check(&who).await {
        Ok(()) => next.run(req).await,
        Err(retry_after) => {
            state.metrics.refused("RATE_LIMITED");
            let body = serde_json::json!({ "errors": [{
                "message": format!(
                    "too many requests from this client (at most {} a minute); retry after {retry_after} s",
                    limiter.per_minute
                ),
                "extensions": { "code": "RATE_LIMITED", "retryAfterSeconds": retry_after },
            }]});
            let mut resp = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
            resp.headers_mut()
                .insert(header::RETRY_AFTER, retry_after.into());
            resp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_a_minute_and_refills() {
        let l = RateLimiter::new(3).unwrap();
        assert!(l.check_local("a").is_ok());
        assert!(l.check_local("a").is_ok());
        assert!(l.check_local("a").is_ok());
        // One request comes back every 20 s.
        assert_eq!(l.check_local("a"), Err(20));
        assert!(l.check_local("b").is_ok());
        assert!(RateLimiter::new(0).is_none());
    }

    #[test]
    fn clients_are_tokens_else_addresses() {
        let mut h = HeaderMap::new();
        let peer: SocketAddr = "10.0.0.7:5000".parse().unwrap();
        assert_eq!(client(&h, Some(peer), false), "ip:10.0.0.7");
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.1".parse().unwrap());
        assert_eq!(client(&h, Some(peer), false), "ip:10.0.0.7");
        assert_eq!(client(&h, Some(peer), true), "ip:203.0.113.9");
        h.insert(header::AUTHORIZATION, "Bearer x".parse().unwrap());
        assert!(client(&h, Some(peer), true).starts_with("token:"));
    }
}
