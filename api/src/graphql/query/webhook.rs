//! Webhook reads, for a region's admins.

use async_graphql::{Context, ID, Object};

use crate::domain::{parse_id, webhook};
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::mutation::viewer;
use crate::graphql::types::webhook::WebhookEndpoint;

/// Reads of webhook endpoints.
#[derive(Default)]
pub struct WebhookQuery;

/// Reads of webhook endpoints.
#[Object]
impl WebhookQuery {
    /// The webhook endpoints of a region, oldest first (admins of the
    /// region: national, or its province's).
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Region code.")] region_code: ID,
    ) -> Result<Vec<WebhookEndpoint>> {
        Ok(webhook::endpoints_of(db(ctx)?, viewer(ctx), &region_code.0)
            .await?
            .into_iter()
            .map(WebhookEndpoint)
            .collect())
    }

    /// One webhook endpoint by id (admins of its region); null if none has
    /// that id.
    async fn webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Endpoint id (UUID).")] id: ID,
    ) -> Result<Option<WebhookEndpoint>> {
        let id = parse_id("id", &id)?;
        Ok(webhook::endpoint(db(ctx)?, viewer(ctx), id)
            .await?
            .map(WebhookEndpoint))
    }
}
