//! Agreements, their parties, the practices they transfer and their stage
//! history.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_regions::Regions;
use crate::m20261122_000002_create_practices::Practices;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Agreements {
    Table,
    Id,
    Number,
    Title,
    Kind,
    Category,
    Stage,
    SignedOn,
    SignedPlace,
    ValidFrom,
    ValidUntil,
    Scope,
    Agencies,
    ParentId,
    ContinuesId,
    Continuation,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgreementParties {
    Table,
    Id,
    AgreementId,
    Position,
    RegionCode,
    ThirdPartyName,
    SignatoryName,
    SignatoryTitle,
}

#[derive(DeriveIden)]
enum AgreementPractices {
    Table,
    AgreementId,
    PracticeId,
}

#[derive(DeriveIden)]
enum AgreementStageChanges {
    Table,
    Id,
    AgreementId,
    Stage,
    OnDate,
    Note,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agreements::Table)
                    .col(pk_uuid(Agreements::Id))
                    .col(string_null(Agreements::Number))
                    .col(text(Agreements::Title))
                    .col(string_null(Agreements::Kind))
                    .col(string(Agreements::Category))
                    .col(string(Agreements::Stage))
                    .col(date_null(Agreements::SignedOn))
                    .col(string_null(Agreements::SignedPlace))
                    .col(date_null(Agreements::ValidFrom))
                    .col(date_null(Agreements::ValidUntil))
                    .col(json(Agreements::Scope))
                    .col(json(Agreements::Agencies))
                    .col(uuid_null(Agreements::ParentId))
                    .col(uuid_null(Agreements::ContinuesId))
                    .col(string_null(Agreements::Continuation))
                    .col(text_null(Agreements::Notes))
                    .col(timestamp_with_time_zone(Agreements::CreatedAt))
                    .col(timestamp_with_time_zone(Agreements::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agreements::Table, Agreements::ParentId)
                            .to(Agreements::Table, Agreements::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agreements::Table, Agreements::ContinuesId)
                            .to(Agreements::Table, Agreements::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_agreements_parent", vec![Agreements::ParentId]),
            ("idx_agreements_continues", vec![Agreements::ContinuesId]),
            (
                "idx_agreements_title",
                vec![Agreements::Title, Agreements::Id],
            ),
            (
                "idx_agreements_signed",
                vec![Agreements::SignedOn, Agreements::Id],
            ),
        ] {
            manager
                .create_index(crate::index(Agreements::Table, name, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AgreementParties::Table)
                    .col(pk_uuid(AgreementParties::Id))
                    .col(uuid(AgreementParties::AgreementId))
                    .col(integer_null(AgreementParties::Position))
                    .col(string_null(AgreementParties::RegionCode))
                    .col(string_null(AgreementParties::ThirdPartyName))
                    .col(string_null(AgreementParties::SignatoryName))
                    .col(string_null(AgreementParties::SignatoryTitle))
                    .check(
                        Expr::col(AgreementParties::RegionCode)
                            .is_not_null()
                            .or(Expr::col(AgreementParties::ThirdPartyName).is_not_null()),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementParties::Table, AgreementParties::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementParties::Table, AgreementParties::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AgreementParties::Table,
                "idx_agreement_parties_agreement",
                [AgreementParties::AgreementId],
            ))
            .await?;
        manager
            .create_index(crate::index(
                AgreementParties::Table,
                "idx_agreement_parties_region",
                [AgreementParties::RegionCode, AgreementParties::AgreementId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgreementPractices::Table)
                    .col(uuid(AgreementPractices::AgreementId))
                    .col(uuid(AgreementPractices::PracticeId))
                    .primary_key(
                        Index::create()
                            .col(AgreementPractices::AgreementId)
                            .col(AgreementPractices::PracticeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementPractices::Table, AgreementPractices::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgreementPractices::Table, AgreementPractices::PracticeId)
                            .to(Practices::Table, Practices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AgreementPractices::Table,
                "idx_agreement_practices_practice",
                [
                    AgreementPractices::PracticeId,
                    AgreementPractices::AgreementId,
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgreementStageChanges::Table)
                    .col(pk_uuid(AgreementStageChanges::Id))
                    .col(uuid(AgreementStageChanges::AgreementId))
                    .col(string(AgreementStageChanges::Stage))
                    .col(date_null(AgreementStageChanges::OnDate))
                    .col(text_null(AgreementStageChanges::Note))
                    .col(timestamp_with_time_zone(AgreementStageChanges::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AgreementStageChanges::Table,
                                AgreementStageChanges::AgreementId,
                            )
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AgreementStageChanges::Table,
                "idx_agreement_stage_changes_agreement",
                [AgreementStageChanges::AgreementId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AgreementStageChanges::Table.into_iden(),
            AgreementPractices::Table.into_iden(),
            AgreementParties::Table.into_iden(),
            Agreements::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
