//! A province, regency or city, keyed by its Kemendagri code.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub province_code: Option<String>,
    pub kind: crate::RegionKind,
    pub name: String,
    pub capital: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub elevation_m: Option<i32>,
    pub utc_offset: Option<i32>,
    pub area_km2: Option<f64>,
    pub population: Option<i64>,
    /// Optimistic-concurrency version, bumped by every write.
    pub version: i32,
    /// When the profile was last corrected; `None` for reference data as shipped.
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
