//! A best practice or innovation owned by its guru region.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: Option<String>,
    pub owner_region_code: String,
    pub form: crate::PracticeForm,
    pub is_digital: Option<bool>,
    pub maturity: Option<crate::Maturity>,
    pub status: crate::PracticeStatus,
    pub last_verified_on: Option<Date>,
    pub year_started: Option<i32>,
    pub looking_for_adopters: bool,
    pub contact: Option<String>,
    pub links: crate::TextList,
    pub lessons_learned: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
    /// When the practice was archived (hidden from lists); `None` when current.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
