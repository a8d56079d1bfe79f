//! Types of token management: `ApiToken` (never its secret), the inputs
//! and payloads of `createToken` and `revokeToken`.

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};

use crate::graphql::scalars::DateTime;

/// Role of a token.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum TokenRole {
    /// National coordinator, or provincial when scoped to a province.
    Admin,
    /// Writes for one region.
    Editor,
}

impl From<TokenRole> for entity::TokenRole {
    fn from(r: TokenRole) -> Self {
        match r {
            TokenRole::Admin => Self::Admin,
            TokenRole::Editor => Self::Editor,
        }
    }
}

impl From<entity::TokenRole> for TokenRole {
    fn from(r: entity::TokenRole) -> Self {
        match r {
            entity::TokenRole::Admin => Self::Admin,
            entity::TokenRole::Editor => Self::Editor,
        }
    }
}

/// An API token (never its secret).
pub struct ApiToken(pub entity::api_token::Model);

/// An API token (never its secret). Token management stays out of a
/// federated supergraph (`@inaccessible`): operators use Berguru directly.
#[Object(inaccessible)]
impl ApiToken {
    /// Token id, for revoking it.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Name given at creation (who or what uses it).
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Admin or editor.
    async fn role(&self) -> TokenRole {
        self.0.role.into()
    }

    /// The editor's region, or the admin's province; null for a national admin.
    async fn region_code(&self) -> Option<&str> {
        self.0.region_code.as_deref()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it stops working, if ever.
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }

    /// When it was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(DateTime)
    }
}

/// A token to create.
#[derive(InputObject)]
pub struct CreateTokenInput {
    /// Who or what will use it, e.g. "Diskominfo Sumedang".
    pub name: String,
    /// Admin or editor.
    pub role: TokenRole,
    /// The editor's region (required for editors), or the admin's province.
    pub region_code: Option<ID>,
    /// When it stops working (optional).
    pub expires_at: Option<DateTime>,
}

/// Names a token.
#[derive(InputObject)]
pub struct RevokeTokenInput {
    /// Token id.
    pub id: ID,
}

/// A new token: the secret is shown here once and never again.
#[derive(SimpleObject)]
#[graphql(inaccessible)]
pub struct CreateTokenPayload {
    /// The secret to send as `Authorization: Bearer <secret>`.
    pub secret: String,
    /// The stored token.
    pub token: ApiToken,
}

/// A revoked token.
#[derive(SimpleObject)]
#[graphql(inaccessible)]
pub struct RevokeTokenPayload {
    /// The token, with `revokedAt` set.
    pub token: ApiToken,
}
