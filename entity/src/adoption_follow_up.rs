//! A follow-up of an adoption: does the practice still run at the adopter,
//! and what did the adopter measure?

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "adoption_follow_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub adoption_id: Uuid,
    pub followed_up_on: Date,
    pub still_running: bool,
    /// Why it stopped, when it did.
    pub stop_reason: Option<String>,
    /// The adopter's own measured outcome, when it measured one.
    pub outcome_metric: Option<String>,
    pub outcome_unit: Option<String>,
    pub outcome_baseline: Option<f64>,
    pub outcome_value: Option<f64>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
