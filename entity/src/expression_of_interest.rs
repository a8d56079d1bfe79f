//! A guru region's answer to a learning request; once accepted it names
//! what it became (a visit, an adoption or an agreement).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "expressions_of_interest")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub learning_request_id: Uuid,
    /// The answering (guru) region.
    pub region_code: String,
    pub message: String,
    pub status: crate::ExpressionStatus,
    /// Why it was declined or withdrawn, or a note on acceptance.
    pub response_reason: Option<String>,
    pub responded_on: Option<Date>,
    pub visit_id: Option<Uuid>,
    pub adoption_id: Option<Uuid>,
    pub agreement_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
