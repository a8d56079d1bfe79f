//! A request budget per client (`rate_limit_per_minute`, off by default):
//! a token bucket per client holding a minute's budget and refilled
//! continuously. A client is the SHA-256 of its `Authorization` header when
//! it sends one, else its IP address (the connection's, or the first
//! `X-Forwarded-For` entry with `trust_forwarded_for`). Beyond the budget:
//! HTTP 429 with `Retry-After`, and a GraphQL-shaped body with the code
//! `RATE_LIMITED` and `extensions.retryAfterSeconds`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;

/// Clients remembered before full buckets are forgotten.
const MAX_CLIENTS: usize = 100_000;

/// The buckets of every client.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// A limiter of `per_minute` requests per client; `None` for 0 (off).
    pub fn new(per_minute: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self {
            per_minute,
            buckets: Mutex::default(),
        })
    }

    /// Takes one request from `client`'s budget, or says after how many
    /// seconds one will be available.
    pub fn check(&self, client: &str) -> Result<(), u64> {
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
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// Who a request is charged to.
fn client(headers: &HeaderMap, peer: Option<SocketAddr>, trust_forwarded_for: bool) -> String {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let digest = Sha256::digest(auth.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        return format!("token:{hex}");
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
    match limiter.check(&who) {
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
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        // One request comes back every 20 s.
        assert_eq!(l.check("a"), Err(20));
        assert!(l.check("b").is_ok());
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
