//! Facilitation requests (issue 16, the KERABAT case): an agency asks its
//! province's cooperation bureau (TKKSD) for help with a cooperation
//! (drafting, finding a partner, legal review); the province's admins
//! assign, answer and close it; every step is kept with its date and note.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FacilitationRequests {
    Table,
    Id,
    RegionCode,
    ProvinceCode,
    Agency,
    Kind,
    Subject,
    Description,
    AgreementId,
    LearningRequestId,
    Status,
    Assignee,
    Answer,
    ClosedOn,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum FacilitationSteps {
    Table,
    Id,
    RequestId,
    On,
    Status,
    Note,
    Actor,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FacilitationRequests::Table)
                    .col(pk_uuid(FacilitationRequests::Id))
                    .col(string(FacilitationRequests::RegionCode))
                    .col(string(FacilitationRequests::ProvinceCode))
                    .col(string(FacilitationRequests::Agency))
                    .col(string(FacilitationRequests::Kind))
                    .col(string(FacilitationRequests::Subject))
                    .col(text_null(FacilitationRequests::Description))
                    .col(uuid_null(FacilitationRequests::AgreementId))
                    .col(uuid_null(FacilitationRequests::LearningRequestId))
                    .col(string(FacilitationRequests::Status))
                    .col(string_null(FacilitationRequests::Assignee))
                    .col(text_null(FacilitationRequests::Answer))
                    .col(date_null(FacilitationRequests::ClosedOn))
                    .col(timestamp_with_time_zone(FacilitationRequests::CreatedAt))
                    .col(timestamp_with_time_zone(FacilitationRequests::UpdatedAt))
                    .col(integer(FacilitationRequests::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                FacilitationRequests::Table,
                                FacilitationRequests::RegionCode,
                            )
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                FacilitationRequests::Table,
                "idx_facilitation_requests_queue",
                [
                    FacilitationRequests::ProvinceCode,
                    FacilitationRequests::Status,
                    FacilitationRequests::CreatedAt,
                ],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FacilitationSteps::Table)
                    .col(pk_uuid(FacilitationSteps::Id))
                    .col(uuid(FacilitationSteps::RequestId))
                    .col(date(FacilitationSteps::On))
                    .col(string(FacilitationSteps::Status))
                    .col(text_null(FacilitationSteps::Note))
                    .col(string(FacilitationSteps::Actor))
                    .col(timestamp_with_time_zone(FacilitationSteps::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FacilitationSteps::Table, FacilitationSteps::RequestId)
                            .to(FacilitationRequests::Table, FacilitationRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                FacilitationSteps::Table,
                "idx_facilitation_steps_request",
                [FacilitationSteps::RequestId, FacilitationSteps::CreatedAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FacilitationSteps::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FacilitationRequests::Table).to_owned())
            .await
    }
}
