//! A learning request: what a region wants to learn, posted so that guru
//! regions can answer it with an expression of interest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "learning_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The requesting (learning) region.
    pub region_code: String,
    pub topic: String,
    pub problem: Option<String>,
    pub objectives: crate::TextList,
    pub preferred_from: Option<Date>,
    pub preferred_to: Option<Date>,
    /// Budget range in rupiah.
    pub budget_min_idr: Option<i64>,
    pub budget_max_idr: Option<i64>,
    /// The agency (OPD) to contact.
    pub contact_agency: String,
    pub status: crate::LearningRequestStatus,
    pub closed_on: Option<Date>,
    pub close_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
