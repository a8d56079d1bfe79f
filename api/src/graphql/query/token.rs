//! Token reads for admins.

use async_graphql::{Context, Object};

use crate::domain::token as tokens;
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::mutation::viewer;
use crate::graphql::types::token::ApiToken;

/// Token reads (admins only).
#[derive(Default)]
pub struct TokenQuery;

#[Object]
impl TokenQuery {
    /// Tokens the calling admin may manage, newest first.
    #[graphql(inaccessible)]
    async fn api_tokens(&self, ctx: &Context<'_>) -> Result<Vec<ApiToken>> {
        Ok(tokens::list(db(ctx)?, viewer(ctx))
            .await?
            .into_iter()
            .map(ApiToken)
            .collect())
    }
}
