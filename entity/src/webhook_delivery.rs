//! One delivery of one change to one webhook endpoint: queued in the
//! write's transaction, sent and retried by the worker, kept as the log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Also the `Berguru-Delivery` header, so receivers can drop duplicates.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub endpoint_id: Uuid,
    /// Wire name of the [`crate::WebhookEvent`].
    pub event: String,
    pub object_id: String,
    /// The JSON body sent, byte for byte (what the signature covers, with
    /// the timestamp).
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
    /// HTTP status of the last attempt, when the receiver answered.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
