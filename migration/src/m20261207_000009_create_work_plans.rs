//! An agreement's work plan (issue 16): the activities it commits to, with
//! owners and dates, and the indicators it will be judged by, with unit,
//! baseline, target and target date. Measurements record the value an
//! indicator reached on a date, usually as part of an evaluation, so
//! planned and achieved can be compared.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_agreements::Agreements;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkPlanActivities {
    Table,
    Id,
    AgreementId,
    Title,
    Owner,
    StartsOn,
    DueOn,
    DoneOn,
    Position,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum WorkPlanIndicators {
    Table,
    Id,
    AgreementId,
    Name,
    Unit,
    Baseline,
    Target,
    TargetDate,
    Position,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum IndicatorMeasurements {
    Table,
    Id,
    IndicatorId,
    EvaluationId,
    MeasuredOn,
    Value,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgreementEvaluations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkPlanActivities::Table)
                    .col(pk_uuid(WorkPlanActivities::Id))
                    .col(uuid(WorkPlanActivities::AgreementId))
                    .col(string(WorkPlanActivities::Title))
                    .col(string(WorkPlanActivities::Owner))
                    .col(date_null(WorkPlanActivities::StartsOn))
                    .col(date_null(WorkPlanActivities::DueOn))
                    .col(date_null(WorkPlanActivities::DoneOn))
                    .col(integer(WorkPlanActivities::Position))
                    .col(timestamp_with_time_zone(WorkPlanActivities::CreatedAt))
                    .col(timestamp_with_time_zone(WorkPlanActivities::UpdatedAt))
                    .col(integer(WorkPlanActivities::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WorkPlanActivities::Table, WorkPlanActivities::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                WorkPlanActivities::Table,
                "idx_work_plan_activities_agreement",
                [WorkPlanActivities::AgreementId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkPlanIndicators::Table)
                    .col(pk_uuid(WorkPlanIndicators::Id))
                    .col(uuid(WorkPlanIndicators::AgreementId))
                    .col(string(WorkPlanIndicators::Name))
                    .col(string(WorkPlanIndicators::Unit))
                    .col(double(WorkPlanIndicators::Baseline))
                    .col(double(WorkPlanIndicators::Target))
                    .col(date(WorkPlanIndicators::TargetDate))
                    .col(integer(WorkPlanIndicators::Position))
                    .col(timestamp_with_time_zone(WorkPlanIndicators::CreatedAt))
                    .col(timestamp_with_time_zone(WorkPlanIndicators::UpdatedAt))
                    .col(integer(WorkPlanIndicators::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WorkPlanIndicators::Table, WorkPlanIndicators::AgreementId)
                            .to(Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                WorkPlanIndicators::Table,
                "idx_work_plan_indicators_agreement",
                [WorkPlanIndicators::AgreementId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IndicatorMeasurements::Table)
                    .col(pk_uuid(IndicatorMeasurements::Id))
                    .col(uuid(IndicatorMeasurements::IndicatorId))
                    .col(uuid_null(IndicatorMeasurements::EvaluationId))
                    .col(date(IndicatorMeasurements::MeasuredOn))
                    .col(double(IndicatorMeasurements::Value))
                    .col(text_null(IndicatorMeasurements::Note))
                    .col(timestamp_with_time_zone(IndicatorMeasurements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                IndicatorMeasurements::Table,
                                IndicatorMeasurements::IndicatorId,
                            )
                            .to(WorkPlanIndicators::Table, WorkPlanIndicators::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                IndicatorMeasurements::Table,
                                IndicatorMeasurements::EvaluationId,
                            )
                            .to(AgreementEvaluations::Table, AgreementEvaluations::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                IndicatorMeasurements::Table,
                "idx_indicator_measurements_indicator",
                [
                    IndicatorMeasurements::IndicatorId,
                    IndicatorMeasurements::MeasuredOn,
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            IndicatorMeasurements::Table.into_iden(),
            WorkPlanIndicators::Table.into_iden(),
            WorkPlanActivities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
