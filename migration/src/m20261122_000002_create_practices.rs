//! Practices, their sectors and their measured outcomes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_regions::Regions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Practices {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Description,
    OwnerRegionCode,
    Form,
    IsDigital,
    Maturity,
    Status,
    LastVerifiedOn,
    YearStarted,
    LookingForAdopters,
    Contact,
    Links,
    LessonsLearned,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PracticeSectors {
    Table,
    PracticeId,
    Sector,
}

#[derive(DeriveIden)]
enum Outcomes {
    Table,
    Id,
    PracticeId,
    Metric,
    Unit,
    BaselineValue,
    BaselineYear,
    AchievedValue,
    AchievedYear,
    Source,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Practices::Table)
                    .col(pk_uuid(Practices::Id))
                    .col(string_uniq(Practices::Slug))
                    .col(string(Practices::Title))
                    .col(text(Practices::Summary))
                    .col(text_null(Practices::Description))
                    .col(string(Practices::OwnerRegionCode))
                    .col(string(Practices::Form))
                    .col(boolean_null(Practices::IsDigital))
                    .col(string_null(Practices::Maturity))
                    .col(string(Practices::Status))
                    .col(date_null(Practices::LastVerifiedOn))
                    .col(integer_null(Practices::YearStarted))
                    .col(boolean(Practices::LookingForAdopters))
                    .col(text_null(Practices::Contact))
                    .col(json(Practices::Links))
                    .col(text_null(Practices::LessonsLearned))
                    .col(timestamp_with_time_zone(Practices::CreatedAt))
                    .col(timestamp_with_time_zone(Practices::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Practices::Table, Practices::OwnerRegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_practices_owner", vec![Practices::OwnerRegionCode]),
            ("idx_practices_title", vec![Practices::Title, Practices::Id]),
            (
                "idx_practices_updated",
                vec![Practices::UpdatedAt, Practices::Id],
            ),
        ] {
            manager
                .create_index(crate::index(Practices::Table, name, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(PracticeSectors::Table)
                    .col(uuid(PracticeSectors::PracticeId))
                    .col(string(PracticeSectors::Sector))
                    .primary_key(
                        Index::create()
                            .col(PracticeSectors::PracticeId)
                            .col(PracticeSectors::Sector),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PracticeSectors::Table, PracticeSectors::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                PracticeSectors::Table,
                "idx_practice_sectors_sector",
                [PracticeSectors::Sector, PracticeSectors::PracticeId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outcomes::Table)
                    .col(pk_uuid(Outcomes::Id))
                    .col(uuid(Outcomes::PracticeId))
                    .col(string(Outcomes::Metric))
                    .col(string_null(Outcomes::Unit))
                    .col(double_null(Outcomes::BaselineValue))
                    .col(integer_null(Outcomes::BaselineYear))
                    .col(double_null(Outcomes::AchievedValue))
                    .col(integer_null(Outcomes::AchievedYear))
                    .col(text_null(Outcomes::Source))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outcomes::Table, Outcomes::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Outcomes::Table,
                "idx_outcomes_practice",
                [Outcomes::PracticeId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Outcomes::Table.into_iden(),
            PracticeSectors::Table.into_iden(),
            Practices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
