//! Follow-ups of adoptions (issue 16): a year after a region pilots or
//! adopts a practice, someone asks whether it still runs. A follow-up
//! records the answer (running, or stopped with a reason) and, when the
//! adopter measured it, its own outcome: the evidence that a practice
//! transfers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdoptionFollowUps {
    Table,
    Id,
    AdoptionId,
    FollowedUpOn,
    StillRunning,
    StopReason,
    OutcomeMetric,
    OutcomeUnit,
    OutcomeBaseline,
    OutcomeValue,
    Note,
    CreatedAt,
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
                    .table(AdoptionFollowUps::Table)
                    .col(pk_uuid(AdoptionFollowUps::Id))
                    .col(uuid(AdoptionFollowUps::AdoptionId))
                    .col(date(AdoptionFollowUps::FollowedUpOn))
                    .col(boolean(AdoptionFollowUps::StillRunning))
                    .col(text_null(AdoptionFollowUps::StopReason))
                    .col(string_null(AdoptionFollowUps::OutcomeMetric))
                    .col(string_null(AdoptionFollowUps::OutcomeUnit))
                    .col(double_null(AdoptionFollowUps::OutcomeBaseline))
                    .col(double_null(AdoptionFollowUps::OutcomeValue))
                    .col(text_null(AdoptionFollowUps::Note))
                    .col(timestamp_with_time_zone(AdoptionFollowUps::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdoptionFollowUps::Table, AdoptionFollowUps::AdoptionId)
                            .to(Adoptions::Table, Adoptions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                AdoptionFollowUps::Table,
                "idx_adoption_follow_ups_adoption",
                [
                    AdoptionFollowUps::AdoptionId,
                    AdoptionFollowUps::FollowedUpOn,
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AdoptionFollowUps::Table).to_owned())
            .await
    }
}
