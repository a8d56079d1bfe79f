//! An activity of an agreement's work plan: what is done, by whom, when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "work_plan_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub title: String,
    /// The agency (OPD) or person responsible.
    pub owner: String,
    pub starts_on: Option<Date>,
    pub due_on: Option<Date>,
    /// When it was done; empty while it is open.
    pub done_on: Option<Date>,
    /// Order within the plan (1-based).
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
