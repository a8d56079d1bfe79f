//! A benchmarking visit (studi banding / studi komparatif / kunjungan kerja).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub visitor_region_code: String,
    pub host_region_code: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub learning_objectives: crate::TextList,
    pub delegation_size: Option<i32>,
    pub agreement_id: Option<Uuid>,
    pub adoption_id: Option<Uuid>,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
