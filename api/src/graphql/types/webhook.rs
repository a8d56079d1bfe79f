//! `WebhookEndpoint` and `WebhookDelivery`: where a region's changes are
//! sent, and the log of what was sent.

use async_graphql::{Context, ID, Object};
use entity::{webhook_delivery, webhook_endpoint};

use super::practice::DanglingReference;
use super::{Region, load_one};
use crate::domain::webhook;
use crate::error::{ApiError, Result};
use crate::graphql::enums::{WebhookEvent, WebhookStatus};
use crate::graphql::loaders::RegionByCode;
use crate::graphql::scalars::DateTime;
use crate::graphql::{db, limits};

/// A region's webhook endpoint: Berguru POSTs every change of the chosen
/// kinds that concerns the region (a province: also its regencies and
/// cities) to its URL, signed with its secret (`Berguru-Signature:
/// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), at least once
/// (drop duplicates by `Berguru-Delivery`). Visible to the region's admins.
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

/// A region's webhook endpoint: where its changes are sent, signed, at
/// least once, with the health of the deliveries.
#[Object]
impl WebhookEndpoint {
    /// Endpoint id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The region whose changes it receives.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region)
            .ok_or_else(|| ApiError::internal(&DanglingReference("endpoint region")))
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// The kinds of change it receives.
    async fn events(&self) -> Vec<WebhookEvent> {
        self.0
            .events
            .0
            .iter()
            .filter_map(|name| {
                use sea_orm::ActiveEnum;
                entity::WebhookEvent::try_from_value(&name.to_ascii_lowercase()).ok()
            })
            .map(Into::into)
            .collect()
    }

    /// ACTIVE, or PAUSED after failing for `webhook_pause_after_secs`
    /// (deliveries wait until an admin resumes it).
    async fn status(&self) -> WebhookStatus {
        self.0.status.into()
    }

    /// True while the latest attempts fail (see `failingSince` and
    /// `lastError`); false once a delivery succeeds.
    async fn failing(&self) -> bool {
        self.0.failing_since.is_some()
    }

    /// Since when every attempt failed; null while deliveries succeed.
    async fn failing_since(&self) -> Option<DateTime> {
        self.0.failing_since.map(DateTime)
    }

    /// When a delivery last succeeded.
    async fn last_delivered_at(&self) -> Option<DateTime> {
        self.0.last_delivered_at.map(DateTime)
    }

    /// Why the latest attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// How many deliveries wait to be sent.
    async fn pending_deliveries(&self, ctx: &Context<'_>) -> Result<u64> {
        webhook::pending_count(db(ctx)?, self.0.id).await
    }

    /// Its deliveries, newest first: the delivery log (delivered ones are
    /// kept 30 days).
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those still waiting to be sent.", default = false)] pending: bool,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<WebhookDelivery>> {
        let limits = limits(ctx)?;
        let page = crate::graphql::pagination::PageRequest::new(first, None, "delivery", limits)?;
        Ok(
            webhook::deliveries(db(ctx)?, self.0.id, pending, page.first)
                .await?
                .into_iter()
                .map(WebhookDelivery)
                .collect(),
        )
    }

    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One change sent (or to be sent) to one endpoint.
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One change sent (or to be sent) to one endpoint: the body, byte for
/// byte, and how its attempts went.
#[Object]
impl WebhookDelivery {
    /// Delivery id, also sent as `Berguru-Delivery` (drop duplicates by it).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The kind of change.
    async fn event(&self) -> Option<WebhookEvent> {
        use sea_orm::ActiveEnum;
        entity::WebhookEvent::try_from_value(&self.0.event.to_ascii_lowercase())
            .ok()
            .map(Into::into)
    }

    /// Id of the object changed (a practice, an agreement, a request, ...).
    async fn object_id(&self) -> &str {
        &self.0.object_id
    }

    /// The JSON body POSTed.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// When the change was committed and the delivery queued.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the receiver answered 2xx; null while waiting.
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.delivered_at.map(DateTime)
    }

    /// When the next attempt is due (waiting deliveries only).
    async fn next_attempt_at(&self) -> Option<DateTime> {
        self.0
            .delivered_at
            .is_none()
            .then_some(DateTime(self.0.next_attempt_at))
    }

    /// HTTP status of the latest attempt, when the receiver answered.
    async fn last_status(&self) -> Option<i32> {
        self.0.last_status
    }

    /// Why the latest attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
}
