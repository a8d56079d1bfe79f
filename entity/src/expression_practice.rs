//! A practice an expression of interest offers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "expression_practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub expression_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
