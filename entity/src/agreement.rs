//! A cooperation agreement: a framework (KSB, Nota Kesepakatan) or an
//! implementing agreement (PKS) under one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: Option<String>,
    pub title: String,
    pub kind: Option<crate::AgreementKind>,
    pub category: crate::AgreementCategory,
    pub stage: crate::AgreementStage,
    pub signed_on: Option<Date>,
    pub signed_place: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub scope: crate::TextList,
    pub agencies: crate::TextList,
    pub parent_id: Option<Uuid>,
    pub continues_id: Option<Uuid>,
    pub continuation: Option<crate::ContinuationKind>,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
