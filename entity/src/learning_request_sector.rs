//! The sectors (government affairs) a learning request is about.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "learning_request_sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub learning_request_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sector: crate::Sector,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
