//! Adoptions of practices and benchmarking visits.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_regions::Regions;
use crate::m20261122_000002_create_practices::Practices;
use crate::m20261122_000003_create_agreements::Agreements;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Adoptions {
    Table,
    Id,
    PracticeId,
    RegionCode,
    AgreementId,
    Stage,
    StartedOn,
    AdoptedOn,
    StoppedOn,
    StopReason,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    VisitorRegionCode,
    HostRegionCode,
    StartsOn,
    EndsOn,
    LearningObjectives,
    DelegationSize,
    AgreementId,
    AdoptionId,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VisitPractices {
    Table,
    VisitId,
    PracticeId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Adoptions::Table)
                    .col(pk_uuid(Adoptions::Id))
                    .col(uuid(Adoptions::PracticeId))
                    .col(string(Adoptions::RegionCode))
                    .col(uuid_null(Adoptions::AgreementId))
                    .col(string(Adoptions::Stage))
                    .col(date_null(Adoptions::StartedOn))
                    .col(date_null(Adoptions::AdoptedOn))
                    .col(date_null(Adoptions::StoppedOn))
                    .col(text_null(Adoptions::StopReason))
                    .col(text_null(Adoptions::Notes))
                    .col(timestamp_with_time_zone(Adoptions::CreatedAt))
                    .col(timestamp_with_time_zone(Adoptions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Adoptions::Table, Adoptions::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Adoptions::Table, Adoptions::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Adoptions::Table, Adoptions::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_adoptions_practice", Adoptions::PracticeId),
            ("idx_adoptions_region", Adoptions::RegionCode),
            ("idx_adoptions_agreement", Adoptions::AgreementId),
        ] {
            manager
                .create_index(crate::index(Adoptions::Table, name, [col]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Visits::Table)
                    .col(pk_uuid(Visits::Id))
                    .col(string(Visits::VisitorRegionCode))
                    .col(string(Visits::HostRegionCode))
                    .col(date(Visits::StartsOn))
                    .col(date(Visits::EndsOn))
                    .col(json(Visits::LearningObjectives))
                    .col(integer_null(Visits::DelegationSize))
                    .col(uuid_null(Visits::AgreementId))
                    .col(uuid_null(Visits::AdoptionId))
                    .col(text_null(Visits::Notes))
                    .col(timestamp_with_time_zone(Visits::CreatedAt))
                    .col(timestamp_with_time_zone(Visits::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::VisitorRegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::HostRegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Visits::Table, Visits::AdoptionId)
                            .to(Adoptions::Table, Adoptions::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_visits_visitor", Visits::VisitorRegionCode),
            ("idx_visits_host", Visits::HostRegionCode),
        ] {
            manager
                .create_index(crate::index(Visits::Table, name, [col]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(VisitPractices::Table)
                    .col(uuid(VisitPractices::VisitId))
                    .col(uuid(VisitPractices::PracticeId))
                    .primary_key(
                        Index::create()
                            .col(VisitPractices::VisitId)
                            .col(VisitPractices::PracticeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VisitPractices::Table, VisitPractices::VisitId)
                            .to(Visits::Table, Visits::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VisitPractices::Table, VisitPractices::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                VisitPractices::Table,
                "idx_visit_practices_practice",
                [VisitPractices::PracticeId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            VisitPractices::Table.into_iden(),
            Visits::Table.into_iden(),
            Adoptions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
