//! A measured outcome of a practice: the evidence behind a guru.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "outcomes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub practice_id: Uuid,
    pub metric: String,
    pub unit: Option<String>,
    pub baseline_value: Option<f64>,
    pub baseline_year: Option<i32>,
    pub achieved_value: Option<f64>,
    pub achieved_year: Option<i32>,
    pub source: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
