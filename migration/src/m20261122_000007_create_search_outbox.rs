//! The search outbox: every change to a searchable object writes a row here
//! in the same transaction; a worker drains it to the search engine and
//! deletes rows only after the engine confirmed them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum SearchOutbox {
    Table,
    Id,
    Kind,
    ObjectId,
    EnqueuedAt,
    Attempts,
    NextAttemptAt,
    LastError,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchOutbox::Table)
                    .if_not_exists()
                    .col(big_integer(SearchOutbox::Id).auto_increment().primary_key())
                    .col(string_len(SearchOutbox::Kind, 20))
                    .col(string_len(SearchOutbox::ObjectId, 64))
                    .col(timestamp_with_time_zone(SearchOutbox::EnqueuedAt))
                    .col(integer(SearchOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(SearchOutbox::NextAttemptAt))
                    .col(text_null(SearchOutbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                SearchOutbox::Table,
                "idx_search_outbox_next_attempt",
                [SearchOutbox::NextAttemptAt, SearchOutbox::Id],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SearchOutbox::Table).to_owned())
            .await
    }
}
