//! A change waiting to reach the search engine.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "search_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `practice`, `agreement` or `region`.
    pub kind: String,
    /// The object's id (a UUID, or a region code).
    pub object_id: String,
    pub enqueued_at: DateTimeUtc,
    /// Failed attempts so far.
    pub attempts: i32,
    /// Not before this time (backoff after a failure).
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
