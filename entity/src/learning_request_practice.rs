//! A practice the requesting region has in mind.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "learning_request_practices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub learning_request_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
