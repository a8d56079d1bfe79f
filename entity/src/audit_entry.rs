//! One write in the audit trail: who, when, what, before and after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_token_id: Option<Uuid>,
    /// Role and scope of the writer, e.g. `editor 32.11` or `cli`.
    pub actor: String,
    /// The mutation, e.g. `updatePractice`.
    pub action: String,
    /// `Practice`, `Agreement`, `Outcome`, ...
    pub object_type: String,
    pub object_id: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
