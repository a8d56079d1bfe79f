//! What the write side needs: API tokens (stored as hashes), the audit log,
//! agreement evaluations, a `version` on every editable object (optimistic
//! concurrency) and archiving of practices.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_regions::Regions;
use crate::m20261122_000002_create_practices::Practices;
use crate::m20261122_000003_create_agreements::Agreements;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    TokenHash,
    Role,
    RegionCode,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorTokenId,
    Actor,
    Action,
    ObjectType,
    ObjectId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum AgreementEvaluations {
    Table,
    Id,
    AgreementId,
    EvaluatedOn,
    Progress,
    Findings,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Version {
    Version,
}

#[derive(DeriveIden)]
enum Archived {
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Updated {
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Adoptions {
    Table,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(string(ApiTokens::Name))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(string(ApiTokens::Role))
                    .col(string_null(ApiTokens::RegionCode))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::ActorTokenId))
                    .col(string(AuditLog::Actor))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::ObjectType))
                    .col(string(AuditLog::ObjectId))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AuditLog::Table,
                "idx_audit_log_object",
                [AuditLog::ObjectType, AuditLog::ObjectId, AuditLog::At],
            ))
            .await?;
        manager
            .create_index(crate::index(
                AuditLog::Table,
                "idx_audit_log_at",
                [AuditLog::At, AuditLog::Id],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgreementEvaluations::Table)
                    .col(pk_uuid(AgreementEvaluations::Id))
                    .col(uuid(AgreementEvaluations::AgreementId))
                    .col(date(AgreementEvaluations::EvaluatedOn))
                    .col(integer_null(AgreementEvaluations::Progress))
                    .col(text(AgreementEvaluations::Findings))
                    .col(timestamp_with_time_zone(AgreementEvaluations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AgreementEvaluations::Table,
                                AgreementEvaluations::AgreementId,
                            )
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AgreementEvaluations::Table,
                "idx_agreement_evaluations_agreement",
                [
                    AgreementEvaluations::AgreementId,
                    AgreementEvaluations::EvaluatedOn,
                ],
            ))
            .await?;

        // SQLite adds one column per statement.
        for table in [
            Regions::Table.into_iden(),
            Practices::Table.into_iden(),
            Agreements::Table.into_iden(),
            Adoptions::Table.into_iden(),
            Visits::Table.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(integer(Version::Version).default(1))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Regions::Table)
                    .add_column(timestamp_with_time_zone_null(Updated::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Practices::Table)
                    .add_column(timestamp_with_time_zone_null(Archived::ArchivedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Regions::Table)
                    .drop_column(Updated::UpdatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Practices::Table)
                    .drop_column(Archived::ArchivedAt)
                    .to_owned(),
            )
            .await?;
        for table in [
            Regions::Table.into_iden(),
            Practices::Table.into_iden(),
            Agreements::Table.into_iden(),
            Adoptions::Table.into_iden(),
            Visits::Table.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Version::Version)
                        .to_owned(),
                )
                .await?;
        }
        for t in [
            AgreementEvaluations::Table.into_iden(),
            AuditLog::Table.into_iden(),
            ApiTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
