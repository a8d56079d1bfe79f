//! A party to an agreement: a region or a named third party.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "agreement_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    /// 1 for pihak kesatu, 2 for pihak kedua, ...
    pub position: Option<i32>,
    pub region_code: Option<String>,
    pub third_party_name: Option<String>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
