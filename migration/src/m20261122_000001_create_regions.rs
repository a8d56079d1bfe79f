//! Regions (keyed by Kemendagri code) and their yearly indices.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Regions {
    Table,
    Code,
    ProvinceCode,
    Kind,
    Name,
    Capital,
    Latitude,
    Longitude,
    ElevationM,
    UtcOffset,
    AreaKm2,
    Population,
}

#[derive(DeriveIden)]
enum RegionIndices {
    Table,
    Id,
    RegionCode,
    Year,
    SpbeIndex,
    PublicServiceIndex,
    InnovationIndex,
    Source,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(string(Regions::Code).primary_key())
                    .col(string_null(Regions::ProvinceCode))
                    .col(string(Regions::Kind))
                    .col(string(Regions::Name))
                    .col(string_null(Regions::Capital))
                    .col(double_null(Regions::Latitude))
                    .col(double_null(Regions::Longitude))
                    .col(integer_null(Regions::ElevationM))
                    .col(integer_null(Regions::UtcOffset))
                    .col(double_null(Regions::AreaKm2))
                    .col(big_integer_null(Regions::Population))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Regions::Table, Regions::ProvinceCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Regions::Table,
                "idx_regions_province",
                [Regions::ProvinceCode],
            ))
            .await?;
        manager
            .create_index(crate::index(
                Regions::Table,
                "idx_regions_name",
                [Regions::Name],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RegionIndices::Table)
                    .col(pk_uuid(RegionIndices::Id))
                    .col(string(RegionIndices::RegionCode))
                    .col(integer(RegionIndices::Year))
                    .col(double_null(RegionIndices::SpbeIndex))
                    .col(double_null(RegionIndices::PublicServiceIndex))
                    .col(double_null(RegionIndices::InnovationIndex))
                    .col(text_null(RegionIndices::Source))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RegionIndices::Table, RegionIndices::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                crate::index(
                    RegionIndices::Table,
                    "uq_region_indices_region_year",
                    [RegionIndices::RegionCode, RegionIndices::Year],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RegionIndices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Regions::Table).to_owned())
            .await
    }
}
