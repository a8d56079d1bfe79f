//! A facilitation request: an agency asks its province's cooperation
//! bureau (TKKSD) for help with a cooperation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "facilitation_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The requesting region.
    pub region_code: String,
    /// The province whose bureau handles it (the region's, or itself).
    pub province_code: String,
    /// The requesting agency (OPD).
    pub agency: String,
    pub kind: crate::FacilitationKind,
    pub subject: String,
    pub description: Option<String>,
    /// The cooperation it is about, when one is recorded.
    pub agreement_id: Option<Uuid>,
    pub learning_request_id: Option<Uuid>,
    pub status: crate::FacilitationStatus,
    /// Who at the bureau handles it.
    pub assignee: Option<String>,
    /// The bureau's answer.
    pub answer: Option<String>,
    pub closed_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
