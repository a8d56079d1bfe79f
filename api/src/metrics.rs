//! Prometheus metrics at `/metrics`: GraphQL requests and their latency per
//! operation name, errors by code, and database pool use. Operation names
//! are client-chosen, so labels are bounded: a name must look like an
//! identifier, and past `MAX_OPERATIONS` distinct names the rest count as
//! `other`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// Distinct operation names tracked before the rest count as `other`.
const MAX_OPERATIONS: usize = 200;

/// Latency bucket bounds, seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The process's counters.
#[derive(Default)]
pub struct Metrics {
    operations: Mutex<HashMap<String, Series>>,
    errors: Mutex<HashMap<String, u64>>,
    cache_hits: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

fn label(name: Option<&str>) -> String {
    match name {
        Some(n)
            if !n.is_empty()
                && n.len() <= 64
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            n.to_owned()
        }
        Some(_) => "invalid".to_owned(),
        None => "anonymous".to_owned(),
    }
}

impl Metrics {
    /// Counts a request answered from the response cache (it is also
    /// recorded as a request).
    pub fn cache_hit(&self) {
        self.cache_hits
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts a request refused before it reached the schema (rate limit,
    /// unregistered operation) under its error code.
    pub fn refused(&self, code: &str) {
        if let Ok(mut errs) = self.errors.lock() {
            *errs.entry(code.to_owned()).or_default() += 1;
        }
    }

    /// Records one GraphQL request.
    pub fn record(
        &self,
        operation: Option<&str>,
        elapsed: Duration,
        error_codes: impl Iterator<Item = String>,
    ) {
        let secs = elapsed.as_secs_f64();
        if let Ok(mut ops) = self.operations.lock() {
            let mut name = label(operation);
            if !ops.contains_key(&name) && ops.len() >= MAX_OPERATIONS {
                name = "other".to_owned();
            }
            let s = ops.entry(name).or_default();
            s.count += 1;
            s.sum += secs;
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    s.buckets[i] += 1;
                }
            }
        }
        if let Ok(mut errs) = self.errors.lock() {
            for code in error_codes {
                *errs.entry(code).or_default() += 1;
            }
        }
    }

    /// The text exposition format.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        let mut out = String::new();
        out.push_str("# HELP berguru_graphql_requests_total GraphQL requests by operation name.\n");
        out.push_str("# TYPE berguru_graphql_requests_total counter\n");
        let ops = self.operations.lock().map(|o| {
            let mut v: Vec<(String, u64, f64, [u64; BUCKETS.len()])> = o
                .iter()
                .map(|(k, s)| (k.clone(), s.count, s.sum, s.buckets))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        });
        let ops = ops.unwrap_or_default();
        for (name, count, _, _) in &ops {
            let _ = writeln!(
                out,
                "berguru_graphql_requests_total{{operation=\"{name}\"}} {count}"
            );
        }
        out.push_str("# HELP berguru_graphql_request_duration_seconds GraphQL request latency by operation name.\n");
        out.push_str("# TYPE berguru_graphql_request_duration_seconds histogram\n");
        for (name, count, sum, buckets) in &ops {
            for (bound, n) in BUCKETS.iter().zip(buckets) {
                let _ = writeln!(
                    out,
                    "berguru_graphql_request_duration_seconds_bucket{{operation=\"{name}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "berguru_graphql_request_duration_seconds_bucket{{operation=\"{name}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "berguru_graphql_request_duration_seconds_sum{{operation=\"{name}\"}} {sum}"
            );
            let _ = writeln!(
                out,
                "berguru_graphql_request_duration_seconds_count{{operation=\"{name}\"}} {count}"
            );
        }
        out.push_str("# HELP berguru_response_cache_hits_total GraphQL requests answered from the response cache.\n");
        out.push_str("# TYPE berguru_response_cache_hits_total counter\n");
        let _ = writeln!(
            out,
            "berguru_response_cache_hits_total {}",
            self.cache_hits.load(std::sync::atomic::Ordering::Relaxed)
        );
        out.push_str("# HELP berguru_graphql_errors_total GraphQL errors by code.\n");
        out.push_str("# TYPE berguru_graphql_errors_total counter\n");
        if let Ok(errs) = self.errors.lock() {
            let mut v: Vec<_> = errs.iter().collect();
            v.sort();
            for (code, n) in v {
                let _ = writeln!(out, "berguru_graphql_errors_total{{code=\"{code}\"}} {n}");
            }
        }
        let (size, idle) = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let p = db.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
            DatabaseBackend::Sqlite => {
                let p = db.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => (0, 0),
        };
        out.push_str("# HELP berguru_db_pool_connections Database pool connections.\n");
        out.push_str("# TYPE berguru_db_pool_connections gauge\n");
        let _ = writeln!(out, "berguru_db_pool_connections{{state=\"open\"}} {size}");
        let _ = writeln!(out, "berguru_db_pool_connections{{state=\"idle\"}} {idle}");
        out
    }
}
