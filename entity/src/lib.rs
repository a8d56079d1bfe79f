//! Plain sea-orm entities of the Berguru data model.
//!
//! This crate knows tables and columns, nothing of GraphQL, HTTP or search.
//! Behaviour lives beside the entities in `api`; enums here are the stored
//! vocabulary (snake_case strings, identical on SQLite and PostgreSQL).

pub mod adoption;
pub mod adoption_follow_up;
pub mod agreement;
pub mod agreement_evaluation;
pub mod agreement_party;
pub mod agreement_practice;
pub mod agreement_stage_change;
pub mod api_token;
pub mod audit_entry;
pub mod enums;
pub mod expression_of_interest;
pub mod expression_practice;
pub mod facilitation_request;
pub mod facilitation_step;
pub mod indicator_measurement;
pub mod learning_request;
pub mod learning_request_practice;
pub mod learning_request_sector;
pub mod outcome;
pub mod practice;
pub mod practice_sector;
pub mod region;
pub mod region_index;
pub mod search_outbox;
pub mod visit;
pub mod visit_practice;
pub mod webhook_delivery;
pub mod webhook_endpoint;
pub mod work_plan_activity;
pub mod work_plan_indicator;

pub use enums::*;

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// An ordered list of short texts stored as a JSON array (scope items,
/// agencies, links, learning objectives).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct TextList(pub Vec<String>);

impl From<Vec<String>> for TextList {
    fn from(v: Vec<String>) -> Self {
        Self(v)
    }
}

impl<const N: usize> From<[&str; N]> for TextList {
    fn from(v: [&str; N]) -> Self {
        Self(v.iter().map(|s| (*s).to_owned()).collect())
    }
}
