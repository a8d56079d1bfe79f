//! The request budget shared by every replica on PostgreSQL (issue 20):
//! one token bucket per client, in an UNLOGGED table (a budget is not worth
//! a write-ahead log, and a crash that empties it only refills every
//! bucket). SQLite is served by one process, whose budget stays in memory:
//! nothing is created there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNLOGGED TABLE rate_buckets (
                    client text PRIMARY KEY,
                    tokens double precision NOT NULL,
                    at timestamptz NOT NULL,
                    granted boolean NOT NULL
                )",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS rate_buckets")
            .await?;
        Ok(())
    }
}
