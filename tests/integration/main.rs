//! The one integration-test binary. Each scenario runs on SQLite and, with
//! `DATABASE_URL` set, on PostgreSQL (see `tests::scenario!`).
// Test code: a panic is a failed assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod adoption_visit_writes;
mod agreement_writes;
mod agreements;
mod bulk;
mod errors;
mod federation;
mod fixtures;
mod generate;
mod guru;
mod http;
mod http_spec;
mod introspection;
mod limits;
mod practices;
mod regions;
mod rejected_inputs;
mod requests;
mod response_cache;
mod schema;
mod search;
mod seed;
mod statements;
mod subscriptions;
mod writes;

pub use serde_json::{Value, json};
pub use tests::{Backend, TestApp, expect_error, scenario};
