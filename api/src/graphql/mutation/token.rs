//! Token management for admins. The types are in `types::token`.

use async_graphql::{Context, Object};

use super::viewer;
use crate::domain::parse_id;
use crate::domain::token::{self as tokens, NewToken};
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::types::token::{
    ApiToken, CreateTokenInput, CreateTokenPayload, RevokeTokenInput, RevokeTokenPayload,
};

/// Token management (admins only).
#[derive(Default)]
pub struct TokenMutation;

#[Object]
impl TokenMutation {
    /// Creates a token; the secret is in the payload and is never shown again.
    #[graphql(inaccessible)]
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        input: CreateTokenInput,
    ) -> Result<CreateTokenPayload> {
        let (secret, token) = tokens::create(
            db(ctx)?,
            viewer(ctx),
            NewToken {
                name: input.name,
                role: input.role.into(),
                region_code: input.region_code.map(|c| c.0),
                expires_at: input.expires_at.map(|d| d.0),
            },
        )
        .await?;
        Ok(CreateTokenPayload {
            secret,
            token: ApiToken(token),
        })
    }

    /// Revokes a token at once.
    #[graphql(inaccessible)]
    async fn revoke_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeTokenInput,
    ) -> Result<RevokeTokenPayload> {
        let id = parse_id("input.id", &input.id)?;
        let token = tokens::revoke(db(ctx)?, viewer(ctx), id).await?;
        Ok(RevokeTokenPayload {
            token: ApiToken(token),
        })
    }
}
