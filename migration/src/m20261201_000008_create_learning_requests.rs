//! Learning requests (a region saying what it wants to learn) and the
//! expressions of interest other regions answer them with. An accepted
//! expression names what it became (a visit, an adoption or an agreement),
//! so the created row links back to the request through the expression and
//! the existing tables stay as they were.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_regions::Regions;
use crate::m20261122_000002_create_practices::Practices;
use crate::m20261122_000003_create_agreements::Agreements;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LearningRequests {
    Table,
    Id,
    RegionCode,
    Topic,
    Problem,
    Objectives,
    PreferredFrom,
    PreferredTo,
    BudgetMinIdr,
    BudgetMaxIdr,
    ContactAgency,
    Status,
    ClosedOn,
    CloseNote,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum LearningRequestSectors {
    Table,
    LearningRequestId,
    Sector,
}

#[derive(DeriveIden)]
enum LearningRequestPractices {
    Table,
    LearningRequestId,
    PracticeId,
}

#[derive(DeriveIden)]
enum ExpressionsOfInterest {
    Table,
    Id,
    LearningRequestId,
    RegionCode,
    Message,
    Status,
    ResponseReason,
    RespondedOn,
    VisitId,
    AdoptionId,
    AgreementId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ExpressionPractices {
    Table,
    ExpressionId,
    PracticeId,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Adoptions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LearningRequests::Table)
                    .col(pk_uuid(LearningRequests::Id))
                    .col(string(LearningRequests::RegionCode))
                    .col(string(LearningRequests::Topic))
                    .col(text_null(LearningRequests::Problem))
                    .col(json(LearningRequests::Objectives))
                    .col(date_null(LearningRequests::PreferredFrom))
                    .col(date_null(LearningRequests::PreferredTo))
                    .col(big_integer_null(LearningRequests::BudgetMinIdr))
                    .col(big_integer_null(LearningRequests::BudgetMaxIdr))
                    .col(string(LearningRequests::ContactAgency))
                    .col(string(LearningRequests::Status))
                    .col(date_null(LearningRequests::ClosedOn))
                    .col(text_null(LearningRequests::CloseNote))
                    .col(timestamp_with_time_zone(LearningRequests::CreatedAt))
                    .col(timestamp_with_time_zone(LearningRequests::UpdatedAt))
                    .col(integer(LearningRequests::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LearningRequests::Table, LearningRequests::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                LearningRequests::Table,
                "idx_learning_requests_status",
                [
                    LearningRequests::Status,
                    LearningRequests::CreatedAt,
                    LearningRequests::Id,
                ],
            ))
            .await?;
        manager
            .create_index(crate::index(
                LearningRequests::Table,
                "idx_learning_requests_region",
                [LearningRequests::RegionCode],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LearningRequestSectors::Table)
                    .col(uuid(LearningRequestSectors::LearningRequestId))
                    .col(string(LearningRequestSectors::Sector))
                    .primary_key(
                        Index::create()
                            .col(LearningRequestSectors::LearningRequestId)
                            .col(LearningRequestSectors::Sector),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                LearningRequestSectors::Table,
                                LearningRequestSectors::LearningRequestId,
                            )
                            .to(LearningRequests::Table, LearningRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                LearningRequestSectors::Table,
                "idx_learning_request_sectors_sector",
                [LearningRequestSectors::Sector],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LearningRequestPractices::Table)
                    .col(uuid(LearningRequestPractices::LearningRequestId))
                    .col(uuid(LearningRequestPractices::PracticeId))
                    .primary_key(
                        Index::create()
                            .col(LearningRequestPractices::LearningRequestId)
                            .col(LearningRequestPractices::PracticeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                LearningRequestPractices::Table,
                                LearningRequestPractices::LearningRequestId,
                            )
                            .to(LearningRequests::Table, LearningRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                LearningRequestPractices::Table,
                                LearningRequestPractices::PracticeId,
                            )
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExpressionsOfInterest::Table)
                    .col(pk_uuid(ExpressionsOfInterest::Id))
                    .col(uuid(ExpressionsOfInterest::LearningRequestId))
                    .col(string(ExpressionsOfInterest::RegionCode))
                    .col(text(ExpressionsOfInterest::Message))
                    .col(string(ExpressionsOfInterest::Status))
                    .col(text_null(ExpressionsOfInterest::ResponseReason))
                    .col(date_null(ExpressionsOfInterest::RespondedOn))
                    .col(uuid_null(ExpressionsOfInterest::VisitId))
                    .col(uuid_null(ExpressionsOfInterest::AdoptionId))
                    .col(uuid_null(ExpressionsOfInterest::AgreementId))
                    .col(timestamp_with_time_zone(ExpressionsOfInterest::CreatedAt))
                    .col(timestamp_with_time_zone(ExpressionsOfInterest::UpdatedAt))
                    .col(integer(ExpressionsOfInterest::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExpressionsOfInterest::Table,
                                ExpressionsOfInterest::LearningRequestId,
                            )
                            .to(LearningRequests::Table, LearningRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExpressionsOfInterest::Table,
                                ExpressionsOfInterest::RegionCode,
                            )
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExpressionsOfInterest::Table, ExpressionsOfInterest::VisitId)
                            .to(Visits::Table, Visits::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExpressionsOfInterest::Table,
                                ExpressionsOfInterest::AdoptionId,
                            )
                            .to(Adoptions::Table, Adoptions::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExpressionsOfInterest::Table,
                                ExpressionsOfInterest::AgreementId,
                            )
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                ExpressionsOfInterest::Table,
                "idx_expressions_of_interest_request",
                [ExpressionsOfInterest::LearningRequestId],
            ))
            .await?;
        manager
            .create_index(crate::index(
                ExpressionsOfInterest::Table,
                "idx_expressions_of_interest_region",
                [ExpressionsOfInterest::RegionCode],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExpressionPractices::Table)
                    .col(uuid(ExpressionPractices::ExpressionId))
                    .col(uuid(ExpressionPractices::PracticeId))
                    .primary_key(
                        Index::create()
                            .col(ExpressionPractices::ExpressionId)
                            .col(ExpressionPractices::PracticeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ExpressionPractices::Table,
                                ExpressionPractices::ExpressionId,
                            )
                            .to(ExpressionsOfInterest::Table, ExpressionsOfInterest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExpressionPractices::Table, ExpressionPractices::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ExpressionPractices::Table.into_iden(),
            ExpressionsOfInterest::Table.into_iden(),
            LearningRequestPractices::Table.into_iden(),
            LearningRequestSectors::Table.into_iden(),
            LearningRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
