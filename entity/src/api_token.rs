//! An API token. Only a SHA-256 hash of the secret is stored; the secret is
//! shown once, when the token is created.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    #[sea_orm(unique)]
    pub token_hash: String,
    pub role: crate::TokenRole,
    /// For an editor, the region it writes for; for an admin, the province
    /// it is scoped to (`None`: national).
    pub region_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
