//! A region adopting a practice, optionally under an agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "adoptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub practice_id: Uuid,
    pub region_code: String,
    pub agreement_id: Option<Uuid>,
    pub stage: crate::AdoptionStage,
    pub started_on: Option<Date>,
    pub adopted_on: Option<Date>,
    pub stopped_on: Option<Date>,
    pub stop_reason: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
