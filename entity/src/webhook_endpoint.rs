//! A region's webhook endpoint: where Berguru sends, signed, the changes
//! that concern the region.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The region whose changes it receives (a province also receives its
    /// regencies' and cities').
    pub region_code: String,
    pub url: String,
    /// The HMAC-SHA256 key of the signatures; never serialised (the audit
    /// log records the endpoint without it).
    #[serde(skip)]
    pub secret: String,
    /// The kinds of change it receives (wire names of
    /// [`crate::WebhookEvent`]).
    pub events: crate::TextList,
    pub status: crate::WebhookStatus,
    /// Since when every attempt failed; `None` while deliveries succeed.
    pub failing_since: Option<DateTimeUtc>,
    pub last_delivered_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
