//! Webhook endpoints: register, change, resume, remove (admins of the
//! region).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::viewer;
use crate::domain::parse_id;
use crate::domain::webhook::{self, NewEndpoint};
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::enums::WebhookEvent;
use crate::graphql::types::webhook::WebhookEndpoint;

/// A new webhook endpoint of a region.
#[derive(InputObject)]
pub struct RegisterWebhookEndpointInput {
    /// The region whose changes it receives (a province also receives its
    /// regencies' and cities').
    pub region_code: ID,
    /// Where deliveries are POSTed: `https://`, or `http://` to 127.0.0.1
    /// or localhost only.
    pub url: String,
    /// The kinds of change it receives (at least one).
    pub events: Vec<WebhookEvent>,
}

/// A registered endpoint and its signing secret.
#[derive(SimpleObject)]
pub struct RegisterWebhookEndpointPayload {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The HMAC-SHA256 key of its signatures. Shown only now: store it
    /// with the receiver.
    pub secret: String,
}

/// A change to an endpoint.
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// The endpoint.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// A new URL.
    pub url: Option<String>,
    /// New kinds of change (at least one).
    pub events: Option<Vec<WebhookEvent>>,
}

/// An endpoint, by id and the version last read.
#[derive(InputObject)]
pub struct WebhookEndpointRef {
    /// The endpoint.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
}

/// The endpoint a write changed.
#[derive(SimpleObject)]
pub struct WebhookEndpointPayload {
    /// The endpoint (after the write; as it was, for a removal).
    pub endpoint: WebhookEndpoint,
}

/// Writes of webhook endpoints.
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook endpoint for a region (admins of the region:
    /// national, or its province's); at most 10 per region.
    async fn register_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: RegisterWebhookEndpointInput,
    ) -> Result<RegisterWebhookEndpointPayload> {
        let (e, secret) = webhook::register(
            db(ctx)?,
            viewer(ctx),
            NewEndpoint {
                region_code: input.region_code.0,
                url: input.url,
                events: input.events.into_iter().map(Into::into).collect(),
            },
        )
        .await?;
        Ok(RegisterWebhookEndpointPayload {
            endpoint: WebhookEndpoint(e),
            secret,
        })
    }

    /// Changes an endpoint's URL or kinds of change.
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookEndpointInput,
    ) -> Result<WebhookEndpointPayload> {
        let id = parse_id("input.id", &input.id)?;
        let e = webhook::update(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            input.url,
            input
                .events
                .map(|v| v.into_iter().map(Into::into).collect()),
        )
        .await?;
        Ok(WebhookEndpointPayload {
            endpoint: WebhookEndpoint(e),
        })
    }

    /// Resumes a paused endpoint: everything that waited is sent on the
    /// worker's next round.
    async fn resume_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: WebhookEndpointRef,
    ) -> Result<WebhookEndpointPayload> {
        let id = parse_id("input.id", &input.id)?;
        let e = webhook::resume(db(ctx)?, viewer(ctx), id, input.version).await?;
        Ok(WebhookEndpointPayload {
            endpoint: WebhookEndpoint(e),
        })
    }

    /// Removes an endpoint with its delivery log and waiting deliveries.
    async fn remove_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: WebhookEndpointRef,
    ) -> Result<WebhookEndpointPayload> {
        let id = parse_id("input.id", &input.id)?;
        let e = webhook::remove(db(ctx)?, viewer(ctx), id, input.version).await?;
        Ok(WebhookEndpointPayload {
            endpoint: WebhookEndpoint(e),
        })
    }
}
