//! The one integration-test binary. Each scenario runs on SQLite and, with
//! `DATABASE_URL` set, on PostgreSQL (see `tests::scenario!`).
// Test code: a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod adoption_visit_writes;
mod agreement_writes;
mod agreements;
mod bulk;
mod bulk_requests;
mod bytes_fuzz;
mod damaged_index;
mod database_down;
mod digest;
mod errors;
mod facilitation;
mod federation;
mod fixtures;
mod follow_ups;
mod fuzz;
mod generate;
mod guru;
mod hostile_text;
mod http;
mod http_spec;
mod introspection;
mod judged;
mod learning_path;
mod limits;
mod outbox_workers;
mod persisted_only;
mod practices;
mod rate_limit;
mod regions;
mod rejected_inputs;
mod request_search;
mod requests;
mod response_cache;
mod schema;
mod search;
mod seed;
mod shutdown;
mod statements;
mod subscriptions;
mod webapp;
mod webhooks;
mod work_plans;
mod writes;

pub use serde_json::{Value, json};
pub use tests::{Backend, TestApp, expect_error, scenario};
